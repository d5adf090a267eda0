import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetPublicKeyCommand,
  KMSClient,
  ListGrantsCommand,
  NotFoundException,
  type GrantListEntry,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { buildProgram } from '../../../cli/main';
import { judgeKeyPolicy } from '../../../cli/trust/key-policy';
import { pin } from '../../../cli/trust/pin';
import { anchorOf, parseTrustFile } from '../../../cli/trust/trust-file';
import { PRODUCER_IDS } from '../../../lambdas/collectors/registry';
import { signingKeyAlias, SEALER_PRODUCER } from '../../../lambdas/evidence/producers';
import { LocalSigner, verifySignature } from '../../../lambdas/evidence/signer';

const STACK = 'Soc2Evidence';
const ACCOUNT = '123456789012';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const BREAK_GLASS = `arn:aws:iam::${ACCOUNT}:role/break-glass`;
const arnOf = (producer: string) => `arn:aws:kms:us-east-1:${ACCOUNT}:key/key-${producer}`;
const roleOf = (producer: string) => `arn:aws:iam::${ACCOUNT}:role/${STACK}-${producer}`;

/** What a break-glass role may do with a locked key: administer it, never sign or grant. */
const BREAK_GLASS_ACTIONS = [
  'kms:PutKeyPolicy',
  'kms:DisableKey',
  'kms:EnableKey',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:UpdateAlias',
  'kms:DeleteAlias',
  'kms:Describe*',
  'kms:Get*',
  'kms:List*',
];

/** A locked policy: root reads, one role signs, break-glass administers (without signing), a Deny. */
function lockedPolicy(producer: string, breakGlassActions: string | string[] = BREAK_GLASS_ACTIONS): object {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AccountReadsAndHousekeeping',
        Effect: 'Allow',
        Principal: { AWS: ROOT },
        Action: ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetPublicKey', 'kms:Verify', 'kms:TagResource'],
        Resource: '*',
      },
      {
        Sid: 'BreakGlassAdministers',
        Effect: 'Allow',
        Principal: { AWS: BREAK_GLASS },
        Action: breakGlassActions,
        Resource: '*',
      },
      {
        Sid: 'ProducerSigns',
        Effect: 'Allow',
        Principal: { AWS: roleOf(producer) },
        Action: ['kms:GetPublicKey', 'kms:Sign'],
        Resource: '*',
      },
      {
        Sid: 'OnlyBreakGlassChangesTheKey',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: ['kms:CreateGrant', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion'],
        Resource: '*',
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': [BREAK_GLASS] } },
      },
    ],
  };
}

/** The CDK's default key policy: kms:* to the account root, so any IAM policy can grant kms:Sign. */
const rootKmsStar = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: ROOT },
      Action: 'kms:*',
      Resource: '*',
    },
  ],
};

interface Deployed {
  readonly policy?: object;
  readonly keySpec?: string;
  readonly origin?: string;
  readonly multiRegion?: boolean;
  /** ListGrants' answer, page by page. */
  readonly grants?: readonly (readonly GrantListEntry[])[];
}

/** KMS answering for the stack's keys: every producer deployed unless `deployed` says otherwise. */
function kmsWith(deployed: (producer: string) => Deployed | undefined = () => ({})) {
  const signers = new Map(PRODUCER_IDS.map((p) => [p, LocalSigner.generate(arnOf(p))]));
  const producerOf = (keyId: unknown) =>
    PRODUCER_IDS.find((p) => keyId === signingKeyAlias(STACK, p) || keyId === arnOf(p))!;
  const kms = mockClient(KMSClient);
  kms.on(DescribeKeyCommand).callsFake((input: { KeyId: string }) => {
    const producer = producerOf(input.KeyId);
    const d = producer ? deployed(producer) : undefined;
    if (!d) throw new NotFoundException({ message: `Alias ${input.KeyId} is not found.`, $metadata: {} });
    return {
      KeyMetadata: {
        KeyId: `key-${producer}`,
        Arn: arnOf(producer),
        AWSAccountId: ACCOUNT,
        KeySpec: d.keySpec ?? 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        KeyManager: 'CUSTOMER',
        Origin: d.origin ?? 'AWS_KMS',
        MultiRegion: d.multiRegion ?? false,
      },
    };
  });
  kms.on(ListGrantsCommand).callsFake((input: { KeyId: string; Marker?: string }) => {
    const pages = deployed(producerOf(input.KeyId))?.grants ?? [[]];
    const page = input.Marker ? Number(input.Marker) : 0;
    const more = page + 1 < pages.length;
    return { Grants: pages[page], Truncated: more, ...(more ? { NextMarker: String(page + 1) } : {}) };
  });
  kms.on(GetPublicKeyCommand).callsFake((input: { KeyId: string }) => ({
    KeyId: input.KeyId,
    PublicKey: signers.get(producerOf(input.KeyId))!.publicKey.export({ type: 'spki', format: 'der' }),
  }));
  kms.on(GetKeyPolicyCommand).callsFake((input: { KeyId: string }) => {
    const producer = producerOf(input.KeyId);
    return { Policy: JSON.stringify(deployed(producer)?.policy ?? lockedPolicy(producer)) };
  });
  return { kms, signers };
}

