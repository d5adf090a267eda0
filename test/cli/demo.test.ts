/**
 * The demo, against the demo's sample account (cli/demo/sample-account.ts, cli/demo/sample-answers.ts).
 *
 * These tests pin the demo's data on purpose: the failures they expect (bob and erin, console users without
 * MFA), the errorless envelopes and the replayed history (dave's and root's MFA lapses, legacy-crm failing all
 * fortnight) are what the shipped sample account produces. If
 * you edit the sample account, as the README invites, update the expectations here with it. Two other
 * tests run against it and say so in their names (least-privilege.test.ts, collectors/checks.test.ts); the
 * collectors' logic tests build their own fixtures.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  verifiedAsStaged,
  DEMO_MARKER,
  demoTable,
  runDemo,
  TRUST_FILE,
  type DemoResult,
} from '../../cli/demo';
import { buildProgram } from '../../cli/main';
import type { Manifest } from '../../cli/package/manifest';
import { verify } from '../../cli/verify';
import { SAMPLE_USERS } from '../../cli/demo/sample-account';
import { escapeHtml } from '../../lambdas/collectors/access-review/render';
import { COLLECTORS } from '../../lambdas/collectors/registry';
import type { Envelope } from '../../lambdas/evidence/envelope';
import { digestKey, digestSha256, type Digest } from '../../lambdas/evidence/digest';
import { SAMPLE_ACCOUNT_ID } from '../../cli/demo/sample-account';
import { expectValidEnvelope } from '../helpers/envelope-schema';

const NOW = new Date('2026-11-23T06:00:00Z');

let out: string;
let result: DemoResult;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'soc2-demo-'));
  result = await runDemo(out, NOW);
});

/** Every file under `dir`/evidence, relative to `dir`, with forward slashes. */
function evidenceFiles(dir: string): string[] {
  return readdirSync(join(dir, 'evidence'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) =>
      join(e.parentPath, e.name)
        .slice(dir.length + 1)
        .split('\\')
        .join('/'),
    )
    .sort();
}

