import { AsyncLocalStorage } from 'node:async_hooks';
import type { ErrorEntry } from '../evidence/envelope';
import { errorEntry } from './aws-error';

/**
 * A run's time budget, visible to everything it awaits without being passed through every signature.
 * Work that can be cut at a boundary (a region not yet started, a bucket not yet read) checks
 * `deadlinePassed()` and records what it skipped, so a run near the Lambda time limit still writes what it has.
 */
interface Budget {
  /** Epoch ms after which no new region or resource read starts. */
  readonly soft: number;
  /** Epoch ms at which the run abandons gathering altogether (run-collector.ts). */
  readonly hard?: number;
}

const budget = new AsyncLocalStorage<Budget>();

/**
 * Time a per-resource loop leaves between giving up on its reads still in flight and the hard deadline: the
 * collector's other branches and the rest of its `gather` (building facts from what was read) run in it. A
 * loop that returns by then keeps its results and everything gathered beside it, which the hard deadline
 * would otherwise abandon with the whole gather.
 */
export const RETURN_RESERVE_MS = 10_000;

/**
 * Runs `fn` with a soft deadline (no new work starts after it) and, optionally, the hard deadline at which the
 * caller abandons it: per-resource loops stop waiting for their reads `RETURN_RESERVE_MS` before it.
 */
export function runWithDeadline<T>(
  deadline: number | undefined,
  fn: () => Promise<T>,
  hard?: number,
): Promise<T> {
  return deadline === undefined
    ? fn()
    : budget.run({ soft: deadline, ...(hard !== undefined ? { hard } : {}) }, fn);
}

export function deadlinePassed(now = Date.now()): boolean {
  const deadline = budget.getStore()?.soft;
  return deadline !== undefined && now >= deadline;
}

/**
 * Epoch ms at which a per-resource loop stops waiting for reads still in flight (a call retrying through a
 * long throttle can outlast the soft deadline's margin): `RETURN_RESERVE_MS` before the hard deadline, or
 * undefined when the run has none.
 */
export function stopWaitingAt(): number | undefined {
  const hard = budget.getStore()?.hard;
  return hard === undefined ? undefined : hard - RETURN_RESERVE_MS;
}

export class DeadlineExceededError extends Error {
  constructor(what: string) {
    super(`${what}: the run stopped before the Lambda time limit`);
    this.name = 'DeadlineExceeded';
  }
}

/**
 * The one error entry for what a per-resource loop left unread in a region when the run's deadline came:
 * `api` is the per-resource API that was not called, the message counts what was not read of how many.
 */
export function unreadEntry(
  region: string,
  api: string,
  unread: number,
  total: number,
  what: string,
): ErrorEntry {
  return errorEntry(
    new DeadlineExceededError(`${unread} of ${total} ${what} in ${region} were not read`),
    region,
    api,
  );
}

/**
 * `unreadEntry` per kind, for a loop over resources of several kinds read by different APIs (DB instances and
 * clusters, DB and cluster snapshots): the unread ones of each kind counted against all of that kind, one entry
 * for each kind that has any.
 */
export function unreadEntriesByKind<T, K extends string>(
  region: string,
  items: readonly T[],
  results: readonly unknown[],
  kindOf: (item: T) => K,
  kinds: Readonly<Record<K, { readonly api: string; readonly what: string }>>,
): ErrorEntry[] {
  return (Object.keys(kinds) as K[]).flatMap((kind) => {
    const ofKind = results.filter((_, i) => kindOf(items[i] as T) === kind);
    const unread = ofKind.filter((r) => r === undefined).length;
    return unread > 0 ? [unreadEntry(region, kinds[kind].api, unread, ofKind.length, kinds[kind].what)] : [];
  });
}
