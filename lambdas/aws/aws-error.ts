import type { ErrorEntry } from '../evidence/envelope';

/**
 * One typed reading of whatever a call threw: an SDK service exception (`name`, sometimes `Code`, the HTTP
 * status in `$metadata`), a Node system error (`code`), or anything else. Callers ask this module instead
 * of casting `err` to the shape they hope for.
 */
export interface AwsErrorFacts {
  /** The service's error code (`AccessDenied`, `NoSuchBucketPolicy`), the Node error code (`ENOENT`), or
   * `Error` when the error names nothing more specific. */
  readonly code: string;
  readonly message: string;
  readonly httpStatus?: number;
  /** The API the error came from, when the call was wrapped in `withApi`. */
  readonly api?: string;
}

/** An error thrown by a call made inside `withApi`: the original error stays as `cause`. */
export class ApiCallError extends Error {
  constructor(
    readonly api: string,
    override readonly cause: unknown,
  ) {
    super(readAwsError(cause).message);
    this.name = 'ApiCallError';
  }
}

const field = (err: object, name: string): unknown => (err as Record<string, unknown>)[name];

export function readAwsError(err: unknown): AwsErrorFacts {
  if (err instanceof ApiCallError) return { ...readAwsError(err.cause), api: err.api };
  if (!err || typeof err !== 'object') return { code: 'Error', message: String(err) };
  const Code = field(err, 'Code');
  const name = field(err, 'name');
  const nodeCode = field(err, 'code');
  const code =
    typeof Code === 'string'
      ? Code
      : typeof name === 'string' && name !== 'Error'
        ? name
        : typeof nodeCode === 'string'
          ? nodeCode
          : 'Error';
  const raw = field(err, 'message');
  const message = typeof raw === 'string' && raw ? raw : String(err);
  const metadata = field(err, '$metadata');
  const status = metadata && typeof metadata === 'object' ? field(metadata, 'httpStatusCode') : undefined;
  return { code, message, ...(typeof status === 'number' ? { httpStatus: status } : {}) };
}

/** Whether `err` is the service error `code` (for example `NoSuchBucketPolicy`), wrapped or not. */
export function isAwsError(err: unknown, code: string): boolean {
  return readAwsError(err).code === code;
}

/** The message of anything thrown, for one-line CLI and log messages. */
export function messageOf(err: unknown): string {
  return readAwsError(err).message;
}

/**
 * Runs one AWS call (or paginated series) and, when it throws, names the API it came from, so
 * `readRegions` records the API that failed rather than the first API of the region.
 */
export async function withApi<T>(api: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw err instanceof ApiCallError ? err : new ApiCallError(api, err);
  }
}

/** Turns whatever a call threw into an evidence error entry. Errors are evidence: never swallowed. The API a
 * `withApi` wrapper named wins over `api`, the caller's best guess. */
export function errorEntry(err: unknown, region: string, api: string): ErrorEntry {
  const e = readAwsError(err);
  return { region, api: e.api ?? api, code: e.code, message: e.message.slice(0, 1000) };
}

/** An error entry for one resource: the message names the resource, which the SDK's message often omits. */
export function resourceError(err: unknown, region: string, api: string, resource: string): ErrorEntry {
  const entry = errorEntry(err, region, api);
  return { ...entry, message: `${resource}: ${entry.message}`.slice(0, 1000) };
}
