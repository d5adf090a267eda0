import { s3Reader } from '../../lambdas/evidence/read-store';
import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type ListObjectsV2CommandInput,
} from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { Envelope, RunStatus } from '../../lambdas/evidence/envelope';
import { envelopeKey, sourceKey } from '../../lambdas/evidence/keys';
import { handler } from '../../lambdas/handlers/watchdog';
import {
  coverageMetricsLine,
  judgedWindow,
  runWatchdog,
  type WatchdogContext,
} from '../../lambdas/watchdog/watchdog';
import type { EvidenceObject, EvidenceStore, StoredObject } from '../../lambdas/evidence/store';
import { expectValidEnvelope } from '../helpers/envelope-schema';

const ACCOUNT = '123456789012';
const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const DAY = 86_400_000;

const SCHEDULES = {
  'iam-mfa': { expression: 'cron(0 6 * * ? *)', timeZone: 'UTC' },
  backups: { expression: 'cron(0 6 * * ? *)', timeZone: 'Europe/Paris' },
  encryption: { expression: 'cron(0 6 ? * MON *)', timeZone: 'UTC' },
};

interface Stored {
  readonly key: string;
  readonly status: RunStatus;
}

/**
 * A week of evidence before `now` (UTC days 7..1 ago): iam-mfa daily but missing 4 days ago and ERROR 3
 * days ago; backups daily, PARTIAL 2 days ago; encryption on Mondays, plus an off-schedule run. Also
 * sources, another account's evidence and a collector not scheduled, all of which must be ignored.
 */
function week(now: Date): Stored[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const out: Stored[] = [];
  const put = (
    daysAgo: number,
    collector: string,
    status: RunStatus,
    account = ACCOUNT,
    runId = `r${out.length}`,
  ) => {
    const parts = {
      collectedAt: new Date(today - daysAgo * DAY + 6 * 3_600_000),
      collector,
      account,
      region: 'global',
      runId,
    };
    out.push({ key: envelopeKey(parts), status });
    out.push({ key: sourceKey(parts, 'credential-report.csv'), status });
  };
  for (let d = 7; d >= 1; d--) {
    if (d !== 4) put(d, 'iam-mfa', d === 3 ? 'ERROR' : 'PASS');
    put(d, 'backups', d === 2 ? 'PARTIAL' : 'FAIL');
    const weekday = new Date(today - d * DAY).getUTCDay();
    if (weekday === 1) put(d, 'encryption', 'PASS');
    if (weekday === 3) put(d, 'encryption', 'PASS'); // a hand-run on a Wednesday: never read
    put(d, 'iam-mfa', 'PASS', '210987654321'); // another account, never judged here
    put(d, 'access-review-email', 'PASS'); // not a scheduled collector
  }
  // The watchdog's own earlier output: not a collector it judges.
  out.push({
    key: envelopeKey({
      collectedAt: new Date(today - DAY + 12 * 3_600_000),
      collector: 'coverage',
      account: ACCOUNT,
      region: 'global',
      runId: 'w1',
    }),
    status: 'PASS',
  });
  return out;
}

/** Serves `objects` from the mocked bucket, two keys per ListObjectsV2 page to exercise pagination. */
function serve(objects: readonly Stored[], unreadable: readonly string[] = []): void {
  s3.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) => {
    const keys = objects
      .map((o) => o.key)
      .filter((k) => k.startsWith(input.Prefix ?? ''))
      .sort();
    const start = input.ContinuationToken ? Number(input.ContinuationToken) : 0;
    const page = keys.slice(start, start + 2);
    const more = start + 2 < keys.length;
    return {
      Contents: page.map((Key) => ({ Key })),
      KeyCount: page.length,
      IsTruncated: more,
      ...(more ? { NextContinuationToken: String(start + 2) } : {}),
    };
  });
  s3.on(GetObjectCommand).callsFake((input: { Key: string }) => {
    if (unreadable.includes(input.Key))
      throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
    const o = objects.find((x) => x.key === input.Key);
    if (!o) throw Object.assign(new Error('no such key'), { name: 'NoSuchKey' });
    const body = JSON.stringify({ summary: { status: o.status } });
    return { Body: { transformToString: () => Promise.resolve(body) } };
  });
  s3.on(PutObjectCommand).callsFake((input: { ChecksumSHA256: string }) => ({
    ChecksumSHA256: input.ChecksumSHA256,
    VersionId: 'v1',
  }));
}

