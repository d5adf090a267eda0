import { errorEntry } from '../../aws/error-entry';
import type { ErrorEntry } from '../../evidence/envelope';

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

/** The ARN partition of a region: ARNs built here must match those AWS returns in China and GovCloud. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}

/** An optional date as ISO text, keeping the caller's absent value (`undefined` from the SDK, `null` for
 * "never" in the credential report) so each envelope field stays as its schema describes it. */
export function iso(date: Date | undefined): string | undefined;
export function iso(date: Date | null): string | null;
export function iso(date: Date | null | undefined): string | null | undefined {
  return date ? date.toISOString() : date;
}
