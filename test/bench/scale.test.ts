import { parseBenchArgs } from '../../bench/run';
import {
  breakingFor,
  breakingScale,
  OWN_LIMITS,
  DEPLOYED_LATENCY_MS,
  fitLinear,
  GATHER_BUDGET_MS,
  modelOf,
  parseScale,
  predict,
  renderScale,
  SCALE_LATENCY_MS,
  scaledSizes,
  type ScaleRow,
  type ScaleRun,
} from '../../bench/scale';
import { DEFAULT_SIZES } from '../../bench/synthetic-account';
import { COLLECTOR_TIMEOUT_SECONDS, vcpuShare } from '../../lib/collector-sizing';

const quiet = () => jest.spyOn(process.stderr, 'write').mockImplementation(() => true);

describe('--scale and --transport', () => {
  it('takes a positive number, runs on the wire at the scale latency', () => {
    expect(parseBenchArgs(['--scale', '3'])).toMatchObject({
      scale: 3,
      transport: 'wire',
      latencyMs: SCALE_LATENCY_MS,
    });
    expect(parseBenchArgs(['--scale', '0.5', '--latency-ms', '25'])).toMatchObject({
      scale: 0.5,
      latencyMs: 25,
    });
    expect(parseBenchArgs([])).toMatchObject({ transport: 'wire', latencyMs: 25 });
    expect(parseBenchArgs([]).scale).toBeUndefined();
    expect(parseBenchArgs(['--transport', 'inject'])).toMatchObject({ transport: 'inject' });
  });

  it('refuses anything else with one clear line', () => {
    const stderr = quiet();
    for (const bad of ['0', '-1', 'ten', '', 'Infinity', '1e9'])
      expect(() => parseBenchArgs(['--scale', bad])).toThrow(/--scale must be a positive number/);
    expect(() => parseBenchArgs(['--scale', '2', '--only', 'pull'])).toThrow(/--scale and --only pull/);
    expect(() => parseBenchArgs(['--scale', '2', '--users', '5'])).toThrow(
      /--users cannot be combined with --scale/,
    );
    expect(() => parseBenchArgs(['--scale', '2', '--collectors', 'tls,nope'])).toThrow(
      /--collectors must be comma-separated collector ids .*got "tls,nope"/,
    );
    expect(() => parseBenchArgs(['--collectors', 'tls'])).toThrow(/--collectors selects rows of a scale run/);
    expect(parseBenchArgs(['--scale', '2', '--collectors', 'tls,backups']).collectors).toEqual([
      'tls',
      'backups',
    ]);
    expect(() => parseBenchArgs(['--scale', '2', '--transport', 'inject'])).toThrow(
      /--scale runs on the wire/,
    );
    expect(() => parseBenchArgs(['--transport', 'carrier-pigeon'])).toThrow(
      /--transport must be one of: wire, inject/,
    );
    stderr.mockRestore();
    expect(() => parseScale('abc')).toThrow(
      '--scale must be a positive number up to 1000 (the default large account times N), got "abc"',
    );
  });

  it('multiplies every size but the regions', () => {
    const s = scaledSizes(3);
    expect(s.users).toBe(3 * DEFAULT_SIZES.users);
    expect(s.buckets).toBe(3 * DEFAULT_SIZES.buckets);
    expect(s.backupJobs).toBe(3 * DEFAULT_SIZES.backupJobs);
    expect(s.regions).toBe(DEFAULT_SIZES.regions);
    expect(scaledSizes(0.00001).users).toBe(1);
  });
});

