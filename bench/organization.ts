/**
 * Organization mode's benchmark (issue 15, `npm run bench -- --only organization`): a daily organization
 * pass over 500 synthetic accounts of mixed sizes.
 *
 * Measured: every collector once per size class, as one Map item runs it (sts:AssumeRole of the member role,
 * then the collector's real runCollector against a synthetic account of that size, at the bench's latency):
 * API calls, wall time, CPU time, peak RSS, objects written. Derived from those: the 500-account pass (the
 * Map's wall time by list scheduling, Step Functions state transitions, Lambda GB-seconds) and the monthly
 * AWS cost. The pure parts (below `// ---- derivation`) are unit-tested in test/bench/organization.test.ts.
 */
import { collectorMemoryMb } from '../lib/collector-sizing';
import { DEFAULT_MAX_CONCURRENCY } from '../lambdas/organization/contract';
import type { Frequency } from '../lambdas/collectors/collector';
import { floors, makespan } from './minimums';
import { controlFloors } from './synthetic/index';
import { seededRandom, SyntheticAccount, type AccountSizes } from './synthetic-account';
import { FIXED_HUB_USD_PER_MONTH, LAMBDA_MB_PER_VCPU, PRICES, PRICES_READ_ON } from './pricing';
import type { AccountRunMeasurement } from './child';

export const SIZE_CLASSES = ['small', 'medium', 'large'] as const;
export type SizeClass = (typeof SIZE_CLASSES)[number];
export type Mix = Readonly<Record<SizeClass, number>>;

/** The organization's accounts by size: most are small workload or sandbox accounts. */
export const MIX: Mix = { small: 0.7, medium: 0.25, large: 0.05 };
export const ACCOUNTS = 500;
/** The organization's OUs: 4 configured top-level OUs, each with 4 child OUs. */
export const OUS = 20;
export const TOP_LEVEL_OUS = 4;
/** The Map's concurrency: the contract's default, and a higher setting. */
export const CONCURRENCIES = [DEFAULT_MAX_CONCURRENCY, 40] as const;
/** Accounts for the monthly cost estimate. */
export const COST_ACCOUNTS = [50, 500] as const;
/** Step Functions starting a child execution and invoking Lambda, and the result coming back (assumed). */
export const INVOKE_OVERHEAD_MS = 100;
/** A cold start's init when no bundle load time was measured (the full run measures each bundle's). */
export const DEFAULT_COLD_START_MS = 300;
/** ListAccounts' function (organization-accounts) is not deployed yet: assumed like the watchdog's. */
export const LIST_ACCOUNTS_MEMORY_MB = 256;
/** ListAccounts writes the signed account list: its envelope and one source (assumed). */
export const LIST_ACCOUNTS_OBJECTS = 2;
/**
 * Log bytes of an invocation besides the measured metrics line: Lambda's START, END and REPORT lines
 * (about 350 bytes) and the handler's `evidence written` JSON line with the Lambda context (about 600).
 */
export const FIXED_LOG_BYTES_PER_INVOCATION = 1000;

/** Small and medium accounts; large is the bench's account (DEFAULT_SIZES or the size flags). Every class
 * reads the same regions: in organization mode the regions are the hub's configuration, not the account's. */
export function classSizes(large: AccountSizes): Record<SizeClass, AccountSizes> {
  return {
    small: {
      users: 25,
      buckets: 20,
      databases: 2,
      auroraClusters: 1,
      loadBalancers: 2,
      backupJobs: 60,
      regions: large.regions,
      securityGroups: 20,
      signinEvents: 40,
    },
    medium: {
      users: 500,
      buckets: 300,
      databases: 40,
      auroraClusters: 8,
      loadBalancers: 30,
      backupJobs: 1500,
      regions: large.regions,
      securityGroups: 200,
      signinEvents: 500,
    },
    large,
  };
}

/** A Map item's figures, with the minimum for its account (the collector's floor + 1 AssumeRole). */
export interface ItemRow extends AccountRunMeasurement {
  readonly minCalls: number;
}

