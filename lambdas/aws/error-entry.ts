import type { ErrorEntry } from '../evidence/envelope';

/** Turns whatever an SDK call threw into an evidence error entry. Errors are evidence: never swallowed. */
export function errorEntry(err: unknown, region: string, api: string): ErrorEntry {
  const e = err as { name?: unknown; Code?: unknown; message?: unknown };
  const code =
    typeof e?.Code === 'string'
      ? e.Code
      : typeof e?.name === 'string' && e.name !== 'Error'
        ? e.name
        : 'Error';
  const message = typeof e?.message === 'string' && e.message ? e.message : String(err);
  return { region, api, code, message: message.slice(0, 1000) };
}
