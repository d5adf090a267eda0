/**
 * verify judges a package against the period and filters the auditor asked for, not the ones its
 * manifest.json (written by whoever hands the package over) claims: a narrower period or a filter the
 * auditor did not pass is an integrity problem, said before anything else is checked.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgram } from '../../cli/main';
import { pull } from '../../cli/pull';
import { UNBOUND_LINE, verify } from '../../cli/verify';
import { PERIOD_NOT_CHECKED, type VerifyScope } from '../../cli/verify/scope';
import { SEALER_PRODUCER } from '../../lambdas/evidence/producers';
import type { LocalSigner } from '../../lambdas/evidence/signer';
import { ACCOUNT, BUCKET, serveBucket } from './evidence-bucket-fixture';
import { producerBucket, runDays, seal, writeTrustFile } from './sealed-bucket-fixture';

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `soc2-scope-${name}-`));

let trust: string;
let signers: Map<string, LocalSigner>;
/** iam-mfa, 2026-01-01 to 2026-01-05, pulled with --collector iam-mfa. */
let byCollector: string;
/** The same, pulled with --collector iam-mfa --account ACCOUNT. */
let byAccount: string;

const ASKED = { from: '2026-01-01', to: '2026-01-05' };
const HOLDS_ONLY_IAM_MFA =
  'collectors: the package holds only collectors iam-mfa; pass --collector iam-mfa to accept a filtered package';

beforeAll(async () => {
  const made = producerBucket();
  signers = made.signers;
  await runDays(made.bucket, made.clock, '2026-01-01', '2026-01-05');
  await seal(made.bucket, made.clock, '2026-01-06T00:30:00Z', signers.get(SEALER_PRODUCER)!);
  trust = writeTrustFile(tmp('trust'), signers);
  const pullInto = async (out: string, account?: string) =>
    pull(
      { bucket: BUCKET, ...ASKED, out, collector: ['iam-mfa'], ...(account ? { account } : {}), trust },
      {
        s3: serveBucket(made.bucket).s3,
        out: () => undefined,
        now: () => new Date('2026-01-06T09:00:00Z'),
      },
    );
  byCollector = tmp('collector');
  expect(await pullInto(byCollector)).toBe(0);
  byAccount = tmp('account');
  expect(await pullInto(byAccount, ACCOUNT)).toBe(0);
});

function copy(dir: string): string {
  const to = tmp('copy');
  cpSync(dir, to, { recursive: true });
  return to;
}

async function check(dir: string, scope: VerifyScope | undefined, anchor: object = { trust }) {
  const lines: string[] = [];
  const code = await verify(dir, { ...anchor, ...(scope ? { scope } : {}) }, (l) => lines.push(l));
  return { code, lines };
}