async function run(options: { out: string; acceptUnlockedKeys?: boolean }) {
  const lines: string[] = [];
  const code = await pin(
    { stack: STACK, ...options },
    {
      kms: new KMSClient({ region: 'us-east-1' }),
      out: (l) => lines.push(l),
      now: () => new Date('2026-12-01T09:00:00Z'),
    },
  );
  return { code, lines };
}

const tmpFile = () => join(mkdtempSync(join(tmpdir(), 'soc2-pin-')), 'trust.json');

describe('soc2-evidence pin', () => {
  afterEach(() => jest.restoreAllMocks());

  it("pins every producer's key of a locked stack into a trust file pull and verify accept", async () => {
    const { kms, signers } = kmsWith();
    const out = tmpFile();

    const { code, lines } = await run({ out });

    expect(code).toBe(0);
    expect(
      kms.commandCalls(DescribeKeyCommand, { KeyId: `alias/${STACK}/signing/${SEALER_PRODUCER}` }),
    ).toHaveLength(1);
    expect(
      kms.commandCalls(GetKeyPolicyCommand, { KeyId: arnOf(SEALER_PRODUCER), PolicyName: 'default' }),
    ).toHaveLength(1);
    const file = parseTrustFile(readFileSync(out, 'utf8'));
    expect(file).toMatchObject({
      pinnedAt: '2026-12-01T09:00:00.000Z',
      source: `stack ${STACK}, account ${ACCOUNT}, us-east-1`,
    });
    expect(Object.keys(file.producers).sort()).toEqual([...PRODUCER_IDS].sort());
    // The pinned key verifies what the producer's key signs: it is that key's public half.
    const anchor = anchorOf(file);
    const body = Buffer.from('evidence');
    const { signature } = await signers.get(SEALER_PRODUCER)!.sign(body);
    expect(verifySignature(body, signature, anchor.producers.get(SEALER_PRODUCER)!.key)).toBe(true);
    expect(lines).toContain(`pinned ${SEALER_PRODUCER}: ${arnOf(SEALER_PRODUCER)}`);
    expect(lines.at(-1)).toBe(
      `wrote ${out}: ${PRODUCER_IDS.length} producer key(s) of stack ${STACK} (account ${ACCOUNT}, us-east-1); give it to pull and verify with --trust ${out}`,
    );
    expect(lines.filter((l) => /refused|WARNING|note/.test(l))).toEqual([]);
  });

  it('refuses, one line per key, a policy giving the account root kms:*, and writes nothing (exit 4)', async () => {
    kmsWith((p) => (p === SEALER_PRODUCER || p === 'iam-mfa' ? { policy: rootKmsStar } : {}));
    const out = tmpFile();

    const { code, lines } = await run({ out });

    expect(code).toBe(4);
    expect(existsSync(out)).toBe(false);
    const refused = lines.filter((l) => l.startsWith('refused '));
    expect(refused).toEqual([
      `refused iam-mfa: ${arnOf('iam-mfa')}: the key policy allows kms:* to the account root (${ROOT}) (statement "Enable IAM User Permissions"), so any IAM policy in the account (an administrator's) can have kms:Sign, kms:PutKeyPolicy, kms:CreateGrant`,
      `refused ${SEALER_PRODUCER}: ${arnOf(SEALER_PRODUCER)}: the key policy allows kms:* to the account root (${ROOT}) (statement "Enable IAM User Permissions"), so any IAM policy in the account (an administrator's) can have kms:Sign, kms:PutKeyPolicy, kms:CreateGrant`,
    ]);
    expect(lines.at(-1)).toMatch(/^nothing written: 2 key\(s\) refused\..*--accept-unlocked-keys$/);
  });

  it('with --accept-unlocked-keys pins such a key and records why in the trust file', async () => {
    kmsWith((p) => (p === SEALER_PRODUCER ? { policy: rootKmsStar } : {}));
    const out = tmpFile();

    const { code, lines } = await run({ out, acceptUnlockedKeys: true });

    expect(code).toBe(0);
    const file = parseTrustFile(readFileSync(out, 'utf8'));
    expect(file.source).toMatch(
      new RegExp(
        `^stack ${STACK}, account ${ACCOUNT}, us-east-1; UNLOCKED KEYS PINNED WITH --accept-unlocked-keys .*sealer: the key policy allows kms:\\*`,
      ),
    );
    expect(lines).toContain(
      `  WARNING (accepted with --accept-unlocked-keys): the key policy allows kms:* to the account root (${ROOT}) (statement "Enable IAM User Permissions"), so any IAM policy in the account (an administrator's) can have kms:Sign, kms:PutKeyPolicy, kms:CreateGrant`,
    );
  });

  it('notes a producer whose alias does not exist (not deployed) and pins the others', async () => {
    kmsWith((p) => (p === 'coverage-watchdog' ? undefined : {}));
    const out = tmpFile();

    const { code, lines } = await run({ out });

    expect(code).toBe(0);
    expect(lines[0]).toBe(
      `note: coverage-watchdog is not deployed (no alias alias/${STACK}/signing/coverage-watchdog): nothing pinned for it`,
    );
    expect(Object.keys(parseTrustFile(readFileSync(out, 'utf8')).producers)).not.toContain(
      'coverage-watchdog',
    );
  });

  it('refuses a key that is not a P-256 signing key', async () => {
    kmsWith((p) => (p === 'tls' ? { keySpec: 'RSA_2048' } : {}));
    const out = tmpFile();

    const { code, lines } = await run({ out });

    expect(code).toBe(4);
    expect(lines.filter((l) => l.startsWith('refused '))).toEqual([
      `refused tls: ${arnOf('tls')} (alias/${STACK}/signing/tls): key spec RSA_2048 (expected ECC_NIST_P256): not a soc2-evidence signing key`,
    ]);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a key whose material was imported or is held outside KMS, and a multi-Region key, even with --accept-unlocked-keys', async () => {
    kmsWith((p) =>
      p === 'iam-mfa'
        ? { origin: 'EXTERNAL' }
        : p === 'tls'
          ? { origin: 'AWS_CLOUDHSM' }
          : p === 'coverage-watchdog'
            ? { origin: 'EXTERNAL_KEY_STORE', multiRegion: true }
            : p === SEALER_PRODUCER
              ? { multiRegion: true }
              : {},
    );
    const out = tmpFile();

    const { code, lines } = await run({ out, acceptUnlockedKeys: true });

    expect(code).toBe(4);
    expect(existsSync(out)).toBe(false);
    const refused = (p: string) => lines.find((l) => l.startsWith(`refused ${p}: `));
    const at = (p: string) => `refused ${p}: ${arnOf(p)} (alias/${STACK}/signing/${p}): `;
    const single = '; the stack makes single-Region keys in KMS (origin AWS_KMS)';
    expect(refused('iam-mfa')).toBe(
      `${at('iam-mfa')}origin EXTERNAL: its key material was imported, so whoever made it (the company) holds the private key and can sign without KMS${single}`,
    );
    expect(refused('tls')).toBe(
      `${at('tls')}origin AWS_CLOUDHSM: its key lives in a CloudHSM key store the company administers, whose crypto users can sign outside the key policy${single}`,
    );
    expect(refused('coverage-watchdog')).toBe(
      `${at('coverage-watchdog')}origin EXTERNAL_KEY_STORE: its key lives in an external key manager the company runs, which can sign without KMS; a multi-Region key: its replicas in other Regions sign with the same key under key policies of their own, which pin does not read${single}`,
    );
    expect(refused(SEALER_PRODUCER)).toBe(
      `${at(SEALER_PRODUCER)}a multi-Region key: its replicas in other Regions sign with the same key under key policies of their own, which pin does not read${single}`,
    );
  });

  it('refuses a key with any grant, reading every page of ListGrants, naming grantee and operations', async () => {
    const grant = (id: string, grantee: string, ops: string[]): GrantListEntry => ({
      GrantId: id,
      GranteePrincipal: grantee,
      Operations: ops as GrantListEntry['Operations'],
    });
    const { kms } = kmsWith((p) =>
      p === SEALER_PRODUCER
        ? {
            grants: [
              [grant('g1', roleOf('admin'), ['Sign', 'GetPublicKey'])],
              [],
              [grant('g2', 'arn:aws:iam::210987654321:root', ['DescribeKey'])],
            ],
          }
        : {},
    );
    const out = tmpFile();

    const { code, lines } = await run({ out });

    expect(code).toBe(4);
    expect(existsSync(out)).toBe(false);
    expect(kms.commandCalls(ListGrantsCommand, { KeyId: arnOf(SEALER_PRODUCER) })).toHaveLength(3);
    expect(lines.filter((l) => l.startsWith('refused '))).toEqual([
      `refused ${SEALER_PRODUCER}: ${arnOf(SEALER_PRODUCER)}: the key has 2 grant(s), each usable beside the key policy (the stack makes none): grant g1 to ${roleOf('admin')} for Sign, GetPublicKey; grant g2 to arn:aws:iam::210987654321:root for DescribeKey`,
    ]);
  });

  it('says which permission pin lacks when ListGrants is denied', async () => {
    const { kms } = kmsWith();
    kms.on(ListGrantsCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: kms:ListGrants'), {
        name: 'AccessDeniedException',
      }),
    );
    await expect(run({ out: tmpFile() })).rejects.toThrow(
      /^kms:ListGrants on alias\/Soc2Evidence\/signing\/[a-z-]+: AccessDeniedException: User is not authorized to perform: kms:ListGrants; pin reads each key with .*kms:ListGrants, which your role needs on the signing keys$/,
    );
  });

  it("refuses the break-glass role's kms:* (it could sign and grant) and a kms:CreateGrant to any role", async () => {
    kmsWith((p) =>
      p === SEALER_PRODUCER
        ? { policy: lockedPolicy(p, 'kms:*') }
        : p === 'iam-mfa'
          ? { policy: lockedPolicy(p, [...BREAK_GLASS_ACTIONS, 'kms:CreateGrant']) }
          : {},
    );
    const out = tmpFile();

    const { code, lines } = await run({ out });

    expect(code).toBe(4);
    expect(lines.filter((l) => l.startsWith('refused '))).toEqual([
      `refused iam-mfa: ${arnOf('iam-mfa')}: the key policy allows kms:CreateGrant to ${BREAK_GLASS} (statement "BreakGlassAdministers"), so it can give kms:Sign to anyone with a grant; the stack allows kms:CreateGrant to nobody`,
      `refused ${SEALER_PRODUCER}: ${arnOf(SEALER_PRODUCER)}: the key policy allows kms:CreateGrant (through kms:*) to ${BREAK_GLASS} (statement "BreakGlassAdministers"), so it can give kms:Sign to anyone with a grant; the stack allows kms:CreateGrant to nobody; ` +
        `${BREAK_GLASS} may both change the key policy (kms:PutKeyPolicy) and sign (kms:Sign): a break-glass role that can sign is a second signer; give it administration without kms:Sign`,
    ]);
  });

  it('says in one line that no key exists when the stack is not there, and never replaces a trust file', async () => {
    kmsWith(() => undefined);
    await expect(run({ out: tmpFile() })).rejects.toThrow(
      /^no signing key of stack Soc2Evidence in us-east-1 \(no alias alias\/Soc2Evidence\/signing\/<producer>\): is the stack name right/,
    );
    const existing = tmpFile();
    writeFileSync(existing, 'keep me');
    await expect(run({ out: existing })).rejects.toThrow(
      `--out ${existing} already exists: pin never replaces a trust file; give a new file name (keep the old one to compare)`,
    );
    expect(readFileSync(existing, 'utf8')).toBe('keep me');
  });

  it('rejects a bad stack name and region as one-line argument errors', async () => {
    const errors: string[] = [];
    const program = buildProgram(() => undefined);
    program.exitOverride().configureOutput({ writeErr: (s) => errors.push(s), writeOut: () => undefined });
    for (const c of program.commands) c.exitOverride().configureOutput({ writeErr: (s) => errors.push(s) });
    await expect(
      program.parseAsync(['node', 'soc2-evidence', 'pin', '--stack', '1bad', '--out', tmpFile()]),
    ).rejects.toThrow();
    expect(errors.join('')).toContain(
      `option '--stack <name>' argument '1bad' is invalid. expected a CloudFormation stack name (a letter, then letters, digits and hyphens), got "1bad"`,
    );
    await expect(
      program.parseAsync([
        'node',
        'soc2-evidence',
        'pin',
        '--stack',
        STACK,
        '--out',
        tmpFile(),
        '--region',
        'mars-1',
      ]),
    ).rejects.toThrow();
    expect(errors.join('')).toContain(
      `option '--region <code>' argument 'mars-1' is invalid. expected a region code such as us-east-1, got "mars-1"`,
    );
  });
});

