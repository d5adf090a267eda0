import type { ErrorEntry } from '../evidence/envelope';
import { mapWithConcurrency } from '../aws/concurrency';
import { DeadlineExceededError, deadlinePassed } from '../aws/deadline';
import { errorEntry } from '../aws/aws-error';

/** Regions read at once. Each region's calls are independent; four keeps a run short without bunching
 * every region's throttling budget into the same second. */
export const REGION_CONCURRENCY = 4;

export interface RegionResult<T> {
  readonly region: string;
  /** Undefined when the region failed; its error is in `errors`. */
  readonly value?: T;
}

/**
 * Runs `read` in every region with bounded concurrency. A region that throws (AccessDenied, an opt-in
 * region, throttling that outlasted the retries) becomes an error entry; the other regions' results stand.
 * A region not started before the run's soft deadline is skipped the same way.
 */
export async function readRegions<T>(
  regions: readonly string[],
  api: string,
  read: (region: string) => Promise<T>,
  concurrency = REGION_CONCURRENCY,
): Promise<{ results: RegionResult<T>[]; errors: ErrorEntry[] }> {
  const errors: ErrorEntry[] = [];
  const results = await mapWithConcurrency(regions, concurrency, async (region) => {
    try {
      if (deadlinePassed()) throw new DeadlineExceededError(`${region} was not read`);
      return { region, value: await read(region) };
    } catch (err) {
      errors.push(errorEntry(err, region, api));
      return { region };
    }
  });
  return { results, errors };
}
