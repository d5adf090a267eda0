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
import { canonicalBytes, canonicalJson, CanonicalWriter } from '../../evidence/canonical-json';

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

// ---- population.json ----------------------------------------------------------------------------------

/**
 * population.json as written since format 2. A user's effective policies are its own (attached and inline,
 * `via: "user"`) followed by the policies of each group it names in `groups`, in that order; format 1 copied
 * every group's policies into every member, so a group of 5 policies and 1,000 members was written 5,000 times.
 * Format 2 lists each group's policies once under `groups` and each user's own under `users[].policies`.
 * Everything judged from all of them is still on the user: `admin`, `nearAdmin`, `adminReasons`.
 * `readPopulation` gives back exactly the population that was frozen, from either format.
 */
export const POPULATION_FORMAT_VERSION = 2;

export interface GroupPolicies {
  readonly name: string;
  /** The group's attached and inline policies, each `via: "group:<name>"`. */
  readonly policies: readonly PolicyRef[];
}

export interface PopulationDocument extends Population {
  readonly formatVersion: typeof POPULATION_FORMAT_VERSION;
  /** Every group a user belongs to, sorted by name. */
  readonly groups: readonly GroupPolicies[];
  /** `policies` holds the user's own policies only; the groups' follow from `groups`. */
  readonly users: readonly UserEntry[];
}

const samePolicy = (a: PolicyRef, b: PolicyRef) => a === b || canonicalJson(a) === canonicalJson(b);

/**
 * Each group's policies as the population's users hold them, or undefined when some user's policies are not
 * its own followed by its groups' (same for every member of a group): the population is then written in
 * format 1, so nothing is ever lost by the shorter form.
 */
function groupPolicies(p: Population): Map<string, readonly PolicyRef[]> | undefined {
  const groups = new Map<string, readonly PolicyRef[]>();
  for (const u of p.users) {
    let i = 0;
    while (i < u.policies.length && u.policies[i]!.via === 'user') i++;
    for (const g of u.groups) {
      const via = `group:${g}`;
      let j = i;
      while (j < u.policies.length && u.policies[j]!.via === via) j++;
      const run = u.policies.slice(i, j);
      const known = groups.get(g);
      if (!known) groups.set(g, run);
      else if (known.length !== run.length || known.some((x, k) => !samePolicy(x, run[k]!))) return undefined;
      i = j;
    }
    if (i !== u.policies.length) return undefined;
  }
  return groups;
}

/**
 * population.json's bytes (canonical JSON): format 2, written a user at a time (a user's own policies are
 * picked out as it is written, so no second population is built), or format 1 when format 2 could not give
 * the same population back.
 */
export function populationJson(p: Population): Uint8Array {
  const groups = groupPolicies(p);
  if (!groups) return canonicalBytes(p);
  const { users, ...rest } = p;
  const head: Record<string, unknown> = {
    ...rest,
    formatVersion: POPULATION_FORMAT_VERSION,
    groups: [...groups]
      .map(([name, policies]) => ({ name, policies }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
  // `users` sorts after every other member, so it is written last, one user at a time.
  const w = new CanonicalWriter().text('{');
  for (const key of Object.keys(head).sort()) {
    if (head[key] === undefined) continue;
    if (key >= 'users') throw new Error(`population member ${key} would sort after users`);
    w.text(`${JSON.stringify(key)}:`)
      .value(head[key])
      .text(',');
  }
  w.text('"users":[');
  users.forEach((u, i) => {
    if (i > 0) w.text(',');
    w.value({ ...u, policies: u.policies.filter((x) => x.via === 'user') });
  });
  return w.text(']}').bytes();
}

/**
 * A population read back from population.json (parsed), in either format, as it was frozen: each user with
 * all its policies. Throws naming the format when it is one this version does not know.
 */
export function readPopulation(value: unknown): Population {
  const doc = value as Partial<PopulationDocument> | null;
  if (doc === null || typeof doc !== 'object' || !Array.isArray(doc.users))
    throw new Error('population.json must be an object with a users array');
  if (doc.formatVersion === undefined) return doc as Population;
  if (doc.formatVersion !== POPULATION_FORMAT_VERSION)
    throw new Error(
      `population.json formatVersion ${JSON.stringify(doc.formatVersion)} is not one this version reads (absent for 1, or ${POPULATION_FORMAT_VERSION})`,
    );
  const { formatVersion: _version, groups = [], users, ...rest } = doc as PopulationDocument;
  const byName = new Map(groups.map((g) => [g.name, g.policies]));
  return {
    ...rest,
    users: users.map((u) => ({
      ...u,
      policies: [...u.policies, ...u.groups.flatMap((g) => byName.get(g) ?? [])],
    })),
  };
}
