/**
 * Scale mode (`npm run bench -- --scale N`, issue 18): every collector against the default large account
 * multiplied by N, each in its own process, on the wire; and from the scales measured, the size at which each
 * collector's deployed function would run out of time or memory.
 *
 * The model (docs/PERFORMANCE.md, "Scale mode"): CPU time, peak RSS and the two floors are fitted linearly in
 * N over the measured scales (least squares); the deployed function's time at N is
 *   max(latency floor at DEPLOYED_LATENCY_MS, rate floor) + CPU(N) / vcpuShare(memory)
 * — its calls cannot finish sooner than their latency under the collector's own concurrency allows, nor
 * faster than AWS's token buckets refill, and its CPU work runs at the share of a vCPU Lambda gives its
 * memory; adding the two treats waiting and computing as never overlapping, an upper bound — and its memory is
 * the benchmark child's peak RSS (which also holds every SDK client the benchmark loads, so also an upper
 * bound). The breaking size is the smallest N where the time exceeds the run's gather budget or the memory
 * exceeds the function's memory.
 */
import { COLLECTOR_TIMEOUT_SECONDS, collectorMemoryMb, vcpuShare } from '../lib/collector-sizing';
import { SOFT_DEADLINE_MARGIN_MS } from '../lambdas/run-collector';
import { WRITE_RESERVE_MS } from '../lambdas/runtime/lambda-runtime';
import { MAX_PAGES } from '../lambdas/collectors/console-signins/region-signins';
import { DEFAULT_SIZES, PAGE, type AccountSizes } from './synthetic-account';

/** Latency per call on the scale runs: low, so `--scale 10` stays within minutes on two shared cores; the
 * wall floor at this latency is what the measured wall is compared with. */
export const SCALE_LATENCY_MS = 10;

/** Latency per call assumed for the deployed function (AWS API calls commonly take 50 to 150 ms). */
export const DEPLOYED_LATENCY_MS = 50;

/** What a run may spend gathering: the function's time limit less the write reserve
 * (lambdas/runtime/lambda-runtime.ts) and the soft deadline's margin (lambdas/run-collector.ts). */
export const GATHER_BUDGET_MS = COLLECTOR_TIMEOUT_SECONDS * 1000 - WRITE_RESERVE_MS - SOFT_DEADLINE_MARGIN_MS;

/** The default large account multiplied by `n`: every count, not the regions (a large account is large in
 * resources, and the collectors' region concurrency is fixed). */
export function scaledSizes(n: number): AccountSizes {
  const x = (v: number) => Math.max(1, Math.round(v * n));
  return {
    users: x(DEFAULT_SIZES.users),
    buckets: x(DEFAULT_SIZES.buckets),
    databases: x(DEFAULT_SIZES.databases),
    auroraClusters: x(DEFAULT_SIZES.auroraClusters),
    loadBalancers: x(DEFAULT_SIZES.loadBalancers),
    backupJobs: x(DEFAULT_SIZES.backupJobs),
    regions: DEFAULT_SIZES.regions,
    securityGroups: x(DEFAULT_SIZES.securityGroups),
    signinEvents: x(DEFAULT_SIZES.signinEvents),
  };
}

/** `--scale`'s value: a positive number (1, 3, 0.5, 10). */
export function parseScale(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 1000)
    throw new Error(
      `--scale must be a positive number up to 1000 (the default large account times N), got "${value}"`,
    );
  return n;
}

/** The size that drives a collector's work, in the account's own terms. */
export interface Driver {
  readonly size: keyof AccountSizes;
  readonly label: string;
  /** Counted per region (databases: the realistic account has 1,000 in each of 3 regions). */
  readonly perRegion?: boolean;
}