describe('verify --from/--to/--collector/--account', () => {
  it('checks the remediation SLA the period report judged by against --sla, and prints it either way', async () => {
    const scope = { ...ASKED, collector: ['iam-mfa'] };
    const same = await check(byCollector, { ...scope, sla: { critical: 7, high: 30, medium: 90 } });
    expect(same.code).toBe(0);
    expect(same.lines).toContain(
      'period report: remediation SLA critical=7,high=30,medium=90 (as you passed with --sla); 1 exception(s): 0 remediated within SLA, 0 past SLA, 0 accepted, 1 open',
    );
    const other = await check(byCollector, { ...scope, sla: { high: 3 } });
    expect(other.lines[0]).toBe(
      "sla: the package's period report judged remediation SLAs by critical=7,high=30,medium=90, not by high=3 that you passed with --sla; have it pulled with --sla high=3",
    );
    expect(other.code).toBe(4);
  });

  it('verifies a package of exactly the period and filters asked for: exit 0, no scope line', async () => {
    const { code, lines } = await check(copy(byCollector), { ...ASKED, collector: ['iam-mfa'] });
    expect(lines).not.toContain(PERIOD_NOT_CHECKED);
    expect(lines.at(-1)).toMatch(/^verified: 5 runs proven by 5 digest\(s\)/);
    expect(code).toBe(0);
  });

  it('says the period was not checked when --from and --to are not given (not a failure)', async () => {
    const { code, lines } = await check(copy(byCollector), { collector: ['iam-mfa'] });
    expect(lines).toContain(PERIOD_NOT_CHECKED);
    expect(PERIOD_NOT_CHECKED).toBe('period not checked: pass --from and --to with the period you asked for');
    expect(code).toBe(0);
  });

  it('refuses a package whose period is not the one asked for, naming both, before checking anything else', async () => {
    const { code, lines } = await check(copy(byCollector), {
      from: '2025-12-29',
      to: '2026-01-05',
      collector: ['iam-mfa'],
    });
    expect(lines).toEqual([
      'period: the package covers 2026-01-01 to 2026-01-05, not 2025-12-29 to 2026-01-05 that you asked for with --from and --to',
      'the package covers 2026-01-01 to 2026-01-05, filtered by pull to collectors iam-mfa',
      expect.stringMatching(
        /^NOT VERIFIED: 1 integrity problem\(s\): the package is not the period and filters you asked for, so nothing in it was checked, in /,
      ),
    ]);
    expect(code).toBe(4);
  });

  it('catches a manifest narrowed after the pull to hide a day (the period is what the auditor says)', async () => {
    const dir = copy(byCollector);
    const manifestPath = join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { period: { from: string } };
    manifest.period.from = '2026-01-02';
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const { code, lines } = await check(dir, { ...ASKED, collector: ['iam-mfa'] });
    expect(lines[0]).toBe(
      'period: the package covers 2026-01-02 to 2026-01-05, not 2026-01-01 to 2026-01-05 that you asked for with --from and --to',
    );
    expect(code).toBe(4);
  });

  it('refuses a package filtered by collector when no --collector was passed: exit 4', async () => {
    const { code, lines } = await check(copy(byCollector), ASKED);
    expect(lines[0]).toBe(HOLDS_ONLY_IAM_MFA);
    expect(lines.at(-1)).toMatch(/^NOT VERIFIED: 1 integrity problem\(s\)/);
    expect(code).toBe(4);
  });

  it('refuses a package whose collectors differ from those passed (order and repeats aside)', async () => {
    const same = await check(copy(byCollector), { ...ASKED, collector: ['iam-mfa', 'iam-mfa'] });
    expect(same.code).toBe(0);
    const { code, lines } = await check(copy(byCollector), {
      ...ASKED,
      collector: ['iam-mfa', 'access-review'],
    });
    expect(lines[0]).toBe(
      'collectors: the package holds only collectors iam-mfa, not the collectors access-review, iam-mfa you passed with --collector',
    );
    expect(code).toBe(4);
  });

  it('refuses a package filtered by account unless --account names it, and --account a package does not have', async () => {
    const without = await check(copy(byAccount), { ...ASKED, collector: ['iam-mfa'] });
    expect(without.lines[0]).toBe(
      `account: the package holds only account ${ACCOUNT}; pass --account ${ACCOUNT} to accept a filtered package`,
    );
    expect(without.code).toBe(4);

    const other = await check(copy(byAccount), { ...ASKED, collector: ['iam-mfa'], account: '210987654321' });
    expect(other.lines[0]).toBe(
      `account: the package holds only account ${ACCOUNT}, not account 210987654321 that you passed with --account`,
    );
    expect(other.code).toBe(4);

    const extra = await check(copy(byCollector), { ...ASKED, collector: ['iam-mfa'], account: ACCOUNT });
    expect(extra.lines[0]).toBe(
      `account: you passed --account ${ACCOUNT} but the package is not filtered by account (pull was given no --account); verify it without --account, or have it pulled with --account ${ACCOUNT}`,
    );
    expect(extra.code).toBe(4);

    const right = await check(copy(byAccount), { ...ASKED, collector: ['iam-mfa'], account: ACCOUNT });
    expect(right.code).toBe(0);
  });

  it('refuses --collector for a package not filtered by collector', async () => {
    const dir = copy(byCollector);
    const manifestPath = join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { filters: object };
    manifest.filters = {};
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const { code, lines } = await check(dir, { ...ASKED, collector: ['iam-mfa'] });
    expect(lines[0]).toBe(
      'collectors: you passed --collector iam-mfa but the package is not filtered by collector (pull was given no --collector); verify it without --collector, or have it pulled with --collector iam-mfa',
    );
    expect(code).toBe(4);
  });

  it('names every difference at once', async () => {
    const { code, lines } = await check(copy(byAccount), { from: '2026-01-01', to: '2026-01-04' });
    expect(lines.slice(0, 3)).toEqual([
      expect.stringMatching(
        /^period: the package covers 2026-01-01 to 2026-01-05, not 2026-01-01 to 2026-01-04/,
      ),
      HOLDS_ONLY_IAM_MFA,
      expect.stringMatching(/^account: the package holds only account /),
    ]);
    expect(lines.at(-1)).toMatch(/^NOT VERIFIED: 3 integrity problem\(s\)/);
    expect(code).toBe(4);
  });

  it('refuses --from without --to and --to before --from as one-line argument errors', async () => {
    await expect(check(byCollector, { from: '2026-01-01' })).rejects.toThrow(
      'verify --from 2026-01-01 without --to: pass both --from and --to (the period you asked for), or neither',
    );
    await expect(check(byCollector, { to: '2026-01-05' })).rejects.toThrow(
      'verify --to 2026-01-05 without --from: pass both --from and --to (the period you asked for), or neither',
    );
    await expect(check(byCollector, { from: '2026-01-05', to: '2026-01-01' })).rejects.toThrow(
      '--to 2026-01-01 is before --from 2026-01-05: give the first day as --from and the last as --to (YYYY-MM-DD)',
    );
  });

  it('with --public-key alone, says signatures were not bound to producers', async () => {
    const keys = [...signers].map(([id, s]) => {
      const file = join(tmp('keys'), `${id}.pem`);
      writeFileSync(file, s.publicKeyPem());
      return file;
    });
    const { code, lines } = await check(
      copy(byCollector),
      { ...ASKED, collector: ['iam-mfa'] },
      { publicKey: keys },
    );
    expect(lines).toContain(UNBOUND_LINE);
    expect(code).toBe(0);
  });
});

