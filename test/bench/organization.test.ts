import {
  ACCOUNTS,
  accountClasses,
  addUsage,
  apportion,
  classSizes,
  costOf,
  cpuScaledMs,
  derive,
  machineShape,
  mapWallMs,
  MIX,
  NO_USAGE,
  organizationsCalls,
  ouTree,
  renderOrganization,
  RUNS_PER_MONTH,
  SIZE_CLASSES,
  stateTransitions,
  type ItemRow,
  type OrganizationSection,
  type SizeClass,
} from '../../bench/organization';
import { parseBenchArgs } from '../../bench/run';
import { DEFAULT_SIZES } from '../../bench/synthetic-account';

describe('the account mix', () => {
  it('splits accounts by largest remainder, ties to the earlier class, always summing to n', () => {
    expect(apportion(500, MIX)).toEqual({ small: 350, medium: 125, large: 25 });
    expect(apportion(50, MIX)).toEqual({ small: 35, medium: 13, large: 2 });
    for (const n of [0, 1, 7, 99, 501]) {
      const a = apportion(n, MIX);
      expect(a.small + a.medium + a.large).toBe(n);
    }
  });

  it('orders the classes by a seeded shuffle: the same seed, the same order', () => {
    const a = accountClasses(500, MIX, 1);
    expect(a).toEqual(accountClasses(500, MIX, 1));
    expect(a).not.toEqual(accountClasses(500, MIX, 2));
    expect(a.filter((c) => c === 'large')).toHaveLength(25);
    // Shuffled: the large accounts are not all at the end.
    expect(a.slice(0, 250).some((c) => c === 'large')).toBe(true);
  });

  it('keeps the regions of the large account in every class', () => {
    const s = classSizes({ ...DEFAULT_SIZES, regions: 5 });
    expect(SIZE_CLASSES.map((c) => s[c].regions)).toEqual([5, 5, 5]);
    expect(s.large.users).toBe(DEFAULT_SIZES.users);
  });
});

describe('ListAccounts', () => {
  it('builds 4 configured OUs with 4 children each, the accounts spread over all 20', () => {
    const t = ouTree(500, 20, 4);
    expect(t.configuredOus).toBe(4);
    expect(t.parents).toHaveLength(20);
    expect(t.parents.reduce((s, p) => s + p.childOus, 0)).toBe(16);
    expect(t.parents.reduce((s, p) => s + p.accounts, 0)).toBe(500);
  });

  it('counts DescribeOrganization, DescribeOrganizationalUnit per configured OU and both lists per parent at 20 a page', () => {
    // 1 + 4 + 20 × (1 page of OUs + 2 pages of 25 accounts)
    expect(organizationsCalls(ouTree(500, 20, 4))).toBe(65);
    expect(
      organizationsCalls({
        configuredOus: 1,
        parents: [
          { childOus: 21, accounts: 41 },
          { childOus: 0, accounts: 0 },
        ],
      }),
    ).toBe(1 + 1 + (2 + 3) + (1 + 1));
  });
});

describe('state transitions', () => {
  it('counts the top-level states, one per child execution and one per state it enters', () => {
    expect(stateTransitions(machineShape('iam-mfa'), 500)).toBe(2 + 500 * 2);
    expect(stateTransitions(machineShape('access-review'), 500)).toBe(3 + 500 * 2);
    expect(stateTransitions(machineShape('iam-mfa'), 0)).toBe(2);
  });

  it('adds RecordFailure for each caught failure and every retry', () => {
    expect(stateTransitions(machineShape('tls'), 10, { failures: 3, retries: 4 })).toBe(2 + 20 + 3 + 4);
    expect(() => stateTransitions(machineShape('tls'), 2, { failures: 3 })).toThrow(
      'failures (3) cannot exceed items (2)',
    );
  });
});

describe('the Map schedule', () => {
  it('starts the next item on the first slot to free up', () => {
    expect(mapWallMs([10, 10, 10, 10], 2, 0, 0)).toBe(20);
    // A long item first: the other slot takes the three short ones.
    expect(mapWallMs([30, 10, 10, 10], 2, 0, 0)).toBe(30);
    // A long item last waits for a slot.
    expect(mapWallMs([10, 10, 30], 2, 0, 0)).toBe(40);
    expect(mapWallMs([10, 10, 10, 10], 4, 0, 0)).toBe(10);
    expect(mapWallMs([], 10, 100, 300)).toBe(0);
  });

  it('adds the overhead to every item and the cold start to the first item of each slot', () => {
    expect(mapWallMs([10, 10, 10, 10], 2, 5, 100)).toBe(10 + 5 + 100 + 10 + 5);
    expect(() => mapWallMs([1], 0, 0, 0)).toThrow('concurrency must be a positive integer, got 0');
  });
});

