import {
  IAMClient,
  paginateGetAccountAuthorizationDetails,
  type EntityType,
  type GroupDetail,
  type ManagedPolicyDetail,
  type RoleDetail,
  type UserDetail,
} from '@aws-sdk/client-iam';
import { actionMatches, matchesIamPattern } from '../../iam-policy/patterns';
import type { GatherContext } from '../collector';
import { holdsKey, type CredentialReport, type ReportTime } from '../../readers/credential-report/parse';
import { userActivity } from '../inactive-users/collector';
import type { ErrorEntry } from '../../evidence/envelope';
import { IAM_MAX_PAGE } from '../../aws/iam-pages';
import { messageOf } from '../../aws/aws-error';

/** The raw answer of GetAccountAuthorizationDetails, all pages merged. */
export interface AuthorizationDetails {
  readonly users: readonly UserDetail[];
  readonly groups: readonly GroupDetail[];
  readonly roles: readonly RoleDetail[];
  readonly policies: readonly ManagedPolicyDetail[];
}

export interface PolicyRef {
  readonly name: string;
  readonly type: 'aws-managed' | 'customer-managed' | 'inline';
  /** `user`, `role`, or `group:<name>` when it reaches the principal through a group. */
  readonly via: string;
  readonly arn?: string;
  readonly admin: boolean;
  /** Not admin, but a way to become admin or nearly everything else (see `analysePolicy`). */
  readonly nearAdmin: boolean;
  /** Why it is admin or near-admin, for the reviewer; absent when it is neither. */
  readonly reason?: string;
}

/** The admin verdict of a principal, from all its policies. */
interface AdminVerdict {
  /** Full admin-equivalent through at least one policy. */
  readonly admin: boolean;
  /** Not admin, but at least one policy can escalate to admin or grants nearly everything. */
  readonly nearAdmin: boolean;
  /** `<policy>: <reason>` for each policy behind either flag. */
  readonly adminReasons: readonly string[];
}

/** An access key from the credential report: when it was issued (or last rotated), its age, its last use. */
export interface AccessKeyEntry {
  readonly slot: 1 | 2;
  readonly active: boolean;
  /** ISO time the key was created or last rotated; null when the report does not say. */
  readonly createdAt: string | null;
  /** Whole days from `createdAt` to the freeze; null when `createdAt` is. */
  readonly ageDays: number | null;
  /** ISO time of last use; null when never used (or not since IAM began tracking it). */
  readonly lastUsedAt: string | null;
  readonly lastUsedService: string | null;
}

