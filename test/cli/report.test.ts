/**
 * `soc2-evidence report`: the period report for a security lead, from a sealed bucket (the same fixture as
 * pull's tests: iam-mfa every day of January, alice's console MFA failing all month).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { report } from '../../cli/report';
import { SEALER_PRODUCER } from '../../lambdas/evidence/producers';
import { ACCOUNT, BUCKET, serveBucket } from './evidence-bucket-fixture';
import { producerBucket, runDays, seal, writeTrustFile } from './sealed-bucket-fixture';
import { buildProgram } from '../../cli/main';
import { pull } from '../../cli/pull';
import { verify } from '../../cli/verify';
import { LocalSigner } from '../../lambdas/evidence/signer';
import { RISK_REGISTER_PRODUCER } from '../../lambdas/evidence/risk-acceptance';
import { recordDecision } from '../../lambdas/risk-register/record';

const tmp = () => mkdtempSync(join(tmpdir(), 'soc2-report-'));

/** iam-mfa every day of January, sealed; with `accept`, alice's missing MFA accepted on 10 January. */
async function buildJanuary(accept: boolean) {
  const { bucket, clock, signers } = producerBucket();
  await runDays(bucket, clock, '2026-01-01', '2026-01-31');
  if (accept) {
    // The security lead accepts alice's missing MFA on 10 January, signed with the register's own key.
    signers.set(RISK_REGISTER_PRODUCER, LocalSigner.generate('arn:aws:kms:us-east-1:123456789012:key/risk'));
    clock.at = new Date('2026-01-10T15:00:00Z');
    await recordDecision({
      store: bucket,
      account: ACCOUNT,
      decision: {
        action: 'accept',
        check: 'console-mfa',
        resource: 'arn:aws:iam::123456789012:user/alice',
        owner: 'security-lead@example.com',
        reason: 'hardware key on order',
        expires: '2026-06-30',
        recordedBy: {
          arn: 'arn:aws:sts::123456789012:assumed-role/SecurityLead/lead',
          proof: 'sts-get-caller-identity',
        },
      },
      now: clock.at,
      runId: 'accept-alice',
    });
  }
  await seal(bucket, clock, '2026-02-01T00:30:00Z', signers.get(SEALER_PRODUCER)!);
  return { bucket, trust: writeTrustFile(tmp(), signers) };
}

/**
 * The sealed January of `buildJanuary`, built once per `accept` for the whole file (on first use: pull and
 * report only read the bucket), each caller served it by a client of its own.
 */
const januaries = new Map<boolean, ReturnType<typeof buildJanuary>>();
async function sealedJanuary(accept = false) {
  if (!januaries.has(accept)) januaries.set(accept, buildJanuary(accept));
  const { bucket, trust } = await januaries.get(accept)!;
  return { s3: serveBucket(bucket).s3, trust };
}

async function run(sla?: Record<string, number>) {
  const { s3, trust } = await sealedJanuary();
  const out = join(tmp(), 'r');
  const lines: string[] = [];
  const code = await report(
    {
      bucket: BUCKET,
      from: '2026-01-01',
      to: '2026-01-31',
      collector: ['iam-mfa'],
      trust,
      out,
      ...(sla ? { sla } : {}),
    },
    { s3, out: (l) => lines.push(l), now: () => new Date('2026-02-02T00:00:00Z') },
  );
  return { code, lines, out };
}

