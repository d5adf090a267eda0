/**
 * One measurement in a process of its own, so its peak RSS is its own: a collector against the synthetic
 * account, the naive IAM baseline, or pull + verify. Reads a job file, writes a result file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { OfflineClientFactory } from '../cli/demo/offline-clients';
import { collectorById } from '../lambdas/collectors/registry';
import { sha256Hex } from '../lambdas/evidence/canonical-json';
import type { EvidenceObject, EvidenceStore, StoredObject } from '../lambdas/evidence/store';
import { prepareAccountRun } from '../lambdas/organization/account-run';
import { ACCOUNT_RUN_SOURCE, DEFAULT_MEMBER_ROLE_NAME } from '../lambdas/organization/contract';
import { runCollector } from '../lambdas/run-collector';
import { metricsLine } from '../lambdas/runtime/lambda-runtime';
import { collectorSettings, parseConfig } from '../lib/config';
import { naiveIamEvidence } from './naive-iam';
import { benchPull } from './pull-bench';
import { ACCOUNT_ID, seededRandom, SyntheticAccount, type AccountSizes } from './synthetic-account';
import { WireClientFactory } from './wire/client-factory';
import { startWireProcess, type WireProcess } from './wire/process';
import type { WireServerStats } from './wire/server';
import { rateFloorMs } from './wire/token-bucket';

export type Job =
  | {
      readonly kind: 'collector' | 'naive';
      readonly id: string;
      readonly seed: number;
      readonly sizes: AccountSizes;
      readonly now: string;
      readonly latencyMs: number;
      readonly throttleRate: number;
      readonly out: string;
      /** The bundled wire server (bench/wire/server-main.ts): given, the clients talk HTTP to it (the default
       * of `npm run bench`); absent, answers are injected (OfflineClientFactory). */
      readonly wireServer?: string;
    }
  | {
      /** Organization mode's Map item: AssumeRole of the member role, then the collector (bench/organization.ts). */
      readonly kind: 'account-run';
      readonly id: string;
      readonly seed: number;
      readonly sizes: AccountSizes;
      readonly now: string;
      readonly latencyMs: number;
      readonly throttleRate: number;
      readonly out: string;
    }
  | {
      readonly kind: 'pull';
      readonly objects: number;
      readonly latencyMs: number;
      readonly throttleRate: number;
      readonly out: string;
    };

export interface CollectorMeasurement {
  readonly id: string;
  readonly wallMs: number;
  readonly apiCalls: number;
  readonly byApi: Record<string, number>;
  readonly throttled: number;
  readonly sdkCalls: number;
  readonly retries: number;
  readonly sdkFailures: number;
  readonly errorEntries: number;
  readonly errorCodes: Record<string, number>;
  readonly status: string;
  readonly findings: number;
  readonly evidenceBytes: number;
  readonly rssBeforeMb: number;
  readonly maxRssMb: number;
  /** CPU time (user + system) of the collector's process during the run, ms (absent before issue 18). */
  readonly cpuMs?: number;
  /** How the answers arrived: over the loopback wire or injected before parsing (absent: injected). */
  readonly transport?: 'wire' | 'inject';
  /** Wire only: the server process's CPU time (serialising the answers), not counted in `cpuMs`. */
  readonly serverCpuMs?: number;
  /** Wire only: the fewest ms the token buckets allow for the calls that went through (the busiest bucket:
   * calls beyond its burst at its refill rate). */
  readonly rateFloorMs?: number;
  /** Wire only: that busiest bucket (`API@region`, or `Service@region` for a shared one). */
  readonly rateFloorBucket?: string;
}

/** An organization-mode item: the collector's figures, AssumeRole included in the calls and the time. */
export interface AccountRunMeasurement extends CollectorMeasurement {
  /** CPU time (user + system) of the item, the synthetic account's answers included. */
  readonly cpuMs: number;
  /** Objects the run wrote: the envelope and its sources (one S3 PUT and one KMS Sign each). */
  readonly objects: number;
  /** Length of the metrics line the collector handler prints (lambdas/runtime/lambda-runtime.ts). */
  readonly metricsLineBytes: number;
}

