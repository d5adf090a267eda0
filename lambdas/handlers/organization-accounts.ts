/**
 * PLACEHOLDER (org-cdk branch only): the stack bundles `lambdas/handlers/organization-accounts.ts`, which the
 * runtime helper writes. Drop this file in favour of theirs when merging.
 */
export function handler(): Promise<never> {
  return Promise.reject(
    new Error('organization-accounts: placeholder handler, not implemented on this branch'),
  );
}
