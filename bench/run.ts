/**
 * `npm run bench`: every collector, the access review, a naive IAM baseline, the Lambda bundles and
 * pull + verify against a large synthetic account with injected latency (and optionally throttling).
 * Writes bench/results.json and the generated block of docs/PERFORMANCE.md.
 *
 * `--only pull` measures pull + verify alone (a few minutes, not ten): it replaces the `pull` section
 * of bench/results.json, which then carries its own date, command, options, machine and load average, keeps
 * every other section (and the top-level date, command and total) from the last full run, and re-renders
 * the generated block from that file. Without a full run's results it writes the pull section alone and
 * leaves docs/PERFORMANCE.md as it is.
 *
 * `--only organization` does the same for the `organization` section (bench/organization.ts, issue 15):
 * every collector once per size class as organization mode's Map item runs it, and the 500-account pass
 * derived from those runs.
 *
 * The collectors get their answers over the loopback wire (bench/wire/: a server
 * process answering the SDK's real HTTP requests with real response bodies, throttling per API with token
 * buckets); `--transport inject` puts them back on the injecting transport (answers handed to the SDK before
 * parsing). pull + verify and the organization items stay on the injecting transport.
 *
 * `--scale N` (issue 18) runs every collector against the default large account × N on the wire and keeps
 * the run under the `scale` section of bench/results.json, keyed by N (bench/scale.ts), re-rendering the scale
 * table and the breaking sizes; every other section stays as it was.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { Command, InvalidArgumentError } from 'commander';
import { COLLECTOR_IDS, COLLECTORS } from '../lambdas/collectors/registry';
import { DEFAULT_SETTINGS } from '../lambdas/settings';
import { HANDLER_IDS, measureBundles, type BundleMeasurement } from './bundles';
import type { AccountRunMeasurement, CollectorMeasurement, Job } from './child';
import {
  ACCOUNTS,
  classSizes,
  derive,
  measureItems,
  MIX,
  renderOrganization,
  type OrganizationSection,
} from './organization';
import { floors, naiveCalls, type Floor } from './minimums';
import { controlFloors } from './synthetic/index';
import type { PullBenchResult } from './pull-bench';
import { DEFAULT_SIZES, REGION_POOL, SyntheticAccount, type AccountSizes } from './synthetic-account';
import { isAwsError } from '../lambdas/aws/aws-error';
import {
  DEPLOYED_LATENCY_MS,
  parseScale,
  renderScale,
  SCALE_LATENCY_MS,
  scaledSizes,
  type ScaleRow,
  type ScaleRun,
  type ScaleSection,
} from './scale';

const ROOT = resolve(__dirname, '..');
const SEED = 20260302;
const NOW = '2026-03-02T12:00:00.000Z';
const PULL_OBJECTS = 10_000;
const EXTRA_THROTTLE = 0.1;
/** How the collectors get their answers: over the loopback wire (default) or injected before parsing. */
export const TRANSPORTS = ['wire', 'inject'] as const;
export type Transport = (typeof TRANSPORTS)[number];
/** The parts `--only` can run alone. */
export const ONLY_PARTS = ['pull', 'organization'] as const;
export type OnlyPart = (typeof ONLY_PARTS)[number];

export interface BenchOptions {
  readonly users: number;
  readonly buckets: number;
  readonly databases: number;
  readonly loadBalancers: number;
  readonly regions: number;
  readonly latencyMs: number;
  readonly throttleRate: number;
  /** Run this part alone; absent: everything. */
  readonly only?: OnlyPart;
  /** With `scale`: measure only these collectors, replacing their rows of that scale's run. */
  readonly collectors?: readonly string[];
  readonly transport: Transport;
  /** Scale mode: every collector against the default large account × this. */
  readonly scale?: number;
}

function integer(flag: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      const what = min > 0 ? 'a positive integer' : 'a non-negative integer';
      throw new InvalidArgumentError(
        `${flag} must be ${what}${max < Number.MAX_SAFE_INTEGER ? ` up to ${max}` : ''}, got "${value}"`,
      );
    }
    return n;
  };
}

function collectorList(value: string): readonly string[] {
  const ids = value.split(',').map((v) => v.trim());
  const unknown = ids.filter((id) => !COLLECTOR_IDS.includes(id));
  if (ids.length === 0 || unknown.length > 0)
    throw new InvalidArgumentError(
      `--collectors must be comma-separated collector ids (${COLLECTOR_IDS.join(', ')}), got "${value}"`,
    );
  return ids;
}