describe('the verify command', () => {
  function program() {
    const lines: string[] = [];
    const errors: string[] = [];
    const p = buildProgram((l) => lines.push(l));
    p.exitOverride().configureOutput({ writeErr: (s) => errors.push(s), writeOut: (s) => lines.push(s) });
    for (const c of p.commands)
      c.exitOverride().configureOutput({ writeErr: (s) => errors.push(s), writeOut: (s) => lines.push(s) });
    return { p, lines, errors };
  }
  afterEach(() => {
    process.exitCode = 0;
  });

  it('passes the options through: no option at all is a filtered package refused, the right ones verify', async () => {
    const bare = program();
    await bare.p.parseAsync(['node', 'soc2-evidence', 'verify', copy(byCollector), '--trust', trust]);
    expect(bare.lines[0]).toBe(HOLDS_ONLY_IAM_MFA);
    expect(process.exitCode).toBe(4);

    const asked = program();
    await asked.p.parseAsync([
      'node',
      'soc2-evidence',
      'verify',
      copy(byCollector),
      '--trust',
      trust,
      '--from',
      '2026-01-01',
      '--to',
      '2026-01-05',
      '--collector',
      'iam-mfa',
    ]);
    expect(asked.lines).not.toContain(PERIOD_NOT_CHECKED);
    expect(asked.lines.at(-1)).toMatch(/^verified: /);
    expect(process.exitCode).toBe(0);
  });

  it("checks --from, --collector and --account as pull does, with pull's messages", async () => {
    for (const [args, message] of [
      [
        ['--from', '2026-13-01'],
        "option '--from <date>' argument '2026-13-01' is invalid. month 13 does not exist (expected YYYY-MM-DD, month 01-12)",
      ],
      [['--collector', 'nope'], `argument 'nope' is invalid. unknown collector "nope"; known: `],
      [
        ['--account', '1234'],
        `option '--account <id>' argument '1234' is invalid. expected a 12-digit account id, got "1234"`,
      ],
    ] as const) {
      const { p, errors } = program();
      await expect(
        p.parseAsync(['node', 'soc2-evidence', 'verify', byCollector, '--trust', trust, ...args]),
      ).rejects.toThrow();
      expect(errors.join('')).toContain(message);
    }
  });

  it('documents the options in --help', async () => {
    const { p, lines } = program();
    await expect(p.parseAsync(['node', 'soc2-evidence', 'verify', '--help'])).rejects.toThrow();
    const help = lines.join('');
    for (const option of ['--from <date>', '--to <date>', '--collector <id>', '--account <id>'])
      expect(help).toContain(option);
    expect(help.replace(/\s+/g, ' ')).toContain('without them the period is not checked');
  });
});
