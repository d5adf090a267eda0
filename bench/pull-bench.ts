import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { bucketAnswers } from '../cli/demo/bucket-answers';
import { EvidenceBucket } from '../cli/demo/evidence-bucket';
import { OfflineClientFactory } from '../cli/demo/offline-clients';
import { COLLECTORS } from '../lambdas/collectors/registry';
import { draftEnvelope } from '../lambdas/evidence/draft';
import type { Finding } from '../lambdas/evidence/envelope';
import { LocalSigner } from '../lambdas/evidence/signer';
import { writeEvidence } from '../lambdas/evidence/write-evidence';
import { pull } from '../cli/pull';
import { verify } from '../cli/verify';
import { ACCOUNT_ID, PAGE, seededRandom } from './synthetic-account';

const BUCKET = 'evidence-bucket-example';
const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** Every collector once a day (an envelope and one source each), as many days as `objects` needs. */
async function fillBucket(bucket: EvidenceBucket, objects: number): Promise<{ from: string; to: string }> {
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
        draftEnvelope({
          collector: c.id,
          controls: c.controls,
          account: ACCOUNT_ID,
          region: c.scope === 'global' ? 'global' : { regions: ['us-east-1'] },
          collectedAt: new Date(`${date}T06:00:03.120Z`),
          policy: {},
          findings,
          errors: [],
          runId,
          invocationId: 'bench',
        }),
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
  // The bucket as S3Store leaves it (signed, COMPLIANCE retention), the same model the demo and tests use.
  const bucket = new EvidenceBucket({
    signer,
    retention: { mode: 'COMPLIANCE', until: new Date('2031-01-01T00:00:00Z') },
    now: () => new Date('2025-01-01T00:00:00Z'),
  });
  const period = await fillBucket(bucket, objects);
  const work = mkdtempSync(join(tmpdir(), 'soc2-bench-pull-'));
  const keyFile = join(work, 'signing-key.pem');
  writeFileSync(keyFile, signer.publicKeyPem());
  const out = join(work, 'package');
  const clients = new OfflineClientFactory(bucketAnswers(bucket, { pageSize: PAGE.s3ListObjects!.max }), {
    latencyMs,
    throttleRate,
    random: seededRandom(7),
  });
  const setupMs = Date.now() - t0;
  const lines: string[] = [];
  try {
    const t1 = Date.now();
    const pullExit = await pull(
      { bucket: BUCKET, from: period.from, to: period.to, out, publicKey: [keyFile] },
      {
        s3: clients.get(S3Client, 'us-east-1'),
        out: (l) => lines.push(l),
        now: () => new Date('2026-01-01T00:00:00Z'),
      },
    );
    const t2 = Date.now();
    const verifyLines: string[] = [];
    const verifyExit = await verify(out, { publicKey: [keyFile] }, (l) => verifyLines.push(l));
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