export const DRIVERS: Readonly<Record<string, Driver>> = {
  'iam-mfa': { size: 'users', label: 'IAM users' },
  'inactive-users': { size: 'users', label: 'IAM users' },
  'access-review': { size: 'users', label: 'IAM users' },
  'iam-privilege': { size: 'users', label: 'IAM users' },
  'password-policy': { size: 'users', label: 'IAM users' },
  'threat-detection': { size: 'users', label: 'IAM users' },
  'network-exposure': { size: 'securityGroups', label: 'security groups' },
  vulnerabilities: { size: 'securityGroups', label: 'security groups' },
  'console-signins': { size: 'signinEvents', label: 'sign-in events a day' },
  backups: { size: 'backupJobs', label: 'backup jobs a week' },
  encryption: { size: 'buckets', label: 'S3 buckets' },
  tls: { size: 'buckets', label: 'S3 buckets' },
  'public-access': { size: 'buckets', label: 'S3 buckets' },
  'key-rotation': { size: 'users', label: 'IAM users' },
  resilience: { size: 'buckets', label: 'S3 buckets' },
  'audit-logging': { size: 'loadBalancers', label: 'load balancers' },
};

/** The issue's realistic large account; sizes it does not name stay at the default large account's. */
export const REALISTIC: Readonly<Partial<Record<keyof AccountSizes, number>>> = {
  users: 5_000,
  buckets: 10_000,
  databases: 3 * 1_000,
  backupJobs: 100_000,
};

export const realisticSize = (size: keyof AccountSizes): number => REALISTIC[size] ?? DEFAULT_SIZES[size];

/** One collector at one scale, as results.json keeps it. */
export interface ScaleRow {
  readonly id: string;
  /** Set on a row measured again alone (`--scale N --collectors id,...`) after the run it replaced a row of. */
  readonly remeasured?: {
    readonly at: string;
    readonly command: string;
    readonly loadAverage: readonly number[];
  };
  readonly apiCalls: number;
  readonly minCalls: number;
  readonly wallMs: number;
  /** Latency floor at the run's latency. */
  readonly wallFloorMs: number;
  /** Latency floor at DEPLOYED_LATENCY_MS, for the model. */
  readonly deployedFloorMs: number;
  /** Rate floor: the busiest token bucket's calls at its refill rate. */
  readonly rateFloorMs: number;
  readonly rateFloorBucket?: string;
  readonly cpuMs: number;
  readonly serverCpuMs: number;
  readonly maxRssMb: number;
  readonly rssBeforeMb: number;
  readonly throttled: number;
  readonly retries: number;
  readonly errorEntries: number;
  readonly errorCodes: Record<string, number>;
  readonly status: string;
  /** Stopped at the run's time limit: the figures are zero. */
  readonly timedOutAfterMs?: number;
}

export interface ScaleRun {
  readonly scale: number;
  readonly measuredAt: string;
  readonly command: string;
  readonly latencyMs: number;
  readonly throttleRate: number;
  readonly sizes: AccountSizes;
  readonly machine: { readonly nproc: number; readonly cpu: string; readonly node: string };
  readonly loadAverage: { readonly before: number[]; readonly after: number[] };
  readonly totalMs: number;
  readonly collectors: readonly ScaleRow[];
}

/** results.json's `scale` section: one run per scale, keyed by N as written (`"1"`, `"3"`, `"10"`). */
export type ScaleSection = Readonly<Record<string, ScaleRun>>;

export interface Linear {
  readonly a: number;
  readonly b: number;
}

/** Least-squares line through the points; one point: through the origin; a negative slope is taken as flat
 * (a resource that shrinks as the account grows is noise between runs, not a trend). */
export function fitLinear(points: readonly (readonly [number, number])[]): Linear {
  if (points.length === 0) throw new Error('fitLinear needs at least one point');
  if (points.length === 1) {
    const [x, y] = points[0]!;
    return { a: 0, b: y / x };
  }
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  if (sxx === 0) return { a: my, b: 0 };
  const b = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / sxx;
  if (b < 0) return { a: my, b: 0 };
  return { a: my - b * mx, b };
}

const at = (f: Linear, n: number) => Math.max(0, f.a + f.b * n);

export interface CollectorModel {
  readonly id: string;
  readonly memoryMb: number;
  readonly cpu: Linear;
  readonly rss: Linear;
  readonly deployedFloor: Linear;
  readonly rateFloor: Linear;
}

