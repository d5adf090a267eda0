/**
 * `soc2-evidence pin`: the auditor's trust anchor, read once from the deployed stack. For every producer it
 * finds the signing key by its protected alias, checks it is a customer-managed P-256 signing key made and
 * kept in KMS (single-Region), with no grant, whose policy no administrator could use to sign, and writes each producer's public key into a trust file that
 * every later `pull` and `verify` is given with `--trust`.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetPublicKeyCommand,
  KMSClient,
  ListGrantsCommand,
  type GrantListEntry,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import { InvalidArgumentError, type Command } from 'commander';
import { ClientFactory } from '../../lambdas/aws/client-factory';
import { readAwsError } from '../../lambdas/aws/aws-error';
import { PRODUCER_IDS } from '../../lambdas/collectors/registry';
import { signingKeyAlias } from '../../lambdas/evidence/producers';
import { publicKeyFrom } from '../../lambdas/evidence/signer';
import { isKnownRegion } from '../../lib/config';
import { requireRegion } from '../arguments';
import { CliError } from '../cli-error';
import { EXIT_INTEGRITY } from '../package/manifest';
import { judgeKeyPolicy } from './key-policy';
import { renderTrustFile, TRUST_FILE_KIND, type TrustFile } from './trust-file';

export interface PinOptions {
  readonly stack: string;
  readonly out: string;
  /** Pin keys whose policy or grants would let an administrator sign, recording why in the trust file. */
  readonly acceptUnlockedKeys?: boolean;
}

export interface PinDeps {
  readonly kms: KMSClient;
  readonly out: (line: string) => void;
  readonly now?: () => Date;
}

type Verdict =
  | { readonly kind: 'absent' }
  | { readonly kind: 'refused'; readonly line: string }
  | {
      readonly kind: 'pinned';
      readonly keyArn: string;
      readonly account?: string;
      readonly publicKey: string;
      readonly unlocked: readonly string[];
      readonly notes: readonly string[];
    };

/** `--out`: a new file in an existing directory; an existing trust file is never replaced. */
function checkTrustOut(out: string): void {
  if (existsSync(out))
    throw new CliError(
      `--out ${out} already exists: pin never replaces a trust file; give a new file name (keep the old one to compare)`,
    );
  if (!existsSync(dirname(resolve(out))))
    throw new CliError(
      `--out ${out} cannot be written: its directory ${dirname(resolve(out))} does not exist`,
    );
}

async function call<T>(what: string, alias: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (err) {
    const e = readAwsError(err);
    const hint =
      e.code === 'AccessDeniedException'
        ? `; pin reads each key with kms:DescribeKey, kms:GetPublicKey, kms:GetKeyPolicy and kms:ListGrants, which your role needs on the signing keys`
        : '';
    throw new CliError(`kms:${what} on ${alias}: ${e.code}: ${e.message}${hint}`);
  }
}

/** What is wrong with the key's kind, or undefined for a customer-managed ECC_NIST_P256 SIGN_VERIFY key. */
function kindProblem(meta: KeyMetadata): string | undefined {
  const wrong = [
    meta.KeySpec !== 'ECC_NIST_P256' ? `key spec ${meta.KeySpec ?? 'unknown'} (expected ECC_NIST_P256)` : '',
    meta.KeyUsage !== 'SIGN_VERIFY' ? `key usage ${meta.KeyUsage ?? 'unknown'} (expected SIGN_VERIFY)` : '',
    meta.KeyManager !== 'CUSTOMER' ? `key manager ${meta.KeyManager ?? 'unknown'} (expected CUSTOMER)` : '',
  ].filter(Boolean);
  return wrong.length ? `${wrong.join(', ')}: not a soc2-evidence signing key` : undefined;
}

/** Why each key origin but AWS_KMS lets someone sign outside the key policy. */
const ORIGIN_PROBLEMS: Readonly<Record<string, string>> = {
  EXTERNAL:
    'origin EXTERNAL: its key material was imported, so whoever made it (the company) holds the private key and can sign without KMS',
  AWS_CLOUDHSM:
    'origin AWS_CLOUDHSM: its key lives in a CloudHSM key store the company administers, whose crypto users can sign outside the key policy',
  EXTERNAL_KEY_STORE:
    'origin EXTERNAL_KEY_STORE: its key lives in an external key manager the company runs, which can sign without KMS',
};

/**
 * What about where the key lives lets someone sign outside its policy, or undefined for a single-Region key
 * made in KMS: imported or externally held key material, or a multi-Region key (each replica has its own
 * key policy, which pin does not read, and signs with the same key).
 */