describe('the cost arithmetic', () => {
  it('prices each unit at its list price and adds the fixed hub', () => {
    const c = costOf({
      lambdaRequests: 1_000_000,
      gbSeconds: 1_000_000,
      transitions: 1000,
      puts: 1000,
      signs: 10_000,
      logBytes: 1024 ** 3,
      storedBytes: 123,
    });
    expect(c.lambdaRequests).toBeCloseTo(0.2, 10);
    expect(c.lambdaDuration).toBeCloseTo(13.3334, 6);
    expect(c.stepFunctions).toBeCloseTo(0.025, 10);
    expect(c.s3Puts).toBeCloseTo(0.005, 10);
    expect(c.kmsSign).toBeCloseTo(0.15, 10);
    expect(c.logs).toBeCloseTo(0.5, 10);
    expect(c.variable).toBeCloseTo(0.2 + 13.3334 + 0.025 + 0.005 + 0.15 + 0.5, 6);
    expect(c.fixed).toBe(52);
    expect(c.total).toBeCloseTo(c.variable + 52, 10);
    expect(costOf(NO_USAGE, 0).total).toBe(0);
  });

  it('adds usage times a number of runs, and runs daily, weekly and quarterly collectors as often', () => {
    const u = addUsage(NO_USAGE, { ...NO_USAGE, puts: 3, gbSeconds: 2 }, 10);
    expect(u).toMatchObject({ puts: 30, gbSeconds: 20, signs: 0 });
    expect(RUNS_PER_MONTH.daily * 12).toBeCloseTo(365, 10);
    expect(RUNS_PER_MONTH.weekly * 12).toBeCloseTo(52, 10);
    expect(RUNS_PER_MONTH.quarterly * 12).toBeCloseTo(4, 10);
  });

  it('stretches CPU time to the share of a vCPU the memory buys', () => {
    expect(cpuScaledMs(1000, 100, 1769)).toBe(1000);
    expect(cpuScaledMs(1000, 100, 3538)).toBe(1000);
    expect(cpuScaledMs(1000, 100, 512)).toBeCloseTo(1000 + 100 * (1769 / 512 - 1), 6);
  });
});

function row(id: string, wallMs: number, objects = 2): ItemRow {
  return {
    id,
    wallMs,
    cpuMs: wallMs / 2,
    apiCalls: 5,
    minCalls: 5,
    byApi: {},
    throttled: 0,
    sdkCalls: 5,
    retries: 0,
    sdkFailures: 0,
    errorEntries: 0,
    errorCodes: {},
    status: 'PASS',
    findings: 1,
    evidenceBytes: 1000,
    objects,
    metricsLineBytes: 400,
    rssBeforeMb: 100,
    maxRssMb: 120,
  };
}

describe('the derived pass', () => {
  const collectors = [
    { id: 'iam-mfa', frequency: 'daily' as const },
    { id: 'tls', frequency: 'weekly' as const },
    { id: 'access-review', frequency: 'quarterly' as const },
  ];
  const ms: Record<SizeClass, number> = { small: 1000, medium: 5000, large: 60_000 };
  const items = Object.fromEntries(
    SIZE_CLASSES.map((c) => [c, collectors.map((k) => row(k.id, ms[c]))]),
  ) as Record<SizeClass, ItemRow[]>;
  const d = derive({ collectors, items, coldStartMs: {}, latencyMs: 25, seed: 7 });

  it('derives the daily pass from the daily collectors alone, faster at a higher concurrency', () => {
    expect(d.classCounts).toEqual({ small: 350, medium: 125, large: 25 });
    expect(d.dailyWallMs['10']!.collector).toBe('iam-mfa');
    expect(d.dailyWallMs['40']!.ms).toBeLessThan(d.dailyWallMs['10']!.ms);
    // At least the items' total time over the slots, plus ListAccounts.
    const work = 350 * 1000 + 125 * 5000 + 25 * 60_000;
    expect(d.dailyWallMs['10']!.ms).toBeGreaterThanOrEqual(work / 10 + d.listAccounts.wallMs);
    expect(d.dailyTransitions).toBe(2 + 2 * ACCOUNTS);
    expect(d.listAccounts.calls).toBe(65);
  });

  it('counts the usage of an execution: requests, GB-s, objects signed and written', () => {
    const pass = d.passes.find((p) => p.id === 'iam-mfa')!;
    expect(pass.usage.lambdaRequests).toBe(1 + ACCOUNTS);
    expect(pass.usage.puts).toBe(2 * ACCOUNTS + 2);
    expect(pass.usage.signs).toBe(pass.usage.puts);
    const review = d.passes.find((p) => p.id === 'access-review')!;
    expect(review.usage.lambdaRequests).toBe(2 + ACCOUNTS);
    expect(review.transitions).toBe(3 + 2 * ACCOUNTS);
    expect(d.cpuScaledDailyGbSeconds).toBeGreaterThan(d.dailyGbSeconds);
    expect(d.monthly['500']!.cost.variable).toBeGreaterThan(d.monthly['50']!.cost.variable * 5);
  });

  it('renders the measured and the derived tables', () => {
    const section: OrganizationSection = {
      measuredAt: '2026-11-30T00:00:00.000Z',
      command: 'npm run bench -- --only organization',
      latencyMs: 25,
      throttleRate: 0,
      seed: 7,
      mix: MIX,
      accounts: ACCOUNTS,
      collectors,
      sizes: classSizes(DEFAULT_SIZES),
      items,
      coldStartMs: {},
      derived: d,
      machine: { nproc: 2, cpu: 'test', node: 'v20' },
      loadAverage: { before: [1], after: [2] },
      totalMs: 1000,
    };
    const text = renderOrganization(section);
    expect(text).toContain('| iam-mfa | daily | 5 (5) | 5 (5) | 5 (5) |');
    expect(text).toContain('350 small (70%');
    expect(text).toMatch(/\| \*\*total\*\* \| \*\*\d+\.\d\d\*\* \| \*\*\d+\.\d\d\*\* \|/);
  });
});

describe('--only organization', () => {
  it('is a part the benchmark runs alone, with the account size flags', () => {
    expect(parseBenchArgs(['--only', 'organization', '--users', '50'])).toMatchObject({
      only: 'organization',
      users: 50,
    });
  });
});