export function modelOf(
  id: string,
  runs: readonly ScaleRun[],
  memoryMb = collectorMemoryMb(id),
): CollectorModel {
  const rows = runs.flatMap((r) => {
    const row = r.collectors.find((c) => c.id === id);
    return row && !row.timedOutAfterMs ? [[r.scale, row] as const] : [];
  });
  if (rows.length === 0) throw new Error(`no finished run of ${id} to model`);
  const fit = (f: (row: ScaleRow) => number) => fitLinear(rows.map(([n, row]) => [n, f(row)] as const));
  return {
    id,
    memoryMb,
    cpu: fit((r) => r.cpuMs),
    rss: fit((r) => r.maxRssMb),
    deployedFloor: fit((r) => r.deployedFloorMs),
    rateFloor: fit((r) => r.rateFloorMs),
  };
}

/** The deployed function at scale `n`: its predicted time (ms) and memory (MB). */
export function predict(m: CollectorModel, n: number): { timeMs: number; memoryMb: number } {
  return {
    timeMs: Math.max(at(m.deployedFloor, n), at(m.rateFloor, n)) + at(m.cpu, n) / vcpuShare(m.memoryMb),
    memoryMb: at(m.rss, n),
  };
}

export interface Breaking {
  /** The smallest scale that breaks, or undefined below `MAX_SCALE`. */
  readonly scale?: number;
  /** `time`, `memory`, or the collector's own limit (OWN_LIMITS). */
  readonly limit?: string;
}

/** Share of the synthetic account's sign-ins recorded in its home region (SyntheticAccount.signinsIn). */
const SIGNIN_HOME_SHARE = 0.8;

/**
 * Limits a collector sets itself, where it stops reading by design and records an error entry instead: the
 * scale of the default account at which it is reached. console-signins reads at most MAX_PAGES LookupEvents
 * pages a region (lambdas/collectors/console-signins/region-signins.ts), and 80% of the account's sign-ins
 * are in its home region.
 */
export const OWN_LIMITS: Readonly<Record<string, { readonly scale: number; readonly name: string }>> = {
  'console-signins': {
    scale: (MAX_PAGES * PAGE.lookupEvents!.max) / (SIGNIN_HOME_SHARE * DEFAULT_SIZES.signinEvents),
    name: `page limit (${MAX_PAGES} LookupEvents pages of ${PAGE.lookupEvents!.max} a region a day: PageLimitReached)`,
  },
};

/**
 * The model's breaking scale, or what comes first of the collector's own limit and a measured run that
 * already recorded error entries (throttling the SDK gave up on, for one): it breaks somewhere between the
 * largest scale that ran clean before it (`clean`) and that run's scale (`measured`).
 */
