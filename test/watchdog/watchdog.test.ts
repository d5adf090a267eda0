import { s3Reader } from '../../lambdas/evidence/read-store';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type ListObjectsV2CommandInput,
} from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { producerOfKind } from '../../lambdas/collectors/registry';
import { canonicalBytes, sha256Hex } from '../../lambdas/evidence/canonical-json';
import { draftEnvelope } from '../../lambdas/evidence/draft';
import type { Envelope, RunStatus } from '../../lambdas/evidence/envelope';
import { envelopeKey, sourceKey, type EvidenceKeyParts } from '../../lambdas/evidence/keys';
import type { ProducerKeys } from '../../lambdas/evidence/signature-check';
import { LocalSigner } from '../../lambdas/evidence/signer';
import { handler } from '../../lambdas/handlers/watchdog';
import {
  coverageMetricsLine,
  judgedWindow,
  runWatchdog,
  type WatchdogContext,
} from '../../lambdas/watchdog/watchdog';
import type { EvidenceStore } from '../../lambdas/evidence/store';
import { MemoryStore } from '../evidence/memory-store';
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
  /** The stored bytes: a canonical envelope for envelope keys. */
  readonly body: Buffer;
  /** `x-amz-meta-signature`; absent: unsigned. */
  readonly signature?: string;
}

/** One signing key per producer, as the stack creates them; `KEYS` is what the watchdog trusts. */
const SIGNERS = new Map(
  ['iam-mfa', 'backups', 'encryption', 'access-review', 'coverage-watchdog'].map((p) => [
    p,
    LocalSigner.generate(`arn:aws:kms:us-east-1:${ACCOUNT}:key/${p}`),
  ]),
);
const KEYS: ProducerKeys = {
  producers: new Map([...SIGNERS].map(([p, s]) => [p, { key: s.publicKey }])),
  unbound: [],
};

/** A real envelope of the given status, as the collector's run would write it (canonical, key-bound). */
function envelopeOf(parts: EvidenceKeyParts, status: RunStatus): Envelope {
  const finding = (s: 'PASS' | 'FAIL') => ({ resource: 'r', check: 'c', status: s, detail: {} });
  const error = { region: 'global', api: 'iam:GetCredentialReport', code: 'AccessDenied', message: 'm' };
  const draft = draftEnvelope({
    collector: parts.collector,
    controls: ['CC6.1'],
    account: parts.account,
    region: parts.region,
    collectedAt: parts.collectedAt,
    policy: {},
    findings: status === 'ERROR' ? [] : [finding(status === 'FAIL' ? 'FAIL' : 'PASS')],
    errors: status === 'PARTIAL' || status === 'ERROR' ? [error] : [],
    runId: parts.runId,
  });
  const source = Buffer.from('csv');
  return {
    ...draft,
    sources: [
      {
        name: 'credential-report.csv',
        api: 'iam:GetCredentialReport',
        key: sourceKey(parts, 'credential-report.csv'),
        sha256: sha256Hex(source),
        bytes: source.byteLength,
        contentType: 'text/csv',
      },
    ],
  };
}

/** Stores `envelope` under `key`, signed by its kind's producer key (or `signer`, or unsigned with null). */
async function stored(
  key: string,
  envelope: Envelope,
  status: RunStatus,
  signer?: LocalSigner | null,
): Promise<Stored> {
  const body = Buffer.from(canonicalBytes(envelope));
  const by = signer === undefined ? SIGNERS.get(producerOfKind(envelope.collector)!) : signer;
  return { key, status, body, ...(by ? { signature: (await by.sign(body)).signature } : {}) };
}

/**
 * A week of evidence before `now` (UTC days 7..1 ago): iam-mfa daily but missing 4 days ago and ERROR 3
 * days ago; backups daily, PARTIAL 2 days ago; encryption on Mondays, plus an off-schedule run. Also
 * sources, another account's evidence and a collector not scheduled, all of which must be ignored.
 */
