/**
 * CPU per S3 call of a bucket-heavy collector, for issue 18's memory sizing (docs/PERFORMANCE.md, "Bucket
 * collectors: pools per region, the deadline, CPU per S3 call and memory size").
 *
 * Runs one collector's real `runCollector` against the benchmark's synthetic account, answered offline below
 * the SDK's retry layer as bench/child.ts does (serialisation, endpoint resolution, signing, checksums and
 * retries are the SDK's own; response parsing is not: the answer is injected as an object). A run in a fresh
 * process with `--warmup 0` pays what a cold function pays (the JIT's first pass over the SDK); two sizes in one
 * process give the marginal CPU of one bucket. Run it bundled as the functions are (ES-module builds first,
 * minified syntax; identifiers kept, since the offline answers are keyed by client class names), so no
 * TypeScript loader sits in the measured process:
 *
 *   npx esbuild scripts/profile-bucket-calls.ts --bundle --platform=node --main-fields=module,main \
 *     --minify-whitespace --minify-syntax --outfile=/tmp/p.js
 *   node /tmp/p.js --collector encryption --buckets 50000 --warmup 0 [--regions 3] [--latency-ms 0]
 *   node /tmp/p.js --collector tls --buckets 2000,6000 [--warmup 200]
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof /tmp/p.js --collector encryption --buckets 20000 --warmup 0
 *
 * Prints one JSON line per run and, for two sizes, the marginal CPU per bucket and per S3 call.
 *
 * `--wire` measures what the offline answers leave out, response parsing: an S3 client of the project's settings
 * whose request handler answers every request locally with S3's XML (so everything from the command to the
 * parsed output is the SDK's own), timing N GetBucketEncryption calls at 8 in flight and ListBuckets pages of
 * 1,000 and 10,000 buckets:
 *
 *   node /tmp/p.js --wire [--calls 20000]
 *
 * `--model` turns measured figures into time and cost per run at each memory size (docs/PERFORMANCE.md):
 * time = max(latency floor of the calls at the reads in flight, CPU / the size's vCPU share):
 *
 *   node /tmp/p.js --model --collector encryption --measured 10000:6652:10001,50000:33404:50005 [--regions 3]
 */
import { GetBucketEncryptionCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { HttpResponse, type HttpRequest } from '@smithy/core/transport';
import { Readable } from 'node:stream';
import { OfflineClientFactory } from '../cli/demo/offline-clients';
import { clientSettings } from '../lambdas/aws/client-config';
import { mapWithConcurrency } from '../lambdas/aws/concurrency';
import { collectorById } from '../lambdas/collectors/registry';
import { sha256Hex } from '../lambdas/evidence/canonical-json';
import type { EvidenceObject, EvidenceStore, StoredObject } from '../lambdas/evidence/store';
import { runCollector } from '../lambdas/run-collector';
import { collectorSettings, parseConfig } from '../lib/config';
import { ACCOUNT_ID, DEFAULT_SIZES, SyntheticAccount } from '../bench/synthetic-account';
import { PRICES } from '../bench/pricing';
import { BUCKET_READS_IN_FLIGHT_MAX } from '../lambdas/readers/buckets';
import { DEFAULT_SETTINGS } from '../lambdas/settings';
import { COLLECTOR_TIMEOUT_SECONDS, vcpuShare } from '../lib/collector-sizing';
import { SOFT_DEADLINE_MARGIN_MS } from '../lambdas/run-collector';
import { WRITE_RESERVE_MS } from '../lambdas/runtime/lambda-runtime';

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
  /** CPU until gather returned; the rest is assess, the envelope's canonical JSON, digests and the write. */
  readonly gatherCpuMs: number;
  /** Peak RSS of the whole process so far (every collector's SDK clients are loaded, unlike a Lambda bundle). */
  readonly maxRssMb: number;
  readonly wallMs: number;
  readonly status: string;
  readonly errors: number;
  readonly cpuMsAtEach1000Calls: readonly number[];
}