export interface UserEntry {
  readonly name: string;
  readonly arn: string;
  readonly createdAt: string | null;
  /** Keys in the credential report (active or not); empty when the user has none or is not in the report. */
  readonly accessKeys: readonly AccessKeyEntry[];
  readonly groups: readonly string[];
  readonly policies: readonly PolicyRef[];
  readonly admin: boolean;
  readonly nearAdmin: boolean;
  readonly adminReasons: readonly string[];
  /** null when the user is missing from the credential report (created after it was generated). */
  readonly consoleAccess: boolean | null;
  readonly mfa: boolean | null;
  readonly lastActivity: string | null;
  readonly inactive: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

export interface RoleEntry {
  readonly name: string;
  readonly arn: string;
  /**
   * Who people reach it from: `federated:<provider>`, `account:<id>` for another account (`account:*` for
   * any), `account:self` for this account's root (any user or role here whose own policy allows
   * sts:AssumeRole), or `principal:<arn>` for a named user or role of this account.
   */
  readonly trustedBy: readonly string[];
  readonly createdAt: string | null;
  /** RoleLastUsed: ISO time the role was last assumed; null when not within IAM's 400-day tracking window. */
  readonly lastUsedAt: string | null;
  readonly lastUsedRegion: string | null;
  readonly policies: readonly PolicyRef[];
  readonly admin: boolean;
  readonly nearAdmin: boolean;
  readonly adminReasons: readonly string[];
}

export interface Population {
  readonly account: string;
  readonly frozenAt: string;
  readonly inactiveAfterDays: number;
  readonly credentialReportGeneratedAt: string | null;
  readonly users: readonly UserEntry[];
  readonly roles: readonly RoleEntry[];
}

const AWS_MANAGED = /^arn:aws[a-z-]*:iam::aws:policy\//;
const ADMINISTRATOR_ACCESS = /^arn:aws[a-z-]*:iam::aws:policy\/AdministratorAccess$/;
/** AWS managed policies that are not admin but reach it or nearly all of it (AWS managed policies are not
 * fetched, so they are known by name). */
const NEAR_ADMIN_AWS_MANAGED: Readonly<Record<string, string>> = {
  IAMFullAccess: 'iam:* on *, can grant itself any permission',
  PowerUserAccess: 'every action except IAM, Organizations and Account management',
};
const PEOPLE_ACTIONS = ['sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity'];

/** Allowed on `*`, each lets a principal attach or write an admin policy onto itself (or its group). */
const SELF_GRANT_ACTIONS = [
  'iam:AttachUserPolicy',
  'iam:PutUserPolicy',
  'iam:AttachGroupPolicy',
  'iam:PutGroupPolicy',
  'iam:AttachRolePolicy',
  'iam:PutRolePolicy',
];
/** Privilege escalation paths: the self-grants, rewriting a managed policy, and passing any role to a
 * service (a Lambda function or EC2 instance running as an admin role). */
const ESCALATION_ACTIONS = [...SELF_GRANT_ACTIONS, 'iam:CreatePolicyVersion', 'iam:PassRole'];

type Json = Record<string, unknown>;

function list(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

const strings = (value: unknown): string[] => list(value).map(String);

const DAY_MS = 86_400_000;
const isoOf = (t: ReportTime): string | null => (t instanceof Date ? t.toISOString() : null);

/** IAM returns policy documents URL-encoded (RFC 3986); the SDK does not decode them. */
export function parsePolicyDocument(raw: string): Json {
  const doc = JSON.parse(decodeURIComponent(raw)) as unknown;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new Error('the document is not a JSON object');
  return doc as Json;
}

function allowStatements(doc: Json): Json[] {
  return list(doc.Statement).filter(
    (s): s is Json => !!s && typeof s === 'object' && !Array.isArray(s) && (s as Json).Effect === 'Allow',
  );
}

/** Whether the statement allows `action`, through Action or NotAction (case-insensitive, wildcards). */
function allowsAction(st: Json, action: string): boolean {
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

const NEITHER: PolicyVerdict = { admin: false, nearAdmin: false };

/** Full admin-equivalent (see `analysePolicy`). */
export function grantsAdmin(doc: Json): boolean {
  return analysePolicy(doc).admin;
}

/** Combines a principal's policies: admin through any, near-admin only when not admin. */
function verdictOf(policies: readonly PolicyRef[]): AdminVerdict {
  const admin = policies.some((p) => p.admin);
  const nearAdmin = !admin && policies.some((p) => p.nearAdmin);
  const behind = policies.filter((p) => (admin ? p.admin : p.nearAdmin) && p.reason);
  // Near-admin policies stay listed beside the admin ones: the reviewer removes all of them, or none.
  const extra = admin ? policies.filter((p) => p.nearAdmin && p.reason) : [];
  // "AdministratorAccess: AdministratorAccess" says nothing twice: a policy that is its own reason stands alone.
  const adminReasons = [
    ...new Set([...behind, ...extra].map((p) => (p.reason === p.name ? p.name : `${p.name}: ${p.reason}`))),
  ];
  return { admin, nearAdmin, adminReasons };
}

function trustedBy(doc: Json, ownAccount: string): string[] {
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

export interface BuildResult {
  readonly population: Population;
  /** Documents that would not parse, naming the policy; each becomes an error entry. */
  readonly problems: readonly string[];
}

/** Pure: the review population from the authorization details and the credential report. */
export function buildPopulation(
  details: AuthorizationDetails,
  report: CredentialReport | undefined,
  options: { account: string; now: Date; inactiveAfterDays: number; credentialReportGeneratedAt?: string },
): BuildResult {
  const problems: string[] = [];
  const parse = (raw: string | undefined, what: string): Json | undefined => {
    if (!raw) return undefined;
    try {
      return parsePolicyDocument(raw);
    } catch (err) {
      problems.push(`${what}: the policy document does not parse (${messageOf(err)})`);
      return undefined;
    }
  };
  const customer = new Map<string, PolicyVerdict>();
  for (const p of details.policies) {
    const doc = p.PolicyVersionList?.find((v) => v.IsDefaultVersion)?.Document;
    const parsed = parse(doc, `managed policy ${p.PolicyName ?? '?'} (${p.Arn ?? '?'})`);
    if (p.Arn) customer.set(p.Arn, parsed ? analysePolicy(parsed) : NEITHER);
  }
  const managed = (arn: string | undefined, name: string | undefined, via: string): PolicyRef => {
    const a = arn ?? '';
    if (AWS_MANAGED.test(a)) {
      // AWS managed policies are not fetched (the filter leaves out ~1,500 of them): only AdministratorAccess
      // grants */* among them; IAMFullAccess and PowerUserAccess are near-admin, known by name.
      const near = NEAR_ADMIN_AWS_MANAGED[a.slice(a.lastIndexOf('/') + 1)];
      const verdict: PolicyVerdict = ADMINISTRATOR_ACCESS.test(a)
        ? { admin: true, nearAdmin: false, reason: 'AdministratorAccess' }
        : near
          ? { admin: false, nearAdmin: true, reason: near }
          : NEITHER;
      return { name: name ?? a, type: 'aws-managed', via, arn: a, ...verdict };
    }
    return { name: name ?? a, type: 'customer-managed', via, arn: a, ...(customer.get(a) ?? NEITHER) };
  };
  const inline = (
    policies: readonly { PolicyName?: string; PolicyDocument?: string }[] | undefined,
    via: string,
    owner: string,
  ): PolicyRef[] =>
    (policies ?? []).map((p) => {
      const doc = parse(p.PolicyDocument, `inline policy ${p.PolicyName ?? '?'} of ${owner}`);
      return { name: p.PolicyName ?? '?', type: 'inline', via, ...(doc ? analysePolicy(doc) : NEITHER) };
    });

  const groups = new Map<string, PolicyRef[]>();
  for (const g of details.groups) {
    const name = g.GroupName ?? '?';
    const via = `group:${name}`;
    groups.set(name, [
      ...(g.AttachedManagedPolicies ?? []).map((p) => managed(p.PolicyArn, p.PolicyName, via)),
      ...inline(g.GroupPolicyList, via, `group ${name}`),
    ]);
  }

  const byName = new Map((report?.users ?? []).map((u) => [u.user, u]));
  const users: UserEntry[] = details.users.map((u) => {
    const name = u.UserName ?? '?';
    const groupNames = [...(u.GroupList ?? [])].sort();
    const policies = [
      ...(u.AttachedManagedPolicies ?? []).map((p) => managed(p.PolicyArn, p.PolicyName, 'user')),
      ...inline(u.UserPolicyList, 'user', `user ${name}`),
      ...groupNames.flatMap((g) => groups.get(g) ?? []),
    ];
    const cred = byName.get(name);
    const activity = cred ? userActivity(cred, options.now, options.inactiveAfterDays) : undefined;
    return {
      name,
      arn: u.Arn ?? '',
      createdAt: u.CreateDate ? u.CreateDate.toISOString() : null,
      accessKeys: (cred?.accessKeys ?? []).filter(holdsKey).map((k) => ({
        slot: k.slot,
        active: k.active,
        createdAt: isoOf(k.lastRotated),
        ageDays:
          k.lastRotated instanceof Date
            ? Math.max(0, Math.floor((options.now.getTime() - k.lastRotated.getTime()) / DAY_MS))
            : null,
        lastUsedAt: isoOf(k.lastUsed),
        lastUsedService: k.lastUsedService,
      })),
      groups: groupNames,
      policies,
      ...verdictOf(policies),
      consoleAccess: cred ? cred.passwordEnabled === true : null,
      mfa: cred ? cred.mfaActive : null,
      lastActivity: activity?.lastActivity ? activity.lastActivity.toISOString() : null,
      inactive: activity?.inactive ?? false,
      tags: Object.fromEntries((u.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
    };
  });

  const roles: RoleEntry[] = [];
  for (const r of details.roles) {
    const name = r.RoleName ?? '?';
    const trust = parse(r.AssumeRolePolicyDocument, `trust policy of role ${name}`);
    const by = trust ? trustedBy(trust, options.account) : [];
    if (by.length === 0) continue;
    const policies = [
      ...(r.AttachedManagedPolicies ?? []).map((p) => managed(p.PolicyArn, p.PolicyName, 'role')),
      ...inline(r.RolePolicyList, 'role', `role ${name}`),
    ];
    roles.push({
      name,
      arn: r.Arn ?? '',
      trustedBy: by,
      createdAt: r.CreateDate ? r.CreateDate.toISOString() : null,
      lastUsedAt: r.RoleLastUsed?.LastUsedDate ? r.RoleLastUsed.LastUsedDate.toISOString() : null,
      lastUsedRegion: r.RoleLastUsed?.Region ?? null,
      policies,
      ...verdictOf(policies),
    });
  }

  return {
    population: {
      account: options.account,
      frozenAt: options.now.toISOString(),
      inactiveAfterDays: options.inactiveAfterDays,
      credentialReportGeneratedAt: options.credentialReportGeneratedAt ?? null,
      users: users.sort((a, b) => a.name.localeCompare(b.name)),
      roles: roles.sort((a, b) => a.name.localeCompare(b.name)),
    },
    problems,
  };
}

/** What the review reads: users, groups, roles and customer managed policies (not the AWS managed ones). */
export const AUTHORIZATION_FILTER: EntityType[] = ['User', 'Group', 'Role', 'LocalManagedPolicy'];

export async function gatherAuthorizationDetails(
  ctx: Pick<GatherContext, 'clients'>,
): Promise<AuthorizationDetails> {
  const users: UserDetail[] = [];
  const groups: GroupDetail[] = [];
  const roles: RoleDetail[] = [];
  const policies: ManagedPolicyDetail[] = [];
  const pages = paginateGetAccountAuthorizationDetails(
    { client: ctx.clients.get(IAMClient), pageSize: IAM_MAX_PAGE },
    { Filter: AUTHORIZATION_FILTER },
  );
  for await (const page of pages) {
    users.push(...(page.UserDetailList ?? []));
    groups.push(...(page.GroupDetailList ?? []));
    roles.push(...(page.RoleDetailList ?? []));
    policies.push(...(page.Policies ?? []));
  }
  return { users, groups, roles, policies };
}

export function problemEntries(problems: readonly string[]): ErrorEntry[] {
  return problems.map((message) => ({
    region: 'global',
    api: 'iam:GetAccountAuthorizationDetails',
    code: 'UnparseablePolicy',
    message,
  }));
}
