import { ListObjectVersionsCommand, S3Client, type ListObjectVersionsCommandInput } from '@aws-sdk/client-s3';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { EvidenceBucket } from '../../cli/demo/evidence-bucket';
import { canonicalJson, sha256Hex } from '../../lambdas/evidence/canonical-json';
import { digestKey, type Digest } from '../../lambdas/evidence/digest';
import { envelopeKey } from '../../lambdas/evidence/keys';
import { s3Reader, type BucketReader } from '../../lambdas/evidence/read-store';
import { LocalSigner } from '../../lambdas/evidence/signer';
import { earliestEvidenceDay, sealDays, type SealOptions } from '../../lambdas/sealer/seal';
import { ACCOUNT, BUCKET, KEY_ARN, serveBucket, writeDay } from '../cli/evidence-bucket-fixture';

const OTHER = '210987654321';

/** The bucket model with a clock: each write's LastModified is `clock.at`. */
function clockedBucket(signer = LocalSigner.generate(KEY_ARN)) {
  const clock = { at: new Date('2026-01-01T06:00:05Z') };
  const bucket = new EvidenceBucket({
    signer,
    retention: { mode: 'COMPLIANCE', days: 365 },
    now: () => clock.at,
  });
  return { bucket, clock, signer };
}

/** iam-mfa's daily run on each date, written at 06:00:05 that day. */
async function days(bucket: EvidenceBucket, clock: { at: Date }, dates: readonly string[]) {
  for (const d of dates) {
    clock.at = new Date(`${d}T06:00:05Z`);
    await writeDay(bucket, d);
  }
}

function digestOf(bucket: EvidenceBucket, date: string, account = ACCOUNT): Digest {
  const held = bucket.objects.get(digestKey(date, account));
  if (!held) throw new Error(`no digest ${date} ${account}`);
  return JSON.parse(held.body.toString('utf8')) as Digest;
}

function options(bucket: EvidenceBucket, now: string, extra: Partial<SealOptions> = {}): SealOptions {
  return {
    reader: s3Reader(serveBucket(bucket).s3, BUCKET),
    store: bucket,
    account: ACCOUNT,
    now: new Date(now),
    runId: 'seal-1',
    ...extra,
  };
}

