/**
 * The pure IAM policy analysis shared by the access review (who is admin or near-admin, for a person to
 * review) and iam-privilege (the same verdicts judged daily against the approved administrators): policy
 * documents parsed, admin-equivalence, and who a role's trust policy lets in.
 */
import { messageOf } from '../aws/aws-error';
import { actionMatches, matchesIamPattern } from './patterns';

export const AWS_MANAGED = /^arn:aws[a-z-]*:iam::aws:policy\//;
export const ADMINISTRATOR_ACCESS = /^arn:aws[a-z-]*:iam::aws:policy\/AdministratorAccess$/;
/** AWS managed policies that are not admin but reach it or nearly all of it (AWS managed policies are not
 * fetched, so they are known by name). */
export const NEAR_ADMIN_AWS_MANAGED: Readonly<Record<string, string>> = {
  IAMFullAccess: 'iam:* on *, can grant itself any permission',
  PowerUserAccess: 'every action except IAM, Organizations and Account management',
};
const PEOPLE_ACTIONS = ['sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity'];

/** Allowed on `*`, each lets a principal attach or write an admin policy onto itself (or its group). */
export const SELF_GRANT_ACTIONS = [
  'iam:AttachUserPolicy',
  'iam:PutUserPolicy',
  'iam:AttachGroupPolicy',
  'iam:PutGroupPolicy',
  'iam:AttachRolePolicy',
  'iam:PutRolePolicy',
];
/** Privilege escalation paths: the self-grants, rewriting a managed policy, and passing any role to a
 * service (a Lambda function or EC2 instance running as an admin role). */
export const ESCALATION_ACTIONS = [...SELF_GRANT_ACTIONS, 'iam:CreatePolicyVersion', 'iam:PassRole'];

export type Json = Record<string, unknown>;

