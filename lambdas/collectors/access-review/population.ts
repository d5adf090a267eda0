import {
  analysePolicy,
  awsManagedVerdict,
  NEITHER,
  tolerantPolicyParser,
  trustedBy,
  type PolicyVerdict,
} from '../../iam-policy/analysis';
import type { AuthorizationDetails } from '../../iam-policy/authorization-details';
import { holdsKey, type CredentialReport, type ReportTime } from '../../readers/credential-report/parse';
import { userActivity } from '../inactive-users/collector';

// The shared analysis and reader, re-exported where the access review's callers and tests have them.
export {
  analysePolicy,
  grantsAdmin,
  parsePolicyDocument,
  type PolicyVerdict,
} from '../../iam-policy/analysis';
export {
  AUTHORIZATION_FILTER,
  gatherAuthorizationDetails,
  problemEntries,
  type AuthorizationDetails,
} from '../../iam-policy/authorization-details';

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

const DAY_MS = 86_400_000;
const isoOf = (t: ReportTime): string | null => (t instanceof Date ? t.toISOString() : null);

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
  const parse = tolerantPolicyParser(problems);
  const customer = new Map<string, PolicyVerdict>();
  for (const p of details.policies) {
    const doc = p.PolicyVersionList?.find((v) => v.IsDefaultVersion)?.Document;
    const parsed = parse(doc, `managed policy ${p.PolicyName ?? '?'} (${p.Arn ?? '?'})`);
    if (p.Arn) customer.set(p.Arn, parsed ? analysePolicy(parsed) : NEITHER);
  }
  const managed = (arn: string | undefined, name: string | undefined, via: string): PolicyRef => {
    const a = arn ?? '';
    // AWS managed policies are not fetched: known by name (see awsManagedVerdict).
    const aws = awsManagedVerdict(a);
    if (aws) return { name: name ?? a, type: 'aws-managed', via, arn: a, ...aws };
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
