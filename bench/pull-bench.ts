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
import { s3Reader } from '../lambdas/evidence/read-store';
import { LocalSigner } from '../lambdas/evidence/signer';
import { writeEvidence } from '../lambdas/evidence/write-evidence';
import { sealDays } from '../lambdas/sealer/seal';
import { pull } from '../cli/pull';
import { ACCEPTANCE_LOOKBACK_DAYS } from '../cli/pull/pull';
import { verify } from '../cli/verify';
import { ACCOUNT_ID, PAGE, seededRandom } from './synthetic-account';

const BUCKET = 'evidence-bucket-example';
const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const DAY_MS = 86_400_000;

interface Filled {
  readonly from: string;
  readonly to: string;
  /** Writing (and signing) the evidence objects. */
  readonly fillMs: number;
  /** The sealer's runs, one per day: the daily digests pull and verify start from. */
  readonly sealMs: number;
  readonly digests: number;
  readonly sealApiCalls: number;
}

/**
 * The collectors the package holds: the eight of the first measurements, so the package keeps its shape (16
 * objects a day, 625 days for 10,000 objects) and its figures stay comparable as collectors are added; pull
 * is given them as its --collector filter, so coverage expects these and no others.
 */
const PULL_BENCH_COLLECTORS = COLLECTORS.filter((c) =>
  [
    'iam-mfa',
    'inactive-users',
    'access-review',
    'network-exposure',
    'console-signins',
    'backups',
    'encryption',
    'tls',
  ].includes(c.id),
);

/**
 * Each of PULL_BENCH_COLLECTORS once a day (an envelope and one source each), as many days as `objects` needs, each day
 * sealed by the real sealer at 00:30Z the next day as it runs deployed (and as the demo does). The bucket's
 * clock is the collection time while a day is written, so each object's LastModified is inside its key's
 * day (on time, not late), then the sealer's run time while it writes that day's digest.
 */