export function list(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

export const strings = (value: unknown): string[] => list(value).map(String);

/** IAM returns policy documents URL-encoded (RFC 3986); the SDK does not decode them. */
export function parsePolicyDocument(raw: string): Json {
  const doc = JSON.parse(decodeURIComponent(raw)) as unknown;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new Error('the document is not a JSON object');
  return doc as Json;
}

/**
 * A parser that reads a policy document, or records in `problems` why it could not (naming `what`) and gives
 * undefined: one unreadable document leaves the rest of the analysis standing.
 */
export function tolerantPolicyParser(
  problems: string[],
): (raw: string | undefined, what: string) => Json | undefined {
  return (raw, what) => {
    if (!raw) return undefined;
    try {
      return parsePolicyDocument(raw);
    } catch (err) {
      problems.push(`${what}: the policy document does not parse (${messageOf(err)})`);
      return undefined;
    }
  };
}

/** The document's statements of one effect (a single statement object counts as a list of one). */
export function statementsOf(doc: Json, effect: 'Allow' | 'Deny'): Json[] {
  return list(doc.Statement).filter(
    (s): s is Json => !!s && typeof s === 'object' && !Array.isArray(s) && (s as Json).Effect === effect,
  );
}

export function allowStatements(doc: Json): Json[] {
  return statementsOf(doc, 'Allow');
}

/** Whether the statement covers `action` (allows it in an Allow, denies it in a Deny), through Action or
 * NotAction (case-insensitive, wildcards). */
export function allowsAction(st: Json, action: string): boolean {
  if (st.NotAction !== undefined) return !actionMatches(strings(st.NotAction), action);
  return actionMatches(strings(st.Action), action);
}

export interface PolicyVerdict {
  readonly admin: boolean;
  readonly nearAdmin: boolean;
  readonly reason?: string;
}

/**
 * The model, per Allow statement (conditions are not weighed: admin under a condition, say MFA, is still
 * admin for a review):
 * - admin, full admin-equivalent:
 *   - Action `*` (or `*:*`) on Resource `*`;
 *   - NotAction on Resource `*` whose exclusions leave any of SELF_GRANT_ACTIONS allowed: whatever it
 *     excludes, the holder can attach AdministratorAccess to itself (`NotAction: ["s3:*"]`, or even
 *     `NotAction: ["iam:DeleteUser"]`, is admin);
 *   - Action `*` with NotResource that leaves IAM resources in reach (same reasoning).
 * - nearAdmin, a way to admin or nearly everything else:
 *   - NotAction on Resource `*` that excludes every self-grant (PowerUserAccess-style
 *     `NotAction: ["iam:*", "organizations:*", "account:*"]`): every other service, on everything;
 *   - Action `*` with NotResource that excludes IAM resources;
 *   - any of ESCALATION_ACTIONS (iam:*, iam:Put*Policy, iam:Attach*Policy, iam:CreatePolicyVersion,
 *     iam:PassRole) on Resource `*`.
 * Admin wins when a document has both.
 */
export function analysePolicy(doc: Json): PolicyVerdict {
  let near: string | undefined;
  for (const st of allowStatements(doc)) {
    const anyResource = strings(st.Resource).includes('*');
    const everyAction = strings(st.Action).some((a) => a === '*' || a === '*:*');
    if (everyAction && anyResource)
      return { admin: true, nearAdmin: false, reason: 'Action * on Resource *' };
    if (st.NotAction !== undefined && anyResource) {
      const excluded = strings(st.NotAction).join(', ');
      if (SELF_GRANT_ACTIONS.some((a) => allowsAction(st, a)))
        return {
          admin: true,
          nearAdmin: false,
          reason: `NotAction [${excluded}] on Resource * still allows IAM policy writes`,
        };
      near ??= `NotAction [${excluded}] on Resource *: every other action`;
      continue;
    }
    if (everyAction && st.NotResource !== undefined) {
      const excluded = strings(st.NotResource);
      // Any pattern whose service field can be `iam` (or a bare `*`) may cover the principal's own ARN.
      const iamExcluded = excluded.some(
        (r) => r === '*' || matchesIamPattern(r.split(':')[2] ?? '', 'iam', true),
      );
      if (!iamExcluded)
        return {
          admin: true,
          nearAdmin: false,
          reason: `Action * with NotResource [${excluded.join(', ')}]`,
        };
      near ??= `Action * with NotResource [${excluded.join(', ')}]: everything outside IAM`;
      continue;
    }
    if (anyResource) {
      const escalations = ESCALATION_ACTIONS.filter((a) => allowsAction(st, a));
      if (escalations.length > 0) near ??= `privilege escalation: ${escalations.join(', ')} on Resource *`;
    }
  }
  return near ? { admin: false, nearAdmin: true, reason: near } : { admin: false, nearAdmin: false };
}

export const NEITHER: PolicyVerdict = { admin: false, nearAdmin: false };

/** Full admin-equivalent (see `analysePolicy`). */
export function grantsAdmin(doc: Json): boolean {
  return analysePolicy(doc).admin;
}

/**
 * The verdict on an AWS managed policy, known by its ARN (AWS managed policies are not fetched: the
 * authorization filter leaves out ~1,500 of them). Only AdministratorAccess grants `*` on `*` among them;
 * IAMFullAccess and PowerUserAccess are near-admin. Undefined when the ARN is not AWS managed.
 */
export function awsManagedVerdict(arn: string): PolicyVerdict | undefined {
  if (!AWS_MANAGED.test(arn)) return undefined;
  const near = NEAR_ADMIN_AWS_MANAGED[arn.slice(arn.lastIndexOf('/') + 1)];
  return ADMINISTRATOR_ACCESS.test(arn)
    ? { admin: true, nearAdmin: false, reason: 'AdministratorAccess' }
    : near
      ? { admin: false, nearAdmin: true, reason: near }
      : NEITHER;
}

export function trustedBy(doc: Json, ownAccount: string): string[] {
  const out = new Set<string>();
  for (const st of allowStatements(doc)) {
    const anyone = st.Principal === '*';
    const principal = (anyone ? {} : (st.Principal ?? {})) as Json;
    // Wildcards count: `sts:AssumeRole*` and `sts:*` allow the federated actions too.
    if (PEOPLE_ACTIONS.some((a) => allowsAction(st, a)))
      for (const f of list(principal.Federated)) out.add(`federated:${String(f)}`);
    if (!allowsAction(st, 'sts:AssumeRole')) continue;
    if (anyone || principal.AWS !== undefined) {
      for (const p of anyone ? ['*'] : strings(principal.AWS)) {
        const account = p === '*' ? '*' : /^\d{12}$/.test(p) ? p : p.split(':')[4];
        if (!account) continue;
        if (account !== ownAccount) out.add(`account:${account}`);
        // The account itself: any of its users or roles allowed sts:AssumeRole by their own policies.
        else if (p === account || /:root$/.test(p)) out.add('account:self');
        // A named user or role here: exactly who can step into this role (and whatever it grants).
        else out.add(`principal:${p}`);
      }
    }
  }
  return [...out].sort();
}