class MemoryStore implements EvidenceStore {
  readonly objects: EvidenceObject[] = [];
  readonly description = 'memory';
  put(object: EvidenceObject): Promise<StoredObject> {
    this.objects.push(object);
    return Promise.resolve({ key: object.key, sha256: object.sha256, location: `memory:${object.key}` });
  }
}

function context(now: Date, store: EvidenceStore, days = 7): WatchdogContext {
  return {
    reader: s3Reader(new S3Client({}), 'evidence-bucket'),
    store,
    account: ACCOUNT,
    schedules: SCHEDULES,
    now,
    days,
    runId: 'run-1',
  };
}

beforeEach(() => {
  s3.reset();
  kms.reset();
});

describe('judgedWindow', () => {
  it('is the last complete UTC days, today excluded', () => {
    expect(judgedWindow(new Date('2026-03-09T00:30:00Z'))).toEqual({ from: '2026-03-07', to: '2026-03-08' });
    expect(judgedWindow(new Date('2026-03-09T23:59:59Z'), 1)).toEqual({
      from: '2026-03-08',
      to: '2026-03-08',
    });
    expect(() => judgedWindow(new Date(), 0)).toThrow(/days must be 1 to 31/);
  });
});

describe('runWatchdog', () => {
  const now = new Date('2026-03-09T12:00:00Z'); // a Monday; the week judged is Mon 2 .. Sun 8 March

  it('finds the missing day and the ERROR day in a week, and reads only envelopes that can matter', async () => {
    const objects = week(now);
    serve(objects);
    const store = new MemoryStore();
    const result = await runWatchdog(context(now, store));

    expect(result.report.gaps.map((g) => `${g.collector} ${g.date} ${g.status}`)).toEqual([
      'iam-mfa 2026-03-05 missing',
      'iam-mfa 2026-03-06 failed',
    ]);
    expect(result.gaps).toBe(2);
    expect(result.perCollector).toEqual([
      { collector: 'backups', expected: 7, present: 6, partial: 1, missing: 0, failed: 0 },
      { collector: 'encryption', expected: 1, present: 1, partial: 0, missing: 0, failed: 0 },
      { collector: 'iam-mfa', expected: 7, present: 5, partial: 0, missing: 1, failed: 1 },
    ]);
    // One ListObjectsV2 per day prefix, following continuation tokens.
    const prefixes = s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input.Prefix);
    expect(new Set(prefixes)).toEqual(
      new Set(['02', '03', '04', '05', '06', '07', '08'].map((d) => `evidence/2026/03/${d}/`)),
    );
    expect(prefixes.length).toBeGreaterThan(7);
    // Reads: 6 iam-mfa + 7 backups + the Monday encryption; not the Wednesday run, sources or others.
    const read = s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key!);
    expect(read).toHaveLength(14);
    expect(read.every((k) => k.endsWith('.json') && k.includes(`/${ACCOUNT}/`))).toBe(true);
    expect(read.some((k) => k.includes('/2026/03/04/encryption/'))).toBe(false);

    const envelope = JSON.parse(Buffer.from(store.objects.at(-1)!.body).toString()) as Envelope;
    expectValidEnvelope(envelope);
    expect(envelope).toMatchObject({
      collector: 'coverage',
      controls: ['CC4.1', 'CC7.2'],
      region: 'global',
      period: { from: '2026-03-02T00:00:00.000Z', to: '2026-03-09T00:00:00.000Z' },
      summary: { status: 'FAIL', failed: 1, warnings: 1, passed: 1 },
    });
    expect(envelope.summary.figures).toMatchObject({
      gaps: 2,
      expectedRuns: 15,
      missingRuns: 1,
      failedRuns: 1,
      partialRuns: 1,
      presentRuns: 12,
    });
    expect(envelope.findings.find((f) => f.resource === 'collector:iam-mfa')).toMatchObject({
      status: 'FAIL',
      detail: { missingDates: ['2026-03-05'], failedDates: ['2026-03-06'] },
    });
    expect(store.objects[0]!.key).toMatch(
      /^evidence\/2026\/03\/09\/coverage\/123456789012\/global\/120000Z-run-1--envelopes\.json$/,
    );
    expect(envelope.sources[0]).toMatchObject({ name: 'envelopes.json', api: 's3:ListObjectsV2' });

    const metric = JSON.parse(coverageMetricsLine(result, now)) as Record<string, unknown>;
    expect(metric).toMatchObject({ Collector: 'coverage', CoverageGaps: 2, MissingRuns: 1, FailedRuns: 1 });
  });

  it('with the default window judges a weekly schedule on the day it was due', async () => {
    const tuesday = new Date('2026-03-10T12:00:00Z');
    serve(week(tuesday).filter((o) => !o.key.includes('/encryption/')));
    const result = await runWatchdog({ ...context(tuesday, new MemoryStore()), days: undefined });
    expect(result.report.days).toEqual(['2026-03-08', '2026-03-09']);
    expect(result.report.gaps.map((g) => `${g.collector} ${g.date}`)).toEqual(['encryption 2026-03-09']);
  });

  it('counts an unreadable envelope as absent, with an error entry, so it cannot hide a gap', async () => {
    const objects = week(now);
    const lost = objects.find((o) => o.key.includes('/2026/03/08/backups/') && o.key.endsWith('.json'))!.key;
    serve(objects, [lost]);
    const store = new MemoryStore();
    const result = await runWatchdog(context(now, store));
    expect(result.report.gaps.map((g) => `${g.collector} ${g.date}`)).toContain('backups 2026-03-08');
    expect(result.envelope.errors).toEqual([
      expect.objectContaining({
        api: 's3:GetObject',
        code: 'AccessDenied',
        message: expect.stringContaining(lost),
      }),
    ]);
    expect(result.envelope.summary.status).toBe('PARTIAL');
  });

  it('throws when the bucket cannot be listed: nothing could be judged', async () => {
    s3.on(ListObjectsV2Command).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    const store = new MemoryStore();
    await expect(runWatchdog(context(now, store))).rejects.toThrow('Access Denied');
    expect(store.objects).toEqual([]);
  });
});