describe('sealDays against the bucket model', () => {
  it('starts a chain at the earliest day with evidence and seals every ended day in order', async () => {
    const { bucket, clock, signer } = clockedBucket();
    await days(bucket, clock, ['2026-01-01', '2026-01-02', '2026-01-03']);

    const result = await sealDays(options(bucket, '2026-01-04T00:30:00Z', { publicKey: signer.publicKey }));

    expect(result.days).toEqual(['2026-01-01', '2026-01-02', '2026-01-03']);
    expect(result.sealed.map((s) => [s.key, s.objects, s.alreadySealed])).toEqual([
      ['digests/2026/01/01/123456789012.json', 2, false],
      ['digests/2026/01/02/123456789012.json', 2, false],
      ['digests/2026/01/03/123456789012.json', 2, false],
    ]);
    expect(result).toMatchObject({ remainingDays: 0, problems: [], signaturesChecked: true });

    const first = digestOf(bucket, '2026-01-01');
    const second = digestOf(bucket, '2026-01-02');
    expect(first.previous).toBeNull();
    const firstBytes = bucket.objects.get(digestKey('2026-01-01', ACCOUNT))!.body;
    expect(second.previous).toEqual({
      key: 'digests/2026/01/01/123456789012.json',
      sha256: sha256Hex(firstBytes),
      date: '2026-01-01',
    });
    // The digest is stored as its own canonical JSON, so anyone can recompute the link.
    expect(firstBytes.toString('utf8')).toBe(canonicalJson(first));
    const envelope = [...bucket.objects].find(
      ([k]) => k.startsWith('evidence/2026/01/02/') && k.endsWith('.json'),
    )!;
    expect(second.objects).toContainEqual({
      key: envelope[0],
      versionId: envelope[1].versionId,
      sha256: sha256Hex(envelope[1].body),
      bytes: envelope[1].body.byteLength,
      lastModified: '2026-01-02T06:00:05.000Z',
      producer: 'iam-mfa',
      signingKey: KEY_ARN,
      // The signature is sealed with the object: verify judges this one, not one offered later.
      signature: envelope[1].signature,
    });
    expect(envelope[1].signature).toEqual(expect.any(String));
    expect(second.sealedAt).toBe('2026-01-04T00:30:00.000Z');
  });

  it('computes each SHA-256 from the bytes it read, not from the object metadata', async () => {
    const { bucket, clock } = clockedBucket();
    await days(bucket, clock, ['2026-01-01']);
    const key = [...bucket.objects.keys()].find((k) => k.endsWith('.json'))!;
    bucket.alter(key, (held) => ({ ...held, sha256: '00'.repeat(32) }));

    await sealDays(options(bucket, '2026-01-02T00:30:00Z'));

    const entry = digestOf(bucket, '2026-01-01').objects.find((o) => o.key === key)!;
    expect(entry.sha256).toBe(sha256Hex(bucket.objects.get(key)!.body));
  });

  it('waits SEAL_DELAY_MS after midnight before sealing the day that just ended', async () => {
    const { bucket, clock } = clockedBucket();
    await days(bucket, clock, ['2026-01-01', '2026-01-02']);
    const result = await sealDays(options(bucket, '2026-01-03T00:15:00Z'));
    expect(result.days).toEqual(['2026-01-01']);
  });

  it('continues every chain on the next run, adds a new account, and seals a quiet day with empty digests', async () => {
    const { bucket, clock } = clockedBucket();
    await days(bucket, clock, ['2026-01-01']);
    await sealDays(options(bucket, '2026-01-02T00:30:00Z'));

    await days(bucket, clock, ['2026-01-02']);
    clock.at = new Date('2026-01-02T07:00:00Z');
    const otherKey = envelopeKey({
      collectedAt: new Date('2026-01-02T07:00:00Z'),
      collector: 'tls',
      account: OTHER,
      region: 'global',
      runId: 'other-1',
    });
    await bucket.put({
      key: otherKey,
      body: Buffer.from('{}'),
      contentType: 'application/json',
      sha256: sha256Hex('{}'),
    });

    const result = await sealDays(options(bucket, '2026-01-04T01:00:00Z', { runId: 'seal-2' }));

    expect(result.sealed.map((s) => `${s.date} ${s.account} ${s.objects}`)).toEqual([
      `2026-01-02 ${ACCOUNT} 2`,
      `2026-01-02 ${OTHER} 1`,
      `2026-01-03 ${ACCOUNT} 0`,
      `2026-01-03 ${OTHER} 0`,
    ]);
    expect(digestOf(bucket, '2026-01-02').previous?.key).toBe(digestKey('2026-01-01', ACCOUNT));
    expect(digestOf(bucket, '2026-01-02', OTHER).previous).toBeNull();
    expect(digestOf(bucket, '2026-01-02', OTHER).objects.map((o) => [o.key, o.producer])).toEqual([
      [otherKey, 'tls'],
    ]);
    expect(digestOf(bucket, '2026-01-03', OTHER).previous?.key).toBe(digestKey('2026-01-02', OTHER));
  });

  it('seals at most maxDays per run and leaves the rest for the next', async () => {
    const { bucket, clock } = clockedBucket();
    await days(bucket, clock, ['2026-01-01', '2026-01-02', '2026-01-03']);
    const first = await sealDays(options(bucket, '2026-01-04T00:30:00Z', { maxDays: 2 }));
    expect(first).toMatchObject({ days: ['2026-01-01', '2026-01-02'], remainingDays: 1 });
    const second = await sealDays(options(bucket, '2026-01-04T00:30:00Z', { maxDays: 2 }));
    expect(second).toMatchObject({ days: ['2026-01-03'], remainingDays: 0 });
    expect(digestOf(bucket, '2026-01-03').previous?.key).toBe(digestKey('2026-01-02', ACCOUNT));
    const third = await sealDays(options(bucket, '2026-01-04T00:30:00Z'));
    expect(third).toMatchObject({ days: [], sealed: [], remainingDays: 0 });
  });

  it('marks late writes, keeps stray keys in its own digest, and records other versions and delete markers', async () => {
    const { bucket, clock } = clockedBucket();
    await days(bucket, clock, ['2026-01-01']);
    clock.at = new Date('2026-01-02T00:20:00Z'); // 20 minutes after the day: past the 15-minute tolerance
    await writeDay(bucket, '2026-01-01', 'late-run');
    await bucket.put({
      key: 'evidence/2026/01/01/notes.txt',
      body: Buffer.from('x'),
      contentType: 'text/plain',
      sha256: sha256Hex('x'),
    });
    const deleted = [...bucket.objects.keys()].find((k) => k.includes('run-2026-01-01.json'))!;
    bucket.addVersions(deleted, [{ versionId: 'dm-1', deleteMarker: true, isLatest: true }]);

    await sealDays(options(bucket, '2026-01-02T00:30:00Z'));

    const digest = digestOf(bucket, '2026-01-01');
    expect(digest.objects.filter((o) => o.late).map((o) => o.key)).toEqual([
      'evidence/2026/01/01/iam-mfa/123456789012/global/060003Z-late-run--credential-report.csv',
      'evidence/2026/01/01/iam-mfa/123456789012/global/060003Z-late-run.json',
      'evidence/2026/01/01/notes.txt',
    ]);
    expect(digest.objects.find((o) => o.key === 'evidence/2026/01/01/notes.txt')!.producer).toBeUndefined();
    // The deleted envelope is still listed (its original version) and its delete marker is recorded.
    expect(digest.objects.map((o) => o.key)).toContain(deleted);
    expect(digest.otherVersions).toEqual([{ key: deleted, versionId: 'dm-1', deleteMarker: true }]);
  });

  it('with no evidence at all, starts the chain with an empty digest of the last ended day', async () => {
    const { bucket } = clockedBucket();
    const result = await sealDays(options(bucket, '2026-01-10T12:00:00Z'));
    expect(result.sealed.map((s) => s.key)).toEqual(['digests/2026/01/09/123456789012.json']);
    expect(digestOf(bucket, '2026-01-09')).toMatchObject({ objects: [], otherVersions: [], previous: null });
  });

  it('finds an existing digest it did not list (a concurrent run), never replaces it, and chains from it', async () => {
    const { bucket, clock, signer } = clockedBucket();
    await days(bucket, clock, ['2026-01-01', '2026-01-02', '2026-01-03']);
    const earlier = await sealDays(options(bucket, '2026-01-04T00:30:00Z', { runId: 'seal-a' }));
    const before = new Map([...bucket.objects].filter(([k]) => k.startsWith('digests/')));

    // A reader whose digest listing missed the last two days.
    const real = s3Reader(serveBucket(bucket).s3, BUCKET);
    const blind: BucketReader = {
      ...real,
      listVersions: async (prefix) =>
        (await real.listVersions(prefix)).filter(
          (k) => prefix !== 'digests/' || k.key === digestKey('2026-01-01', ACCOUNT),
        ),
    };
    await days(bucket, clock, ['2026-01-04']);
    const result = await sealDays({
      ...options(bucket, '2026-01-05T00:30:00Z', { runId: 'seal-b', publicKey: signer.publicKey }),
      reader: blind,
    });

    expect(result.sealed.map((s) => [s.date, s.alreadySealed])).toEqual([
      ['2026-01-02', true],
      ['2026-01-03', true],
      ['2026-01-04', false],
    ]);
    expect(result.sealed[1]!.sha256).toBe(earlier.sealed[2]!.sha256);
    for (const [key, held] of before) expect(bucket.objects.get(key)).toBe(held);
    expect(digestOf(bucket, '2026-01-04').previous).toEqual({
      key: digestKey('2026-01-03', ACCOUNT),
      sha256: earlier.sealed[2]!.sha256,
      date: '2026-01-03',
    });
    expect(result.problems).toEqual([]);
  });

  it("reports a chain that continues from a digest the sealer's key did not sign, and a digest dated ahead", async () => {
    const { bucket, clock, signer } = clockedBucket();
    await days(bucket, clock, ['2026-01-01']);
    await sealDays(options(bucket, '2026-01-02T00:30:00Z'));
    const forger = LocalSigner.generate('arn:aws:kms:us-east-1:123456789012:key/admin');
    const key = digestKey('2026-01-01', ACCOUNT);
    const forged = await forger.sign(bucket.objects.get(key)!.body);
    bucket.alter(key, (held) => ({ ...held, signature: forged.signature, signingKey: forged.keyId }));
    await bucket.put({
      key: digestKey('2026-06-01', ACCOUNT),
      body: Buffer.from('{}'),
      contentType: 'application/json',
      sha256: sha256Hex('{}'),
    });

    const unchecked = await sealDays(options(bucket, '2026-01-02T00:30:00Z'));
    expect(unchecked.signaturesChecked).toBe(false);
    expect(unchecked.problems).toEqual([
      'digest digests/2026/06/01/123456789012.json is dated after the last day that can be sealed (2026-01-01)',
    ]);

    const result = await sealDays(options(bucket, '2026-01-03T00:30:00Z', { publicKey: signer.publicKey }));
    // The future digest does not stop the chain: the next day is still sealed.
    expect(result.days).toEqual(['2026-01-02']);
    expect(result.problems).toEqual([
      'digest digests/2026/06/01/123456789012.json is dated after the last day that can be sealed (2026-01-02)',
      `the chain of ${ACCOUNT} continues from a doubtful digest: digest ${key} is not signed by the sealer's key (signing-key arn:aws:kms:us-east-1:123456789012:key/admin)`,
    ]);
  });

  it('fails, naming the object, when a listed version cannot be read, and seals nothing of that day', async () => {
    const { bucket, clock } = clockedBucket();
    await days(bucket, clock, ['2026-01-01', '2026-01-02']);
    const key = [...bucket.objects.keys()].find((k) => k.startsWith('evidence/2026/01/02/'))!;
    // An older version listed whose bytes the bucket no longer serves.
    bucket.addVersions(key, [{ versionId: 'v-gone', deleteMarker: false, isLatest: false }]);
    await expect(sealDays(options(bucket, '2026-01-03T00:30:00Z'))).rejects.toThrow(
      `cannot read ${key} version v-gone to seal 2026-01-02`,
    );
    expect(bucket.objects.has(digestKey('2026-01-01', ACCOUNT))).toBe(true);
    expect(bucket.objects.has(digestKey('2026-01-02', ACCOUNT))).toBe(false);
  });
});