describe('judgeKeyPolicy', () => {
  it('accepts a locked policy, with a break-glass role that administers without signing or without one', () => {
    expect(judgeKeyPolicy(JSON.stringify(lockedPolicy('iam-mfa')))).toEqual({ unlocked: [], notes: [] });
    const withoutBreakGlass = lockedPolicy('iam-mfa') as { Statement: { Sid: string }[] };
    withoutBreakGlass.Statement = withoutBreakGlass.Statement.filter(
      (st) => st.Sid !== 'BreakGlassAdministers',
    );
    expect(judgeKeyPolicy(JSON.stringify(withoutBreakGlass))).toEqual({ unlocked: [], notes: [] });
  });

  it('refuses kms:CreateGrant to any principal, directly, by wildcard or through NotAction', () => {
    const to = (statement: object) =>
      judgeKeyPolicy(
        JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: roleOf('ops') }, ...statement }] }),
      ).unlocked;
    const why = 'so it can give kms:Sign to anyone with a grant; the stack allows kms:CreateGrant to nobody';
    expect(to({ Action: 'kms:CreateGrant' })).toEqual([
      `the key policy allows kms:CreateGrant to ${roleOf('ops')}, ${why}`,
    ]);
    expect(to({ Action: ['kms:Create*'] })).toEqual([
      `the key policy allows kms:CreateGrant (through kms:Create*) to ${roleOf('ops')}, ${why}`,
    ]);
    expect(to({ NotAction: 'kms:Sign' })).toEqual([
      `the key policy allows kms:CreateGrant (through NotAction "kms:Sign") to ${roleOf('ops')}, ${why}`,
    ]);
  });

  it('refuses a policy changer that can also sign, however the two are allowed', () => {
    const { unlocked } = judgeKeyPolicy(
      JSON.stringify({
        Statement: [
          { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: BREAK_GLASS }, Action: 'kms:PutKeyPolicy' },
          { Sid: 'AlsoSigns', Effect: 'Allow', Principal: { AWS: BREAK_GLASS }, Action: 'kms:Sig?' },
          { Effect: 'Allow', Principal: { AWS: roleOf('iam-mfa') }, Action: 'kms:Sign' },
        ],
      }),
    );
    expect(unlocked).toEqual([
      `${BREAK_GLASS} may both change the key policy (kms:PutKeyPolicy) and sign (kms:Sign): a break-glass role that can sign is a second signer; give it administration without kms:Sign`,
    ]);
  });

  it('still refuses kms:* or kms:Sign to more than one principal', () => {
    const { unlocked } = judgeKeyPolicy(
      JSON.stringify({
        Statement: [
          { Effect: 'Allow', Principal: { AWS: roleOf('a') }, Action: 'kms:Sign' },
          { Effect: 'Allow', Principal: { AWS: roleOf('b') }, Action: 'kms:Sign*' },
        ],
      }),
    );
    expect(unlocked).toEqual([
      `2 principals may sign (kms:Sign): ${roleOf('a')}, ${roleOf('b')}; one producer role at most`,
    ]);
  });

  it('names a second signer, a second policy changer and a missing Deny', () => {
    const policy = {
      Statement: [
        { Effect: 'Allow', Principal: { AWS: [roleOf('a'), roleOf('b')] }, Action: 'kms:Sign' },
        { Effect: 'Allow', Principal: { AWS: [BREAK_GLASS, roleOf('admin')] }, Action: 'kms:PutKeyPolicy' },
      ],
    };
    const { unlocked, notes } = judgeKeyPolicy(JSON.stringify(policy));
    expect(unlocked).toEqual([
      `2 principals may change the key policy (kms:PutKeyPolicy): ${BREAK_GLASS}, ${roleOf('admin')}; one break-glass role at most`,
      `2 principals may sign (kms:Sign): ${roleOf('a')}, ${roleOf('b')}; one producer role at most`,
    ]);
    expect(notes).toEqual([
      'no explicit Deny of kms:PutKeyPolicy to every principal but the break-glass role',
    ]);
  });

  it('treats Principal "*" and a NotAction Allow to root as unlocked', () => {
    const everyone = judgeKeyPolicy(
      JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:Sign' }] }),
    );
    expect(everyone.unlocked).toEqual([
      'the key policy allows kms:Sign to everyone (Principal "*"), so anyone can have kms:Sign',
    ]);
    const notAction = judgeKeyPolicy(
      JSON.stringify({
        Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, NotAction: 'kms:Decrypt' }],
      }),
    );
    expect(notAction.unlocked[0]).toMatch(
      /^the key policy allows NotAction "kms:Decrypt" to the account root/,
    );
  });
});