function custodyProblem(meta: KeyMetadata): string | undefined {
  const wrong = [
    meta.Origin !== 'AWS_KMS'
      ? (ORIGIN_PROBLEMS[meta.Origin ?? ''] ?? `origin ${meta.Origin ?? 'unknown'} (expected AWS_KMS)`)
      : '',
    meta.MultiRegion
      ? 'a multi-Region key: its replicas in other Regions sign with the same key under key policies of their own, which pin does not read'
      : '',
  ].filter(Boolean);
  return wrong.length
    ? `${wrong.join('; ')}; the stack makes single-Region keys in KMS (origin AWS_KMS)`
    : undefined;
}

/** Every grant on the key, page by page. */
async function grantsOf(kms: KMSClient, alias: string, keyArn: string): Promise<GrantListEntry[]> {
  const grants: GrantListEntry[] = [];
  const seen = new Set<string>();
  let marker: string | undefined;
  do {
    const page = await call('ListGrants', alias, () =>
      kms.send(new ListGrantsCommand({ KeyId: keyArn, ...(marker ? { Marker: marker } : {}) })),
    );
    grants.push(...(page.Grants ?? []));
    marker = page.Truncated ? page.NextMarker : undefined;
    if (marker !== undefined && seen.has(marker))
      throw new CliError(`kms:ListGrants on ${alias}: returned marker ${marker} twice`);
    if (marker !== undefined) seen.add(marker);
  } while (marker !== undefined);
  return grants;
}

/** Any grant is a way to use the key beside its policy: the stack makes none. */
function grantProblem(grants: readonly GrantListEntry[]): string | undefined {
  if (grants.length === 0) return undefined;
  const each = grants.map(
    (g) =>
      `grant ${g.GrantId ?? 'with no id'} to ${g.GranteePrincipal ?? 'an unnamed grantee'} for ${
        g.Operations?.length ? g.Operations.join(', ') : 'no operation'
      }`,
  );
  return `the key has ${grants.length} grant(s), each usable beside the key policy (the stack makes none): ${each.join('; ')}`;
}

async function judgeProducer(kms: KMSClient, stack: string, producer: string): Promise<Verdict> {
  const alias = signingKeyAlias(stack, producer);
  let meta: KeyMetadata | undefined;
  try {
    meta = (await kms.send(new DescribeKeyCommand({ KeyId: alias }))).KeyMetadata;
  } catch (err) {
    const e = readAwsError(err);
    if (e.code === 'NotFoundException') return { kind: 'absent' };
    throw new CliError(`kms:DescribeKey on ${alias}: ${e.code}: ${e.message}`);
  }
  const keyArn = meta?.Arn ?? meta?.KeyId;
  if (!meta || !keyArn) throw new CliError(`kms:DescribeKey on ${alias} returned no key`);
  const wrongKind = kindProblem(meta) ?? custodyProblem(meta);
  if (wrongKind) return { kind: 'refused', line: `refused ${producer}: ${keyArn} (${alias}): ${wrongKind}` };
  const pub = await call('GetPublicKey', alias, () => kms.send(new GetPublicKeyCommand({ KeyId: keyArn })));
  if (!pub.PublicKey) throw new CliError(`kms:GetPublicKey on ${alias} returned no key`);
  const publicKey = publicKeyFrom(pub.PublicKey).export({ type: 'spki', format: 'pem' }).toString();
  const policy = await call('GetKeyPolicy', alias, () =>
    kms.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' })),
  );
  const judged = judgeKeyPolicy(policy.Policy ?? '');
  const granted = grantProblem(await grantsOf(kms, alias, keyArn));
  return {
    kind: 'pinned',
    keyArn,
    ...(meta.AWSAccountId ? { account: meta.AWSAccountId } : {}),
    publicKey,
    unlocked: granted ? [...judged.unlocked, granted] : judged.unlocked,
    notes: judged.notes,
  };
}

/**
 * Pins every deployed producer's key of `stack`. Returns the exit code: 0 when the trust file was written,
 * 4 when a key was refused (nothing is written then).
 */