async function fillAndSeal(
  bucket: EvidenceBucket,
  setClock: (at: Date) => void,
  signer: LocalSigner,
  objects: number,
): Promise<Filled> {
  const perDay = PULL_BENCH_COLLECTORS.length * 2;
  const days = Math.ceil(objects / perDay);
  const start = Date.parse('2024-01-01T00:00:00Z');
  const rnd = seededRandom(42);
  // The sealer reads the bucket through the S3 API, as deployed; no latency: sealing is setup here.
  const sealerClients = new OfflineClientFactory(
    bucketAnswers(bucket, { pageSize: PAGE.s3ListObjects!.max }),
  );
  const reader = s3Reader(sealerClients.get(S3Client, 'us-east-1'), BUCKET);
  let written = 0;
  let fillMs = 0;
  let sealMs = 0;
  let digests = 0;
  for (let d = 0; d < days && written < objects; d++) {
    const date = new Date(start + d * DAY_MS).toISOString().slice(0, 10);
    const collectedAt = new Date(`${date}T06:00:03.120Z`);
    setClock(collectedAt);
    const t0 = Date.now();
    for (const c of PULL_BENCH_COLLECTORS) {
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
          collectedAt,
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
    const t1 = Date.now();
    // The sealer's scheduled run after the day ended (SEALER_CRON, 00:30 UTC), sealing that day.
    const sealedAt = new Date(Date.parse(`${date}T00:30:00.000Z`) + DAY_MS);
    setClock(sealedAt);
    const sealed = await sealDays({
      reader,
      store: bucket,
      account: ACCOUNT_ID,
      now: sealedAt,
      runId: `bench-seal-${date}`,
      publicKey: signer.publicKey,
    });
    if (sealed.problems.length > 0 || sealed.remainingDays !== 0 || sealed.days.at(-1) !== date)
      throw new Error(
        `the bench's sealer on ${date}: sealed ${sealed.days.join(', ') || 'nothing'}, ${sealed.remainingDays} day(s) left${
          sealed.problems.length ? `; ${sealed.problems.join('; ')}` : ''
        }`,
      );
    digests += sealed.sealed.length;
    fillMs += t1 - t0;
    sealMs += Date.now() - t1;
  }
  return {
    from: '2024-01-01',
    to: new Date(start + (days - 1) * DAY_MS).toISOString().slice(0, 10),
    fillMs,
    sealMs,
    digests,
    sealApiCalls: sealerClients.stats.calls,
  };
}

export interface PullBenchResult {
  readonly objects: number;
  readonly days: number;
  /** Everything before pull: fill, seal, and the clients and key file. */
  readonly setupMs: number;
  /** Writing and signing the evidence objects (part of setup). */
  readonly fillMs: number;
  /** The sealer's runs, one per day, writing the daily digests (part of setup, not of pull). */
  readonly sealMs: number;
  readonly digests: number;
  /** S3 calls the sealer made (no latency injected). */
  readonly sealApiCalls: number;
  readonly pullMs: number;
  readonly verifyMs: number;
  /**
   * CPU time (user + system, every thread of the process) spent in pull and in verify: steadier than the
   * wall times on a shared machine, where waiting for a core shows in the wall time only.
   */
  readonly pullCpuMs: number;
  readonly verifyCpuMs: number;
  readonly pullExit: number;
  readonly verifyExit: number;
  /** pull's S3 calls (at the injected latency), in all and by API. */
  readonly apiCalls: number;
  readonly byApi: Record<string, number>;
  readonly minCalls: number;
  readonly minFormula: string;
  readonly throttled: number;
  readonly retries: number;
  readonly lastLine: string;
}

/**
 * The fewest S3 calls pull can make for this bucket: one ListObjectVersions page per day for evidence/ and
 * one for digests/ (a day holds under 1,000 keys), the walk back from --from for the digest before the
 * period (digests/, digests/2024/, digests/2024/01/: three listings, which find none, since the first
 * sealed day is --from), the look-back for risk acceptances (one listing per day of the year before --from
 * and one per month of its digests; none found here) and one GetObject per evidence object and per digest.
 */
function minimumCalls(
  from: string,
  days: number,
  objects: number,
  digests: number,
): { calls: number; formula: string } {
  const before = 3;
  const start = Date.parse(`${from}T00:00:00.000Z`);
  const lookback = Array.from({ length: ACCEPTANCE_LOOKBACK_DAYS }, (_, i) =>
    new Date(start - (i + 1) * DAY_MS).toISOString().slice(0, 7),
  );
  const months = new Set(lookback).size;
  return {
    calls: 2 * days + before + lookback.length + months + objects + digests,
    formula: `2 × ${days} day listings (evidence/, digests/) + ${before} (digest before --from) + ${lookback.length} + ${months} (risk acceptances and digests of the look-back year) + ${objects} GetObject (evidence) + ${digests} GetObject (digests)`,
  };
}

const cpuMs = (u: NodeJS.CpuUsage) => Math.round((u.user + u.system) / 1000);

/**
 * Pulls `objects` evidence objects from a mocked bucket through the real pull, then verifies the package.
 * The bucket is sealed day by day first (setup, timed apart): one LocalSigner signs the evidence and the
 * digests alike, and pull and verify trust it with `--public-key`, a key trusted for every producer, so
 * the benchmark does not exercise per-producer key binding (`--trust`).
 */
export async function benchPull(
  objects: number,
  latencyMs: number,
  throttleRate: number,
): Promise<PullBenchResult> {
  const t0 = Date.now();
  const signer = LocalSigner.generate(KEY_ARN);
  let clock = new Date('2024-01-01T00:00:00Z');
  // The bucket as S3Store leaves it (signed, COMPLIANCE retention), the same model the demo and tests use.
  const bucket = new EvidenceBucket({
    signer,
    retention: { mode: 'COMPLIANCE', until: new Date('2031-01-01T00:00:00Z') },
    now: () => clock,
  });
  const filled = await fillAndSeal(bucket, (at) => (clock = at), signer, objects);
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
    const c1 = process.cpuUsage();
    const t1 = Date.now();
    const pullExit = await pull(
      {
        bucket: BUCKET,
        from: filled.from,
        to: filled.to,
        out,
        publicKey: [keyFile],
        collector: PULL_BENCH_COLLECTORS.map((c) => c.id),
      },
      {
        s3: clients.get(S3Client, 'us-east-1'),
        out: (l) => lines.push(l),
        now: () => new Date('2026-01-01T00:00:00Z'),
      },
    );
    const t2 = Date.now();
    const c2 = process.cpuUsage(c1);
    const verifyLines: string[] = [];
    const verifyExit = await verify(out, { publicKey: [keyFile] }, (l) => verifyLines.push(l));
    const t3 = Date.now();
    const c3 = process.cpuUsage();
    const days = Math.round((Date.parse(filled.to) - Date.parse(filled.from)) / DAY_MS) + 1;
    const evidence = bucket.objects.size - filled.digests;
    const min = minimumCalls(filled.from, days, evidence, filled.digests);
    return {
      objects: evidence,
      days,
      setupMs,
      fillMs: filled.fillMs,
      sealMs: filled.sealMs,
      digests: filled.digests,
      sealApiCalls: filled.sealApiCalls,
      pullMs: t2 - t1,
      verifyMs: t3 - t2,
      pullCpuMs: cpuMs(c2),
      verifyCpuMs: cpuMs({ user: c3.user - c1.user - c2.user, system: c3.system - c1.system - c2.system }),
      pullExit,
      verifyExit,
      apiCalls: clients.stats.calls,
      byApi: Object.fromEntries([...clients.stats.byApi].sort()),
      minCalls: min.calls,
      minFormula: min.formula,
      throttled: clients.stats.throttled,
      retries: clients.sdkStats.retries,
      lastLine: [...lines.slice(-1), ...verifyLines.slice(-3)].join(' | '),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
