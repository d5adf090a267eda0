/** An optional date as ISO text, keeping the caller's absent value (`undefined` from the SDK, `null` for
 * "never" in the credential report) so each envelope field stays as its schema describes it. */
export function iso(date: Date | undefined): string | undefined;
export function iso(date: Date | null): string | null;
export function iso(date: Date | null | undefined): string | null | undefined {
  return date ? date.toISOString() : date;
}