export async function pin(options: PinOptions, deps: PinDeps): Promise<number> {
  checkTrustOut(options.out);
  const region = await requireRegion(deps.kms);
  const verdicts = new Map<string, Verdict>();
  for (const producer of PRODUCER_IDS)
    verdicts.set(producer, await judgeProducer(deps.kms, options.stack, producer));

  const absent = [...verdicts].filter(([, v]) => v.kind === 'absent').map(([p]) => p);
  const pinned = [...verdicts].flatMap(([p, v]) => (v.kind === 'pinned' ? [[p, v] as const] : []));
  if (pinned.length === 0 && absent.length === verdicts.size)
    throw new CliError(
      `no signing key of stack ${options.stack} in ${region} (no alias ${signingKeyAlias(options.stack, '<producer>')}): ` +
        'is the stack name right, and is it deployed in this region (--region, AWS_REGION or your profile)?',
    );
  const refused: string[] = [];
  for (const [producer, v] of verdicts) {
    if (v.kind === 'refused') refused.push(v.line);
    if (v.kind === 'pinned' && v.unlocked.length > 0 && !options.acceptUnlockedKeys)
      refused.push(`refused ${producer}: ${v.keyArn}: ${v.unlocked.join('; ')}`);
  }
  for (const p of absent)
    deps.out(
      `note: ${p} is not deployed (no alias ${signingKeyAlias(options.stack, p)}): nothing pinned for it`,
    );
  if (refused.length > 0) {
    for (const line of refused) deps.out(line);
    deps.out(
      `nothing written: ${refused.length} key(s) refused. An administrator could use such a key to sign evidence; ` +
        'pin anyway, with that recorded in the trust file, only with --accept-unlocked-keys',
    );
    return EXIT_INTEGRITY;
  }

  const accounts = [...new Set(pinned.flatMap(([, v]) => (v.account ? [v.account] : [])))];
  const warnings = pinned.flatMap(([p, v]) => v.unlocked.map((u) => `${p}: ${u}`));
  const where = `account ${accounts.join(', ') || 'unknown'}, ${region}`;
  const source =
    `stack ${options.stack}, ${where}` +
    (warnings.length
      ? `; UNLOCKED KEYS PINNED WITH --accept-unlocked-keys (an administrator could sign with them): ${warnings.join('; ')}`
      : '');
  const file: TrustFile = {
    schemaVersion: 1,
    kind: TRUST_FILE_KIND,
    pinnedAt: (deps.now ?? (() => new Date()))().toISOString(),
    source,
    producers: Object.fromEntries(pinned.map(([p, v]) => [p, { keyArn: v.keyArn, publicKey: v.publicKey }])),
  };
  try {
    await writeFile(options.out, renderTrustFile(file), { flag: 'wx' });
  } catch (err) {
    throw new CliError(`--out ${options.out} cannot be written: ${readAwsError(err).message}`);
  }
  for (const [p, v] of pinned) {
    deps.out(`pinned ${p}: ${v.keyArn}`);
    for (const n of v.notes) deps.out(`  note: ${n}`);
    for (const u of v.unlocked) deps.out(`  WARNING (accepted with --accept-unlocked-keys): ${u}`);
  }
  deps.out(
    `wrote ${options.out}: ${pinned.length} producer key(s) of stack ${options.stack} (${where}); ` +
      `give it to pull and verify with --trust ${options.out}`,
  );
  return 0;
}

function stackName(value: string): string {
  if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(value))
    throw new InvalidArgumentError(
      `expected a CloudFormation stack name (a letter, then letters, digits and hyphens), got "${value}"`,
    );
  return value;
}

function region(value: string): string {
  if (!isKnownRegion(value))
    throw new InvalidArgumentError(`expected a region code such as us-east-1, got "${value}"`);
  return value;
}

/** The `pin` command; `out` receives the report lines. */
export function registerPin(program: Command, out: (line: string) => void): void {
  program
    .command('pin')
    .description(
      "Read each producer's signing key of a deployed stack (KMS alias alias/<stack>/signing/<producer>), check that no " +
        'administrator could sign with it (key spec, origin, key policy, grants) and write the public keys as a trust file for pull and ' +
        'verify --trust. Exit 4: a key was refused (nothing written).',
    )
    .requiredOption('--stack <name>', 'the deployed stack whose keys to pin', stackName)
    .requiredOption('--out <file>', 'the trust file to write (never replaced if it exists)')
    .option(
      '--region <code>',
      "the stack's region (default: the SDK's, AWS_REGION or your profile's)",
      region,
    )
    .option(
      '--accept-unlocked-keys',
      'pin keys whose policy or grants would let an administrator sign, recording that in the trust file (a key of the wrong kind or origin, or multi-Region, is refused regardless)',
    )
    .action(async (opts: { stack: string; out: string; region?: string; acceptUnlockedKeys?: boolean }) => {
      checkTrustOut(opts.out);
      const kms = new ClientFactory().get(KMSClient, opts.region);
      process.exitCode = await pin(opts, { kms, out });
    });
}