/** Decodes a quoted-printable body (RFC 2045 6.7): soft line breaks, then =XX bytes. */
function quotedPrintable(text: string): string {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined[i] === '=' ? /^[0-9A-F]{2}/.exec(joined.slice(i + 1, i + 3)) : null;
    if (hex) {
      bytes.push(parseInt(hex[0], 16));
      i += 2;
    } else bytes.push(...Buffer.from(joined[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The body of the MIME part whose headers contain `marker`, up to the next boundary line. */
function part(eml: string, marker: string): string {
  const start = eml.indexOf(marker);
  expect(start).toBeGreaterThan(-1);
  const body = eml.indexOf('\r\n\r\n', start) + 4;
  return eml.slice(body, eml.indexOf('\r\n----_', body));
}

describe("demo, against the demo's sample account", () => {
  it('runs every collector offline against the sample account today and prints a table that fits 120 columns', () => {
    expect(result.results.map((r) => r.envelope.collector)).toEqual(COLLECTORS.map((c) => c.id));
    for (const r of result.results) {
      const envelope = JSON.parse(readFileSync(r.envelopeObject.location, 'utf8')) as Envelope;
      expectValidEnvelope(envelope);
      expect(envelope.errors).toEqual([]);
      expect(envelope.collectedAt).toBe(NOW.toISOString());
    }
    const table = demoTable(result);
    const head = table.findIndex((l) => l.startsWith('collector'));
    expect(table[head]).toMatch(/^collector\s+status\s+passed\s+failed\s+warnings\s+files/);
    const rows = table.slice(head, head + 2 + COLLECTORS.length);
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(120);
    // Each row names the day folder's envelope and sources by a glob that matches the written files.
    const iam = rows.find((r) => r.startsWith('iam-mfa'))!;
    const glob = /(iam-mfa\/123456789012\/global\/\d{6}Z-[0-9a-f]{8})\*$/.exec(iam)![1]!;
    const key = result.results[0]!.envelopeObject.key;
    expect(key).toContain(glob);
    const text = table.join('\n');
    expect(text).toContain(`files under ${join(out, 'evidence', '2026', '11', '23')}`);
    expect(text).toContain(result.email.html);
    expect(text).toContain(result.auditorPackage.index);
    expect(text).toContain('No run at all on 2026-11-19');
    expect(text).toContain(
      `  14 daily digests under ${join(out, 'digests')}, written by the real sealer at 00:30 UTC after each day`,
    );
    expect(text).toMatch(
      /\n {2}\d+ objects \(14 of them daily digests\), 0 with integrity problems, \d+ gaps \(pull exit code 3: gaps\)/,
    );
  });

  it('seals every day of the period with the real sealer, the gap day and today included, in one chain', () => {
    expect(result.history.digests).toBe(14);
    let previous: Digest['previous'] = null;
    for (
      let d = Date.parse('2026-11-10T00:00:00Z');
      d <= Date.parse('2026-11-23T00:00:00Z');
      d += 86_400_000
    ) {
      const date = new Date(d).toISOString().slice(0, 10);
      const digest = JSON.parse(
        readFileSync(join(out, digestKey(date, SAMPLE_ACCOUNT_ID)), 'utf8'),
      ) as Digest;
      expect(digest.previous).toEqual(previous);
      // Sealed at 00:30Z after its day, listing every object of the day on time (none on the gap day).
      const next = new Date(d + 86_400_000).toISOString().slice(0, 10);
      expect(digest.sealedAt).toBe(`${next}T00:30:00.000Z`);
      expect(digest.objects.some((o) => o.late)).toBe(false);
      if (date === '2026-11-19') expect(digest.objects).toEqual([]);
      else expect(digest.objects.length).toBeGreaterThan(0);
      previous = { key: digestKey(date, SAMPLE_ACCOUNT_ID), sha256: digestSha256(digest), date };
    }
    const manifest = JSON.parse(
      readFileSync(join(result.auditorPackage.dir, 'manifest.json'), 'utf8'),
    ) as Manifest;
    expect(manifest.objects.filter((o) => o.kind === 'digest')).toHaveLength(14);
    for (const o of manifest.objects.filter((x) => x.kind !== 'digest'))
      expect(o.checks.custody).toBe('sealed');
  });

  it('shows the sample account problems as failures', () => {
    const mfa = result.results.find((r) => r.envelope.collector === 'iam-mfa')!.envelope;
    expect(mfa.findings.filter((f) => f.status === 'FAIL').map((f) => f.detail.user)).toEqual([
      'bob',
      'erin',
    ]);
  });

  it("tells the fortnight's story: one MFA lapse fixed in time, one fixed late, one failure all along", () => {
    const manifest = JSON.parse(
      readFileSync(join(result.auditorPackage.dir, 'manifest.json'), 'utf8'),
    ) as Manifest;
    /** Each run's status of (collector, check, resource), as [date, status] in date order. */
    const statuses = (collector: string, check: string, resource: string): string[] =>
      manifest.objects
        .filter((o) => o.kind === 'envelope' && o.collector === collector)
        .map((o) => JSON.parse(readFileSync(join(result.auditorPackage.dir, o.key), 'utf8')) as Envelope)
        .flatMap((e) =>
          e.findings
            .filter((f) => f.check === check && f.resource === resource)
            .map((f) => `${e.collectedAt.slice(5, 10)} ${f.status}`),
        )
        .sort();
    const days = (from: number, to: number, status: string) =>
      Array.from({ length: to - from + 1 }, (_, i) => `11-${from + i} ${status}`);
    // dave had no MFA device from 12 days before today (2026-11-11) until he registered one 9 days before.
    expect(statuses('iam-mfa', 'console-mfa', `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:user/dave`)).toEqual([
      '11-10 PASS',
      ...days(11, 13, 'FAIL'),
      ...days(14, 18, 'PASS'),
      ...days(20, 23, 'PASS'),
    ]);
    // Root went without MFA from 12 days before today until 3 days before; the gap day (11-19) has no run.
    expect(statuses('iam-mfa', 'root-mfa', `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:root`)).toEqual([
      '11-10 PASS',
      ...days(11, 18, 'FAIL'),
      ...days(20, 23, 'PASS'),
    ]);
    // The exception to accept: legacy-crm's storage fails on every weekly run.
    expect(
      statuses(
        'encryption',
        'rds-storage-encrypted',
        `arn:aws:rds:us-east-1:${SAMPLE_ACCOUNT_ID}:db:legacy-crm`,
      ),
    ).toEqual(['11-16 FAIL', '11-23 FAIL']);
  });

  it('puts the period report in the package: one exception within its SLA, root MFA lapse past it, one accepted', () => {
    const dir = result.auditorPackage.dir;
    const rows = readFileSync(join(dir, 'exceptions.csv'), 'utf8')
      .trim()
      .split('\r\n')
      .map((line) => line.slice(1, -1).split('","'));
    const [head, ...body] = rows;
    const col = (name: string) => head!.indexOf(name);
    const row = (check: string, resource: string) =>
      body.find((r) => r[col('check')] === check && r[col('resource')] === resource);
    const dave = row('console-mfa', `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:user/dave`);
    expect([dave?.[col('first_failing_day')], dave?.[col('resolved_day')]]).toEqual([
      '2026-11-11',
      '2026-11-14',
    ]);
    expect([dave?.[col('state')], dave?.[col('sla_verdict')]]).toEqual(['remediated', 'within']);
    const root = row('root-mfa', `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:root`);
    // Eight failing runs, the gap day unknown (never passing): resolved after 9 days against a 7-day SLA.
    expect(root?.slice(col('failing_days'), col('sla_verdict') + 1)).toEqual([
      '8',
      '1',
      '9',
      '7',
      '2026-11-18',
      'breached',
    ]);
    const crm = row('rds-storage-encrypted', `arn:aws:rds:us-east-1:${SAMPLE_ACCOUNT_ID}:db:legacy-crm`);
    expect([crm?.[col('state')], crm?.[col('sla_verdict')], crm?.[col('accepted_owner')]]).toEqual([
      'accepted',
      'accepted',
      'security-lead@example.com',
    ]);
    expect(crm?.[col('acceptance_evidence')]).toMatch(
      /^evidence\/2026\/11\/13\/risk-acceptance\/123456789012\/global\/.+\.json$/,
    );
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    // Past SLA: root's MFA lapse (remediated late) and the three public-access criticals open all fortnight.
    expect(manifest.periodReport).toMatchObject({ slaBreaches: 4, accepted: 1 });
    expect(manifest.periodReport.exceptions).toBe(body.length);
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(html).toContain('<section id="period-report">');
    const oscal = JSON.parse(readFileSync(join(dir, 'oscal-assessment-results.json'), 'utf8')) as {
      'assessment-results': { results: { risks?: { status: string }[] }[] };
    };
    const risks = oscal['assessment-results'].results[0]!.risks ?? [];
    expect(risks.filter((r) => r.status === 'deviation-approved')).toHaveLength(1);
    expect(readFileSync(join(dir, 'SHA256SUMS'), 'utf8')).toMatch(
      /^[0-9a-f]{64} {2}oscal-assessment-results\.json$/m,
    );
  });

  it('replays 14 days of schedule with one day left out', () => {
    expect(result.history).toMatchObject({ from: '2026-11-10', to: '2026-11-23', gapDate: '2026-11-19' });
    const manifest = JSON.parse(
      readFileSync(join(result.auditorPackage.dir, 'manifest.json'), 'utf8'),
    ) as Manifest;
    const envelopes = manifest.objects.filter((o) => o.kind === 'envelope');
    const days = (collector: string) => envelopes.filter((e) => e.collector === collector).map((e) => e.date);
    // Daily: every day but the gap. Weekly (Mondays, 2026-11-16 and 2026-11-23): once a week plus today.
    expect(days('iam-mfa')).toHaveLength(13);
    expect(days('iam-mfa')).not.toContain('2026-11-19');
    expect(days('encryption').sort()).toEqual(['2026-11-16', '2026-11-23']);
    expect(days('access-review')).toEqual(['2026-11-23']);
    expect(days('access-review-email')).toEqual(['2026-11-23']);
    const gaps = manifest.coverage.flatMap((c) => c.gaps);
    expect(gaps.length).toBeGreaterThan(0);
    expect(new Set(gaps.map((g) => g.date))).toEqual(new Set(['2026-11-19']));
    expect(gaps.map((g) => g.collector).sort()).toEqual(
      COLLECTORS.filter((c) => c.frequency === 'daily')
        .map((c) => c.id)
        .sort(),
    );
    expect(result.auditorPackage.pullExitCode).toBe(3);
    expect(manifest.summary.integrityProblems).toBe(0);
    for (const o of manifest.objects) {
      expect(o.checks).toMatchObject({ digest: 'ok', signature: 'valid', retention: 'ok' });
      expect(o.objectLock.mode).toBe('COMPLIANCE');
    }
  });

  it('writes the access review email, rendered and as the raw message, without sending it', () => {
    for (const path of [result.email.html, result.email.eml, result.email.csv])
      expect(existsSync(path)).toBe(true);
    const html = readFileSync(result.email.html, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('SOC 2 access review 2026-Q4');
    for (const u of SAMPLE_USERS) expect(html).toContain(`<td>${escapeHtml(u.name)}</td>`);
    const eml = readFileSync(result.email.eml, 'latin1');
    expect(eml).toMatch(/^From: soc2-evidence@example\.com\r\nTo: security@example\.com\r\n/);
    // The HTML part of the message is the very file written beside it.
    expect(quotedPrintable(part(eml, 'Content-Type: text/html')).replace(/\r\n/g, '\n')).toBe(html);
    const attached = Buffer.from(part(eml, 'filename=access-review-2026-Q4.csv'), 'base64').toString('utf8');
    const csv = readFileSync(result.email.csv, 'utf8');
    expect(attached).toBe(csv);
    for (const u of SAMPLE_USERS) expect(csv).toContain(`"user","${u.name}",`);
    // The dry run is recorded as evidence, the same as `review send --dry-run`.
    const email = JSON.parse(
      readFileSync(
        join(
          result.auditorPackage.dir,
          (
            JSON.parse(readFileSync(join(result.auditorPackage.dir, 'manifest.json'), 'utf8')) as Manifest
          ).objects.find((o) => o.collector === 'access-review-email' && o.kind === 'envelope')!.key,
        ),
        'utf8',
      ),
    ) as Envelope;
    expect(email.findings[0]).toMatchObject({ check: 'review-email-sent', status: 'INFO' });
    expect(email.findings[0]!.detail).toMatchObject({ dryRun: true, sesMessageId: null });
  });

  it('produces an auditor package that `soc2-evidence verify` accepts, and rejects once tampered', async () => {
    expect(existsSync(result.auditorPackage.index)).toBe(true);
    const index = readFileSync(result.auditorPackage.index, 'utf8');
    expect(index).toContain('SOC 2 evidence, 2026-11-10 to 2026-11-23');
    expect(index).not.toMatch(/<script/i);
    // pull read the findings out of the envelopes: every demo run FAILed, and the page says so.
    expect(index).toMatch(/<td class="s-fail" title="iam-mfa 2026-11-1\d: fail \(expected\)/);
    expect(index).not.toMatch(/class="s-pass" title="iam-mfa/);
    expect(index).toMatch(
      /<code>arn:aws:iam::123456789012:user\/bob<\/code><\/td><td>123456789012<\/td><td class="bad">✗ FAIL<\/td><td class="day">2026-11-10<\/td>/,
    );

    const lines: string[] = [];
    await buildProgram((l) => lines.push(l)).parseAsync([
      'node',
      'soc2-evidence',
      'verify',
      result.auditorPackage.dir,
      '--trust',
      join(out, TRUST_FILE),
    ]);
    // The demo leaves one day out on purpose: verify proves everything else and exits 3 for that gap alone.
    expect(process.exitCode).toBe(3);
    expect(lines.join('\n')).toMatch(
      new RegExp(
        `^verified with gaps: 0 integrity problem\\(s\\), 0 unsealed day\\(s\\) or late object\\(s\\), ${COLLECTORS.filter((c) => c.frequency === 'daily').length} gap\\(s\\)`,
        'm',
      ),
    );
    expect(lines.filter((l) => l.startsWith('gap ')).map((l) => l.split(' ')[1])).toEqual(
      COLLECTORS.filter((c) => c.frequency === 'daily')
        .map((c) => c.id)
        .sort(),
    );
    expect(verifiedAsStaged(result)).toBe(true);

    const manifest = JSON.parse(
      readFileSync(join(result.auditorPackage.dir, 'manifest.json'), 'utf8'),
    ) as Manifest;
    const victim = join(result.auditorPackage.dir, manifest.objects[0]!.key);
    chmodSync(victim, 0o644);
    writeFileSync(victim, `${readFileSync(victim, 'utf8')} `);
    expect(await verify(result.auditorPackage.dir, { trust: join(out, TRUST_FILE) }, () => undefined)).toBe(
      4,
    );
    process.exitCode = 0;
  });

  it('replaces its own earlier output on a second run into the same directory, after saying so', async () => {
    const before = evidenceFiles(out);
    expect(before.length).toBe(result.history.objects);
    writeFileSync(join(out, 'my-notes.txt'), "not the demo's");
    const notices: string[] = [];
    const again = await runDemo(out, new Date('2026-11-24T06:00:00Z'), {
      days: 3,
      gapDaysAgo: null,
      notice: (line) => notices.push(line),
    });
    expect(notices).toEqual([`--out ${out} holds an earlier demo run: removing it before writing this one`]);
    expect(again.auditorPackage.verifyExitCode).toBe(0);
    expect(again.auditorPackage.pullExitCode).toBe(0);
    expect(again.history).not.toHaveProperty('gapDate');
    // Only this run's objects are on disk: none of the first run's 14 days is left beside them.
    const after = evidenceFiles(out);
    expect(after.length).toBe(again.history.objects);
    expect(after.every((f) => /^evidence\/2026\/11\/2[234]\//.test(f))).toBe(true);
    expect(after.filter((f) => before.includes(f))).toEqual([]);
    // What the user put beside the demo's output is not the demo's to delete.
    expect(readFileSync(join(out, 'my-notes.txt'), 'utf8')).toBe("not the demo's");
    expect(existsSync(join(out, DEMO_MARKER))).toBe(true);
  });

  it('refuses a collectors list without the access review or with an unknown id', async () => {
    const other = mkdtempSync(join(tmpdir(), 'soc2-demo-'));
    await expect(runDemo(other, NOW, { days: 1, collectors: ['iam-mfa'] })).rejects.toThrow(
      /include access-review, whose email the demo renders$/,
    );
    await expect(runDemo(other, NOW, { days: 1, collectors: ['access-review', 'iam-mfaa'] })).rejects.toThrow(
      /; unknown: iam-mfaa$/,
    );
  });

  it('refuses a non-empty directory it did not write, naming --out, and deletes nothing', async () => {
    const other = mkdtempSync(join(tmpdir(), 'soc2-demo-'));
    const mine = join(other, 'auditor-package');
    mkdirSync(mine);
    writeFileSync(join(mine, 'notes.txt'), 'keep me');
    writeFileSync(join(other, 'report.docx'), 'keep me too');
    await expect(runDemo(other, NOW, { days: 1 })).rejects.toThrow(
      `--out ${other} is not empty and holds no earlier demo output (no ${DEMO_MARKER}): ` +
        'give a new or empty directory; the demo does not delete what it did not write',
    );
    expect(readFileSync(join(mine, 'notes.txt'), 'utf8')).toBe('keep me');
    expect(readFileSync(join(other, 'report.docx'), 'utf8')).toBe('keep me too');
    expect(existsSync(join(other, DEMO_MARKER))).toBe(false);
  });

  it('writes into an empty existing directory', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'soc2-demo-'));
    const notices: string[] = [];
    const run = await runDemo(empty, NOW, { days: 1, notice: (l) => notices.push(l) });
    expect(notices).toEqual([]);
    expect(run.auditorPackage.verifyExitCode).toBe(0);
  });
});
