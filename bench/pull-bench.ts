import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { S3Client } from '@aws-sdk/client-s3';
// The mixin @smithy/util-stream exports, so a Body has transformToByteArray as a real response's does.
import { sdkStreamMixin } from '@smithy/core/serde';
import { OfflineClientFactory, type Answers } from '../cli/demo/offline-clients';
import { COLLECTORS } from '../lambdas/collectors/registry';
import { hexToBase64 } from '../lambdas/evidence/canonical-json';
import { SCHEMA_VERSION, summarise, type Finding } from '../lambdas/evidence/envelope';
import { LocalSigner, SIGNATURE_METADATA, SIGNING_KEY_METADATA } from '../lambdas/evidence/signer';
import type { EvidenceObject, EvidenceStore, StoredObject } from '../lambdas/evidence/store';
import { writeEvidence } from '../lambdas/evidence/write-evidence';
import { PRODUCER } from '../lambdas/producer';
import { pull } from '../cli/pull';
import { verify } from '../cli/verify';
import { ACCOUNT_ID, PAGE, seededRandom } from './synthetic-account';

const BUCKET = 'evidence-bucket-example';
const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

interface Stored {
  readonly body: Buffer;
  readonly sha256: string;
  readonly signature: string;
  readonly versionId: string;
}

/** The evidence bucket as S3Store leaves it: signed objects under COMPLIANCE retention, held in memory. */
class SignedMemoryBucket implements EvidenceStore {
  readonly objects = new Map<string, Stored>();
  readonly description = 'memory';
  constructor(private readonly signer: LocalSigner) {}
  async put(o: EvidenceObject): Promise<StoredObject> {
    const { signature } = await this.signer.sign(o.body);
    this.objects.set(o.key, {
      body: Buffer.from(o.body),
      sha256: o.sha256,
      signature,
      versionId: `v${this.objects.size + 1}`,
    });
    return { key: o.key, sha256: o.sha256, location: `memory:${o.key}` };
  }
}

/** Every collector once a day (an envelope and one source each), as many days as `objects` needs. */
async function fillBucket(
  bucket: SignedMemoryBucket,
  objects: number,
): Promise<{ from: string; to: string }> {
  const perDay = COLLECTORS.length * 2;
  const days = Math.ceil(objects / perDay);
  const start = Date.parse('2024-01-01T00:00:00Z');
  const rnd = seededRandom(42);
  let written = 0;
  for (let d = 0; d < days && written < objects; d++) {
    const date = new Date(start + d * 86_400_000).toISOString().slice(0, 10);
    for (const c of COLLECTORS) {
      if (written >= objects) break;
      const runId = `run-${date}-${c.id}`;
      const findings: Finding[] = Array.from({ length: 5 }, (_, i) => ({
        resource: `arn:aws:iam::${ACCOUNT_ID}:user/user-${i}`,
        check: 'synthetic',
        status: rnd() < 0.8 ? 'PASS' : 'FAIL',
        detail: { n: i },
      }));
      await writeEvidence(
        bucket,
        {
          schemaVersion: SCHEMA_VERSION,
          collector: c.id,
          controls: c.controls,
          account: ACCOUNT_ID,
          ...(c.scope === 'global'
            ? { region: 'global' }
            : { region: 'multi-region', regions: ['us-east-1'] }),
          collectedAt: `${date}T06:00:03.120Z`,
          policy: {},
          summary: summarise(findings, []),
          findings,
          errors: [],
          producer: { ...PRODUCER, runId, invocationId: 'bench' },
        },
        [
          {
            name: 'source.json',
            api: 'bench:Synthetic',
            contentType: 'application/json',
            body: Buffer.from(JSON.stringify({ date, collector: c.id, padding: 'x'.repeat(800) })),
          },
        ],
        runId,
      );
      written += 2;
    }
  }
  return { from: '2024-01-01', to: new Date(start + (days - 1) * 86_400_000).toISOString().slice(0, 10) };
}

