import { deadlinePassed, stopWaitingAt } from './deadline';

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`concurrency must be a positive integer, got ${limit}`);
}

/** Runs `task` over `items` with at most `limit` in flight, keeping input order in the result. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  checkLimit(limit);
  const results = new Array<R>(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i] as T, i);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * A cap shared by several pools (one per region): a slot is taken before each task and handed to the next
 * waiter, first come first served, when the task ends, so no region's queue starves another's.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    checkLimit(limit);
  }

  /** Waits for a slot; the returned function gives it back (once, however often it is called). */
  async acquire(): Promise<() => void> {
    if (this.active < this.limit) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
  }
}

/** What `mapUntilDeadline` read, in input order. */
export interface DeadlineMap<R> {
  /** Per item: `{ value }` once its task finished; undefined when the deadline left it unread. */
  readonly results: readonly ({ readonly value: R } | undefined)[];
  /** Items left unread: not started before the soft deadline, or still in flight when the loop stopped waiting. */
  readonly unread: number;
}

/**
 * `mapWithConcurrency` for per-resource loops that can run long: no task starts after the run's soft deadline
 * (`deadlinePassed()`, checked just before each task, after any `shared` slot is taken), and the loop stops
 * waiting for tasks still in flight at `stopWaitingAt()`, so it returns what it read in time for the run to
 * keep it. A task that finishes after that is ignored. Outside a run with a deadline it reads everything.
 * `task` should record its own failures; one that throws rejects the whole map, as in `mapWithConcurrency`.
 */
export async function mapUntilDeadline<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
  shared?: Limiter,
): Promise<DeadlineMap<R>> {
  checkLimit(limit);
  const results = new Array<{ value: R } | undefined>(items.length).fill(undefined);
  let next = 0;
  // Two different stops: past the soft deadline nothing new starts, but what is in flight is still awaited
  // and kept; only once the loop has stopped waiting (`late`) is a result that arrives thrown away.
  let noMoreStarts = false;
  let late = false;
  async function worker(): Promise<void> {
    while (!noMoreStarts && !late && next < items.length) {
      const release = await shared?.acquire();
      try {
        if (noMoreStarts || late || next >= items.length) return;
        if (deadlinePassed()) {
          noMoreStarts = true;
          return;
        }
        const i = next++;
        const value = await task(items[i] as T, i);
        if (!late) results[i] = { value };
      } finally {
        release?.();
      }
    }
  }
  const all = Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  const stopAt = stopWaitingAt();
  if (stopAt === undefined) await all;
  else {
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), Math.max(0, stopAt - Date.now()));
    });
    try {
      if ((await Promise.race([all, giveUp])) === 'late') {
        late = true;
        // What is still in flight is abandoned: a failure it ends in later must not surface unhandled.
        all.catch(() => undefined);
      }
    } finally {
      clearTimeout(timer);
    }
  }
  return { results, unread: results.reduce((n, r) => (r === undefined ? n + 1 : n), 0) };
}
