import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * A run's time budget, visible to everything it awaits without being passed through every signature.
 * Work that can be cut at a boundary (a region not yet started) checks `deadlinePassed()` and records what
 * it skipped, so a run near the Lambda time limit still writes what it has.
 */
const budget = new AsyncLocalStorage<number>();

export function runWithDeadline<T>(deadline: number | undefined, fn: () => Promise<T>): Promise<T> {
  return deadline === undefined ? fn() : budget.run(deadline, fn);
}

export function deadlinePassed(now = Date.now()): boolean {
  const deadline = budget.getStore();
  return deadline !== undefined && now >= deadline;
}

export class DeadlineExceededError extends Error {
  constructor(what: string) {
    super(`${what}: the run stopped before the Lambda time limit`);
    this.name = 'DeadlineExceeded';
  }
}