export function breakingFor(
  id: string,
  m: CollectorModel,
  runs: readonly ScaleRun[] = [],
  budgetMs = GATHER_BUDGET_MS,
): Breaking & { readonly measured?: boolean; readonly clean?: number } {
  let b: Breaking & { measured?: boolean; clean?: number } = breakingScale(m, budgetMs);
  const own = OWN_LIMITS[id];
  if (own && (b.scale === undefined || own.scale < b.scale)) b = { scale: own.scale, limit: own.name };
  const sorted = [...runs].sort((x, y) => x.scale - y.scale);
  const i = sorted.findIndex((r) => (r.collectors.find((c) => c.id === id)?.errorEntries ?? 0) > 0);
  const failed = i >= 0 ? sorted[i] : undefined;
  const row = failed?.collectors.find((c) => c.id === id);
  if (
    failed &&
    row &&
    !(own && own.scale <= failed.scale) &&
    (b.scale === undefined || failed.scale < b.scale)
  )
    b = {
      scale: failed.scale,
      measured: true,
      ...(i > 0 ? { clean: sorted[i - 1]!.scale } : {}),
      limit: `error entries at ${failed.scale}×: ${Object.entries(row.errorCodes)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    };
  return b;
}

/** Scales searched for a breaking point: beyond a thousand times the default account nothing is modelled. */
export const MAX_SCALE = 1000;

export function breakingScale(m: CollectorModel, budgetMs = GATHER_BUDGET_MS): Breaking {
  const breaks = (n: number): 'time' | 'memory' | undefined => {
    const p = predict(m, n);
    if (p.memoryMb > m.memoryMb) return 'memory';
    if (p.timeMs > budgetMs) return 'time';
    return undefined;
  };
  // Both are non-decreasing in n (every fit's slope is >= 0): the first grid point that breaks, then bisect.
  let lo = 0;
  let hi: number | undefined;
  for (let n = 0.01; n <= MAX_SCALE; n *= 1.05) {
    if (breaks(n)) {
      hi = n;
      break;
    }
    lo = n;
  }
  if (hi === undefined) return {};
  let top: number = hi;
  for (let i = 0; i < 40; i++) {
    const mid: number = (lo + top) / 2;
    if (breaks(mid)) top = mid;
    else lo = mid;
  }
  return { scale: top, limit: breaks(top)! };
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const sec = (ms: number) => (ms / 1000).toFixed(1);

/** The scale table and the breaking sizes, for docs/PERFORMANCE.md's generated block. */
/** Which rows of a run were measured again alone, and when (empty when none). */
function remeasuredNote(r: ScaleRun): string {
  const again = r.collectors.filter((c) => c.remeasured);
  if (again.length === 0) return '';
  const when = [...new Set(again.map((c) => `${c.remeasured!.at.slice(0, 16).replace('T', ' ')} UTC`))];
  return ` Measured again alone after later changes (${when.join(', ')}, \`${again[0]!.remeasured!.command}\`): ${again.map((c) => c.id).join(', ')}.`;
}

export function renderScale(section: ScaleSection): string {
  const runs = Object.values(section).sort((a, b) => a.scale - b.scale);
  if (runs.length === 0) return '';
  const ids = runs[0]!.collectors.map((c) => c.id);
  const x = (r: ScaleRun) => `${r.scale}×`;
  const lines: string[] = [
    `Scale mode (\`npm run bench -- --scale N\`): the default large account × N (regions stay ${runs[0]!.sizes.regions}), every collector in its own process, answers over the loopback wire with token-bucket throttling.`,
    '',
    ...runs.map(
      (r) =>
        `- ${x(r)}: measured ${r.measuredAt.slice(0, 10)} with \`${r.command}\` in ${sec(r.totalMs)} s, latency ${r.latencyMs} ms per call, extra throttling ${r.throttleRate}; ${r.sizes.users} users, ${r.sizes.buckets} buckets, ${r.sizes.databases} RDS instances, ${r.sizes.backupJobs} backup jobs, ${r.sizes.securityGroups} security groups, ${r.sizes.signinEvents} sign-in events; ${r.machine.nproc} cores, load average ${r.loadAverage.before.join(', ')} before, ${r.loadAverage.after.join(', ')} after.` +
        remeasuredNote(r),
    ),
    '',
    `| collector | ${runs.map((r) => `calls / min ${x(r)}`).join(' | ')} | ${runs.map((r) => `wall / floor s ${x(r)}`).join(' | ')} | ${runs.map((r) => `CPU s ${x(r)}`).join(' | ')} | ${runs.map((r) => `peak RSS MB ${x(r)}`).join(' | ')} | errors |`,
    `| --- | ${runs.map(() => '---:').join(' | ')} | ${runs.map(() => '---:').join(' | ')} | ${runs.map(() => '---:').join(' | ')} | ${runs.map(() => '---:').join(' | ')} | --- |`,
  ];
  for (const id of ids) {
    const cells = runs.map((r) => r.collectors.find((c) => c.id === id));
    const done = (c: ScaleRow | undefined, f: (c: ScaleRow) => string) =>
      !c ? '' : c.timedOutAfterMs ? `stopped at ${sec(c.timedOutAfterMs)} s` : f(c);
    const errors = cells
      .map((c, i) =>
        c && c.errorEntries > 0
          ? `${x(runs[i]!)}: ${Object.entries(c.errorCodes)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')}`
          : '',
      )
      .filter(Boolean)
      .join('; ');
    lines.push(
      `| ${id} | ${cells.map((c) => done(c, (c) => `${int(c.apiCalls)} / ${int(c.minCalls)}`)).join(' | ')} | ${cells
        .map((c) => done(c, (c) => `${sec(c.wallMs)} / ${sec(Math.max(c.wallFloorMs, c.rateFloorMs))}`))
        .join(' | ')} | ${cells.map((c) => done(c, (c) => sec(c.cpuMs))).join(' | ')} | ${cells
        .map((c) => done(c, (c) => String(c.maxRssMb)))
        .join(' | ')} | ${errors || 'none'} |`,
    );
  }
  lines.push(
    '',
    `The floor is the larger of the latency floor (the run's latency under the collector's own concurrency) and the rate floor (the busiest token bucket's calls beyond its burst at its refill rate); calls above the minimum are throttled attempts retried.`,
    '',
  );
  if (runs.length < 2) {
    lines.push('Breaking sizes need at least two scales (run `--scale 1` and `--scale 3` at least).');
    return lines.join('\n');
  }
  lines.push(
    `**Breaking sizes** (model: linear fits over ${runs.map(x).join(', ')}; deployed time = max(latency floor at ${DEPLOYED_LATENCY_MS} ms, rate floor) + CPU / vCPU share of the function's memory, against the gather budget of ${sec(GATHER_BUDGET_MS)} s = ${COLLECTOR_TIMEOUT_SECONDS} s timeout − ${sec(WRITE_RESERVE_MS)} s write reserve − ${sec(SOFT_DEADLINE_MARGIN_MS)} s soft margin; memory = peak RSS against the function's memory). The realistic large account: 5,000 IAM users, 10,000 buckets, 3 regions × 1,000 databases, 100,000 backup jobs a week; other sizes as the default large account.`,
    '',
    '| collector | memory MB (vCPU share) | driving size | breaks at | limit | realistic large account | predicted there: time s / memory MB |',
    '| --- | ---: | --- | ---: | --- | ---: | ---: |',
  );
  for (const id of ids) {
    let m: CollectorModel;
    try {
      m = modelOf(id, runs);
    } catch {
      lines.push(`| ${id} | | | no finished run | | | |`);
      continue;
    }
    const d = DRIVERS[id] ?? { size: 'users', label: 'IAM users' };
    const per = (v: number) => (d.perRegion ? v / DEFAULT_SIZES.regions : v);
    const base = per(DEFAULT_SIZES[d.size]);
    const realistic = per(realisticSize(d.size));
    const realisticScale = realistic / base;
    const b = breakingFor(id, m, runs);
    const p = predict(m, realisticScale);
    const breaksAt =
      b.scale === undefined
        ? `beyond ${int(MAX_SCALE * base)} (${MAX_SCALE}×)`
        : b.measured
          ? `${b.clean === undefined ? 'at most' : `${int(b.clean * base)} to`} ${int(b.scale * base)} (${b.clean === undefined ? '' : `${b.clean}× to `}${b.scale}×, measured)`
          : `${int(b.scale * base)} (${b.scale.toFixed(1)}×)`;
    const safe =
      b.scale === undefined || (b.measured ? (b.clean ?? 0) >= realisticScale : b.scale > realisticScale);
    const verdict = safe
      ? 'above'
      : b.measured && b.scale! > realisticScale
        ? 'not shown: no clean run at or above it'
        : '**below: breaks on the realistic account**';
    lines.push(
      `| ${id} | ${m.memoryMb} (${vcpuShare(m.memoryMb).toFixed(2)}) | ${d.label} | ${breaksAt} | ${b.limit ?? 'none'} | ${int(realistic)}: ${verdict} | ${sec(p.timeMs)} / ${Math.round(p.memoryMb)} |`,
    );
  }
  return lines.join('\n');
}
