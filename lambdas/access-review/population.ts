import {
  IAMClient,
  paginateGetAccountAuthorizationDetails,
  type EntityType,
  type GroupDetail,
  type ManagedPolicyDetail,
  type RoleDetail,
  type UserDetail,
} from '@aws-sdk/client-iam';
import type { GatherContext } from '../collectors/collector';
import type { CredentialReport } from '../collectors/iam/credential-report';
import { userActivity } from '../collectors/inactive-users';
import type { ErrorEntry } from '../evidence/envelope';

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
}

export interface UserEntry {
  readonly name: string;
  readonly arn: string;
  readonly createdAt: string | null;
  readonly groups: readonly string[];
  readonly policies: readonly PolicyRef[];
  readonly admin: boolean;
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
  /** Who people reach it from: `federated:<provider>` or `account:<id>` (`account:*` for any account). */
  readonly trustedBy: readonly string[];
  readonly policies: readonly PolicyRef[];
  readonly admin: boolean;
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
const PEOPLE_ACTIONS = new Set(['sts:assumerolewithsaml', 'sts:assumerolewithwebidentity']);

type Json = Record<string, unknown>;

function list(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** IAM returns policy documents URL-encoded (RFC 3986); the SDK does not decode them. */
export function parsePolicyDocument(raw: string): Json {
  const doc = JSON.parse(decodeURIComponent(raw)) as unknown;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new Error('the document is not a JSON object');
  return doc as Json;
}

/** Allow of every action on every resource: `*` or `*:*` for Action, `*` for Resource. Conditions are not
 * weighed: admin under a condition (say, MFA) is still admin for a review. */
export function grantsAdmin(doc: Json): boolean {
  return list(doc.Statement).some((s) => {
    if (!s || typeof s !== 'object') return false;
    const st = s as Json;
    return (
      st.Effect === 'Allow' &&
      list(st.Action).some((a) => a === '*' || a === '*:*') &&
      list(st.Resource).some((r) => r === '*')
    );
  });
}

function trustedBy(doc: Json, ownAccount: string): string[] {
  const out = new Set<string>();
  for (const s of list(doc.Statement)) {
    if (!s || typeof s !== 'object') continue;
    const st = s as Json;
    if (st.Effect !== 'Allow') continue;
    const actions = list(st.Action).map((a) => String(a).toLowerCase());
    const anyone = st.Principal === '*';
    const principal = (anyone ? {} : (st.Principal ?? {})) as Json;
    const federatedAction = actions.some((a) => PEOPLE_ACTIONS.has(a) || a === 'sts:*' || a === '*');
    if (federatedAction) for (const f of list(principal.Federated)) out.add(`federated:${String(f)}`);
    if (anyone || principal.AWS !== undefined) {
      for (const p of anyone ? ['*'] : list(principal.AWS)) {
        const text = String(p);
        const account = text === '*' ? '*' : /^\d{12}$/.test(text) ? text : text.split(':')[4];
        if (account && account !== ownAccount) out.add(`account:${account}`);
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
      problems.push(`${what}: the policy document does not parse (${(err as Error).message})`);
      return undefined;
    }
  };
  const customer = new Map<string, boolean>();
  for (const p of details.policies) {
    const doc = p.PolicyVersionList?.find((v) => v.IsDefaultVersion)?.Document;
    const parsed = parse(doc, `managed policy ${p.PolicyName ?? '?'} (${p.Arn ?? '?'})`);
    if (p.Arn) customer.set(p.Arn, parsed ? grantsAdmin(parsed) : false);
  }
  const managed = (arn: string | undefined, name: string | undefined, via: string): PolicyRef => {
    const a = arn ?? '';
    if (AWS_MANAGED.test(a)) {
      // AWS managed policies are not fetched (the filter leaves out ~1,500 of them): only AdministratorAccess
      // grants */* among them; others (IAMFullAccess, PowerUserAccess) are broad but not admin-equivalent.
      return { name: name ?? a, type: 'aws-managed', via, arn: a, admin: ADMINISTRATOR_ACCESS.test(a) };
    }
    return { name: name ?? a, type: 'customer-managed', via, arn: a, admin: customer.get(a) ?? false };
  };
  const inline = (
    policies: readonly { PolicyName?: string; PolicyDocument?: string }[] | undefined,
    via: string,
    owner: string,
  ): PolicyRef[] =>
    (policies ?? []).map((p) => {
      const doc = parse(p.PolicyDocument, `inline policy ${p.PolicyName ?? '?'} of ${owner}`);
      return { name: p.PolicyName ?? '?', type: 'inline', via, admin: doc ? grantsAdmin(doc) : false };
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
      groups: groupNames,
      policies,
      admin: policies.some((p) => p.admin),
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
    roles.push({ name, arn: r.Arn ?? '', trustedBy: by, policies, admin: policies.some((p) => p.admin) });
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
    { client: ctx.clients.get(IAMClient) },
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