/** The first per-bucket call of each bucket collector, answered through the CPU trace. */
const PER_BUCKET_API: Readonly<Record<string, string>> = {
  encryption: 'S3:GetBucketEncryption',
  tls: 'S3:GetBucketPolicy',
  'public-access': 'S3:GetPublicAccessBlock',
  resilience: 'S3:GetBucketVersioning',
};

const cpuMsSince = (c0: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};

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
  const perBucketApi = PER_BUCKET_API[id] ?? 'S3:GetBucketPolicy';
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
  let gatherCpuMs = 0;
  const timed: typeof collector = {
    ...collector,
    gather: async (ctx) => {
      const g = await collector.gather(ctx);
      gatherCpuMs = Math.round(cpuMsSince(cpu0));
      return g;
    },
  };
  const result = await runCollector(timed, {
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
    gatherCpuMs,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    wallMs: Math.round(performance.now() - t0),
    status: result.envelope.summary.status,
    errors: result.envelope.errors.length,
    cpuMsAtEach1000Calls: trace,
  };
}

const XML_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const ENCRYPTION_XML = `<?xml version="1.0" encoding="UTF-8"?>\n<ServerSideEncryptionConfiguration xmlns="${XML_NS}"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`;

function listBucketsXml(n: number): string {
  const buckets = Array.from(
    { length: n },
    (_, i) =>
      `<Bucket><Name>example-bucket-${String(i).padStart(6, '0')}</Name><CreationDate>2024-01-01T00:00:00.000Z</CreationDate><BucketRegion>us-east-1</BucketRegion></Bucket>`,
  ).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ListAllMyBucketsResult xmlns="${XML_NS}"><Owner><ID>example-owner</ID></Owner><Buckets>${buckets}</Buckets><ContinuationToken>next</ContinuationToken></ListAllMyBucketsResult>`;
}

/** An S3 client of the project's settings answered locally, below the SDK's HTTP layer. */
function wiredClient(answer: (request: HttpRequest) => string): S3Client {
  return new S3Client({
    ...clientSettings('us-east-1'),
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'offline-profile-not-a-secret' },
    requestHandler: {
      handle: async (request: HttpRequest) => {
        const body = Buffer.from(answer(request));
        return {
          response: new HttpResponse({
            statusCode: 200,
            headers: {
              'content-type': 'application/xml',
              'content-length': String(body.byteLength),
              'x-amz-request-id': 'EXAMPLE',
            },
            body: Readable.from([body]),
          }),
        };
      },
    },
  });
}

async function wire(calls: number): Promise<void> {
  const enc = wiredClient(() => ENCRYPTION_XML);
  const names = Array.from({ length: calls }, (_, i) => `example-bucket-${i}`);
  // The first 2,000 calls warm the process; the slope after them is the steady cost of one call.
  const warm = Math.min(2000, Math.floor(calls / 2));
  await mapWithConcurrency(names.slice(0, warm), 8, (b) =>
    enc.send(new GetBucketEncryptionCommand({ Bucket: b })),
  );
  const c0 = process.cpuUsage();
  await mapWithConcurrency(names.slice(warm), 8, (b) =>
    enc.send(new GetBucketEncryptionCommand({ Bucket: b })),
  );
  const steady = cpuMsSince(c0) / (calls - warm);
  const pages: Record<string, number> = {};
  for (const size of [1000, 10_000]) {
    const xml = listBucketsXml(size);
    const list = wiredClient(() => xml);
    // The least of eight reads of the page: the first ones run before the parser is optimised.
    let least = Infinity;
    for (let i = 0; i < 8; i++) {
      const l0 = process.cpuUsage();
      const out = await list.send(new ListBucketsCommand({ MaxBuckets: size }));
      least = Math.min(least, cpuMsSince(l0));
      if (out.Buckets?.length !== size) throw new Error(`parsed ${out.Buckets?.length} of ${size} buckets`);
    }
    pages[`listBucketsPageOf${size}CpuMs`] = +least.toFixed(1);
    pages[`listBucketsPageOf${size}Bytes`] = Buffer.byteLength(xml);
  }
  console.log(
    JSON.stringify({ mode: 'wire', getBucketEncryptionCpuMsPerCall: +steady.toFixed(3), ...pages }),
  );
}

/** Seconds from a run's start to its soft deadline: what a bucket loop may use before it is cut short. */
const GATHER_BUDGET_S = COLLECTOR_TIMEOUT_SECONDS - WRITE_RESERVE_MS / 1000 - SOFT_DEADLINE_MARGIN_MS / 1000;

/** CPU per S3 call in issue 18's scaling run: the pessimistic bound the sizing is also checked against. */
const ISSUE_CPU_MS_PER_CALL = 1.35;

function model(): void {
  // buckets:cpuMs:s3Calls of measured runs, e.g. 10000:6652:10001,50000:33404:50005
  const runs = arg('measured', '')
    .split(',')
    .map((r) => r.split(':').map(Number))
    .map(([buckets, cpuMs, calls]) => ({ buckets: buckets!, cpuMs: cpuMs!, calls: calls! }));
  if (
    runs.length === 0 ||
    runs.some((r) => ![r.buckets, r.cpuMs, r.calls].every((x) => Number.isFinite(x) && x > 0))
  )
    throw new Error(
      `--measured must be buckets:cpuMs:s3Calls runs separated by commas, got ${arg('measured', '')}`,
    );
  const regions = Number(arg('regions', '3'));
  const inFlight = Math.min(regions * DEFAULT_SETTINGS.concurrency, BUCKET_READS_IN_FLIGHT_MAX);
  const goal = GATHER_BUDGET_S / 2;
  const time = (mb: number, cpuMs: number, calls: number, latencyMs: number) =>
    Math.max((calls * latencyMs) / inFlight / 1000, cpuMs / 1000 / vcpuShare(mb));
  console.log(
    `${arg('collector', '')}: ${inFlight} reads in flight (${regions} regions x ${DEFAULT_SETTINGS.concurrency}, cap ${BUCKET_READS_IN_FLIGHT_MAX}); goal: 50,000 buckets in ${goal} s, half of the ${GATHER_BUDGET_S} s to the soft deadline, at 50 ms a call with the CPU measured and with ${ISSUE_CPU_MS_PER_CALL} ms a call`,
  );
  console.log(
    '| MB | buckets | S3 calls | CPU s measured | floor s at 50 ms | time s | GB-s | USD per run | time s at 100 ms | time s at 1.35 ms a call | meets goal |',
  );
  console.log('| -: | ------: | -------: | ----: | ----: | ----: | ----: | ------: | ----: | ----: | :-- |');
  for (const mb of [512, 1024, 1769])
    for (const r of runs) {
      const t = time(mb, r.cpuMs, r.calls, 50);
      const gbs = (mb / 1024) * t;
      const usd = gbs * PRICES.lambdaArmGbSecond.usd + PRICES.lambdaRequest.usd;
      const slow = time(mb, r.cpuMs, r.calls, 100);
      const heavy = time(mb, r.calls * ISSUE_CPU_MS_PER_CALL, r.calls, 50);
      const meets = r.buckets === 50_000 ? (t <= goal && heavy <= goal ? 'yes' : 'no') : '';
      console.log(
        `| ${mb} | ${r.buckets.toLocaleString('en-US')} | ${r.calls.toLocaleString('en-US')} | ${(r.cpuMs / 1000).toFixed(1)} | ${((r.calls * 50) / inFlight / 1000).toFixed(0)} | ${t.toFixed(0)} | ${gbs.toFixed(0)} | ${usd.toFixed(4)} | ${slow.toFixed(0)} | ${heavy.toFixed(0)} | ${meets} |`,
      );
    }
}

async function main(): Promise<void> {
  if (process.argv.includes('--model')) return model();
  if (process.argv.includes('--wire')) return wire(Number(arg('calls', '20000')));
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