export interface OrganizationMeasured {
  readonly sizes: Readonly<Record<SizeClass, AccountSizes>>;
  /** Per size class, one row per collector in registry order. */
  readonly items: Readonly<Record<SizeClass, readonly ItemRow[]>>;
  /** Module load time per collector bundle from the last full run, when there is one (cold start). */
  readonly coldStartMs: Readonly<Record<string, number>>;
}

export interface CollectorInfo {
  readonly id: string;
  readonly frequency: Frequency;
}

/** Runs every collector once per size class, one child process each. */
export function measureItems(
  collectors: readonly CollectorInfo[],
  large: AccountSizes,
  seed: number,
  now: string,
  latencyMs: number,
  concurrency: number,
  run: (id: string, sizes: AccountSizes) => AccountRunMeasurement,
  log: (line: string) => void,
): Record<SizeClass, ItemRow[]> {
  const sizes = classSizes(large);
  const out = {} as Record<SizeClass, ItemRow[]>;
  for (const c of SIZE_CLASSES) {
    const account = new SyntheticAccount(seed, sizes[c], new Date(now));
    const floor = {
      ...floors(account.counts(), latencyMs, concurrency),
      ...controlFloors(account, latencyMs, concurrency),
    };
    log(`  ${c} account: ${JSON.stringify(sizes[c])}`);
    out[c] = collectors.map(({ id }) => {
      const m = run(id, sizes[c]);
      const minCalls = floor[id]!.minCalls + 1;
      log(
        `    ${id.padEnd(16)} ${String(m.wallMs).padStart(6)} ms  CPU ${String(m.cpuMs).padStart(6)} ms  ${String(m.apiCalls).padStart(5)} calls (min ${minCalls})  ${m.objects} objects  errors ${m.errorEntries}  maxRSS ${m.maxRssMb} MB`,
      );
      return { ...m, minCalls };
    });
  }
  return out;
}

// ---- derivation ------------------------------------------------------------------------------------------

/** Splits `n` accounts by `mix` (largest remainder; ties go to the earlier class). */
export function apportion(n: number, mix: Mix): Record<SizeClass, number> {
  const total = SIZE_CLASSES.reduce((s, c) => s + mix[c], 0);
  const exact = SIZE_CLASSES.map((c) => (n * mix[c]) / total);
  const counts = exact.map(Math.floor);
  const order = SIZE_CLASSES.map((_, i) => i).sort(
    (a, b) => exact[b]! - counts[b]! - (exact[a]! - counts[a]!),
  );
  for (let k = 0, left = n - counts.reduce((s, x) => s + x, 0); k < left; k++) counts[order[k]!]!++;
  return Object.fromEntries(SIZE_CLASSES.map((c, i) => [c, counts[i]!])) as Record<SizeClass, number>;
}

/** The size class of each account in the Map's order (the account list, sorted by id): a seeded shuffle. */
export function accountClasses(n: number, mix: Mix, seed: number): SizeClass[] {
  const counts = apportion(n, mix);
  const list = SIZE_CLASSES.flatMap((c) => Array.from({ length: counts[c] }, () => c));
  const rnd = seededRandom(seed);
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}

/** The OU tree below the configured OUs: per parent walked, its child OUs and its accounts. */
export interface OuTree {
  readonly configuredOus: number;
  readonly parents: readonly { readonly childOus: number; readonly accounts: number }[];
}

/** `topLevel` configured OUs, the other OUs spread under them one level down, accounts spread over all OUs. */
export function ouTree(accounts: number, ous: number, topLevel: number): OuTree {
  const children = ous - topLevel;
  const parents = Array.from({ length: ous }, (_, i) => ({
    childOus: i < topLevel ? Math.floor(children / topLevel) + (i < children % topLevel ? 1 : 0) : 0,
    accounts: Math.floor(accounts / ous) + (i < accounts % ous ? 1 : 0),
  }));
  return { configuredOus: topLevel, parents };
}

/** Organizations list pages hold at most 20 (ListAccountsForParent, ListOrganizationalUnitsForParent). */
export const ORGANIZATIONS_PAGE = 20;
const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));