describe('watchdog handler', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    jest.restoreAllMocks();
  });

  it('writes a signed coverage envelope to the bucket and prints the CoverageGaps metric', async () => {
    const objects = week(new Date());
    serve(objects);
    kms
      .on(SignCommand)
      .resolves({ Signature: new Uint8Array(70).fill(7), KeyId: 'arn:aws:kms:us-east-1:123456789012:key/k' });
    process.env.EVIDENCE_BUCKET = 'evidence-bucket';
    process.env.COLLECTOR_SCHEDULES = JSON.stringify(SCHEDULES);
    process.env.SCHEDULE_EXPRESSION = 'cron(0 12 * * ? *)';
    process.env.SCHEDULE_TIME_ZONE = 'Europe/Paris';
    process.env.SIGNING_KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/k';
    process.env.WATCHDOG_DAYS = '7';
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);

    const result = await handler({}, {
      invokedFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:Soc2Evidence-watchdog`,
      awsRequestId: 'req-1',
      getRemainingTimeInMillis: () => 60_000,
    } as unknown as Context);

    expect(result.gaps).toBe(2);
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => p.Key)).toEqual([expect.stringMatching(/--envelopes\.json$/), result.key]);
    expect(puts[1]).toMatchObject({
      Bucket: 'evidence-bucket',
      IfNoneMatch: '*',
      Metadata: expect.objectContaining({ signature: expect.any(String) }),
    });
    expect(kms.commandCalls(SignCommand)).toHaveLength(2);
    const lines = log.mock.calls.map((c) => JSON.parse(String(c[0])) as Record<string, unknown>);
    const metric = lines.find((l) => '_aws' in l);
    expect(metric).toMatchObject({
      CoverageGaps: 2,
      Collector: 'coverage',
      _aws: { CloudWatchMetrics: [{ Namespace: 'Soc2Evidence', Dimensions: [['Collector']] }] },
    });
  });
});
