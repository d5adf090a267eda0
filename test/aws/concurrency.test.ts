import { Limiter, mapUntilDeadline, mapWithConcurrency } from '../../lambdas/aws/concurrency';
import { RETURN_RESERVE_MS, runWithDeadline } from '../../lambdas/aws/deadline';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterEach(() => jest.restoreAllMocks());

describe('mapWithConcurrency', () => {
  it('refuses a limit that is not a positive integer, naming it', async () => {
    await expect(mapWithConcurrency([1], 0, async (x) => x)).rejects.toThrow(
      'concurrency must be a positive integer, got 0',
    );
  });
});

describe('Limiter', () => {
  it('keeps at most `limit` tasks of several pools in flight, handing slots over first come first served', async () => {
    const shared = new Limiter(3);
    let inFlight = 0;
    let most = 0;
    const started: string[] = [];
    const pool = (name: string) =>
      mapUntilDeadline(
        [1, 2, 3, 4],
        3,
        async (i) => {
          started.push(`${name}${i}`);
          most = Math.max(most, ++inFlight);
          await sleep(5);
          inFlight--;
          return i;
        },
        shared,
      );

    const [a, b] = await Promise.all([pool('a'), pool('b')]);

    expect(most).toBe(3);
    expect(a.results.map((r) => r?.value)).toEqual([1, 2, 3, 4]);
    expect(b.unread).toBe(0);
    // Both pools got slots: neither waited for the other to finish.
    expect(started.slice(0, 6).some((s) => s.startsWith('b'))).toBe(true);
  });

  it('gives a slot back once however often release is called', async () => {
    const shared = new Limiter(1);
    const release = await shared.acquire();
    release();
    release();
    const first = await shared.acquire();
    let second = false;
    void shared.acquire().then(() => (second = true));
    await sleep(1);
    expect(second).toBe(false);
    first();
    await sleep(1);
    expect(second).toBe(true);
  });
});

describe('mapUntilDeadline', () => {
  it('reads everything, in input order, outside a run with a deadline', async () => {
    const read = await mapUntilDeadline([3, 1, 2], 2, async (x) => {
      await sleep(x);
      return x * 10;
    });
    expect(read).toEqual({ results: [{ value: 30 }, { value: 10 }, { value: 20 }], unread: 0 });
  });

  it('starts nothing once the soft deadline has passed, and keeps what was read', async () => {
    let clock = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => clock);
    const started: number[] = [];

    const read = await runWithDeadline(clock + 30, () =>
      mapUntilDeadline([0, 1, 2, 3, 4, 5], 1, async (i) => {
        started.push(i);
        clock += 10; // each read takes 10 ms of the fake clock: the deadline passes during the third
        return i;
      }),
    );

    expect(started).toEqual([0, 1, 2]);
    expect(read.results).toEqual([{ value: 0 }, { value: 1 }, { value: 2 }, undefined, undefined, undefined]);
    expect(read.unread).toBe(3);
  });

  it('keeps a read that was in flight when another worker met the soft deadline', async () => {
    const soft = Date.now() + 50;
    const read = await runWithDeadline(soft, () =>
      mapUntilDeadline([60, 100, 5, 5], 2, async (ms, i) => {
        await sleep(ms);
        return `read ${i}`;
      }),
    );
    // Item 0 ends at 60 ms, past the soft deadline: its worker starts nothing more. Item 1 was already in
    // flight and ends at 100 ms, before any stop-waiting time: it was read and must be kept, not counted unread.
    expect(read.results).toEqual([{ value: 'read 0' }, { value: 'read 1' }, undefined, undefined]);
    expect(read.unread).toBe(2);
  });

  it('stops waiting for reads still in flight before the hard deadline, and ignores what they end in', async () => {
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    const hard = Date.now() + RETURN_RESERVE_MS + 50;
    const soft = hard - 1; // not passed while the reads start: only the stop-waiting time matters here

    const read = await runWithDeadline(
      soft,
      () =>
        mapUntilDeadline([5, 400, 5], 3, async (ms) => {
          await sleep(ms);
          if (ms === 400) throw new Error('ended after the loop stopped waiting');
          return ms;
        }),
      hard,
    );
    await sleep(450);
    process.off('unhandledRejection', unhandled);

    expect(read.results).toEqual([{ value: 5 }, undefined, { value: 5 }]);
    expect(read.unread).toBe(1);
    expect(unhandled).not.toHaveBeenCalled();
  });
});