/**
 * ListAccounts' Organizations calls (contract.ts ORGANIZATIONS_IAM_ACTIONS): DescribeOrganization, one
 * DescribeOrganizationalUnit per configured OU, then per parent walked ListOrganizationalUnitsForParent and
 * ListAccountsForParent, each at least one page.
 */
export function organizationsCalls(tree: OuTree): number {
  return (
    1 +
    tree.configuredOus +
    tree.parents.reduce(
      (n, p) => n + pages(p.childOus, ORGANIZATIONS_PAGE) + pages(p.accounts, ORGANIZATIONS_PAGE),
      0,
    )
  );
}

/** A collector's state machine, as billing sees it. */
export interface MachineShape {
  /** States of the execution itself: ListAccounts, the Map, OrganizationReview for the access review. */
  readonly topLevelStates: number;
  /** Per Map item: one for the child execution the Distributed Map starts, one per state it enters. */
  readonly itemStates: number;
  /** Added by an item whose run fails and is caught: RecordFailure. */
  readonly failureStates: number;
}

export function machineShape(collectorId: string): MachineShape {
  return {
    topLevelStates: collectorId === 'access-review' ? 3 : 2,
    itemStates: 2,
    failureStates: 1,
  };
}

/**
 * Billed state transitions of one execution over `items` accounts: every state entered, one per child
 * execution a Distributed Map starts (STANDARD children), and every retry.
 */
export function stateTransitions(
  shape: MachineShape,
  items: number,
  extra: { readonly failures?: number; readonly retries?: number } = {},
): number {
  const failures = extra.failures ?? 0;
  if (failures > items) throw new RangeError(`failures (${failures}) cannot exceed items (${items})`);
  return (
    shape.topLevelStates + items * shape.itemStates + failures * shape.failureStates + (extra.retries ?? 0)
  );
}

/**
 * The Map's wall time: items start in order as slots free up (list scheduling with `concurrency` slots),
 * each taking its duration plus the invoke overhead, the first `concurrency` also a cold start.
 */
export function mapWallMs(
  durationsMs: readonly number[],
  concurrency: number,
  overheadMs: number,
  coldStartMs: number,
): number {
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  return makespan(
    durationsMs.map((d, i) => d + overheadMs + (i < concurrency ? coldStartMs : 0)),
    concurrency,
  );
}

/** Executions a month: daily every day, weekly once a week, quarterly once a quarter. */
export const RUNS_PER_MONTH: Readonly<Record<Frequency, number>> = {
  daily: 365 / 12,
  weekly: 52 / 12,
  quarterly: 4 / 12,
};

/** What an execution (or a month of them) uses, in billed units. */
export interface Usage {
  readonly lambdaRequests: number;
  readonly gbSeconds: number;
  readonly transitions: number;
  readonly puts: number;
  /** KMS Sign requests: every object written is signed (lambdas/evidence/s3-store.ts). */
  readonly signs: number;
  readonly logBytes: number;
  readonly storedBytes: number;
}

export const NO_USAGE: Usage = {
  lambdaRequests: 0,
  gbSeconds: 0,
  transitions: 0,
  puts: 0,
  signs: 0,
  logBytes: 0,
  storedBytes: 0,
};

export function addUsage(a: Usage, b: Usage, times = 1): Usage {
  return {
    lambdaRequests: a.lambdaRequests + b.lambdaRequests * times,
    gbSeconds: a.gbSeconds + b.gbSeconds * times,
    transitions: a.transitions + b.transitions * times,
    puts: a.puts + b.puts * times,
    signs: a.signs + b.signs * times,
    logBytes: a.logBytes + b.logBytes * times,
    storedBytes: a.storedBytes + b.storedBytes * times,
  };
}

export interface Cost {
  readonly lambdaDuration: number;
  readonly lambdaRequests: number;
  readonly stepFunctions: number;
  readonly s3Puts: number;
  readonly kmsSign: number;
  readonly logs: number;
  /** The sum of the above: what the accounts add. */
  readonly variable: number;
  readonly fixed: number;
  readonly total: number;
}