describe('the breaking-size model', () => {
  it('fits a least-squares line, through the origin for one point, flat for a falling one', () => {
    expect(
      fitLinear([
        [1, 10],
        [3, 30],
      ]),
    ).toEqual({ a: 0, b: 10 });
    const f = fitLinear([
      [1, 210],
      [3, 250],
      [10, 390],
    ]);
    expect(f.b).toBeCloseTo(20, 6);
    expect(f.a).toBeCloseTo(190, 6);
    expect(fitLinear([[2, 8]])).toEqual({ a: 0, b: 4 });
    expect(
      fitLinear([
        [1, 300],
        [3, 290],
      ]),
    ).toEqual({ a: 295, b: 0 });
    expect(() => fitLinear([])).toThrow();
  });

  const row = (id: string, over: Partial<ScaleRow>): ScaleRow => ({
    id,
    apiCalls: 100,
    minCalls: 100,
    wallMs: 1000,
    wallFloorMs: 500,
    deployedFloorMs: 0,
    rateFloorMs: 0,
    cpuMs: 0,
    serverCpuMs: 0,
    maxRssMb: 0,
    rssBeforeMb: 180,
    throttled: 0,
    retries: 0,
    errorEntries: 0,
    errorCodes: {},
    status: 'PASS',
    ...over,
  });
  const run = (scale: number, rows: ScaleRow[]): ScaleRun => ({
    scale,
    measuredAt: '2026-12-01T00:00:00.000Z',
    command: `npm run bench -- --scale ${scale}`,
    latencyMs: 10,
    throttleRate: 0,
    sizes: scaledSizes(scale),
    machine: { nproc: 2, cpu: 'test', node: 'v20' },
    loadAverage: { before: [1, 1, 1], after: [1, 1, 1] },
    totalMs: 60_000,
    collectors: rows,
  });

  // encryption: CPU 10 s per 1× (no fixed part), floor 20 s per 1× at the deployed latency, memory 200 + 10/×.
  const runs = [1, 3].map((n) =>
    run(n, [
      row('encryption', { cpuMs: 10_000 * n, deployedFloorMs: 20_000 * n, maxRssMb: 200 + 10 * n }),
      row('access-review', { cpuMs: 1000 * n, deployedFloorMs: 300 * n, maxRssMb: 250 + 60 * n }),
      row('console-signins', {
        cpuMs: 100 * n,
        deployedFloorMs: 1000 * n,
        rateFloorMs: 40_000 * n,
        maxRssMb: 190,
      }),
    ]),
  );

  it('predicts time as the larger floor plus CPU at the vCPU share, and memory as peak RSS', () => {
    const m = modelOf('encryption', runs, 512);
    const p = predict(m, 2);
    expect(p.timeMs).toBeCloseTo(40_000 + 20_000 / vcpuShare(512), 3);
    expect(p.memoryMb).toBeCloseTo(220, 6);
    const signins = modelOf('console-signins', runs, 512);
    expect(predict(signins, 1).timeMs).toBeCloseTo(40_000 + 100 / vcpuShare(512), 3);
  });

  it('finds the first scale where time passes the gather budget or memory the function', () => {
    expect(GATHER_BUDGET_MS).toBe(COLLECTOR_TIMEOUT_SECONDS * 1000 - 30_000 - 45_000);
    const m = modelOf('encryption', runs, 512);
    const b = breakingScale(m);
    // 20 s·N + 10 s·N / (512/1769) = budget
    const expected = GATHER_BUDGET_MS / (20_000 + 10_000 / vcpuShare(512));
    expect(b.limit).toBe('time');
    expect(b.scale).toBeCloseTo(expected, 3);
    // access-review: 250 + 60·N passes 512 MB at N = 4.37, long before its time does.
    const a = breakingScale(modelOf('access-review', runs, 512));
    expect(a.limit).toBe('memory');
    expect(a.scale).toBeCloseTo((512 - 250) / 60, 3);
    // More memory moves the memory limit out: (4096 - 250) / 60 = 64×.
    expect(breakingScale(modelOf('access-review', runs, 4096)).scale).toBeCloseTo((4096 - 250) / 60, 3);
    // Nothing breaks where nothing grows.
    expect(breakingScale(modelOf('access-review', [runs[0]!, { ...runs[0]!, scale: 3 }], 512))).toEqual({});
  });

  it('renders one table across the scales and the breaking sizes against the realistic account', () => {
    const text = renderScale({ '3': runs[1]!, '1': runs[0]! });
    expect(text).toContain(
      '| collector | calls / min 1× | calls / min 3× | wall / floor s 1× | wall / floor s 3× |',
    );
    expect(text).toMatch(
      /\| encryption \| 100 \/ 100 \| 100 \/ 100 \| 1\.0 \/ 0\.5 \| 1\.0 \/ 0\.5 \| 10\.0 \| 30\.0 \|/,
    );
    expect(text).toContain(`latency floor at ${DEPLOYED_LATENCY_MS} ms`);
    // encryption breaks at ~2.4× = ~11,800 buckets, above the realistic 10,000.
    const enc = text.split('\n').find((l) => l.startsWith('| encryption | 512'))!;
    expect(enc).toContain('S3 buckets');
    expect(enc).toContain('| time |');
    expect(enc).toContain('10,000: above');
    // access-review breaks on memory at ~4.4× = ~43,700 users, above the realistic 5,000.
    const ar = text.split('\n').find((l) => l.startsWith('| access-review | 512'))!;
    expect(ar).toContain('| memory |');
    expect(ar).toContain('5,000: above');
    // console-signins: its own page limit (2.5× = 12,500 events) comes before 40 s of rate floor per 1×
    // does (~13×); the default 5,000 are below it.
    const cs = text.split('\n').find((l) => l.startsWith('| console-signins | 512'))!;
    expect(cs).toContain('sign-in events a day');
    expect(cs).toContain('12,500 (2.5×)');
    expect(cs).toContain('PageLimitReached');
    expect(cs).toContain('5,000: above');
  });

  it('says a collector breaks on the realistic account when it does', () => {
    const heavy = [1, 3].map((n) =>
      run(n, [row('encryption', { cpuMs: 60_000 * n, deployedFloorMs: 100_000 * n })]),
    );
    const line = renderScale({ '1': heavy[0]!, '3': heavy[1]! })
      .split('\n')
      .find((l) => l.startsWith('| encryption | 512'))!;
    expect(line).toContain('below: breaks on the realistic account');
  });

  it('asks for two scales before it models anything', () => {
    expect(renderScale({ '1': runs[0]! })).toContain('Breaking sizes need at least two scales');
  });
});

