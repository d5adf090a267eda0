import { errorEntry } from './error-entry';
import type { ErrorEntry } from '../evidence/envelope';

/**
 * Runs one AWS call (or paginated series) and, when it throws, tags the error with the API it came from, so
 * `readRegions` records the API that failed rather than the first API of the region.
 */
export async function withApi<T>(api: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err && typeof err === 'object') Object.assign(err, { api });
    throw err;
  }
}

/** An error entry for one resource: the message names the resource, which the SDK's message often omits. */
export function resourceError(err: unknown, region: string, api: string, resource: string): ErrorEntry {
  const entry = errorEntry(err, region, api);
  return { ...entry, message: `${resource}: ${entry.message}`.slice(0, 1000) };
}