const GB = 1024 ** 3;

/** A month's usage in US dollars, plus the hub's fixed cost. */
export function costOf(u: Usage, fixed = FIXED_HUB_USD_PER_MONTH): Cost {
  const parts = {
    lambdaDuration: u.gbSeconds * PRICES.lambdaArmGbSecond.usd,
    lambdaRequests: u.lambdaRequests * PRICES.lambdaRequest.usd,
    stepFunctions: u.transitions * PRICES.stepFunctionsStandardTransition.usd,
    s3Puts: u.puts * PRICES.s3Put.usd,
    kmsSign: u.signs * PRICES.kmsAsymmetricRequest.usd,
    logs: (u.logBytes / GB) * PRICES.cloudWatchLogsIngestionGb.usd,
  };
  const variable = Object.values(parts).reduce((s, x) => s + x, 0);
  return { ...parts, variable, fixed, total: variable + fixed };
}

/** A Lambda's duration when its CPU work is stretched to the CPU share its memory buys (at most 1 vCPU). */
export function cpuScaledMs(wallMs: number, cpuMs: number, memoryMb: number): number {
  return wallMs + cpuMs * Math.max(0, LAMBDA_MB_PER_VCPU / memoryMb - 1);
}

export interface DerivationInput {
  readonly collectors: readonly CollectorInfo[];
  readonly items: Readonly<Record<SizeClass, readonly ItemRow[]>>;
  readonly coldStartMs: Readonly<Record<string, number>>;
  readonly latencyMs: number;
  readonly seed: number;
  /** Item duration from its measurement: the wall time, or `cpuScaledMs` for the sensitivity figure. */
  readonly duration?: (m: ItemRow) => number;
}

export interface CollectorPass {
  readonly id: string;
  readonly frequency: Frequency;
  /** Wall time of one execution over ACCOUNTS accounts, by Map concurrency (ListAccounts included). */
  readonly wallMs: Readonly<Record<string, number>>;
  readonly transitions: number;
  readonly usage: Usage;
}

export interface Derived {
  readonly classCounts: Record<SizeClass, number>;
  readonly listAccounts: {
    readonly ous: number;
    readonly calls: number;
    readonly wallMs: number;
  };
  readonly passes: readonly CollectorPass[];
  /** The daily collectors' machines run in parallel: the longest, by concurrency. */
  readonly dailyWallMs: Readonly<Record<string, { readonly collector: string; readonly ms: number }>>;
  readonly dailyTransitions: number;
  readonly dailyGbSeconds: number;
  /** GB-s of an average day: the daily collectors, a seventh of the weekly ones, the quarterly's share. */
  readonly averageDayGbSeconds: number;
  /** With each item's CPU stretched to its function's CPU share (collectorMemoryMb) (an upper bound: the child's CPU includes
   * making the synthetic answers). */
  readonly cpuScaledDailyGbSeconds: number;
  readonly monthly: Readonly<Record<string, { readonly usage: Usage; readonly cost: Cost }>>;
}

function execution(
  collector: CollectorInfo,
  classes: readonly SizeClass[],
  input: DerivationInput,
  list: { readonly wallMs: number },
): { usage: Usage; durations: number[]; review?: ItemRow } {
  const duration = input.duration ?? ((m: ItemRow) => m.wallMs);
  const row = (c: SizeClass) => input.items[c].find((r) => r.id === collector.id)!;
  const durations = classes.map((c) => duration(row(c)));
  const cold = input.coldStartMs[collector.id] ?? DEFAULT_COLD_START_MS;
  const coldItems = Math.min(DEFAULT_MAX_CONCURRENCY, classes.length);
  const shape = machineShape(collector.id);
  const review = shape.topLevelStates > 2 ? row('large') : undefined;
  const mem = collectorMemoryMb(collector.id) / 1024;
  const itemMs = durations.reduce((s, d) => s + d, 0) + coldItems * cold + (review ? duration(review) : 0);
  const objects = classes.reduce((s, c) => s + row(c).objects, 0) + (review?.objects ?? 0);
  const invocations = classes.length + (review ? 1 : 0);
  const usage: Usage = {
    lambdaRequests: 1 + invocations,
    gbSeconds: (itemMs / 1000) * mem + (list.wallMs / 1000) * (LIST_ACCOUNTS_MEMORY_MB / 1024),
    transitions: stateTransitions(shape, classes.length),
    puts: objects + LIST_ACCOUNTS_OBJECTS,
    signs: objects + LIST_ACCOUNTS_OBJECTS,
    logBytes:
      (1 + invocations) * FIXED_LOG_BYTES_PER_INVOCATION +
      classes.reduce((s, c) => s + row(c).metricsLineBytes, 0),
    storedBytes: classes.reduce((s, c) => s + row(c).evidenceBytes, 0) + (review?.evidenceBytes ?? 0),
  };
  return { usage, durations, ...(review ? { review } : {}) };
}