async function week(now: Date): Promise<Stored[]> {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const out: Stored[] = [];
  const put = async (
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
    out.push(await stored(envelopeKey(parts), envelopeOf(parts, status), status));
    out.push({ key: sourceKey(parts, 'credential-report.csv'), status, body: Buffer.from('csv') });
  };
  for (let d = 7; d >= 1; d--) {
    if (d !== 4) await put(d, 'iam-mfa', d === 3 ? 'ERROR' : 'PASS');
    await put(d, 'backups', d === 2 ? 'PARTIAL' : 'FAIL');
    const weekday = new Date(today - d * DAY).getUTCDay();
    if (weekday === 1) await put(d, 'encryption', 'PASS');
    if (weekday === 3) await put(d, 'encryption', 'PASS'); // a hand-run on a Wednesday: never read
    await put(d, 'iam-mfa', 'PASS', '210987654321'); // another account, never judged here
    await put(d, 'access-review-email', 'PASS'); // not a scheduled collector
  }
  // The watchdog's own earlier output: not a collector it judges.
  const own = {
    collectedAt: new Date(today - DAY + 12 * 3_600_000),
    collector: 'coverage',
    account: ACCOUNT,
    region: 'global',
    runId: 'w1',
  };
  out.push(await stored(envelopeKey(own), envelopeOf(own, 'PASS'), 'PASS'));
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
    return {
      Body: {
        transformToByteArray: () => Promise.resolve(new Uint8Array(o.body)),
        transformToString: () => Promise.resolve(o.body.toString('utf8')),
      },
      Metadata: o.signature ? { signature: o.signature } : {},
    };
  });
  s3.on(PutObjectCommand).callsFake((input: { ChecksumSHA256: string }) => ({
    ChecksumSHA256: input.ChecksumSHA256,
    VersionId: 'v1',
  }));
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
    producerKeys: KEYS,
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
    const objects = await week(now);
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
    serve((await week(tuesday)).filter((o) => !o.key.includes('/encryption/')));
    const result = await runWatchdog({ ...context(tuesday, new MemoryStore()), days: undefined });
    expect(result.report.days).toEqual(['2026-03-08', '2026-03-09']);
    expect(result.report.gaps.map((g) => `${g.collector} ${g.date}`)).toEqual(['encryption 2026-03-09']);
  });

  it('counts an unreadable envelope as absent, with an error entry, so it cannot hide a gap', async () => {
    const objects = await week(now);
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
    // The gap is a failed check of the watchdog's own: FAIL, and incomplete for the envelope it could not read.
    expect(result.envelope.summary).toMatchObject({ status: 'FAIL', complete: false });
  });

  /** The stored envelope of `collector` on `date` (of this account). */
  const envelopeAt = (objects: Stored[], collector: string, date: string) =>
    objects.find(
      (o) =>
        o.key.startsWith(`evidence/${date.replace(/-/g, '/')}/${collector}/${ACCOUNT}/`) &&
        o.key.endsWith('.json'),
    )!;
  const replace = (objects: Stored[], old: Stored, by: Stored) => objects.splice(objects.indexOf(old), 1, by);

  it('counts a day whose runs failed checks but recorded errors as partial, new envelopes and old alike', async () => {
    const objects = await week(now);
    const parse = (o: Stored) => JSON.parse(o.body.toString('utf8')) as Envelope;
    const error = { region: 'eu-west-3', api: 'backup:ListBackupJobs', code: 'AccessDenied', message: 'm' };
    // A FAIL run that also recorded an error, as written today.
    const fresh = envelopeAt(objects, 'backups', '2026-03-05');
    const freshEnvelope = parse(fresh);
    expect(freshEnvelope.summary).toMatchObject({ status: 'FAIL', complete: true });
    replace(
      objects,
      fresh,
      await stored(
        fresh.key,
        { ...freshEnvelope, errors: [error], summary: { ...freshEnvelope.summary, complete: false } },
        'FAIL',
      ),
    );
    // The same run as written before `summary.complete` existed: PARTIAL, with a failed check.
    const old = envelopeAt(objects, 'backups', '2026-03-06');
    const oldEnvelope = parse(old);
    const { complete: _complete, ...before } = oldEnvelope.summary;
    replace(
      objects,
      old,
      await stored(
        old.key,
        { ...oldEnvelope, errors: [error], summary: { ...before, status: 'PARTIAL' } },
        'PARTIAL',
      ),
    );
    serve(objects);
    const store = new MemoryStore();
    const result = await runWatchdog(context(now, store));

    expect(result.perCollector.find((c) => c.collector === 'backups')).toEqual({
      collector: 'backups',
      expected: 7,
      present: 4,
      partial: 3,
      missing: 0,
      failed: 0,
    });
    expect(result.envelope.findings.find((f) => f.resource === 'collector:backups')).toMatchObject({
      status: 'WARN',
      detail: { partialDates: ['2026-03-05', '2026-03-06', '2026-03-07'] },
    });
    // The listing beside the coverage envelope reads both as FAIL, incomplete; a complete run stays lean.
    const listing = JSON.parse(Buffer.from(store.objects[0]!.body).toString()) as Record<string, unknown>[];
    expect(listing.find((l) => l.key === fresh.key)).toEqual({
      key: fresh.key,
      status: 'FAIL',
      complete: false,
    });
    expect(listing.find((l) => l.key === old.key)).toEqual({ key: old.key, status: 'FAIL', complete: false });
    const complete = envelopeAt(objects, 'backups', '2026-03-08').key;
    expect(listing.find((l) => l.key === complete)).toEqual({ key: complete, status: 'FAIL' });
  });

  it('does not count an unsigned, mis-signed, copied or edited envelope, and names each one', async () => {
    const objects = await week(now);
    const unsigned = envelopeAt(objects, 'backups', '2026-03-08');
    const misSigned = envelopeAt(objects, 'backups', '2026-03-07');
    const edited = envelopeAt(objects, 'backups', '2026-03-06');
    const original = envelopeAt(objects, 'iam-mfa', '2026-03-07');
    const parse = (o: Stored) => JSON.parse(o.body.toString('utf8')) as Envelope;
    replace(objects, unsigned, await stored(unsigned.key, parse(unsigned), 'FAIL', null));
    replace(
      objects,
      misSigned,
      await stored(misSigned.key, parse(misSigned), 'FAIL', SIGNERS.get('iam-mfa')),
    );
    const pretty = Buffer.from(JSON.stringify(parse(edited), null, 2));
    replace(objects, edited, { ...edited, body: pretty });
    // A valid, signed iam-mfa envelope copied under the key of the missing day.
    const copyKey = envelopeKey({
      collectedAt: new Date('2026-03-05T06:00:00Z'),
      collector: 'iam-mfa',
      account: ACCOUNT,
      region: 'global',
      runId: 'copy',
    });
    objects.push({ ...original, key: copyKey });
    serve(objects);

    const store = new MemoryStore();
    const result = await runWatchdog(context(now, store));

    expect(result.report.gaps.map((g) => `${g.collector} ${g.date} ${g.status}`)).toEqual([
      'backups 2026-03-06 missing',
      'backups 2026-03-07 missing',
      'backups 2026-03-08 missing',
      'iam-mfa 2026-03-05 missing',
      'iam-mfa 2026-03-06 failed',
    ]);
    const rejected = result.envelope.findings.filter((f) => f.check === 'envelope-authentic');
    expect(rejected.map((f) => [f.resource, f.status])).toEqual(
      [edited.key, misSigned.key, unsigned.key, copyKey].sort().map((k) => [k, 'FAIL']),
    );
    const problems = (key: string) => rejected.find((f) => f.resource === key)!.detail.problems;
    expect(problems(unsigned.key)).toEqual([expect.stringContaining('carries no signature')]);
    expect(problems(misSigned.key)).toEqual([
      expect.stringContaining("another producer's key, not backups's"),
    ]);
    expect(rejected.find((f) => f.resource === misSigned.key)!.detail).toMatchObject({
      signature: 'wrong-producer',
      signedBy: 'iam-mfa',
    });
    expect(problems(edited.key)).toEqual([
      expect.stringContaining('not its own canonical JSON'),
      expect.stringContaining('does not verify with the public key of producer backups'),
    ]);
    expect(problems(copyKey)).toEqual(
      expect.arrayContaining([expect.stringContaining("stored under another run's key")]),
    );
    expect(result.envelope.summary.figures.envelopesRejected).toBe(4);
    expect(result.envelope.policy.signatures).toBe(
      'judged with the public keys of iam-mfa, backups, encryption, access-review, coverage-watchdog',
    );
    // The listing kept beside the coverage envelope marks each one that did not count.
    const listing = JSON.parse(Buffer.from(store.objects[0]!.body).toString()) as { key: string }[];
    expect(listing.filter((l) => 'rejected' in l).map((l) => l.key)).toEqual(
      [edited.key, misSigned.key, unsigned.key, copyKey].sort(),
    );
    const metric = JSON.parse(coverageMetricsLine(result, now)) as Record<string, unknown>;
    expect(metric).toMatchObject({ RejectedEnvelopes: 4, CoverageGaps: 5 });
  });

  it('without producer keys counts on form and key binding, says signatures were not judged, and still refuses a copy', async () => {
    const objects = await week(now);
    const unsigned = envelopeAt(objects, 'backups', '2026-03-08');
    const parse = (o: Stored) => JSON.parse(o.body.toString('utf8')) as Envelope;
    replace(objects, unsigned, await stored(unsigned.key, parse(unsigned), 'FAIL', null));
    const copyKey = envelopeKey({
      collectedAt: new Date('2026-03-05T06:00:00Z'),
      collector: 'iam-mfa',
      account: ACCOUNT,
      region: 'global',
      runId: 'copy',
    });
    objects.push({ ...envelopeAt(objects, 'iam-mfa', '2026-03-07'), key: copyKey });
    serve(objects);
    const { producerKeys: _none, ...local } = context(now, new MemoryStore());

    const result = await runWatchdog(local);

    expect(result.report.gaps.map((g) => `${g.collector} ${g.date}`)).toEqual([
      'iam-mfa 2026-03-05',
      'iam-mfa 2026-03-06',
    ]);
    expect(
      result.envelope.findings
        .filter((f) => f.check === 'envelope-authentic')
        .map((f) => [f.resource, f.status]),
    ).toEqual([
      [copyKey, 'FAIL'],
      ['signatures', 'INFO'],
    ]);
    expect(result.envelope.findings.at(-1)!.detail.notJudged).toMatch(/signatures were not checked/);
    expect(result.envelope.policy.signatures).toBe('not judged: no producer signing keys were given');
  });

  it("does not count a producer's envelopes when its public key is missing", async () => {
    serve(await week(now));
    const keys: ProducerKeys = {
      producers: new Map([...KEYS.producers].filter(([p]) => p !== 'backups')),
      unbound: [],
    };
    const result = await runWatchdog({ ...context(now, new MemoryStore()), producerKeys: keys });
    expect(result.perCollector.find((c) => c.collector === 'backups')).toMatchObject({
      present: 0,
      missing: 7,
    });
    const rejected = result.envelope.findings.filter((f) => f.check === 'envelope-authentic');
    expect(rejected).toHaveLength(7);
    expect(rejected[0]!.detail.problems).toEqual([
      'no public key for producer backups: its signature cannot be judged',
    ]);
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
    const objects = await week(new Date());
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
    process.env.PRODUCER_SIGNING_KEYS = JSON.stringify(
      Object.fromEntries([...SIGNERS].map(([p, signer]) => [p, signer.keyId])),
    );
    for (const signer of SIGNERS.values())
      kms
        .on(GetPublicKeyCommand, { KeyId: signer.keyId })
        .resolves({ PublicKey: signer.publicKey.export({ type: 'spki', format: 'der' }) });
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
      RejectedEnvelopes: 0,
      Collector: 'coverage',
      _aws: { CloudWatchMetrics: [{ Namespace: 'Soc2Evidence', Dimensions: [['Collector']] }] },
    });
    // Each judged collector's producer key, fetched once.
    expect(kms.commandCalls(GetPublicKeyCommand).map((c) => c.args[0].input.KeyId)).toEqual(
      ['backups', 'encryption', 'iam-mfa'].map((p) => SIGNERS.get(p)!.keyId),
    );
    expect(lines.at(-1)).toMatchObject({
      Producer: 'coverage-watchdog',
      Heartbeat: 1,
      _aws: { CloudWatchMetrics: [{ Dimensions: [['Producer']], Metrics: [{ Name: 'Heartbeat' }] }] },
    });
  });
});