function rate(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n >= 1)
    throw new InvalidArgumentError(`--throttle-rate must be a number from 0 to below 1, got "${value}"`);
  return n;
}

function transport(value: string): Transport {
  const t = TRANSPORTS.find((x) => x === value);
  if (!t)
    throw new InvalidArgumentError(`--transport must be one of: ${TRANSPORTS.join(', ')}; got "${value}"`);
  return t;
}

function scale(value: string): number {
  try {
    return parseScale(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

function only(value: string): OnlyPart {
  const part = ONLY_PARTS.find((p) => p === value);
  if (!part)
    throw new InvalidArgumentError(`--only must be one of: ${ONLY_PARTS.join(', ')}; got "${value}"`);
  return part;
}

/** The account's size flags: they shape the collectors' account, which `--only pull` does not build. */
const SIZE_FLAGS = ['users', 'buckets', 'databases', 'loadBalancers', 'regions'] as const;

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const program = new Command('bench')
    .description('Benchmark the collectors against a large synthetic account')
    .option('--users <n>', 'IAM users', integer('--users', 1), DEFAULT_SIZES.users)
    .option('--buckets <n>', 'S3 buckets', integer('--buckets', 1), DEFAULT_SIZES.buckets)
    .option(
      '--databases <n>',
      'RDS instances (Aurora clusters: a fifth of it)',
      integer('--databases', 1),
      DEFAULT_SIZES.databases,
    )
    .option(
      '--load-balancers <n>',
      'load balancers, 2 listeners each',
      integer('--load-balancers', 1),
      DEFAULT_SIZES.loadBalancers,
    )
    .option('--regions <n>', 'regions', integer('--regions', 1, REGION_POOL.length), DEFAULT_SIZES.regions)
    .option(
      '--latency-ms <n>',
      `latency added to every API call (default 25; ${SCALE_LATENCY_MS} with --scale)`,
      integer('--latency-ms', 0),
    )
    .option(
      '--throttle-rate <r>',
      "fraction of calls answered with the service's throttling error, on top of the token buckets",
      rate,
      0,
    )
    .option(
      '--transport <t>',
      `how the collectors get their answers (${TRANSPORTS.join(', ')}): over the loopback wire, or injected before the SDK parses them`,
      transport,
      'wire',
    )
    .option(
      '--scale <n>',
      'scale mode: every collector against the default large account × n (a positive number), stored under scale.<n> in bench/results.json',
      scale,
    )
    .option(
      '--collectors <ids>',
      'with --scale: measure only these collectors (comma-separated ids) and replace their rows of scale.<n>',
      collectorList,
    )
    .option(
      '--only <part>',
      `run one part alone (${ONLY_PARTS.join(', ')}): pull + verify, or the organization pass over ${ACCOUNTS} accounts, replacing that section of bench/results.json`,
      only,
    )
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .parse([...argv], { from: 'user' });
  const parsed = program.opts<Omit<BenchOptions, 'latencyMs'> & { latencyMs?: number }>();
  const options: BenchOptions = {
    ...parsed,
    latencyMs: parsed.latencyMs ?? (parsed.scale !== undefined ? SCALE_LATENCY_MS : 25),
  };
  if (options.collectors && options.scale === undefined)
    program.error('error: --collectors selects rows of a scale run: give --scale too', { exitCode: 1 });
  if (options.scale !== undefined) {
    if (options.only)
      program.error(`error: --scale and --only ${options.only} are separate runs: give one of them`, {
        exitCode: 1,
      });
    const size = SIZE_FLAGS.find((f) => program.getOptionValueSource(f) === 'cli');
    if (size)
      program.error(
        `error: --${size.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} cannot be combined with --scale, which multiplies the default large account`,
        { exitCode: 1 },
      );
    if (options.transport !== 'wire')
      program.error(
        'error: --scale runs on the wire (it measures what Lambda pays): drop --transport inject',
        {
          exitCode: 1,
        },
      );
  }
  if (options.only === 'pull') {
    const size = SIZE_FLAGS.find((f) => program.getOptionValueSource(f) === 'cli');
    if (size)
      program.error(
        `error: --${size.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} sizes the collectors' account, which --only pull does not run`,
        { exitCode: 1 },
      );
  }
  return options;
}

export function sizesFor(o: BenchOptions): AccountSizes {
  return {
    ...DEFAULT_SIZES,
    users: o.users,
    buckets: o.buckets,
    databases: o.databases,
    auroraClusters: Math.max(1, Math.round(o.databases / 5)),
    loadBalancers: o.loadBalancers,
    regions: o.regions,
  };
}

function stalled(id: string): CollectorMeasurement {
  return {
    id,
    wallMs: 0,
    apiCalls: 0,
    byApi: {},
    throttled: 0,
    sdkCalls: 0,
    retries: 0,
    sdkFailures: 0,
    errorEntries: 0,
    errorCodes: {},
    status: 'DID NOT FINISH',
    findings: 0,
    evidenceBytes: 0,
    rssBeforeMb: 0,
    maxRssMb: 0,
  };
}

/** The measuring child and the wire server's process, bundled as the Lambda bundles are. */
async function bundleChild(dir: string): Promise<{ child: string; wire: string }> {
  // keepNames: OfflineClientFactory and WireClientFactory name services after the client classes.
  await build({
    entryPoints: {
      child: join(ROOT, 'bench', 'child.ts'),
      'wire-server': join(ROOT, 'bench', 'wire', 'server-main.ts'),
    },
    bundle: true,
    keepNames: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outdir: dir,
    logLevel: 'error',
  });
  return { child: join(dir, 'child.js'), wire: join(dir, 'wire-server.js') };
}

/** A throttled collector that has not finished by then is recorded as such: the target is 60 s. */
const THROTTLED_LIMIT_MS = 60_000;

function runChild<T>(child: string, dir: string, job: Job, timeoutMs?: number): T | undefined {
  const jobFile = join(dir, `job-${process.hrtime.bigint()}.json`);
  writeFileSync(jobFile, JSON.stringify(job));
  try {
    execFileSync(process.execPath, ['--no-warnings', child, jobFile], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' },
      ...(timeoutMs ? { timeout: timeoutMs, killSignal: 'SIGKILL' as const } : {}),
    });
  } catch (err) {
    if (timeoutMs && isAwsError(err, 'ETIMEDOUT')) return undefined;
    throw err;
  }
  return JSON.parse(readFileSync(job.out, 'utf8')) as T;
}

export interface CollectorRow extends CollectorMeasurement {
  /** Set when the run was stopped at the time limit; the other figures are then zero. */
  readonly timedOutAfterMs?: number;
  readonly minCalls: number;
  readonly minFormula: string;
  readonly callsVsMin: number;
  readonly wallFloorMs: number;
}

function machine() {
  const cpuinfo = (() => {
    try {
      return readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return '';
    }
  })();
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const nproc = (() => {
    try {
      return Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
    } catch {
      return cpus().length;
    }
  })();
  return {
    nproc,
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    freeMemoryGb: Math.round((freemem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    cpu: model,
  };
}

/** pull + verify as results.json records it: its own date, command, options, machine and load. */
export type PullSection = PullBenchResult & {
  readonly maxRssMb: number;
  readonly measuredAt?: string;
  readonly command?: string;
  readonly latencyMs?: number;
  readonly throttleRate?: number;
  readonly machine?: ReturnType<typeof machine>;
  /** `os.loadavg()` (what `uptime` prints: 1, 5 and 15 minutes) before and after the measurement. */
  readonly loadAverage?: { readonly before: number[]; readonly after: number[] };
};

const load = () => loadavg().map((n) => Math.round(n * 100) / 100);

function measurePull(
  child: string,
  dir: string,
  options: BenchOptions,
  command: string,
  log: (line: string) => void,
): PullSection {
  log(`pull + verify of ${PULL_OBJECTS} objects (load average ${load().join(', ')}):`);
  const before = load();
  const measuredAt = new Date().toISOString();
  const pulled = runChild<PullBenchResult & { maxRssMb: number }>(child, dir, {
    kind: 'pull',
    objects: PULL_OBJECTS,
    latencyMs: options.latencyMs,
    throttleRate: options.throttleRate,
    out: join(dir, 'pull.json'),
  })!;
  const after = load();
  log(
    `  setup ${pulled.setupMs} ms (fill ${pulled.fillMs} ms, seal ${pulled.sealMs} ms: ${pulled.digests} digests, ${pulled.sealApiCalls} calls)`,
  );
  log(
    `  pull ${pulled.pullMs} ms (exit ${pulled.pullExit}, ${pulled.apiCalls} calls, min ${pulled.minCalls}, CPU ${pulled.pullCpuMs} ms), verify ${pulled.verifyMs} ms (exit ${pulled.verifyExit}, CPU ${pulled.verifyCpuMs} ms), peak RSS ${pulled.maxRssMb} MB, load average ${after.join(', ')}`,
  );
  if (pulled.pullExit !== 0 || pulled.verifyExit !== 0) log(`  ${pulled.lastLine}`);
  return {
    ...pulled,
    measuredAt,
    command,
    latencyMs: options.latencyMs,
    throttleRate: options.throttleRate,
    machine: machine(),
    loadAverage: { before, after },
  };
}

/** Organization mode (bench/organization.ts): every collector once per size class as a Map item, then the
 * 500-account pass derived from those runs. */
function measureOrganization(
  child: string,
  dir: string,
  options: BenchOptions,
  command: string,
  bundles: readonly BundleMeasurement[] | undefined,
  log: (line: string) => void,
): OrganizationSection {
  const started = Date.now();
  log(`organization mode, ${ACCOUNTS} accounts (load average ${load().join(', ')}):`);
  const before = load();
  const measuredAt = new Date().toISOString();
  const collectors = COLLECTORS.map((c) => ({ id: c.id, frequency: c.frequency }));
  const items = measureItems(
    collectors,
    sizesFor(options),
    SEED,
    NOW,
    options.latencyMs,
    DEFAULT_SETTINGS.concurrency,
    (id, sizes) =>
      runChild<AccountRunMeasurement>(child, dir, {
        kind: 'account-run',
        id,
        seed: SEED,
        sizes,
        now: NOW,
        latencyMs: options.latencyMs,
        throttleRate: options.throttleRate,
        out: join(dir, `org-${id}.json`),
      })!,
    log,
  );
  const coldStartMs = Object.fromEntries((bundles ?? []).map((b) => [b.id, Math.round(b.loadMs)]));
  const derived = derive({ collectors, items, coldStartMs, latencyMs: options.latencyMs, seed: SEED });
  const after = load();
  const m = machine();
  const section: OrganizationSection = {
    measuredAt,
    command,
    latencyMs: options.latencyMs,
    throttleRate: options.throttleRate,
    seed: SEED,
    mix: MIX,
    accounts: ACCOUNTS,
    collectors,
    sizes: classSizes(sizesFor(options)),
    items,
    coldStartMs,
    derived,
    machine: { nproc: m.nproc, cpu: m.cpu, node: m.node },
    loadAverage: { before, after },
    totalMs: Date.now() - started,
  };
  for (const [k, w] of Object.entries(derived.dailyWallMs))
    log(`  daily pass at concurrency ${k}: ${Math.round(w.ms / 1000)} s (longest ${w.collector})`);
  for (const [n, x] of Object.entries(derived.monthly))
    log(`  ${n} accounts: $${x.cost.variable.toFixed(2)} a month + $${x.cost.fixed} fixed`);
  return section;
}

const RESULTS = join(ROOT, 'bench', 'results.json');

/** A scale run's collector that has not finished by then is recorded as stopped: a guard against a hung
 * run, generous for two shared cores (the deployed limit is the model's business, not this one's). */
const SCALE_LIMIT_MS = 1_800_000;

/** Scale mode: every collector against the default large account × N, on the wire. */
function measureScale(
  child: string,
  wireServer: string,
  dir: string,
  options: BenchOptions,
  command: string,
  log: (line: string) => void,
): void {
  const n = options.scale!;
  const started = Date.now();
  const sizes = scaledSizes(n);
  const account = new SyntheticAccount(SEED, sizes, new Date(NOW));
  const counts = account.counts();
  const floorsAt = (latencyMs: number): Record<string, Floor> => ({
    ...floors(counts, latencyMs, DEFAULT_SETTINGS.concurrency),
    ...controlFloors(account, latencyMs, DEFAULT_SETTINGS.concurrency),
  });
  const floor = floorsAt(options.latencyMs);
  const deployed = floorsAt(DEPLOYED_LATENCY_MS);
  const before = load();
  const measuredAt = new Date().toISOString();
  log(
    `scale ${n}×: ${JSON.stringify(sizes)}, latency ${options.latencyMs} ms, extra throttling ${options.throttleRate}, on the wire (load average ${before.join(', ')})`,
  );
  const collectors: ScaleRow[] = (options.collectors ?? COLLECTOR_IDS).map((id) => {
    const t0 = Date.now();
    const m = runChild<CollectorMeasurement>(
      child,
      dir,
      {
        kind: 'collector',
        id,
        seed: SEED,
        sizes,
        now: NOW,
        latencyMs: options.latencyMs,
        throttleRate: options.throttleRate,
        out: join(dir, `scale-${id}.json`),
        wireServer,
      },
      SCALE_LIMIT_MS,
    );
    const f = floor[id]!;
    const row: ScaleRow = m
      ? {
          id,
          apiCalls: m.apiCalls,
          minCalls: f.minCalls,
          wallMs: m.wallMs,
          wallFloorMs: Math.round(f.wallFloorMs),
          deployedFloorMs: Math.round(deployed[id]!.wallFloorMs),
          rateFloorMs: m.rateFloorMs ?? 0,
          ...(m.rateFloorBucket ? { rateFloorBucket: m.rateFloorBucket } : {}),
          cpuMs: m.cpuMs ?? 0,
          serverCpuMs: m.serverCpuMs ?? 0,
          maxRssMb: m.maxRssMb,
          rssBeforeMb: m.rssBeforeMb,
          throttled: m.throttled,
          retries: m.retries,
          errorEntries: m.errorEntries,
          errorCodes: m.errorCodes,
          status: m.status,
        }
      : {
          id,
          apiCalls: 0,
          minCalls: f.minCalls,
          wallMs: 0,
          wallFloorMs: Math.round(f.wallFloorMs),
          deployedFloorMs: Math.round(deployed[id]!.wallFloorMs),
          rateFloorMs: 0,
          cpuMs: 0,
          serverCpuMs: 0,
          maxRssMb: 0,
          rssBeforeMb: 0,
          throttled: 0,
          retries: 0,
          errorEntries: 0,
          errorCodes: {},
          status: 'DID NOT FINISH',
          timedOutAfterMs: SCALE_LIMIT_MS,
        };
    log(
      `  ${id.padEnd(16)} ${String(row.wallMs).padStart(7)} ms (floor ${row.wallFloorMs}, rate floor ${row.rateFloorMs})  ${String(row.apiCalls).padStart(7)} calls (min ${row.minCalls})  CPU ${row.cpuMs} ms (server ${row.serverCpuMs})  throttled ${row.throttled}  errors ${row.errorEntries}  maxRSS ${row.maxRssMb} MB  [${Math.round((Date.now() - t0) / 1000)} s]`,
    );
    return row;
  });
  const m = machine();
  const run: ScaleRun = {
    scale: n,
    measuredAt,
    command,
    latencyMs: options.latencyMs,
    throttleRate: options.throttleRate,
    sizes,
    machine: { nproc: m.nproc, cpu: m.cpu, node: m.node },
    loadAverage: { before, after: load() },
    totalMs: Date.now() - started,
    collectors,
  };
  const previous = readResults();
  const earlier = previous.scale?.[String(n)];
  // A subset replaces its rows of the earlier run at this scale and says so; the rest of that run stands.
  const merged: ScaleRun =
    options.collectors && earlier
      ? {
          ...earlier,
          collectors: earlier.collectors.map((row) => {
            const again = collectors.find((c) => c.id === row.id);
            return again
              ? { ...again, remeasured: { at: measuredAt, command, loadAverage: run.loadAverage.before } }
              : row;
          }),
        }
      : run;
  const results = { ...previous, scale: { ...(previous.scale ?? {}), [String(n)]: merged } };
  const full = previousFullResults();
  writeResults(results, full ? renderTables({ ...full, scale: results.scale }) : undefined);
}

/** Renders docs/PERFORMANCE.md's generated block again from bench/results.json (after a change to the
 * rendering: `node --import tsx -e "require('./bench/run').rerender()"`). */
export function rerender(): void {
  const full = previousFullResults();
  if (!full) throw new Error('bench/results.json holds no full run to render');
  writeResults(readResults(), renderTables(full));
}

/** Whatever bench/results.json holds (an empty object when there is none). */
function readResults(): Partial<Results> & Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(RESULTS, 'utf8')) as Partial<Results> & Record<string, unknown>;
  } catch {
    return {};
  }
}