/** ListAccounts: its Organizations calls one after the other, then signing and writing the list. */
export function listAccountsWallMs(calls: number, latencyMs: number): number {
  return (calls + 2 * LIST_ACCOUNTS_OBJECTS) * latencyMs + INVOKE_OVERHEAD_MS + DEFAULT_COLD_START_MS;
}

export function derive(input: DerivationInput): Derived {
  const classes = accountClasses(ACCOUNTS, MIX, input.seed);
  const calls = organizationsCalls(ouTree(ACCOUNTS, OUS, TOP_LEVEL_OUS));
  const list = { ous: OUS, calls, wallMs: listAccountsWallMs(calls, input.latencyMs) };
  const duration = input.duration ?? ((m: ItemRow) => m.wallMs);
  const passes: CollectorPass[] = input.collectors.map((c) => {
    const { usage, durations, review } = execution(c, classes, input, list);
    const cold = input.coldStartMs[c.id] ?? DEFAULT_COLD_START_MS;
    const wallMs = Object.fromEntries(
      CONCURRENCIES.map((k) => [
        String(k),
        Math.round(
          list.wallMs +
            mapWallMs(durations, k, INVOKE_OVERHEAD_MS, cold) +
            (review ? duration(review) + INVOKE_OVERHEAD_MS : 0),
        ),
      ]),
    );
    return { id: c.id, frequency: c.frequency, wallMs, transitions: usage.transitions, usage };
  });
  const daily = passes.filter((p) => p.frequency === 'daily');
  const dailyWallMs = Object.fromEntries(
    CONCURRENCIES.map((k) => {
      const top = daily.reduce((a, b) => (b.wallMs[String(k)]! > a.wallMs[String(k)]! ? b : a));
      return [String(k), { collector: top.id, ms: top.wallMs[String(k)]! }];
    }),
  );
  const monthOf = (sample: readonly SizeClass[]) =>
    input.collectors.reduce(
      (u, c) => addUsage(u, execution(c, sample, input, list).usage, RUNS_PER_MONTH[c.frequency]),
      NO_USAGE,
    );
  const monthly = Object.fromEntries(
    COST_ACCOUNTS.map((n) => {
      const usage = monthOf(accountClasses(n, MIX, input.seed));
      return [String(n), { usage, cost: costOf(usage) }];
    }),
  );
  const scaled = derive0(input, classes, list);
  return {
    classCounts: apportion(ACCOUNTS, MIX),
    listAccounts: list,
    passes,
    dailyWallMs,
    dailyTransitions: daily.reduce((s, p) => s + p.transitions, 0),
    dailyGbSeconds: daily.reduce((s, p) => s + p.usage.gbSeconds, 0),
    averageDayGbSeconds: monthly[String(ACCOUNTS)]!.usage.gbSeconds / (365 / 12),
    cpuScaledDailyGbSeconds: scaled,
    monthly,
  };
}

/** The daily collectors' GB-s with each item's CPU stretched to the function's CPU share. */
function derive0(input: DerivationInput, classes: readonly SizeClass[], list: { wallMs: number }): number {
  const scaled: DerivationInput = {
    ...input,
    duration: (m) => cpuScaledMs(m.wallMs, m.cpuMs, collectorMemoryMb(m.id)),
  };
  return input.collectors
    .filter((c) => c.frequency === 'daily')
    .reduce((s, c) => s + execution(c, classes, scaled, list).usage.gbSeconds, 0);
}

