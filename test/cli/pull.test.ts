import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { draftEnvelope } from '../../lambdas/evidence/draft';
import type { ScheduleRef } from '../../lambdas/evidence/envelope';
import { LocalSigner } from '../../lambdas/evidence/signer';
import { writeEvidence } from '../../lambdas/evidence/write-evidence';
import { DEFAULT_CRON } from '../../lib/config';
import { AUDITOR_BUCKET_ACTIONS, AUDITOR_OBJECT_ACTIONS } from '../../lib/auditor-role';
import { unsignedExplanation } from '../../lambdas/collectors/registry';
import { digestKey } from '../../lambdas/evidence/digest';
import { SEALER_PRODUCER } from '../../lambdas/evidence/producers';
import { pull, type PullOptions } from '../../cli/pull';
import type { Manifest } from '../../cli/package/manifest';
import { verify } from '../../cli/verify';
import { EvidenceBucket } from '../../cli/demo/evidence-bucket';
import { producerOfKey } from '../../cli/package/checks';
import { WATCHDOG_PRODUCER } from '../../lambdas/evidence/producers';
import {
  ACCOUNT,
  BUCKET,
  accessDenied,
  KEY_ARN,
  RETAIN_UNTIL,
  serveAnswers,
  serveBucket,
  writeDay,
} from './evidence-bucket-fixture';
import { producerBucket, runDays, seal, SEALER_ARN, writeTrustFile } from './sealed-bucket-fixture';

const tmp = () => mkdtempSync(join(tmpdir(), 'soc2-pull-'));

async function run(s3: S3Client, options: Partial<PullOptions> & { out: string }) {
  const lines: string[] = [];
  const code = await pull(
    { bucket: BUCKET, from: '2026-01-01', to: '2026-01-31', collector: ['iam-mfa'], ...options },
    {
      s3,
      out: (l) => lines.push(l),
      now: () => new Date('2026-02-02T00:00:00Z'),
    },
  );
  return {
    code,
    lines,
    manifest: JSON.parse(readFileSync(join(options.out, 'manifest.json'), 'utf8')) as Manifest,
  };
}

/** iam-mfa's month (but `skip`), `stage` written as history, sealed at 00:30Z on Feb 1, and its trust file. */
async function sealedMonth(
  skip: readonly string[] = [],
  stage?: (bucket: EvidenceBucket, clock: { at: Date }) => Promise<void>,
) {
  const { bucket, clock, signers } = producerBucket();
  await runDays(bucket, clock, '2026-01-01', '2026-01-31', skip);
  await stage?.(bucket, clock);
  await seal(bucket, clock, '2026-02-01T00:30:00Z', signers.get(SEALER_PRODUCER)!);
  return { bucket, clock, signers, trust: writeTrustFile(tmp(), signers) };
}

const keyOn = (keys: Iterable<string>, date: string, source: boolean) =>
  [...keys].find(
    (k) => k.startsWith(`evidence/${date.replace(/-/g, '/')}/`) && k.endsWith('.csv') === source,
  )!;