/** Keeps only sizes: the benchmark measures the collector, not a disk. */
class CountingStore implements EvidenceStore {
  readonly description = 'counting';
  bytes = 0;
  objects = 0;
  async put(o: EvidenceObject): Promise<StoredObject> {
    if (sha256Hex(o.body) !== o.sha256) throw new Error(`digest mismatch for ${o.key}`);
    this.bytes += o.body.byteLength;
    this.objects++;
    return { key: o.key, sha256: o.sha256, location: `count:${o.key}` };
  }
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function main(): Promise<void> {
  const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Job;
  if (job.kind === 'pull') {
    const r = await benchPull(job.objects, job.latencyMs, job.throttleRate);
    writeFileSync(job.out, JSON.stringify({ ...r, maxRssMb: mb(process.resourceUsage().maxRSS * 1024) }));
    return;
  }
  if (job.kind === 'account-run') {
    writeFileSync(job.out, JSON.stringify(await accountRun(job)));
    return;
  }
  const now = new Date(job.now);
  const account = new SyntheticAccount(job.seed, job.sizes, now);
  let wire: WireProcess | undefined;
  let clients: OfflineClientFactory | WireClientFactory;
  if (job.wireServer) {
    wire = await startWireProcess(
      job.wireServer,
      {
        seed: job.seed,
        sizes: job.sizes,
        now: job.now,
        latencyMs: job.latencyMs,
        throttleRate: job.throttleRate,
      },
      `${job.out}.wire.json`,
    );
    clients = new WireClientFactory(wire.port);
  } else {
    clients = new OfflineClientFactory(account.answers(), {
      latencyMs: job.latencyMs,
      throttleRate: job.throttleRate,
      random: seededRandom(job.seed ^ 0x5bd1e995),
    });
  }
  const rssBefore = process.memoryUsage().rss;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let m: Omit<
    CollectorMeasurement,
    | 'id'
    | 'wallMs'
    | 'apiCalls'
    | 'byApi'
    | 'throttled'
    | 'sdkCalls'
    | 'retries'
    | 'sdkFailures'
    | 'rssBeforeMb'
    | 'maxRssMb'
  >;
  if (job.kind === 'naive') {
    const rows = await naiveIamEvidence(clients, 8);
    m = { errorEntries: 0, errorCodes: {}, status: 'n/a', findings: rows.length, evidenceBytes: 0 };
  } else {
    const collector = collectorById(job.id);
    if (!collector) throw new Error(`unknown collector ${job.id}`);
    const store = new CountingStore();
    const result = await runCollector(collector, {
      clients,
      store,
      account: ACCOUNT_ID,
      settings: collectorSettings(parseConfig({ regions: [...account.regions] })),
      now: () => now,
    });
    const codes: Record<string, number> = {};
    for (const e of result.envelope.errors) codes[e.code] = (codes[e.code] ?? 0) + 1;
    m = {
      errorEntries: result.envelope.errors.length,
      errorCodes: codes,
      status: result.envelope.summary.status,
      findings: result.envelope.findings.length,
      evidenceBytes: store.bytes,
    };
  }
  const wallMs = Math.round(performance.now() - t0);
  const cpu = process.cpuUsage(cpu0);
  let server: WireServerStats | undefined;
  if (wire) {
    server = await wire.stats();
    await wire.stop();
  }
  const floor = server ? busiestBucket(server) : undefined;
  const out: CollectorMeasurement = {
    id: job.id,
    wallMs,
    apiCalls: clients.stats.calls,
    byApi: Object.fromEntries([...clients.stats.byApi].sort()),
    throttled: server ? server.throttled : clients.stats.throttled,
    sdkCalls: clients.sdkStats.calls,
    retries: clients.sdkStats.retries,
    sdkFailures: clients.sdkStats.failures,
    ...m,
    rssBeforeMb: mb(rssBefore),
    maxRssMb: mb(process.resourceUsage().maxRSS * 1024),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    transport: server ? 'wire' : 'inject',
    ...(server ? { serverCpuMs: server.cpuMs } : {}),
    ...(floor ? { rateFloorMs: Math.round(floor.ms), rateFloorBucket: floor.bucket } : {}),
  };
  writeFileSync(job.out, JSON.stringify(out));
}

/** The bucket whose calls (those that went through) take longest at its rate, and that time. */
function busiestBucket(stats: WireServerStats): { bucket: string; ms: number } | undefined {
  let best: { bucket: string; ms: number } | undefined;
  for (const [bucket, b] of Object.entries(stats.buckets)) {
    const ms = rateFloorMs(b.requests - b.throttled, b.burst, b.refillPerSecond);
    if (!best || ms > best.ms) best = { bucket, ms };
  }
  return best;
}

/** The member role the hub assumes in every account (contract.ts DEFAULT_MEMBER_ROLE_NAME). */
const assumeRoleAnswer = () => ({
  Credentials: {
    AccessKeyId: 'ASIAIOSFODNN7EXAMPLE',
    SecretAccessKey: 'offline-bench-not-a-secret',
    SessionToken: 'offline-bench-session',
    Expiration: new Date(Date.now() + 3600_000),
  },
  AssumedRoleUser: {
    AssumedRoleId: 'AROAEXAMPLEEXAMPLE:soc2-evidence',
    Arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${DEFAULT_MEMBER_ROLE_NAME}/soc2-evidence`,
  },
});

/**
 * One Map item of organization mode: sts:AssumeRole of the member role (one call, answered offline at the
 * same latency as every other call), then the collector's real runCollector against the synthetic account.
 *
 * The item runs through prepareAccountRun, as the deployed function does: the session's clients are this same
 * offline factory (forCredentials), so its call counts hold the AssumeRole and the collector's calls together.
 */
async function accountRun(job: Extract<Job, { kind: 'account-run' }>): Promise<AccountRunMeasurement> {
  const now = new Date(job.now);
  const account = new SyntheticAccount(job.seed, job.sizes, now);
  const clients: OfflineClientFactory = new OfflineClientFactory(
    { ...account.answers(), 'STS:AssumeRole': assumeRoleAnswer },
    {
      latencyMs: job.latencyMs,
      throttleRate: job.throttleRate,
      random: seededRandom(job.seed ^ 0x5bd1e995),
      forCredentials: () => clients,
    },
  );
  const collector = collectorById(job.id);
  if (!collector) throw new Error(`unknown collector ${job.id}`);
  const store = new CountingStore();
  const settings = collectorSettings(parseConfig({ regions: [...account.regions] }));
  const rssBefore = process.memoryUsage().rss;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const prepared = await prepareAccountRun(
    { source: ACCOUNT_RUN_SOURCE, collector: job.id, account: ACCOUNT_ID, execution: 'bench' },
    { clients, partition: 'aws', memberRoleName: DEFAULT_MEMBER_ROLE_NAME },
  );
  const result = await runCollector(collector, {
    clients: prepared.clients,
    store,
    account: ACCOUNT_ID,
    settings,
    now: () => now,
    ...(prepared.unavailable ? { unavailable: prepared.unavailable } : {}),
  });
  const wallMs = Math.round(performance.now() - t0);
  const cpu = process.cpuUsage(cpu0);
  const codes: Record<string, number> = {};
  for (const e of result.envelope.errors) codes[e.code] = (codes[e.code] ?? 0) + 1;
  const { summary, errors } = result.envelope;
  return {
    id: job.id,
    wallMs,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    apiCalls: clients.stats.calls,
    byApi: Object.fromEntries([...clients.stats.byApi].sort()),
    throttled: clients.stats.throttled,
    sdkCalls: clients.sdkStats.calls,
    retries: clients.sdkStats.retries,
    sdkFailures: clients.sdkStats.failures,
    errorEntries: errors.length,
    errorCodes: codes,
    status: summary.status,
    findings: result.envelope.findings.length,
    evidenceBytes: store.bytes,
    objects: store.objects,
    metricsLineBytes: Buffer.byteLength(
      metricsLine(job.id, summary, errors.length, result.durationMs, now, clients.sdkStats),
    ),
    rssBeforeMb: mb(rssBefore),
    maxRssMb: mb(process.resourceUsage().maxRSS * 1024),
  };
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