/** The last run's results, when they are a full run's (the collectors' tables can be rendered from them). */
function previousFullResults(): Results | undefined {
  try {
    const r = JSON.parse(readFileSync(RESULTS, 'utf8')) as Partial<Results>;
    return Array.isArray(r.collectors) && r.naive && Array.isArray(r.bundles) ? (r as Results) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes results.json (and the doc block when given), formatted as prettier would: CI checks both. */
function writeResults(results: unknown, block: string | undefined): void {
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  if (block !== undefined) updateDoc(block);
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs'),
      '--write',
      'bench/results.json',
      ...(block !== undefined ? ['docs/PERFORMANCE.md'] : []),
    ],
    { cwd: ROOT, stdio: 'ignore' },
  );
}

async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    options = parseBenchArgs(process.argv.slice(2));
  } catch (err) {
    const code = (err as { exitCode?: number }).exitCode;
    process.exit(code === undefined ? 1 : code);
  }
  const started = Date.now();
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim().replace(/ --$/, '');
  const sizes = sizesFor(options);
  const dir = mkdtempSync(join(tmpdir(), 'soc2-bench-'));
  try {
    const bundled = await bundleChild(dir);
    const child = bundled.child;
    const wireServer = options.transport === 'wire' ? bundled.wire : undefined;
    if (options.scale !== undefined) {
      await measureScale(child, bundled.wire, dir, options, command, log);
      log(
        `wrote scale.${options.scale} of bench/results.json in ${Math.round((Date.now() - started) / 1000)} s`,
      );
      return;
    }
    if (options.only === 'pull') {
      log(`latency ${options.latencyMs} ms, throttle ${options.throttleRate}`);
      const pulled = measurePull(child, dir, options, command, log);
      const previous = previousFullResults();
      if (previous) {
        const results: Results = { ...previous, pull: pulled };
        writeResults(results, renderTables(results));
        log(
          `replaced the pull section of bench/results.json and the pull line of docs/PERFORMANCE.md in ${Math.round((Date.now() - started) / 1000)} s`,
        );
      } else {
        writeResults({ pull: pulled }, undefined);
        log(
          'no full run in bench/results.json: wrote its pull section alone, left docs/PERFORMANCE.md as it was',
        );
      }
      return;
    }
    if (options.only === 'organization') {
      log(`latency ${options.latencyMs} ms, throttle ${options.throttleRate}`);
      const previous = previousFullResults();
      const organization = measureOrganization(child, dir, options, command, previous?.bundles, log);
      if (previous) {
        const results: Results = { ...previous, organization };
        writeResults(results, renderTables(results));
        log(
          `replaced the organization section of bench/results.json and its part of docs/PERFORMANCE.md in ${Math.round((Date.now() - started) / 1000)} s`,
        );
      } else {
        writeResults({ organization }, undefined);
        log(
          'no full run in bench/results.json: wrote its organization section alone, left docs/PERFORMANCE.md as it was',
        );
      }
      return;
    }
    const account = new SyntheticAccount(SEED, sizes, new Date(NOW));
    const counts = account.counts();
    const floor: Record<string, Floor> = {
      ...floors(counts, options.latencyMs, DEFAULT_SETTINGS.concurrency),
      ...controlFloors(account, options.latencyMs, DEFAULT_SETTINGS.concurrency),
    };
    log(
      `account: ${JSON.stringify(sizes)}, latency ${options.latencyMs} ms, throttle ${options.throttleRate}`,
    );

    const pass = (throttleRate: number, limitMs?: number): CollectorRow[] =>
      COLLECTOR_IDS.map((id) => {
        const ran = runChild<CollectorMeasurement>(
          child,
          dir,
          {
            kind: 'collector',
            id,
            seed: SEED,
            sizes,
            now: NOW,
            latencyMs: options.latencyMs,
            throttleRate,
            out: join(dir, `${id}.json`),
            ...(wireServer ? { wireServer } : {}),
          },
          limitMs,
        );
        const f = floor[id]!;
        const m: CollectorMeasurement & { timedOutAfterMs?: number } = ran ?? {
          ...stalled(id),
          timedOutAfterMs: limitMs,
        };
        log(
          `  ${id.padEnd(16)} ${String(m.wallMs).padStart(7)} ms  ${String(m.apiCalls).padStart(6)} calls (min ${f.minCalls})  throttled ${m.throttled}  retries ${m.retries}  errors ${m.errorEntries}  maxRSS ${m.maxRssMb} MB`,
        );
        return {
          ...m,
          minCalls: f.minCalls,
          minFormula: f.formula,
          callsVsMin: Math.round((m.apiCalls / f.minCalls) * 100) / 100,
          wallFloorMs: Math.round(f.wallFloorMs),
        };
      });

    log(`collectors (throttle ${options.throttleRate}):`);
    const collectors = pass(options.throttleRate);

    log('naive IAM baseline (concurrency 8):');
    const naive = runChild<CollectorMeasurement>(child, dir, {
      kind: 'naive',
      id: 'naive-iam',
      seed: SEED,
      sizes,
      now: NOW,
      latencyMs: options.latencyMs,
      throttleRate: options.throttleRate,
      out: join(dir, 'naive.json'),
      // Injected, not on the wire: at the assumed IAM rate (bench/wire/rates.ts: IAM publishes none) its
      // 36,109 calls would take half an hour of throttling, a guess dressed as a measurement.
    })!;
    log(`  naive-iam ${naive.wallMs} ms, ${naive.apiCalls} calls (expected ${naiveCalls(counts)})`);

    let throttled: CollectorRow[] | undefined;
    if (options.throttleRate !== EXTRA_THROTTLE) {
      log(`collectors (throttle ${EXTRA_THROTTLE}):`);
      throttled = pass(EXTRA_THROTTLE, THROTTLED_LIMIT_MS);
    }

    log('Lambda bundles:');
    const bundles: BundleMeasurement[] = await measureBundles(HANDLER_IDS, 5);
    for (const b of bundles) log(`  ${b.id.padEnd(16)} ${b.bytes} bytes, load ${b.loadMs} ms`);

    const pulled = measurePull(child, dir, options, command, log);

    const organization = measureOrganization(child, dir, options, command, bundles, log);

    const iam = collectors.filter((c) => c.id === 'iam-mfa' || c.id === 'inactive-users');
    const results = {
      generatedAt: new Date().toISOString(),
      command,
      machine: machine(),
      options,
      seed: SEED,
      now: NOW,
      sizes,
      counts: { ...counts },
      collectors,
      throttlePass: throttled ? { throttleRate: EXTRA_THROTTLE, collectors: throttled } : undefined,
      naive: {
        ...naive,
        expectedCalls: naiveCalls(counts),
        concurrency: 8,
        ratioToIamMfa: Math.round((naive.apiCalls / (iam[0]?.apiCalls ?? 1)) * 10) / 10,
        ratioToInactiveUsers: Math.round((naive.apiCalls / (iam[1]?.apiCalls ?? 1)) * 10) / 10,
      },
      bundles,
      pull: pulled,
      organization,
      ...(readResults().scale ? { scale: readResults().scale } : {}),
      totalMs: Date.now() - started,
    };
    writeResults(results, renderTables(results));
    log(`wrote bench/results.json and docs/PERFORMANCE.md in ${Math.round((Date.now() - started) / 1000)} s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Results = {
  generatedAt: string;
  command: string;
  machine: ReturnType<typeof machine>;
  options: BenchOptions;
  sizes: AccountSizes;
  collectors: CollectorRow[];
  throttlePass?: { throttleRate: number; collectors: CollectorRow[] };
  naive: CollectorMeasurement & {
    expectedCalls: number;
    ratioToIamMfa: number;
    ratioToInactiveUsers: number;
  };
  bundles: BundleMeasurement[];
  pull: PullSection;
  /** Absent in results written before issue 15. */
  organization?: OrganizationSection;
  /** Scale mode's runs, by N (absent before issue 18). */
  scale?: ScaleSection;
  totalMs: number;
};

const s = (ms: number) => (ms / 1000).toFixed(1);

/** The bundles of the stack's functions that are not collectors (the sealer, the watchdog...), one line. */
function otherBundles(r: Results): string[] {
  const others = r.bundles.filter((b) => !r.collectors.some((c) => c.id === b.id));
  if (others.length === 0) return [];
  return [
    `The stack's other functions' bundles (bytes, load ms): ${others.map((b) => `${b.id} ${b.bytes} (${b.loadMs})`).join(', ')}.`,
    '',
  ];
}

export function renderTables(r: Results): string {
  const o = r.options;
  const lines = [
    `Measured ${r.generatedAt.slice(0, 10)} with \`${r.command}\` (total ${s(r.totalMs)} s).`,
    '',
    `Machine: ${r.machine.nproc} cores (\`nproc\`), ${r.machine.memoryGb} GB memory, Node ${r.machine.node}, ${r.machine.cpu}.`,
    '',
    `Account (seed ${SEED}): ${r.sizes.users} IAM users, ${r.sizes.buckets} S3 buckets, ${r.sizes.databases} RDS instances + ${r.sizes.auroraClusters} Aurora clusters (2 members each), ${r.sizes.loadBalancers} load balancers (2 listeners each), ${r.sizes.backupJobs} backup jobs, ${r.sizes.securityGroups} security groups, ${r.sizes.signinEvents} ConsoleLogin events, ${r.sizes.regions} regions. Latency ${o.latencyMs} ms per call, throttling ${o.throttleRate}${o.transport === 'wire' ? ' on top of the token buckets of bench/wire/rates.ts; answers over the loopback wire (real HTTP responses parsed by the SDK)' : '; answers injected before the SDK parses them'}.`,
    '',
    '| collector | API calls | minimum | calls / min | wall s | wall floor s | CPU s | throttled | retries | error entries | peak RSS MB (RSS before run) | bundle bytes | load ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...r.collectors.map((c) => {
      const b = r.bundles.find((x) => x.id === c.id);
      const floorMs = Math.max(c.wallFloorMs, c.rateFloorMs ?? 0);
      return `| ${c.id} | ${c.apiCalls} | ${c.minCalls} | ${c.callsVsMin.toFixed(2)} | ${s(c.wallMs)} | ${s(floorMs)} | ${c.cpuMs === undefined ? '' : s(c.cpuMs)} | ${c.throttled} | ${c.retries} | ${c.errorEntries} | ${c.maxRssMb} (${c.rssBeforeMb}) | ${b?.bytes ?? ''} | ${b?.loadMs ?? ''} |`;
    }),
    '',
    ...otherBundles(r),
    `Naive IAM baseline (ListUsers, then GetLoginProfile, ListMFADevices, ListAccessKeys and GetAccessKeyLastUsed per user and key, concurrency 8): ${r.naive.apiCalls} calls in ${s(r.naive.wallMs)} s, peak RSS ${r.naive.maxRssMb} MB: ${r.naive.ratioToIamMfa}× the calls of iam-mfa and ${r.naive.ratioToInactiveUsers}× those of inactive-users.`,
    '',
  ];
  if (r.throttlePass) {
    lines.push(
      `With ${r.throttlePass.throttleRate * 100}% of calls throttled (same account and latency):`,
      '',
      '| collector | wall s | API calls | throttled | retries | error entries |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...r.throttlePass.collectors.map((c) =>
        c.timedOutAfterMs
          ? `| ${c.id} | **did not finish in ${s(c.timedOutAfterMs)} s** (stopped) | | | | |`
          : `| ${c.id} | ${s(c.wallMs)} | ${c.apiCalls} | ${c.throttled} | ${c.retries} | ${c.errorEntries}${
              c.errorEntries
                ? ` (${Object.entries(c.errorCodes)
                    .map(([k, v]) => `${k} ${v}`)
                    .join(', ')})`
                : ''
            } |`,
      ),
      '',
    );
  }
  const p = r.pull;
  const own =
    p.command !== undefined &&
    (p.command !== r.command || p.measuredAt?.slice(0, 10) !== r.generatedAt.slice(0, 10));
  const when = own
    ? ` (measured ${p.measuredAt?.slice(0, 10)} with \`${p.command}\`, latency ${p.latencyMs} ms, throttling ${p.throttleRate})`
    : '';
  const loadAverage = p.loadAverage
    ? `; load average ${p.loadAverage.before.join(', ')} before, ${p.loadAverage.after.join(', ')} after`
    : '';
  lines.push(
    `Pull + verify${when}: ${p.objects} objects and ${p.digests} daily digests over ${p.days} days from a mocked bucket (ListObjectVersions and GetObject through OfflineClientFactory at the same latency), each day sealed by the real sealer beforehand (setup, not in the pull time: writing ${s(p.fillMs)} s, sealing ${s(p.sealMs)} s and ${p.sealApiCalls} calls without latency): pull ${s(p.pullMs)} s (exit ${p.pullExit}, ${p.apiCalls} API calls, minimum ${p.minCalls}, ${(p.apiCalls / p.minCalls).toFixed(2)}× it; CPU ${s(p.pullCpuMs)} s), verify ${s(p.verifyMs)} s (exit ${p.verifyExit}; CPU ${s(p.verifyCpuMs)} s), together ${s(p.pullMs + p.verifyMs)} s; peak RSS ${p.maxRssMb} MB (the whole child, setup included)${loadAverage}.`,
  );
  if (r.organization) lines.push('', renderOrganization(r.organization));
  if (r.scale && Object.keys(r.scale).length > 0) lines.push('', renderScale(r.scale));
  return lines.join('\n');
}

const BEGIN = '<!-- bench:begin (generated by npm run bench) -->';
const END = '<!-- bench:end -->';

function updateDoc(block: string): void {
  const path = join(ROOT, 'docs', 'PERFORMANCE.md');
  let doc: string;
  try {
    doc = readFileSync(path, 'utf8');
  } catch {
    doc = `# Performance\n\n${BEGIN}\n${END}\n`;
  }
  const a = doc.indexOf(BEGIN);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) throw new Error(`docs/PERFORMANCE.md has no ${BEGIN} … ${END} block`);
  writeFileSync(path, `${doc.slice(0, a + BEGIN.length)}\n${block}\n${doc.slice(b)}`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