export const PRICING_NOTE = `prices read ${PRICES_READ_ON} (bench/pricing.ts, US East list prices, no free tier)`;

// ---- results and the doc ---------------------------------------------------------------------------------

/** `organization` in bench/results.json: its own date, command, options, machine and load average. */
export interface OrganizationSection extends OrganizationMeasured {
  readonly measuredAt: string;
  readonly command: string;
  readonly latencyMs: number;
  readonly throttleRate: number;
  readonly seed: number;
  readonly mix: Mix;
  readonly accounts: number;
  readonly collectors: readonly CollectorInfo[];
  readonly machine: { readonly nproc: number; readonly cpu: string; readonly node: string };
  readonly loadAverage: { readonly before: number[]; readonly after: number[] };
  readonly totalMs: number;
  readonly derived: Derived;
}

const sec = (ms: number) => (ms / 1000).toFixed(1);
const min = (ms: number) => (ms / 60_000).toFixed(1);
const usd = (x: number) => (x < 0.01 && x > 0 ? '< 0.01' : x.toFixed(2));
const int = (x: number) => Math.round(x).toLocaleString('en-US');

export function renderOrganization(o: OrganizationSection): string {
  const d = o.derived;
  const [k1, k2] = CONCURRENCIES.map(String) as [string, string];
  const row = (c: SizeClass, id: string) => o.items[c].find((r) => r.id === id)!;
  const total = (c: SizeClass, f: (r: ItemRow) => number) => o.items[c].reduce((s, r) => s + f(r), 0);
  const s = o.sizes;
  const lines = [
    `Organization mode (measured ${o.measuredAt.slice(0, 10)} with \`${o.command}\` in ${sec(o.totalMs)} s, latency ${o.latencyMs} ms per call, throttling ${o.throttleRate}; ${o.machine.nproc} cores, Node ${o.machine.node}; load average ${o.loadAverage.before.join(', ')} before, ${o.loadAverage.after.join(', ')} after).`,
    '',
    `${o.accounts} accounts (seed ${o.seed}): ${d.classCounts.small} small (${Math.round(o.mix.small * 100)}%: ${s.small.users} users, ${s.small.buckets} buckets, ${s.small.databases} RDS, ${s.small.loadBalancers} load balancers), ${d.classCounts.medium} medium (${Math.round(o.mix.medium * 100)}%: ${s.medium.users}, ${s.medium.buckets}, ${s.medium.databases}, ${s.medium.loadBalancers}), ${d.classCounts.large} large (${Math.round(o.mix.large * 100)}%: the account above, ${s.large.users}, ${s.large.buckets}, ${s.large.databases}, ${s.large.loadBalancers}), ${s.large.regions} regions each. **Measured**, one Map item per collector and size class (AssumeRole + the collector's runCollector): calls (minimum = floor + 1 AssumeRole), wall and CPU seconds, peak RSS, objects per run.`,
    '',
    '| collector | frequency | calls (min) small | medium | large | wall s small | medium | large | CPU s large | peak RSS MB large | objects small / large |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...o.collectors.map(({ id, frequency }) => {
      const [a, b, c] = SIZE_CLASSES.map((k) => row(k, id));
      return `| ${id} | ${frequency} | ${a!.apiCalls} (${a!.minCalls}) | ${b!.apiCalls} (${b!.minCalls}) | ${c!.apiCalls} (${c!.minCalls}) | ${sec(a!.wallMs)} | ${sec(b!.wallMs)} | ${sec(c!.wallMs)} | ${sec(c!.cpuMs)} | ${c!.maxRssMb} | ${a!.objects} / ${c!.objects} |`;
    }),
    `| all sixteen | | ${total('small', (r) => r.apiCalls)} (${total('small', (r) => r.minCalls)}) | ${total('medium', (r) => r.apiCalls)} (${total('medium', (r) => r.minCalls)}) | ${total('large', (r) => r.apiCalls)} (${total('large', (r) => r.minCalls)}) | ${sec(total('small', (r) => r.wallMs))} | ${sec(total('medium', (r) => r.wallMs))} | ${sec(total('large', (r) => r.wallMs))} | ${sec(total('large', (r) => r.cpuMs))} | | |`,
    '',
    `**Derived** for ${o.accounts} accounts (list scheduling of the measured item times in the account list's order, + ${INVOKE_OVERHEAD_MS} ms invoke overhead per item and a cold start, the bundle's load time, on the first items of each slot; ListAccounts first: ${d.listAccounts.calls} Organizations calls for ${OUS} OUs, ${sec(d.listAccounts.wallMs)} s at ${o.latencyMs} ms a call):`,
    '',
    `| collector | frequency | execution wall min at ${k1} | at ${k2} | state transitions | Lambda GB-s | objects written |`,
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ...d.passes.map(
      (p) =>
        `| ${p.id} | ${p.frequency} | ${min(p.wallMs[k1]!)} | ${min(p.wallMs[k2]!)} | ${int(p.transitions)} | ${int(p.usage.gbSeconds)} | ${int(p.usage.puts)} |`,
    ),
    '',
    `Daily pass (the daily collectors' machines in parallel): ${min(d.dailyWallMs[k1]!.ms)} min at concurrency ${k1} and ${min(d.dailyWallMs[k2]!.ms)} min at ${k2} (longest: ${d.dailyWallMs[k1]!.collector}); ${int(d.dailyTransitions)} state transitions; ${int(d.dailyGbSeconds)} GB-s (an average day with the weekly and quarterly runs' share: ${int(d.averageDayGbSeconds)} GB-s; with each item's CPU stretched to its function's share of a vCPU (lib/collector-sizing.ts), an upper bound: ${int(d.cpuScaledDailyGbSeconds)} GB-s).`,
    '',
    `Estimated monthly AWS cost (USD; ${PRICING_NOTE}; daily collectors ${(365 / 12).toFixed(1)} runs a month, weekly ${(52 / 12).toFixed(2)}, quarterly ${(4 / 12).toFixed(2)}):`,
    '',
    `| | ${COST_ACCOUNTS.map((n) => `${n} accounts`).join(' | ')} |`,
    `| --- | ${COST_ACCOUNTS.map(() => '---:').join(' | ')} |`,
  ];
  const m = COST_ACCOUNTS.map((n) => d.monthly[String(n)]!);
  const costRow = (label: string, f: (x: (typeof m)[number]) => string) =>
    `| ${label} | ${m.map(f).join(' | ')} |`;
  lines.push(
    costRow(
      'Lambda duration (GB-s a month)',
      (x) => `${usd(x.cost.lambdaDuration)} (${int(x.usage.gbSeconds)})`,
    ),
    costRow('Lambda requests', (x) => `${usd(x.cost.lambdaRequests)} (${int(x.usage.lambdaRequests)})`),
    costRow(
      'Step Functions (transitions)',
      (x) => `${usd(x.cost.stepFunctions)} (${int(x.usage.transitions)})`,
    ),
    costRow('S3 PUT (objects)', (x) => `${usd(x.cost.s3Puts)} (${int(x.usage.puts)})`),
    costRow('KMS Sign (requests)', (x) => `${usd(x.cost.kmsSign)} (${int(x.usage.signs)})`),
    costRow(
      'CloudWatch Logs ingestion (MB)',
      (x) => `${usd(x.cost.logs)} (${int(x.usage.logBytes / 1024 ** 2)})`,
    ),
    costRow('**the accounts add**', (x) => `**${usd(x.cost.variable)}**`),
    costRow('fixed hub (README "Cost")', (x) => usd(x.cost.fixed)),
    costRow('**total**', (x) => `**${usd(x.cost.total)}**`),
    costRow('evidence written (GB a month; S3 Standard storage grows by this)', (x) =>
      (x.usage.storedBytes / 1024 ** 3).toFixed(2),
    ),
  );
  return lines.join('\n');
}
