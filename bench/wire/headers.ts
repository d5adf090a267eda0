/** How the benchmark's wire clients name each call to the wire server (no request parsing needed there). */

/** Headers the benchmark's clients add to every request (bench/wire/client-factory.ts). */
export const API_HEADER = 'x-bench-api';
export const REGION_HEADER = 'x-bench-region';
export const INPUT_HEADER = 'x-bench-input';

/** The command's input as a header value: JSON (Dates tagged) in base64url. */
export function encodeInput(input: unknown): string {
  const json = JSON.stringify(input ?? {}, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return { $date: raw.toISOString() };
    if (raw instanceof Uint8Array) return { $bytes: Buffer.from(raw).toString('base64') };
    return value;
  });
  return Buffer.from(json).toString('base64url');
}

export function decodeInput(header: string | undefined): Record<string, unknown> {
  if (!header) return {};
  return JSON.parse(Buffer.from(header, 'base64url').toString('utf8'), (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const v = value as Record<string, unknown>;
      if (typeof v.$date === 'string' && Object.keys(v).length === 1) return new Date(v.$date);
      if (typeof v.$bytes === 'string' && Object.keys(v).length === 1) return Buffer.from(v.$bytes, 'base64');
    }
    return value;
  }) as Record<string, unknown>;
}