describe('earliestEvidenceDay with S3 common prefixes', () => {
  // Mocks every S3Client: created here, not at load, so the bucket model tests above use real clients.
  let s3: AwsClientStub<S3Client>;
  beforeAll(() => {
    s3 = mockClient(S3Client);
  });
  afterEach(() => s3.reset());
  afterAll(() => s3.restore());

  it('walks year, month and day folders with the delimiter, skipping folders outside the layout', async () => {
    const folders: Record<string, string[]> = {
      'evidence/': ['evidence/2025/', 'evidence/2026/', 'evidence/README/'],
      'evidence/2025/': ['evidence/2025/xx/'],
      'evidence/2026/': ['evidence/2026/02/', 'evidence/2026/03/'],
      'evidence/2026/02/': ['evidence/2026/02/30/', 'evidence/2026/02/27/'],
    };
    s3.on(ListObjectVersionsCommand).callsFake((input: ListObjectVersionsCommandInput) => ({
      CommonPrefixes: (folders[input.Prefix!] ?? []).map((Prefix) => ({ Prefix })),
      IsTruncated: false,
    }));
    const reader = s3Reader(new S3Client({}), BUCKET);
    expect(await earliestEvidenceDay(reader)).toBe('2026-02-27');
    const calls = s3.commandCalls(ListObjectVersionsCommand).map((c) => c.args[0].input);
    expect(calls.every((c) => c.Delimiter === '/')).toBe(true);
    expect(calls.map((c) => c.Prefix)).toEqual([
      'evidence/',
      'evidence/2025/',
      'evidence/2026/',
      'evidence/2026/02/',
    ]);
  });

  it('is undefined for an empty bucket', async () => {
    s3.on(ListObjectVersionsCommand).resolves({ IsTruncated: false });
    expect(await earliestEvidenceDay(s3Reader(new S3Client({}), BUCKET))).toBeUndefined();
  });
});