describe('soc2-evidence report', () => {
  it("prints each control's statement and the exception past its SLA, and writes the report files", async () => {
    const { code, lines, out } = await run();
    expect(code).toBe(0);
    const start = lines.findIndex((l) => l.startsWith('Period report 2026-01-01 to 2026-01-31'));
    expect(lines[start]).toBe(
      'Period report 2026-01-01 to 2026-01-31 (remediation SLA critical=7,high=30,medium=90), from 31 verified runs:',
    );
    expect(lines).toContain(
      '  CC6.1: 31 of 31 days covered by verified evidence; failures on 31 days; 1 exception: 1 past SLA.',
    );
    expect(lines).toContain('Past their remediation SLA (1):');
    expect(lines.find((l) => l.includes('console-mfa account 123456789012'))).toMatch(
      /^ {2}high console-mfa account 123456789012 arn:aws:iam::123456789012:user\/alice: failing since at least 2026-01-01, still open \(31 days\); SLA 30 days, due 2026-01-31: breached$/,
    );
    for (const file of ['exceptions.csv', 'oscal-assessment-results.json', 'index.html'])
      expect(existsSync(join(out, file))).toBe(true);
    expect(lines.at(-1)).toContain(`${join(out, 'index.html')}#period-report`);
  });

  it('judges by the SLA given: 60 days for high leaves the exception open within it', async () => {
    const { lines, out } = await run({ high: 60 });
    expect(lines).not.toContain('Past their remediation SLA (1):');
    expect(lines).toContain('Open, within SLA (1):');
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
      periodReport: { sla: unknown; slaBreaches: number };
    };
    expect(manifest.periodReport).toMatchObject({ sla: { high: 60 }, slaBreaches: 0 });
  });

  it('keeps acceptances in a package filtered by --collector, and verify requires them there', async () => {
    const { s3, trust } = await sealedJanuary(true);
    const out = join(tmp(), 'p');
    const options = { bucket: BUCKET, from: '2026-01-01', to: '2026-01-31', collector: ['iam-mfa'], trust };
    const lines: string[] = [];
    const code = await pull(
      { ...options, out },
      { s3, out: (l) => lines.push(l), now: () => new Date('2026-02-02T00:00:00Z') },
    );
    expect(code).toBe(0);
    expect(lines.find((l) => l.startsWith('period report'))).toContain('1 accepted');
    const verified: string[] = [];
    const exit = await verify(
      out,
      { trust, scope: { from: '2026-01-01', to: '2026-01-31', collector: ['iam-mfa'] } },
      (l) => verified.push(l),
    );
    expect(verified.at(-1)).toMatch(/^verified: /);
    expect(exit).toBe(0);
  });

  it('finds an acceptance recorded before the period through the look-back, and verify notices a revocation dropped with its day', async () => {
    /**
     * iam-mfa from 15 December to January's end; alice's MFA accepted on 20 December, revoked on the 28th if
     * `revoke`; with `unlocked`, S3 answers the revocation without its Object Lock (what pull's runner could
     * make it say).
     */
    const sealed = async (revoke: boolean, unlocked: boolean) => {
      const { bucket, clock, signers } = producerBucket();
      signers.set(
        RISK_REGISTER_PRODUCER,
        LocalSigner.generate('arn:aws:kms:us-east-1:123456789012:key/risk'),
      );
      await runDays(bucket, clock, '2025-12-15', '2026-01-31');
      const decide = async (at: string, action: 'accept' | 'revoke') => {
        clock.at = new Date(at);
        await recordDecision({
          store: bucket,
          account: ACCOUNT,
          decision: {
            action,
            check: 'console-mfa',
            resource: 'arn:aws:iam::123456789012:user/alice',
            owner: 'security-lead@example.com',
            reason: action === 'accept' ? 'hardware key on order' : 'no longer accepted',
            ...(action === 'accept' ? { expires: '2026-06-30' } : {}),
            recordedBy: {
              arn: 'arn:aws:sts::123456789012:assumed-role/SecurityLead/lead',
              proof: 'sts-get-caller-identity',
            },
          },
          now: clock.at,
          runId: action,
        });
      };
      await decide('2025-12-20T15:00:00Z', 'accept');
      // A key beside the acceptances that is no evidence: the look-back must leave it, as verify does.
      const planted = Buffer.from('not evidence\n');
      await bucket.put({
        key: 'evidence/2025/12/20/risk-acceptance/README.txt',
        body: planted,
        contentType: 'text/plain',
        sha256: createHash('sha256').update(planted).digest('hex'),
      });
      if (revoke) await decide('2025-12-28T15:00:00Z', 'revoke');
      await seal(bucket, clock, '2026-02-01T00:30:00Z', signers.get(SEALER_PRODUCER)!);
      if (unlocked)
        for (const key of bucket.objects.keys())
          if (key.startsWith('evidence/2025/12/28/risk-acceptance/'))
            bucket.alter(key, ({ retention: _lock, ...held }) => held);
      return { bucket, trust: writeTrustFile(tmp(), signers) };
    };
    // Each history is built once (on first use) and then only read: filtered and unfiltered pulls share one.
    const histories = new Map<string, ReturnType<typeof sealed>>();
    const history = async (revoke: boolean, unlocked = false, filtered = true) => {
      const which = JSON.stringify([revoke, unlocked]);
      if (!histories.has(which)) histories.set(which, sealed(revoke, unlocked));
      const { bucket, trust } = await histories.get(which)!;
      const out = join(tmp(), 'p');
      const lines: string[] = [];
      const code = await pull(
        {
          bucket: BUCKET,
          from: '2026-01-01',
          to: '2026-01-31',
          ...(filtered ? { collector: ['iam-mfa'] } : {}),
          trust,
          out,
        },
        {
          s3: serveBucket(bucket).s3,
          out: (l) => lines.push(l),
          now: () => new Date('2026-02-02T00:00:00Z'),
        },
      );
      return { code, out, trust, line: lines.find((l) => l.startsWith('period report'))! };
    };
    const scope = { from: '2026-01-01', to: '2026-01-31', collector: ['iam-mfa'] };

    const accepted = await history(false);
    expect(accepted.code).toBe(0);
    expect(accepted.line).toContain('1 accepted');
    expect(await verify(accepted.out, { trust: accepted.trust, scope }, () => undefined)).toBe(0);
    // Unfiltered, the planted key is still left out, and the package verifies (its gaps: the collectors this
    // history never ran).
    const unfiltered = await history(false, false, false);
    expect(existsSync(join(unfiltered.out, 'evidence/2025/12/20/risk-acceptance/README.txt'))).toBe(false);
    // The acceptance looked back for is no run of the period: no calendar row for it.
    expect(readFileSync(join(unfiltered.out, 'coverage.csv'), 'utf8')).not.toContain(',risk-acceptance,');
    const said: string[] = [];
    await verify(
      unfiltered.out,
      { trust: unfiltered.trust, scope: { from: '2026-01-01', to: '2026-01-31' } },
      (l) => said.push(l),
    );
    expect(said.at(-1)).toMatch(/^verified with gaps: 0 integrity problem/);

    const revoked = await history(true);
    expect(revoked.line).toContain('0 accepted');
    expect(await verify(revoked.out, { trust: revoked.trust, scope }, () => undefined)).toBe(0);
    // A revocation whose S3 answers fail a check (no Object Lock) still ends the acceptance: its bytes are
    // proven by its day's digest and its signature, and dropping it must not be that easy.
    const unlocked = await history(true, true);
    expect(unlocked.code).toBe(4);
    expect(unlocked.line).toContain('0 accepted');
    // The package's maker drops the revocation with its day's digest, to make the acceptance look in force.
    const revocation = readdirSync(
      join(revoked.out, 'evidence/2025/12/28/risk-acceptance/123456789012/global'),
    );
    for (const f of revocation)
      rmSync(join(revoked.out, 'evidence/2025/12/28/risk-acceptance/123456789012/global', f));
    rmSync(join(revoked.out, 'digests/2025/12/28/123456789012.json'));
    const lines: string[] = [];
    expect(await verify(revoked.out, { trust: revoked.trust, scope }, (l) => lines.push(l))).toBe(4);
    expect(lines).toContain(
      "digests/2025/12/28/123456789012.json: missing: the package holds the digests of account 123456789012 from 2025-12-15, before the period, so it must hold every day's to the period's first (a missing day could hide a revocation)",
    );
  });

  it('refuses a malformed --sla in one line naming it and the expected form', async () => {
    const errors: string[] = [];
    const program = buildProgram(() => undefined)
      .exitOverride()
      .configureOutput({ writeErr: (s) => errors.push(s), writeOut: () => undefined });
    for (const sub of program.commands)
      sub.exitOverride().configureOutput({ writeErr: (s) => errors.push(s) });
    await expect(
      program.parseAsync([
        'node',
        'soc2-evidence',
        'report',
        '--bucket',
        'b',
        '--from',
        '2026-01-01',
        '--to',
        '2026-01-31',
        '--sla',
        'urgent=3',
      ]),
    ).rejects.toThrow();
    expect(errors.join('')).toContain(
      "option '--sla <days>' argument 'urgent=3' is invalid. unknown severity \"urgent\": expected severity=days pairs such as critical=7,high=30,medium=90 (severities: critical, high, medium, low), or none",
    );
  });
});
