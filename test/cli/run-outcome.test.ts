/**
 * A failed check is never reported as less than FAIL (issue 17, item 6), from the manifest's records to the
 * calendar and coverage, for new envelopes (`summary.complete`) and for envelopes written before it (an old
 * PARTIAL with failed checks), and `verify` agrees with `pull` on all of it.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { statusText, summaryText } from '../../cli/collect';
import { summariseDay } from '../../cli/package/day-status';
import {
  recordedOutcome,
  runOutcomeOf,
  runStatusOf,
  type Manifest,
  type ManifestObject,
} from '../../cli/package/manifest';
import { pull } from '../../cli/pull';
import { coverageFor } from '../../cli/pull/coverage';
import { verify } from '../../cli/verify';
import type { EvidenceBucket } from '../../cli/demo/evidence-bucket';
import { draftEnvelope } from '../../lambdas/evidence/draft';
import type { ErrorEntry, Finding } from '../../lambdas/evidence/envelope';
import { SEALER_PRODUCER } from '../../lambdas/evidence/producers';
import { writeEvidence } from '../../lambdas/evidence/write-evidence';
import { expectValidEnvelope } from '../helpers/envelope-schema';
import { ACCOUNT, BUCKET, serveBucket } from './evidence-bucket-fixture';
import { producerBucket, runDays, seal, writeTrustFile } from './sealed-bucket-fixture';

describe('statusText: what collect, run and the demo print', () => {
  it.each([
    [{ status: 'FAIL', failed: 1, complete: false }, 'FAIL (incomplete)'],
    [{ status: 'FAIL', failed: 1, complete: true }, 'FAIL'],
    // A Lambda of an earlier release answers `run` with an old summary: its hidden failure is printed.
    [{ status: 'PARTIAL', failed: 2 }, 'FAIL (incomplete)'],
    [{ status: 'PARTIAL', failed: 0, complete: false }, 'PARTIAL'],
    [{ status: 'ERROR', failed: 0, complete: false }, 'ERROR'],
    [{ status: 'PASS', failed: 0, complete: true }, 'PASS'],
  ] as const)('%o is %s', (summary, text) => {
    expect(statusText(summary)).toBe(text);
  });

  it('leads the summary line', () => {
    expect(
      summaryText({
        status: 'FAIL',
        complete: false,
        evaluated: 4,
        passed: 3,
        failed: 1,
        warnings: 0,
        info: 0,
        figures: {},
      }),
    ).toBe('FAIL (incomplete) evaluated 4, passed 3, failed 1, warnings 0');
  });
});

describe('recordedOutcome: what the manifest records of a run', () => {
  it.each([
    ['a complete PASS: status only', { status: 'PASS', failed: 0, complete: true }, { status: 'PASS' }],
    ['a complete FAIL: status only', { status: 'FAIL', failed: 1, complete: true }, { status: 'FAIL' }],
    [
      'an incomplete FAIL',
      { status: 'FAIL', failed: 1, complete: false },
      { status: 'FAIL', complete: false },
    ],
    [
      'an old PARTIAL with failed checks: FAIL, incomplete',
      { status: 'PARTIAL', failed: 2 },
      { status: 'FAIL', complete: false },
    ],
    ['an old PARTIAL without', { status: 'PARTIAL', failed: 0 }, { status: 'PARTIAL', complete: false }],
    ['an old FAIL', { status: 'FAIL', failed: 1 }, { status: 'FAIL' }],
    ['an ERROR', { status: 'ERROR', failed: 0, complete: false }, { status: 'ERROR', complete: false }],
    ['an unknown status: ERROR', { status: 'MAYBE', failed: 0 }, { status: 'ERROR', complete: false }],
    ['no status: nothing recorded', { failed: 1 }, {}],
    ['no summary: nothing recorded', undefined, {}],
  ] as const)('%s', (_name, summary, recorded) => {
    expect(recordedOutcome(summary)).toEqual(recorded);
  });

  it('is read back as the run outcome it recorded', () => {
    expect(runOutcomeOf({ status: 'FAIL', complete: false })).toEqual({ status: 'FAIL', complete: false });
    expect(runOutcomeOf({ status: 'FAIL' })).toEqual({ status: 'FAIL', complete: true });
    // A manifest written before the field existed: its PARTIAL stays incomplete, its status unknown is ERROR.
    expect(runOutcomeOf({ status: 'PARTIAL' })).toEqual({ status: 'PARTIAL', complete: false });
    expect(runStatusOf({})).toBe('ERROR');
  });
});

describe('summariseDay: a failing day stays fail and says when it was incomplete', () => {
  const k = (scope: string, time: string) => `evidence/2026/01/02/tls/1/${scope}/${time}Z-r.json`;

  it('shows an incomplete FAIL as fail, not complete', () => {
    expect(summariseDay([{ key: k('global', '060000'), status: 'FAIL', complete: false }])).toEqual({
      result: 'fail',
      complete: false,
      key: k('global', '060000'),
      runs: { FAIL: 1 },
    });
  });

  it('says incomplete when another counted scope could not judge everything', () => {
    const day = summariseDay([
      { key: k('us-east-1', '060000'), status: 'FAIL', complete: true },
      { key: k('eu-west-1', '060000'), status: 'PARTIAL', complete: false },
    ]);
    expect(day).toMatchObject({ result: 'fail', complete: false, key: k('us-east-1', '060000') });
  });

  it('is complete when the counted runs were, and a later complete PASS still decides the scope', () => {
    expect(summariseDay([{ key: k('global', '060000'), status: 'FAIL', complete: true }])).toMatchObject({
      result: 'fail',
      complete: true,
    });
    expect(
      summariseDay([
        { key: k('global', '060000'), status: 'FAIL', complete: false },
        { key: k('global', '070000'), status: 'PASS', complete: true },
      ]),
    ).toMatchObject({ result: 'pass', complete: true, key: k('global', '070000') });
  });

  it('never shows an incomplete PASS as pass', () => {
    expect(summariseDay([{ key: k('global', '060000'), status: 'PASS', complete: false }])).toMatchObject({
      result: 'partial',
      complete: false,
    });
  });
});

describe('coverageFor: a day is covered only by a run that judged its whole scope', () => {
  const record = (date: string, extra: Partial<ManifestObject>): ManifestObject => ({
    key: `evidence/${date.replaceAll('-', '/')}/iam-mfa/${ACCOUNT}/global/060003Z-run-${date}.json`,
    bytes: 10,
    sha256: 'a'.repeat(64),
    objectLock: {},
    kind: 'envelope',
    collector: 'iam-mfa',
    account: ACCOUNT,
    date,
    schedule: { expression: 'cron(0 6 * * ? *)', timeZone: 'UTC' },
    checks: {
      digest: 'ok',
      s3Checksum: 'ok',
      metadataSha256: 'ok',
      signature: 'valid',
      envelope: 'ok',
      custody: 'sealed',
      retention: 'ok',
    },
    problems: [],
    ...extra,
  });

  it('counts an incomplete FAIL as partial, a complete FAIL as present, and ERROR alone as a gap', () => {
    const { sections, reports } = coverageFor(
      { from: '2026-01-01', to: '2026-01-04', collector: ['iam-mfa'] },
      [
        record('2026-01-01', { status: 'FAIL', complete: false }),
        record('2026-01-02', { status: 'FAIL' }),
        // A manifest written before `complete`: its PARTIAL was never complete.
        record('2026-01-03', { status: 'PARTIAL' }),
        record('2026-01-04', { status: 'ERROR', complete: false }),
      ],
    );
    expect(reports[0]!.report.cells.map((c) => `${c.date} ${c.status}`)).toEqual([
      '2026-01-01 partial',
      '2026-01-02 present',
      '2026-01-03 partial',
      '2026-01-04 failed',
    ]);
    expect(sections[0]!.partial.map((p) => p.date)).toEqual(['2026-01-01', '2026-01-03']);
    expect(sections[0]!.gaps.map((g) => g.date)).toEqual(['2026-01-04']);
  });
});

describe('pull and verify of incomplete failing runs, new and old', () => {
  const tmp = (name: string) => mkdtempSync(join(tmpdir(), `soc2-outcome-${name}-`));
  const failing: Finding = {
    resource: 'arn:aws:iam::123456789012:user/alice',
    check: 'console-mfa',
    status: 'FAIL',
    detail: {},
  };
  const throttled: ErrorEntry = {
    region: 'global',
    api: 'iam:ListMFADevices',
    code: 'Throttling',
    message: 'Rate exceeded',
  };

  /** An iam-mfa run on `date` with a failed check and an error entry; `old`: as written before `complete`. */
  async function writeIncomplete(bucket: EvidenceBucket, clock: { at: Date }, date: string, old: boolean) {
    clock.at = new Date(`${date}T06:00:05Z`);
    const draft = draftEnvelope({
      collector: 'iam-mfa',
      controls: ['CC6.1', 'CC6.6'],
      account: ACCOUNT,
      region: 'global',
      collectedAt: new Date(`${date}T06:00:03.120Z`),
      schedule: { expression: 'cron(0 6 * * ? *)', timeZone: 'UTC' },
      policy: {},
      findings: [failing],
      errors: [throttled],
      runId: `run-${date}`,
      invocationId: 'test',
    });
    const { complete: _complete, ...before } = draft.summary;
    const written = await writeEvidence(
      bucket,
      old ? { ...draft, summary: { ...before, status: 'PARTIAL' } } : draft,
      [],
      `run-${date}`,
    );
    expectValidEnvelope(written.envelope);
    return written.envelope;
  }

  let out: string;
  let manifest: Manifest;
  let trust: string;
  let pullCode: number;

  beforeAll(async () => {
    const { bucket, clock, signers } = producerBucket();
    await runDays(bucket, clock, '2026-01-01', '2026-01-01');
    const fresh = await writeIncomplete(bucket, clock, '2026-01-02', false);
    const old = await writeIncomplete(bucket, clock, '2026-01-03', true);
    expect(fresh.summary).toMatchObject({ status: 'FAIL', complete: false });
    expect(old.summary.status).toBe('PARTIAL');
    expect('complete' in old.summary).toBe(false);
    await seal(bucket, clock, '2026-01-04T00:30:00Z', signers.get(SEALER_PRODUCER)!);
    trust = writeTrustFile(tmp('trust'), signers);
    out = tmp('package');
    pullCode = await pull(
      { bucket: BUCKET, from: '2026-01-01', to: '2026-01-03', out, collector: ['iam-mfa'], trust },
      { s3: serveBucket(bucket).s3, out: () => undefined, now: () => new Date('2026-01-04T09:00:00Z') },
    );
    manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
  });

  const envelopeOn = (date: string) =>
    manifest.objects.find((o) => o.kind === 'envelope' && o.date === date)!;

  it('records both as FAIL, incomplete, and a complete run without the field', () => {
    expect(pullCode).toBe(0);
    expect(envelopeOn('2026-01-01')).toMatchObject({ status: 'FAIL' });
    expect('complete' in envelopeOn('2026-01-01')).toBe(false);
    expect(envelopeOn('2026-01-02')).toMatchObject({ status: 'FAIL', complete: false });
    expect(envelopeOn('2026-01-03')).toMatchObject({ status: 'FAIL', complete: false });
  });

  it('shows them failing in the calendar with the incomplete marker, and partial in coverage', () => {
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toMatch(
      /<td class="s-fail" title="iam-mfa 2026-01-01: fail \(expected\)[^"]*"><a [^>]*>✗<\/a>/,
    );
    for (const day of ['02', '03'])
      expect(html).toMatch(
        new RegExp(
          `<td class="s-fail incomplete" title="iam-mfa 2026-01-${day}: fail \\(incomplete\\) \\(expected\\), 1 run\\(s\\): 1 FAIL"><a [^>]*>✗◐</a>`,
        ),
      );
    expect(html).toContain('fail, incomplete:');
    const csv = readFileSync(join(out, 'coverage.csv'), 'utf8');
    expect(csv).toContain(`${ACCOUNT},iam-mfa,2026-01-01,true,present,1\n`);
    expect(csv).toContain(`${ACCOUNT},iam-mfa,2026-01-02,true,partial,1\n`);
    expect(csv).toContain(`${ACCOUNT},iam-mfa,2026-01-03,true,partial,1\n`);
  });

  it('verify agrees: exit 0 on the untouched package', async () => {
    const lines: string[] = [];
    expect(await verify(out, { trust }, (l) => lines.push(l))).toBe(0);
  });

  /** verify's lines on a copy of the package whose manifest record of `date`'s envelope was edited. */
  async function verifyEdited(date: string, edit: (o: ManifestObject) => ManifestObject) {
    const dir = tmp('edited');
    cpSync(out, dir, { recursive: true });
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    const key = envelopeOn(date).key;
    const objects = m.objects.map((o) => (o.key === key ? edit(o) : o));
    writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify({ ...m, objects }, null, 2)}\n`);
    const lines: string[] = [];
    const code = await verify(dir, { trust }, (l) => lines.push(l));
    return { code, lines, key };
  }

  it.each([
    ['an incomplete run recorded as complete', '2026-01-02', ({ complete: _c, ...o }: ManifestObject) => o],
    [
      'a complete run recorded as incomplete',
      '2026-01-01',
      (o: ManifestObject) => ({ ...o, complete: false as const }),
    ],
  ])('verify names a manifest record whose completeness was edited: %s', async (_name, date, edit) => {
    const { code, lines, key } = await verifyEdited(date, edit);
    expect(code).toBe(4);
    expect(lines).toContainEqual(
      expect.stringContaining(
        `its record of ${key} differs from pull's judgement made again from the bytes (complete)`,
      ),
    );
  });
});