describe('soc2-evidence pull', () => {
  afterEach(() => jest.restoreAllMocks());

  it('pulls a sealed month: exit 0, digests judged, SHA256SUMS accepted by sha256sum -c, verify passes, resume downloads nothing but re-reads S3', async () => {
    const { bucket, clock, signers } = producerBucket();
    await runDays(bucket, clock, '2026-01-01', '2026-01-31');
    await seal(bucket, clock, '2026-02-01T00:30:00Z', signers.get(SEALER_PRODUCER)!);
    const { s3, calls, sentApis } = serveBucket(bucket);
    const out = tmp();
    const trust = writeTrustFile(join(out, '..'), signers);

    const first = await run(s3, { out, trust });
    expect(first.lines.at(-1)).toMatch(
      /pulled 93 objects \(93 downloaded, 0 already present, 31 daily digests\).*0 with integrity problems, 0 gaps/,
    );
    expect(first.code).toBe(0);
    const sent = (api: string) => calls.filter((c) => c.api === api);
    const prefixes = sent('S3:ListObjectVersions').map((c) => c.input.Prefix);
    expect(prefixes).toEqual(expect.arrayContaining(['evidence/2026/01/31/', 'digests/2026/01/31/']));
    const get = sent('S3:GetObject')[0]!.input;
    expect(get).toMatchObject({ ChecksumMode: 'ENABLED', VersionId: expect.stringMatching(/^v\d+$/) });
    // Every call pull made is one the auditor role may make (with a version id: s3:GetObjectVersion).
    const ACTION: Record<string, string> = {
      'S3:ListObjectVersions': 's3:ListBucketVersions',
      'S3:GetObject': 's3:GetObjectVersion',
      'S3:HeadObject': 's3:GetObjectVersion',
    };
    const allowed: readonly string[] = [...AUDITOR_BUCKET_ACTIONS, ...AUDITOR_OBJECT_ACTIONS];
    for (const name of new Set(sentApis())) expect(allowed).toContain(ACTION[name]);
    const o = first.manifest.objects.find((x) => x.kind === 'envelope')!;
    expect(o.checks).toEqual({
      digest: 'ok',
      s3Checksum: 'ok',
      metadataSha256: 'ok',
      signature: 'valid',
      envelope: 'ok',
      retention: 'ok',
      custody: 'sealed',
    });
    expect(o.objectLock).toEqual({ mode: 'COMPLIANCE', retainUntil: '2027-03-01T00:00:00.000Z' });
    expect(o.versionId).toMatch(/^v\d+$/);
    const digests = first.manifest.objects.filter((x) => x.kind === 'digest');
    expect(digests).toHaveLength(31);
    expect(digests[0]).toMatchObject({
      key: digestKey('2026-01-01', ACCOUNT),
      checks: { signature: 'valid', digestFile: 'ok', retention: 'ok' },
      problems: [],
    });
    expect(first.manifest.trust).toEqual({
      source: 'test keys',
      producers: { 'iam-mfa': KEY_ARN, [SEALER_PRODUCER]: SEALER_ARN },
      unbound: 0,
    });

    expect(execFileSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: out, encoding: 'utf8' })).toBe(
      '',
    );
    // openssl alone verifies an object with the copy of the producer's pinned key the package carries.
    writeFileSync(join(out, '..', 'sig.der'), Buffer.from(o.signature!, 'base64'));
    expect(
      execFileSync(
        'openssl',
        [
          'dgst',
          '-sha256',
          '-verify',
          join(out, 'keys', 'iam-mfa.pem'),
          '-signature',
          join(out, '..', 'sig.der'),
          join(out, o.key),
        ],
        { encoding: 'utf8' },
      ),
    ).toMatch(/Verified OK/);

    const verified: string[] = [];
    expect(await verify(out, { trust }, (l) => verified.push(l))).toBe(0);

    calls.length = 0;
    const again = await run(s3, { out, trust });
    expect(again.code).toBe(0);
    expect(sent('S3:GetObject')).toHaveLength(0);
    // Nothing recorded earlier is trusted: each resumed object's facts are read again, by version.
    expect(sent('S3:HeadObject')).toHaveLength(93);
    expect(sent('S3:HeadObject')[0]!.input).toMatchObject({
      ChecksumMode: 'ENABLED',
      VersionId: expect.any(String),
    });
    expect(again.lines.at(-1)).toMatch(/\(0 downloaded, 93 already present, 31 daily digests\)/);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('<table class="cal">');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain(`href="${o.key}"`);
  });

  it('names a tampered object, a missing day, a wrong signature and an object without retention', async () => {
    const { bucket, trust } = await sealedMonth(['2026-01-15']);
    // Tampered after sealing: the bytes change, S3's stored checksum and metadata do not.
    const tampered = keyOn(bucket.objects.keys(), '2026-01-10', true);
    bucket.alter(tampered, (o) => ({
      ...o,
      body: Buffer.from('user,arn,mfa_active\nalice,arn:aws:iam::123456789012:user/alice,true\n'),
    }));
    // Signed by another key that claims to be the stack's.
    const forged = keyOn(bucket.objects.keys(), '2026-01-20', false);
    const other = LocalSigner.generate(KEY_ARN);
    const { signature } = await other.sign(bucket.objects.get(forged)!.body);
    bucket.alter(forged, (o) => ({ ...o, signature }));
    const unlocked = keyOn(bucket.objects.keys(), '2026-01-25', false);
    bucket.alter(unlocked, ({ retention: _none, ...o }) => o);
    const { s3 } = serveBucket(bucket);
    const out = tmp();

    const { code, lines, manifest } = await run(s3, { out, trust });

    expect(code).toBe(4);
    const problems = lines.filter((l) => l.startsWith('problem '));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(
            `^problem ${tampered}: SHA-256 of the bytes [0-9a-f]{64} differs from S3's stored checksum`,
          ),
        ),
        expect.stringMatching(new RegExp(`^problem ${tampered}: .*differs from x-amz-meta-sha256`)),
        expect.stringMatching(
          new RegExp(
            `^problem ${keyOn(bucket.objects.keys(), '2026-01-10', false)}: source ${tampered} has SHA-256`,
          ),
        ),
        `problem ${forged}: signature does not verify with the trusted key of iam-mfa (nor any other trusted key)`,
        `problem ${forged}: the object's signature differs from the one ${digestKey('2026-01-20', ACCOUNT)} sealed: only the sealed signature counts`,
        expect.stringMatching(new RegExp(`^problem ${unlocked}: the object has no Object Lock retention`)),
      ]),
    );
    expect(lines).toContain(`gap iam-mfa account ${ACCOUNT} 2026-01-15: missing`);
    expect(manifest.summary).toEqual({ objects: 91, integrityProblems: 4, gaps: 1 });
    expect(manifest.objects.find((o) => o.key === tampered)!.checks.digest).toBe('mismatch');
    expect(readFileSync(join(out, 'coverage.csv'), 'utf8')).toContain(
      `${ACCOUNT},iam-mfa,2026-01-15,true,missing,0\n`,
    );
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('iam-mfa · account 123456789012 · 2026-01-15: missing');
    expect(html).toContain(forged);
  });

  it('exits 3 when the only problem is a gap, and reports an ERROR run as a failed day', async () => {
    const { bucket, trust } = await sealedMonth(['2026-01-02', '2026-01-03'], async (b, clock) => {
      // Jan 2: only an ERROR envelope (failed). Jan 5: an ERROR run and a good one, so the day is covered.
      clock.at = new Date('2026-01-02T06:00:05Z');
      await writeDay(b, '2026-01-02', 'errored', true);
      clock.at = new Date('2026-01-05T07:00:05Z');
      await writeDay(b, '2026-01-05', 'retry-errored', true);
    });
    const { s3 } = serveBucket(bucket);
    const out = tmp();
    const { code, lines } = await run(s3, { out, trust, from: '2026-01-01', to: '2026-01-05' });
    expect(lines.filter((l) => l.startsWith('gap '))).toEqual([
      `gap iam-mfa account ${ACCOUNT} 2026-01-02: failed`,
      `gap iam-mfa account ${ACCOUNT} 2026-01-03: missing`,
    ]);
    expect(code).toBe(3);
  });

  it('reports a listing it cannot do as one clear error', async () => {
    const { s3 } = serveAnswers({
      'S3:ListObjectVersions': () => {
        throw accessDenied();
      },
    });
    const out = tmp();
    const pem = join(out, '..', 'denied.pem');
    writeFileSync(pem, LocalSigner.generate().publicKeyPem());
    await expect(run(s3, { out, publicKey: [pem] })).rejects.toThrow(
      `cannot list s3://${BUCKET}/ (evidence/ and digests/): AccessDenied: Access Denied`,
    );
  });
  it('reports an old signed envelope copied under another day, and does not count it as that day present', async () => {
    const { bucket, trust } = await sealedMonth(['2026-01-15']);
    // S3 CopyObject keeps the metadata, so the copy carries a valid signature by the stack's key.
    const original = keyOn(bucket.objects.keys(), '2026-01-14', false);
    const copied = original.replace('/2026/01/14/', '/2026/01/15/');
    bucket.copy(original, copied, 'v-copied');
    const { s3 } = serveBucket(bucket);
    const out = tmp();

    const { code, lines, manifest } = await run(s3, { out, trust });

    expect(code).toBe(4);
    const copy = manifest.objects.find((o) => o.key === copied)!;
    expect(copy.checks).toMatchObject({ signature: 'valid', envelope: 'key-mismatch' });
    expect(lines).toEqual(
      expect.arrayContaining([
        `problem ${copied}: the envelope was collected at 2026-01-14T06:00:03.120Z but its key says 2026-01-15 060003Z: it is stored under another run's key`,
        expect.stringMatching(
          new RegExp(
            `^problem ${copied}: source ${original.replace('.json', '--')}.* does not share the envelope's key stem`,
          ),
        ),
        `gap iam-mfa account ${ACCOUNT} 2026-01-15: missing`,
      ]),
    );
    expect(manifest.summary).toEqual({ objects: 92, integrityProblems: 1, gaps: 1 });
  });

  it('downloads the original version of an overwritten key, not the newest, and names every other version once', async () => {
    const { bucket, clock, signers } = producerBucket();
    await runDays(bucket, clock, '2026-01-01', '2026-01-31');
    await seal(bucket, clock, '2026-02-01T00:30:00Z', signers.get(SEALER_PRODUCER)!);
    const overwritten = keyOn(bucket.objects.keys(), '2026-01-10', false);
    // The overwrite is the newer, current version: S3 lists it first.
    bucket.addVersions(overwritten, [
      {
        versionId: 'v-overwrite',
        deleteMarker: false,
        isLatest: true,
        lastModified: new Date('2026-01-20T10:00:00Z'),
      },
    ]);
    const deleted = keyOn(bucket.objects.keys(), '2026-01-12', true);
    bucket.addVersions(deleted, [
      {
        versionId: 'dm-1',
        deleteMarker: true,
        isLatest: true,
        lastModified: new Date('2026-01-21T10:00:00Z'),
      },
    ]);
    // One entry per page: a key's versions straddle pages, following KeyMarker and VersionIdMarker.
    const { s3, calls } = serveBucket(bucket, { pageSize: 1 });
    const out = tmp();
    const trust = writeTrustFile(join(out, '..'), signers);

    const { code, lines, manifest } = await run(s3, { out, trust });

    expect(code).toBe(4);
    const original = (k: string) => bucket.objects.get(k)!.versionId;
    expect(lines.filter((l) => l.startsWith('problem '))).toEqual([
      `problem ${overwritten}: the key holds more than one version: ${original(overwritten)} (downloaded) and v-overwrite (latest); evidence is written once, so it was overwritten or deleted`,
      `problem ${deleted}: the key holds more than one version: ${original(deleted)} (downloaded) and dm-1 (delete marker) (latest); evidence is written once, so it was overwritten or deleted`,
    ]);
    const gets = calls.filter((c) => c.api === 'S3:GetObject').map((c) => c.input);
    expect(gets.find((g) => g.Key === overwritten)).toMatchObject({ VersionId: original(overwritten) });
    expect(gets.find((g) => g.Key === deleted)).toMatchObject({ VersionId: original(deleted) });
    expect(manifest.objects.find((o) => o.key === deleted)!.otherVersions).toEqual([
      { versionId: 'dm-1', deleteMarker: true, isLatest: true, lastModified: '2026-01-21T10:00:00.000Z' },
    ]);
    expect(manifest.summary).toEqual({ objects: 93, integrityProblems: 2, gaps: 0 });
  });

  it('expects only scheduled registry collectors: attestations, review emails and the watchdog are never gaps', async () => {
    // Each producer's own key, the reviewer's attestation unsigned (a person writes it); sealed daily.
    const signers = new Map(
      ['access-review', WATCHDOG_PRODUCER, SEALER_PRODUCER].map((id) => [
        id,
        LocalSigner.generate(`k-${id}`),
      ]),
    );
    const clock = { at: new Date('2026-01-01T00:00:00Z') };
    const bucket = new EvidenceBucket({
      signer: (key) => signers.get(producerOfKey(key) ?? ''),
      retention: { mode: 'COMPLIANCE', until: RETAIN_UNTIL },
      now: () => clock.at,
    });
    const write = async (collector: string, collectedAt: string, schedule?: ScheduleRef) => {
      clock.at = new Date(Date.parse(collectedAt) + 1000);
      const runId = `run-${collector}-${collectedAt.slice(0, 10)}`;
      await writeEvidence(
        bucket,
        draftEnvelope({
          collector,
          controls: ['CC6.2'],
          account: ACCOUNT,
          region: 'global',
          collectedAt: new Date(collectedAt),
          ...(schedule ? { schedule } : {}),
          policy: {},
          findings: [],
          errors: [],
          runId,
          invocationId: 'test',
        }),
        [],
        runId,
      );
    };
    const quarterly = { expression: DEFAULT_CRON.quarterly, timeZone: 'UTC' };
    await write('access-review', '2026-01-01T09:00:04.000Z', quarterly);
    // The review email records the review's schedule, but is sent whenever the review runs.
    await write('access-review-email', '2026-02-03T09:00:06.000Z', quarterly);
    await write('access-review-attestation', '2026-02-10T14:22:01.000Z');
    await write('coverage', '2026-03-01T07:00:00.000Z', { expression: 'cron(0 7 * * ? *)', timeZone: 'UTC' });
    // Ninety days: the sealer catches up over two runs (at most 62 days each).
    await seal(bucket, clock, '2026-04-01T00:30:00Z', signers.get(SEALER_PRODUCER)!);
    await seal(bucket, clock, '2026-04-01T00:30:00Z', signers.get(SEALER_PRODUCER)!);
    const { s3 } = serveBucket(bucket);
    const out = tmp();
    const trust = writeTrustFile(join(out, '..'), signers);

    const { code, lines, manifest } = await run(s3, {
      out,
      trust,
      from: '2026-01-01',
      to: '2026-03-31',
      collector: ['access-review', 'access-review-attestation', 'access-review-email', 'coverage'],
    });

    expect(lines.filter((l) => l.startsWith('gap '))).toEqual([]);
    // The attestation is always a problem: unsigned, only its writer's credentials say who wrote it.
    const attestation = manifest.objects.find((o) => o.collector === 'access-review-attestation')!;
    expect(lines.filter((l) => l.startsWith('problem '))).toEqual([
      `problem ${attestation.key}: ${unsignedExplanation('access-review-attestation')}`,
    ]);
    expect(code).toBe(4);
    expect(Object.keys(manifest.coverage[0]!.schedules)).toEqual(['access-review']);
    expect(manifest.coverage[0]!.unscheduled).toEqual([
      'access-review-attestation',
      'access-review-email',
      'coverage',
    ]);
    const csv = readFileSync(join(out, 'coverage.csv'), 'utf8');
    expect(csv).toContain(`${ACCOUNT},access-review,2026-01-01,true,present,1\n`);
    expect(csv).toContain(`${ACCOUNT},access-review-attestation,2026-02-10,false,present,1\n`);
    expect(csv).toContain(`${ACCOUNT},access-review-email,2026-02-03,false,present,1\n`);
    expect(csv).toContain(`${ACCOUNT},coverage,2026-03-02,false,not-expected,0\n`);
  });

  it('warns about GOVERNANCE retention and reports a retain-until date before the day after collection', async () => {
    const { bucket, clock, signers } = producerBucket();
    await runDays(bucket, clock, '2026-01-01', '2026-01-03');
    await seal(bucket, clock, '2026-01-04T00:30:00Z', signers.get(SEALER_PRODUCER)!);
    for (const key of [...bucket.objects.keys()].filter((k) => k.startsWith('evidence/')))
      bucket.alter(key, (o) => ({
        ...o,
        retention: { mode: 'GOVERNANCE', until: new Date('2027-03-01T00:00:00Z') },
      }));
    const short = keyOn(bucket.objects.keys(), '2026-01-02', true);
    bucket.alter(short, (o) => ({
      ...o,
      retention: { mode: 'COMPLIANCE', until: new Date('2026-01-02T23:59:59Z') },
    }));
    const { s3 } = serveBucket(bucket);
    const out = tmp();
    const trust = writeTrustFile(join(out, '..'), signers);

    const { code, lines, manifest } = await run(s3, {
      out,
      trust,
      from: '2026-01-01',
      to: '2026-01-03',
    });

    expect(code).toBe(4);
    expect(lines.filter((l) => l.startsWith('problem '))).toEqual([
      `problem ${short}: Object Lock retention ends 2026-01-02T23:59:59.000Z, before the day after the evidence was collected (2026-01-02): it protects nothing`,
    ]);
    expect(lines).toContain(
      'warning: 5 object(s): Object Lock mode is GOVERNANCE: a principal with s3:BypassGovernanceRetention can shorten the lock or delete the object',
    );
    const governed = manifest.objects.filter((o) => o.key !== short && o.kind !== 'digest');
    expect(governed.every((o) => o.checks.retention === 'governance' && o.problems.length === 0)).toBe(true);
    expect(governed[0]!.warnings).toEqual([expect.stringMatching(/^Object Lock mode is GOVERNANCE/)]);
    expect(manifest.objects.find((o) => o.key === short)!.checks.retention).toBe('too-short');
    expect(manifest.summary).toEqual({ objects: 9, integrityProblems: 1, gaps: 0 });
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('<h2>Warnings</h2>');
    expect(html).toMatch(/<li class="warn">Object Lock mode is GOVERNANCE[^<]*\(5 object\(s\)/);
  });

  it('reports late objects once each (absent from the digest, marked late, another version) and counts no run from them', async () => {
    const { bucket, clock, signers } = producerBucket();
    const sealer = signers.get(SEALER_PRODUCER)!;
    await runDays(bucket, clock, '2026-01-01', '2026-01-18', ['2026-01-15']);
    // Jan 19's run lands the next morning, after its day: the sealer marks it late.
    clock.at = new Date('2026-01-20T08:00:00Z');
    await writeDay(bucket, '2026-01-19');
    await runDays(bucket, clock, '2026-01-20', '2026-01-31');
    await seal(bucket, clock, '2026-02-01T00:30:00Z', sealer);
    // Backfilled after Jan 15 was sealed: not in its digest.
    clock.at = new Date('2026-02-01T09:00:00Z');
    await writeDay(bucket, '2026-01-15', 'backfill');
    // Another version than the one sealed.
    const swapped = keyOn(bucket.objects.keys(), '2026-01-25', false);
    const sealedVersion = bucket.objects.get(swapped)!.versionId;
    bucket.alter(swapped, (o) => ({ ...o, versionId: 'v-swapped' }));
    const { s3 } = serveBucket(bucket);
    const out = tmp();
    const trust = writeTrustFile(join(out, '..'), signers);

    const { code, lines, manifest } = await run(s3, { out, trust });

    expect(code).toBe(4);
    const late = manifest.objects.filter((o) => o.checks.custody === 'late').map((o) => o.key);
    const backfilled = [...bucket.objects.keys()].filter((k) => k.includes('backfill')).sort();
    const markedLate = [...bucket.objects.keys()].filter((k) => k.includes('run-2026-01-19')).sort();
    expect(late.sort()).toEqual([...backfilled, ...markedLate, swapped].sort());
    for (const key of late)
      expect(
        manifest.objects.find((o) => o.key === key)!.problems.filter((p) => p.startsWith('late: ')),
      ).toHaveLength(1);
    const env = backfilled.find((k) => k.endsWith('.json'))!;
    expect(lines).toContain(
      `problem ${env}: late: absent from ${digestKey('2026-01-15', ACCOUNT)} (sealed 2026-02-01T00:30:00.000Z): written after its day was sealed, it proves no run`,
    );
    expect(lines).toContain(
      `problem ${markedLate.find((k) => k.endsWith('.json'))!}: late: ${digestKey('2026-01-19', ACCOUNT)} lists it as written at 2026-01-20T08:00:00.000Z, after its day 2026-01-19 ended: it proves no run`,
    );
    expect(lines).toContain(
      `problem ${swapped}: late: ${digestKey('2026-01-25', ACCOUNT)} sealed version ${sealedVersion}, the bucket now gives v-swapped: it proves no run`,
    );
    // Late envelopes prove no run: Jan 15 stays a gap, and so do Jan 19 (its run was late) and Jan 25.
    expect(lines.filter((l) => l.startsWith('gap '))).toEqual([
      `gap iam-mfa account ${ACCOUNT} 2026-01-15: missing`,
      `gap iam-mfa account ${ACCOUNT} 2026-01-19: missing`,
      `gap iam-mfa account ${ACCOUNT} 2026-01-25: missing`,
    ]);
    // Each late object is one object with problems, however many it has.
    expect(manifest.summary.integrityProblems).toBe(
      manifest.objects.filter((o) => o.problems.length > 0).length,
    );
    expect(manifest.summary.integrityProblems).toBe(5);
    expect(lines.at(-1)).toMatch(/: 5 with integrity problems \(5 late\), 3 gaps$/);
  });

  it('pulls the latest digest before --from, and judges a digest that is not canonical or not signed by the sealer', async () => {
    const { bucket, clock, signers } = producerBucket();
    const sealer = signers.get(SEALER_PRODUCER)!;
    await runDays(bucket, clock, '2026-01-01', '2026-01-12');
    await seal(bucket, clock, '2026-01-13T00:30:00Z', sealer);
    // Re-serialised, and signed again by the sealer's key: still not its own canonical form.
    const edited = digestKey('2026-01-11', ACCOUNT);
    const pretty = Buffer.from(
      JSON.stringify(JSON.parse(bucket.objects.get(edited)!.body.toString()), null, 2),
    );
    const { signature } = await sealer.sign(pretty);
    bucket.alter(edited, (o) => ({
      ...o,
      body: pretty,
      signature,
      sha256: createHash('sha256').update(pretty).digest('hex'),
    }));
    // Signed by iam-mfa's key: one function wrote another's evidence.
    const foreign = digestKey('2026-01-12', ACCOUNT);
    const { signature: wrong } = await signers.get('iam-mfa')!.sign(bucket.objects.get(foreign)!.body);
    bucket.alter(foreign, (o) => ({ ...o, signature: wrong }));
    const { s3 } = serveBucket(bucket);
    const out = tmp();
    const trust = writeTrustFile(join(out, '..'), signers);

    const { code, lines, manifest } = await run(s3, { out, trust, from: '2026-01-10', to: '2026-01-12' });

    expect(code).toBe(4);
    const digests = manifest.objects.filter((o) => o.kind === 'digest').map((o) => o.key);
    // The period's, and every digest of the look-back year for risk acceptances (here back to the first
    // sealed day, 2026-01-01), the one before --from among them.
    expect(digests).toEqual(
      ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'].map((d) =>
        digestKey(`2026-01-${d}`, ACCOUNT),
      ),
    );
    expect(lines.filter((l) => l.startsWith('problem '))).toEqual([
      `problem ${edited}: the digest is not its own canonical JSON: it was re-serialised or edited`,
      `problem ${foreign}: signed with the key of iam-mfa, but this is evidence of ${SEALER_PRODUCER}: one function wrote another's evidence`,
    ]);
    // A digest that does not hold seals nothing: its day's objects are unsealed, not judged late.
    const custody = (date: string) =>
      new Set(manifest.objects.filter((o) => o.date === date).map((o) => o.checks.custody));
    expect(custody('2026-01-10')).toEqual(new Set(['sealed']));
    expect(custody('2026-01-11')).toEqual(new Set(['unsealed']));
    expect(custody('2026-01-12')).toEqual(new Set(['unsealed']));
  });

  it('re-checks what it resumes: S3 facts changed since the first pull are seen, and an edited file is downloaded again', async () => {
    const { bucket, clock, signers } = producerBucket();
    await runDays(bucket, clock, '2026-01-01', '2026-01-03');
    await seal(bucket, clock, '2026-01-04T00:30:00Z', signers.get(SEALER_PRODUCER)!);
    const { s3, calls } = serveBucket(bucket);
    const out = tmp();
    const trust = writeTrustFile(join(out, '..'), signers);
    expect((await run(s3, { out, trust, from: '2026-01-01', to: '2026-01-03' })).code).toBe(0);

    const shortened = keyOn(bucket.objects.keys(), '2026-01-01', true);
    bucket.alter(shortened, (o) => ({
      ...o,
      retention: { mode: 'GOVERNANCE', until: new Date('2026-01-01T12:00:00Z') },
    }));
    const unsigned = keyOn(bucket.objects.keys(), '2026-01-02', false);
    bucket.alter(unsigned, ({ signature: _s, signingKey: _k, ...o }) => o);
    const edited = keyOn(bucket.objects.keys(), '2026-01-03', true);
    chmodSync(join(out, edited), 0o644);
    writeFileSync(join(out, edited), 'edited locally');
    calls.length = 0;

    const { code, lines, manifest } = await run(s3, { out, trust, from: '2026-01-01', to: '2026-01-03' });

    expect(calls.filter((c) => c.api === 'S3:GetObject').map((c) => c.input.Key)).toEqual([edited]);
    expect(code).toBe(4);
    expect(lines.filter((l) => l.startsWith('problem '))).toEqual([
      `problem ${shortened}: Object Lock retention ends 2026-01-01T12:00:00.000Z, before the day after the evidence was collected (2026-01-01): it protects nothing`,
      `problem ${unsigned}: ${unsignedExplanation('iam-mfa')}`,
      `problem ${unsigned}: the object's signature differs from the one ${digestKey('2026-01-02', ACCOUNT)} sealed (it now carries none): only the sealed signature counts`,
    ]);
    expect(unsignedExplanation('iam-mfa')).toContain('written by `collect --bucket --unsigned`');
    expect(manifest.objects.find((o) => o.key === edited)!.problems).toEqual([]);
    expect(readFileSync(join(out, edited))).toEqual(bucket.objects.get(edited)!.body);
    expect(lines.at(-1)).toMatch(
      /\(1 downloaded, 8 already present, 3 daily digests\).*: 2 with integrity problems, 0 gaps$/,
    );
  });

  it('counts no run of a day no digest seals: says so once per day, and judges its objects late by LastModified', async () => {
    const { bucket, clock, signers } = producerBucket();
    await runDays(bucket, clock, '2026-01-01', '2026-01-03');
    await seal(bucket, clock, '2026-01-04T00:30:00Z', signers.get(SEALER_PRODUCER)!);
    await runDays(bucket, clock, '2026-01-04', '2026-01-05');
    // Written on Jan 5 under Jan 4's key: Jan 4 is not sealed yet, so only S3's LastModified tells.
    clock.at = new Date('2026-01-05T09:00:00Z');
    await writeDay(bucket, '2026-01-04', 'backfill');
    const out = tmp();
    const trust = writeTrustFile(join(out, '..'), signers);
    const lines: string[] = [];
    const code = await pull(
      { bucket: BUCKET, from: '2026-01-01', to: '2026-01-05', collector: ['iam-mfa'], out, trust },
      { s3: serveBucket(bucket).s3, out: (l) => lines.push(l), now: () => new Date('2026-01-05T10:00:00Z') },
    );
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;

    expect(lines.filter((l) => l.startsWith('note: '))).toEqual(
      ['2026-01-04', '2026-01-05'].map(
        (d) =>
          `note: ${d}: not sealed yet: pull again after 00:30 UTC the day after (no digest for account ${ACCOUNT}; its objects prove no run until then)`,
      ),
    );
    const backfill = manifest.objects.find((o) => o.key.includes('backfill') && o.kind === 'envelope')!;
    expect(backfill.checks.custody).toBe('late');
    expect(lines).toContain(
      `problem ${backfill.key}: late: written 2026-01-05T09:00:00.000Z, after its day 2026-01-04 ended, and no digest seals that day: it proves no run`,
    );
    const onTime = manifest.objects.find((o) => o.key.includes('run-2026-01-04') && o.kind === 'envelope')!;
    expect(onTime.checks.custody).toBe('unsealed');
    expect(onTime.problems).toEqual([]);
    // Their runs are not counted until the days are sealed: both days are gaps.
    expect(lines.filter((l) => l.startsWith('gap '))).toEqual([
      `gap iam-mfa account ${ACCOUNT} 2026-01-04: missing`,
      `gap iam-mfa account ${ACCOUNT} 2026-01-05: missing`,
    ]);
    expect(code).toBe(4);
  });

  it('reports a signature that differs from the one sealed with the object (an object sealed unsigned, signed later)', async () => {
    const { bucket, clock, signers } = producerBucket();
    await runDays(bucket, clock, '2026-01-01', '2026-01-03');
    // Written with an administrator's own credentials: unsigned when its day is sealed.
    const envelope = keyOn(bucket.objects.keys(), '2026-01-02', false);
    bucket.alter(envelope, ({ signature: _s, signingKey: _k, ...o }) => o);
    await seal(bucket, clock, '2026-01-04T00:30:00Z', signers.get(SEALER_PRODUCER)!);
    // A producer's signature over the same bytes, offered afterwards.
    const { signature } = await signers.get('iam-mfa')!.sign(bucket.objects.get(envelope)!.body);
    bucket.alter(envelope, (o) => ({ ...o, signature }));
    const out = tmp();
    const trust = writeTrustFile(join(out, '..'), signers);

    const { code, lines, manifest } = await run(serveBucket(bucket).s3, {
      out,
      trust,
      from: '2026-01-01',
      to: '2026-01-03',
    });

    expect(lines.filter((l) => l.startsWith('problem '))).toEqual([
      `problem ${envelope}: the object carries a signature, but ${digestKey('2026-01-02', ACCOUNT)} sealed none: it was unsigned when its day was sealed, and only the sealed signature counts`,
    ]);
    expect(manifest.summary.integrityProblems).toBe(1);
    expect(code).toBe(4);
  });
});