describe("a collector's own limit", () => {
  it('comes first where the collector stops reading by design', () => {
    // 200 pages of 50 events in the home region, which holds 80% of the default 5,000 a day: 2.5×.
    expect(OWN_LIMITS['console-signins']!.scale).toBeCloseTo(2.5, 6);
    const m = {
      id: 'console-signins',
      memoryMb: 512,
      cpu: { a: 0, b: 100 },
      rss: { a: 190, b: 0 },
      deployedFloor: { a: 0, b: 40_000 },
      rateFloor: { a: 0, b: 40_000 },
    };
    expect(breakingFor('console-signins', m)).toEqual({
      scale: 2.5,
      limit: OWN_LIMITS['console-signins']!.name,
    });
    expect(breakingFor('tls', m).limit).toBe('time');
  });
});

describe('a measured run with error entries', () => {
  it('bounds the breaking size between the last clean scale and the failing one', () => {
    const mk = (scale: number, errorEntries: number): ScaleRun => ({
      scale,
      measuredAt: '2026-12-01T00:00:00.000Z',
      command: 'x',
      latencyMs: 10,
      throttleRate: 0,
      sizes: scaledSizes(scale),
      machine: { nproc: 2, cpu: 'test', node: 'v20' },
      loadAverage: { before: [1], after: [1] },
      totalMs: 1,
      collectors: [
        {
          id: 'audit-logging',
          apiCalls: 1,
          minCalls: 1,
          wallMs: 1,
          wallFloorMs: 1,
          deployedFloorMs: 100 * scale,
          rateFloorMs: 0,
          cpuMs: 100 * scale,
          serverCpuMs: 0,
          maxRssMb: 200,
          rssBeforeMb: 180,
          throttled: 0,
          retries: 0,
          errorEntries,
          errorCodes: (errorEntries ? { ThrottlingException: errorEntries } : {}) as Record<string, number>,
          status: 'PASS',
        },
      ],
    });
    const runs = [mk(1, 0), mk(3, 483)];
    const b = breakingFor('audit-logging', modelOf('audit-logging', runs, 512), runs);
    expect(b).toMatchObject({
      scale: 3,
      clean: 1,
      measured: true,
      limit: 'error entries at 3×: ThrottlingException 483',
    });
    const line = renderScale({ '1': runs[0]!, '3': runs[1]! })
      .split('\n')
      .find((l) => l.startsWith('| audit-logging | 512'))!;
    // 500 load balancers a scale: clean at 500, failing at 1,500; the realistic account has the default 500.
    expect(line).toContain('500 to 1,500 (1× to 3×, measured)');
    expect(line).toContain('500: above');
  });
});
