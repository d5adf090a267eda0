/**
 * Whether a permission set is admin-equivalent in one account, by the access review's own rules
 * (lambdas/iam-policy/analysis.ts): AWS managed policies known by name (AdministratorAccess admin;
 * IAMFullAccess, PowerUserAccess near-admin), the inline document analysed, and each customer managed policy
 * reference resolved against that account's frozen IAM population (Identity Center attaches the policy of
 * that name and path that exists in the account, so the verdict can differ per account).
 */
import { analysePolicy, awsManagedVerdict, type Json, type PolicyVerdict } from '../iam-policy/analysis';
import type { PermissionSetFacts } from './reader';

/** `yes` admin-equivalent, `near` a way to admin or nearly everything, `unknown` not decidable from what was read. */
export type AdminLevel = 'yes' | 'near' | 'no' | 'unknown';

export interface PermissionSetVerdict {
  readonly admin: AdminLevel;
  /** `<policy>: <reason>` behind `yes` or `near`, and why anything is unknown. */
  readonly reasons: readonly string[];
}

/** A customer managed policy's verdict in an account, or why there is none. */
export type CustomerPolicyLookup = (
  name: string,
  path: string,
) => PolicyVerdict | { readonly unknown: string };

/** Identity Center returns the inline policy as plain JSON (IAM's own documents are URL-encoded). */
export function parseInlinePolicy(raw: string): Json {
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch {
    doc = JSON.parse(decodeURIComponent(raw));
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new Error('the document is not a JSON object');
  return doc as Json;
}

export function judgePermissionSet(
  ps: PermissionSetFacts,
  customer: CustomerPolicyLookup,
): PermissionSetVerdict {
  const admin: string[] = [];
  const near: string[] = [];
  const unknown: string[] = [];
  const weigh = (name: string, v: PolicyVerdict) => {
    const line = v.reason && v.reason !== name ? `${name}: ${v.reason}` : name;
    if (v.admin) admin.push(line);
    else if (v.nearAdmin) near.push(line);
  };
  for (const m of ps.managedPolicies) {
    // Only AWS managed policies attach to a permission set by ARN; anything else is weighed as unknown.
    const v = awsManagedVerdict(m.arn);
    if (v) weigh(m.name, v);
    else unknown.push(`${m.name}: not an AWS managed policy ARN (${m.arn})`);
  }
  if (ps.inlinePolicy !== '') {
    try {
      weigh('inline policy', analysePolicy(parseInlinePolicy(ps.inlinePolicy)));
    } catch (err) {
      unknown.push(`inline policy: does not parse (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  for (const c of ps.customerManagedPolicies) {
    const v = customer(c.name, c.path);
    const label = `${c.path}${c.name} (customer managed)`;
    if ('unknown' in v) unknown.push(`${label}: ${v.unknown}`);
    else weigh(label, v);
  }
  for (const api of ps.unread) unknown.push(`not read: ${api}`);
  if (admin.length > 0) return { admin: 'yes', reasons: [...admin, ...near] };
  if (unknown.length > 0) return { admin: 'unknown', reasons: [...near, ...unknown] };
  if (near.length > 0) return { admin: 'near', reasons: near };
  return { admin: 'no', reasons: [] };
}