function bucketAnswers(bucket: SignedMemoryBucket): Answers {
  const keys = [...bucket.objects.keys()].sort();
  /** Keys are sorted, so a prefix is one contiguous run of them: [start, end). */
  const prefixRange = (prefix: string): [number, number] => {
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    let end = lo;
    while (end < keys.length && keys[end]!.startsWith(prefix)) end++;
    return [lo, end];
  };
  return {
    'S3:ListObjectVersions': (input) => {
      const prefix = String(input.Prefix ?? '');
      const marker = typeof input.KeyMarker === 'string' ? input.KeyMarker : '';
      const [lo, end] = prefixRange(prefix);
      let from = lo;
      while (from < end && marker && keys[from]! <= marker) from++;
      const size = Math.min(
        typeof input.MaxKeys === 'number' ? input.MaxKeys : 1000,
        PAGE.s3ListObjects!.max,
      );
      const page = keys.slice(from, Math.min(end, from + size));
      const truncated = from + page.length < end;
      return {
        Versions: page.map((Key) => {
          const o = bucket.objects.get(Key)!;
          return {
            Key,
            VersionId: o.versionId,
            IsLatest: true,
            Size: o.body.length,
            ETag: `"${o.sha256.slice(0, 32)}"`,
            LastModified: new Date('2025-01-01T00:00:00Z'),
          };
        }),
        DeleteMarkers: [],
        IsTruncated: truncated,
        ...(truncated
          ? { NextKeyMarker: page.at(-1), NextVersionIdMarker: bucket.objects.get(page.at(-1)!)!.versionId }
          : {}),
      };
    },
    'S3:GetObject': (input) => {
      const o = bucket.objects.get(String(input.Key));
      if (!o)
        throw Object.assign(new Error('The specified key does not exist.'), {
          name: 'NoSuchKey',
          $fault: 'client',
        });
      return {
        Body: sdkStreamMixin(Readable.from([o.body])),
        ContentLength: o.body.length,
        ETag: `"${o.sha256.slice(0, 32)}"`,
        VersionId: o.versionId,
        ...(input.ChecksumMode === 'ENABLED' ? { ChecksumSHA256: hexToBase64(o.sha256) } : {}),
        Metadata: { sha256: o.sha256, [SIGNATURE_METADATA]: o.signature, [SIGNING_KEY_METADATA]: KEY_ARN },
        ObjectLockMode: 'COMPLIANCE',
        ObjectLockRetainUntilDate: new Date('2031-01-01T00:00:00Z'),
      };
    },
  };
}

export interface PullBenchResult {
  readonly objects: number;
  readonly days: number;
  readonly setupMs: number;
  readonly pullMs: number;
  readonly verifyMs: number;
  readonly pullExit: number;
  readonly verifyExit: number;
  readonly apiCalls: number;
  readonly throttled: number;
  readonly retries: number;
  readonly lastLine: string;
}

/** Pulls `objects` evidence objects from a mocked bucket through the real pull, then verifies the package. */
export async function benchPull(
  objects: number,
  latencyMs: number,
  throttleRate: number,
): Promise<PullBenchResult> {
  const t0 = Date.now();
  const signer = LocalSigner.generate(KEY_ARN);
  const bucket = new SignedMemoryBucket(signer);
  const period = await fillBucket(bucket, objects);
  const work = mkdtempSync(join(tmpdir(), 'soc2-bench-pull-'));
  const keyFile = join(work, 'signing-key.pem');
  writeFileSync(keyFile, signer.publicKeyPem());
  const out = join(work, 'package');
  const clients = new OfflineClientFactory(bucketAnswers(bucket), {
    latencyMs,
    throttleRate,
    random: seededRandom(7),
  });
  const setupMs = Date.now() - t0;
  const lines: string[] = [];
  try {
    const t1 = Date.now();
    const pullExit = await pull(
      { bucket: BUCKET, from: period.from, to: period.to, out, publicKey: keyFile },
      {
        s3: clients.get(S3Client, 'us-east-1'),
        out: (l) => lines.push(l),
        now: () => new Date('2026-01-01T00:00:00Z'),
      },
    );
    const t2 = Date.now();
    const verifyLines: string[] = [];
    const verifyExit = await verify(out, { publicKey: keyFile }, (l) => verifyLines.push(l));
    const t3 = Date.now();
    return {
      objects: bucket.objects.size,
      days: Math.round((Date.parse(period.to) - Date.parse(period.from)) / 86_400_000) + 1,
      setupMs,
      pullMs: t2 - t1,
      verifyMs: t3 - t2,
      pullExit,
      verifyExit,
      apiCalls: clients.stats.calls,
      throttled: clients.stats.throttled,
      retries: clients.sdkStats.retries,
      lastLine: [...lines.slice(-1), ...verifyLines.slice(-3)].join(' | '),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
