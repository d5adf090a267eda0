/**
 * CPU per S3 call of a bucket-heavy collector, for issue 18's memory sizing (docs/PERFORMANCE.md, "Bucket
 * collectors: CPU per S3 call and memory size").
 *
 * Runs one collector's real `runCollector` against the benchmark's synthetic account, answered offline below
 * the SDK's retry layer as bench/child.ts does (serialisation, endpoint resolution, signing, checksums and
 * retries are the SDK's own; response parsing is not: the answer is injected as an object). Two runs of
 * different bucket counts in the same process give the marginal CPU of one bucket, free of the fixed part
 * (module load, RDS and EBS reads, the first client of each region). Run it bundled, so no TypeScript loader
 * sits in the measured process:
 *
 *   npx esbuild scripts/profile-bucket-calls.ts --bundle --platform=node --keep-names --outfile=/tmp/p.js
 *   node /tmp/p.js --collector encryption --buckets 2000,6000 [--regions 3] [--latency-ms 0] [--warmup 200]
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof /tmp/p.js --collector encryption --buckets 6000
 *
 * Prints one JSON line per run and, for two sizes, the marginal CPU per bucket and per S3 call.
 */
import { OfflineClientFactory } from '../cli/demo/offline-clients';
import { collectorById } from '../lambdas/collectors/registry';
import { sha256Hex } from '../lambdas/evidence/canonical-json';
import type { EvidenceObject, EvidenceStore, StoredObject } from '../lambdas/evidence/store';
import { runCollector } from '../lambdas/run-collector';
import { collectorSettings, parseConfig } from '../lib/config';
import { ACCOUNT_ID, DEFAULT_SIZES, SyntheticAccount } from '../bench/synthetic-account';

class CountingStore implements EvidenceStore {
  readonly description = 'counting';
  async put(o: EvidenceObject): Promise<StoredObject> {
    return { key: o.key, sha256: sha256Hex(o.body), location: `count:${o.key}` };
  }
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

interface RunFigures {
  readonly buckets: number;
  readonly s3Calls: number;
  readonly calls: number;
  readonly cpuMs: number;
  readonly wallMs: number;
  readonly status: string;
  readonly errors: number;
  readonly cpuMsAtEach1000Calls: readonly number[];
}

async function once(id: string, buckets: number, regions: number, latencyMs: number): Promise<RunFigures> {
  let cpu0 = process.cpuUsage();
  const collector = collectorById(id);
  if (!collector) throw new Error(`--collector must be a collector id, got ${id}`);
  const now = new Date('2026-12-01T06:00:00Z');
  // Few of everything else, so the buckets are what the run is made of.
  const account = new SyntheticAccount(
    20260302,
    { ...DEFAULT_SIZES, buckets, databases: 30, auroraClusters: 5, loadBalancers: 20, regions },
    now,
  );
  // CPU at every 1,000th per-bucket call: the slope inside one run, apart from its start-up.
  const answers = { ...account.answers() };
  const perBucketApi = id === 'encryption' ? 'S3:GetBucketEncryption' : 'S3:GetBucketPolicy';
  const inner = answers[perBucketApi];
  const trace: number[] = [];
  if (inner) {
    let n = 0;
    answers[perBucketApi] = (input, region) => {
      if (++n % 1000 === 0) {
        const c = process.cpuUsage(cpu0);
        trace.push(Math.round((c.user + c.system) / 1000));
      }
      return inner(input, region);
    };
  }
  const clients = new OfflineClientFactory(answers, { latencyMs });
  cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await runCollector(collector, {
    clients,
    store: new CountingStore(),
    account: ACCOUNT_ID,
    settings: collectorSettings(parseConfig({ regions: [...account.regions] })),
    now: () => now,
  });
  const cpu = process.cpuUsage(cpu0);
  const s3Calls = [...clients.stats.byApi]
    .filter(([api]) => api.startsWith('S3:'))
    .reduce((n, [, c]) => n + c, 0);
  return {
    buckets,
    s3Calls,
    calls: clients.stats.calls,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    wallMs: Math.round(performance.now() - t0),
    status: result.envelope.summary.status,
    errors: result.envelope.errors.length,
    cpuMsAtEach1000Calls: trace,
  };
}

async function main(): Promise<void> {
  const id = arg('collector', 'encryption');
  const sizes = arg('buckets', '2000,6000')
    .split(',')
    .map((s) => Number(s));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(
      `--buckets must be one or two positive integers separated by a comma, got ${arg('buckets', '')}`,
    );
  const regions = Number(arg('regions', '3'));
  const latencyMs = Number(arg('latency-ms', '0'));
  // A small warm-up run (`--warmup 0` skips it: a cold Lambda pays the JIT's first pass on every run).
  const warmup = Number(arg('warmup', '200'));
  if (warmup > 0) await once(id, warmup, regions, 0);
  const runs: RunFigures[] = [];
  for (const n of sizes) {
    const r = await once(id, n, regions, latencyMs);
    runs.push(r);
    console.log(JSON.stringify({ collector: id, ...r, cpuMsPerS3Call: +(r.cpuMs / r.s3Calls).toFixed(3) }));
  }
  if (runs.length === 2) {
    const [a, b] = runs as [RunFigures, RunFigures];
    const dCalls = b.s3Calls - a.s3Calls;
    console.log(
      JSON.stringify({
        collector: id,
        marginalCpuMsPerBucket: +((b.cpuMs - a.cpuMs) / (b.buckets - a.buckets)).toFixed(3),
        marginalCpuMsPerS3Call: +((b.cpuMs - a.cpuMs) / dCalls).toFixed(3),
        s3CallsPerBucket: +(dCalls / (b.buckets - a.buckets)).toFixed(3),
      }),
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
