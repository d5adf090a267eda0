/**
 * IAM policy wildcards: `*` matches any run of characters (`/` and `:` included), `?` exactly one.
 * Actions compare case-insensitively (IAM treats `S3:GetObject` and `s3:getobject` alike); resource ARNs
 * compare case-sensitively, so callers choose.
 */
export function matchesIamPattern(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, caseInsensitive ? 'is' : 's').test(value);
}

/** Whether any of the action patterns covers `action`. */
export function actionMatches(patterns: readonly string[], action: string): boolean {
  return patterns.some((p) => matchesIamPattern(p, action, true));
}
