/**
 * The organization review's population (pure): who has access to what across the in-scope accounts, as one
 * list of rows, principal × account × permission. Two sources feed it:
 * - IAM Identity Center: each user assigned a permission set in an account, directly or through a group, with
 *   the permission set judged admin-equivalent in that account (lambdas/identity-center/admin.ts);
 * - each account's own `access-review` population frozen by this quarter's per-account runs: its IAM users
 *   and the roles people can assume, with their policies and admin verdicts as the single-account review
 *   judged them.
 * An account whose population could not be read is a row of its own (`account-not-read`), never dropped.
 */
import type { ManagedPolicyDetail } from '@aws-sdk/client-iam';
import { analysePolicy, parsePolicyDocument, type PolicyVerdict } from '../../iam-policy/analysis';
import { judgePermissionSet, type AdminLevel, type CustomerPolicyLookup } from '../../identity-center/admin';
import type { IdentityCenterSnapshot } from '../../identity-center/reader';
import type { Population, RoleEntry, UserEntry } from './population';
import { yesNo } from './render';

export type AccountReadStatus = 'read' | 'missing' | 'error' | 'unverified';

/** One in-scope account's `access-review` population, as read back from the evidence. */
export interface AccountReadback {
  readonly account: string;
  readonly status: AccountReadStatus;
  /** Why it is not `read`. */
  readonly reason?: string;
  readonly envelopeKey?: string;
  readonly envelopeSha256?: string;
  readonly populationKey?: string;
  readonly populationSha256?: string;
  readonly population?: Population;
  /** The account's customer managed policies (its authorization-details.json); absent when not read. */
  readonly customerPolicies?: readonly ManagedPolicyDetail[];
}

export type RowType = 'identity-center-user' | 'iam-user' | 'iam-role' | 'account-not-read';

export interface OrganizationRow {
  /**
   * The row's stable id, what a decision names: `identity-center:<account>:<userId>:<ps-id>`, the IAM ARN
   * for an IAM user or role, `account:<account>` for an account not read.
   */
  readonly id: string;
  readonly account: string;
  readonly type: RowType;
  /** User name (Identity Center or IAM) or role name. */
  readonly principal: string;
  /** Identity Center user id, or the IAM ARN. */
  readonly principalId: string;
  /** The permission set's name, or the IAM principal's policies. */
  readonly permission: string;
  /** `direct`, `group:<name>` (Identity Center); the IAM groups of a user; who a role trusts. */
  readonly via: readonly string[];
  readonly admin: AdminLevel;
  readonly adminReasons: readonly string[];
  /** Identity Center UserStatus (`ENABLED`, `DISABLED`, `unknown`); `active`/`inactive` for an IAM user. */
  readonly status: string;
  /** IAM users: console MFA (`yes`, `no`, `unknown`, or `` without console access). */
  readonly mfa: string;
  readonly lastActivity: string | null;
  /** An `AWSReservedSSO_` role Identity Center provisions: decided through its Identity Center rows. */
  readonly identityCenterRole: boolean;
  /** Admin-equivalent (or undecidable) rows and IAM users need a decision; the rest may have one. */
  readonly decisionRequired: boolean;
}

export interface AccountSummary {
  readonly account: string;
  readonly status: AccountReadStatus;
  readonly reason?: string;
  readonly envelopeKey?: string;
  readonly envelopeSha256?: string;
  readonly populationKey?: string;
  readonly populationSha256?: string;
  readonly frozenAt?: string;
  readonly users: number;
  readonly roles: number;
}

export interface PermissionSetJudgement {
  readonly instanceArn: string;
  readonly permissionSetArn: string;
  readonly name: string;
  readonly account: string;
  readonly admin: AdminLevel;
  readonly reasons: readonly string[];
}

export interface OrganizationPopulation {
  readonly scope: 'organization';
  readonly frozenAt: string;
  /** The Step Functions execution whose Map froze the account populations. */
  readonly execution: string;
  /** The hub account (where this population's evidence lives). */
  readonly hubAccount: string;
  readonly accounts: readonly AccountSummary[];
  /** Null when no identityCenterRegion is configured. */
  readonly identityCenter: {
    readonly region: string;
    readonly instances: number;
    readonly users: number;
    readonly disabledUsers: number;
    readonly groups: number;
    readonly permissionSets: number;
    readonly assignments: number;
    readonly accountsNotInScope: readonly string[];
    readonly judgements: readonly PermissionSetJudgement[];
  } | null;
  readonly rows: readonly OrganizationRow[];
}

export const IDENTITY_CENTER_ROLE = /^AWSReservedSSO_/;

const level = (e: { admin: boolean; nearAdmin: boolean }): AdminLevel =>
  e.admin ? 'yes' : e.nearAdmin ? 'near' : 'no';
const policyNames = (e: UserEntry | RoleEntry) =>
  e.policies.map((p) => (p.via === 'user' || p.via === 'role' ? p.name : `${p.name} (${p.via})`)).join('; ');

/**
 * A customer managed policy of `account` by name and path: its document in the account's authorization
 * details, else the verdict the account's population recorded for it on a user or role, else unknown.
 */
export function customerPolicyLookup(readback: AccountReadback | undefined): CustomerPolicyLookup {
  return (name, path) => {
    if (!readback || readback.status !== 'read')
      return {
        unknown: `the account's access-review population is ${readback ? readback.status : 'missing'}${readback?.reason ? ` (${readback.reason})` : ''}`,
      };
    const suffix = `:policy${path}${name}`;
    const doc = readback.customerPolicies?.find((p) => p.PolicyName === name && (p.Path ?? '/') === path);
    if (doc) {
      const raw = doc.PolicyVersionList?.find((v) => v.IsDefaultVersion)?.Document;
      if (!raw)
        return { unknown: `the policy's default version has no document in the frozen IAM population` };
      try {
        return analysePolicy(parsePolicyDocument(raw));
      } catch (err) {
        return {
          unknown: `the policy document does not parse (${err instanceof Error ? err.message : String(err)})`,
        };
      }
    }
    const refs = [...(readback.population?.users ?? []), ...(readback.population?.roles ?? [])].flatMap(
      (e) => e.policies,
    );
    const ref = refs.find((p) => p.type === 'customer-managed' && p.arn?.endsWith(suffix));
    if (ref)
      return {
        admin: ref.admin,
        nearAdmin: ref.nearAdmin,
        ...(ref.reason ? { reason: ref.reason } : {}),
      } satisfies PolicyVerdict;
    return {
      unknown: readback.customerPolicies
        ? `no customer managed policy ${path}${name} in the account's frozen IAM population`
        : `the account's policy documents (authorization-details.json) were not read, and no user or role holds ${path}${name}`,
    };
  };
}

export interface OrganizationInput {
  readonly now: Date;
  readonly execution: string;
  readonly hubAccount: string;
  readonly accounts: readonly AccountReadback[];
  /** Undefined: Identity Center is not configured (no identityCenterRegion). */
  readonly identityCenter?: IdentityCenterSnapshot;
}

export function buildOrganizationPopulation(input: OrganizationInput): OrganizationPopulation {
  const byAccount = new Map(input.accounts.map((a) => [a.account, a]));
  const idc = input.identityCenter;
  const identityCenterRead = idc !== undefined && idc.instances.length > 0;
  const rows: OrganizationRow[] = [];
  const judgements: PermissionSetJudgement[] = [];

  for (const inst of idc?.instances ?? []) {
    const users = new Map(inst.users.map((u) => [u.userId, u]));
    const groups = new Map(inst.groups.map((g) => [g.groupId, g]));
    const sets = new Map(inst.permissionSets.map((p) => [p.arn, p]));
    // (account, permission set, user) -> how the user gets it
    const grants = new Map<string, { account: string; ps: string; user: string; via: Set<string> }>();
    const grant = (account: string, ps: string, user: string, via: string) => {
      const k = `${account}\u0000${ps}\u0000${user}`;
      const g = grants.get(k) ?? { account, ps, user, via: new Set<string>() };
      g.via.add(via);
      grants.set(k, g);
    };
    for (const a of inst.assignments) {
      if (a.principalType === 'USER') grant(a.account, a.permissionSetArn, a.principalId, 'direct');
      else {
        const g = groups.get(a.principalId);
        for (const m of g?.members ?? []) grant(a.account, a.permissionSetArn, m, `group:${g!.displayName}`);
      }
    }
    const verdicts = new Map<string, ReturnType<typeof judgePermissionSet>>();
    const verdictOf = (psArn: string, account: string) => {
      const k = `${psArn}\u0000${account}`;
      let v = verdicts.get(k);
      if (!v) {
        const ps = sets.get(psArn);
        v = ps
          ? judgePermissionSet(ps, customerPolicyLookup(byAccount.get(account)))
          : { admin: 'unknown', reasons: ['the permission set was not read'] };
        verdicts.set(k, v);
        judgements.push({
          instanceArn: inst.instanceArn,
          permissionSetArn: psArn,
          name: ps?.name ?? psArn,
          account,
          admin: v.admin,
          reasons: v.reasons,
        });
      }
      return v;
    };
    for (const a of inst.assignments) verdictOf(a.permissionSetArn, a.account);
    for (const g of grants.values()) {
      const user = users.get(g.user);
      const ps = sets.get(g.ps);
      const v = verdictOf(g.ps, g.account);
      const psId = g.ps.slice(g.ps.lastIndexOf('/') + 1);
      rows.push({
        id: `identity-center:${g.account}:${g.user}:${psId}`,
        account: g.account,
        type: 'identity-center-user',
        principal: user?.userName ?? g.user,
        principalId: g.user,
        permission: ps?.name ?? psId,
        via: [...g.via].sort((x, y) => (x === 'direct' ? -1 : y === 'direct' ? 1 : x.localeCompare(y))),
        admin: v.admin,
        adminReasons: v.reasons,
        status: user?.status ?? 'unknown',
        mfa: '',
        lastActivity: null,
        identityCenterRole: false,
        decisionRequired: v.admin === 'yes' || v.admin === 'unknown',
      });
    }
  }

  const accounts: AccountSummary[] = [];
  for (const a of [...input.accounts].sort((x, y) => x.account.localeCompare(y.account))) {
    const p = a.population;
    accounts.push({
      account: a.account,
      status: a.status,
      ...(a.reason ? { reason: a.reason } : {}),
      ...(a.envelopeKey ? { envelopeKey: a.envelopeKey } : {}),
      ...(a.envelopeSha256 ? { envelopeSha256: a.envelopeSha256 } : {}),
      ...(a.populationKey ? { populationKey: a.populationKey } : {}),
      ...(a.populationSha256 ? { populationSha256: a.populationSha256 } : {}),
      ...(p ? { frozenAt: p.frozenAt } : {}),
      users: p?.users.length ?? 0,
      roles: p?.roles.length ?? 0,
    });
    if (a.status !== 'read' || !p) {
      rows.push({
        id: `account:${a.account}`,
        account: a.account,
        type: 'account-not-read',
        principal: '',
        principalId: '',
        permission: '',
        via: [],
        admin: 'unknown',
        adminReasons: [`access-review population ${a.status}${a.reason ? `: ${a.reason}` : ''}`],
        status: a.status,
        mfa: '',
        lastActivity: null,
        identityCenterRole: false,
        decisionRequired: false,
      });
      continue;
    }
    for (const u of p.users)
      rows.push({
        id: u.arn,
        account: a.account,
        type: 'iam-user',
        principal: u.name,
        principalId: u.arn,
        permission: policyNames(u),
        via: u.groups.map((g) => `group:${g}`),
        admin: level(u),
        adminReasons: u.adminReasons,
        status: u.inactive ? 'inactive' : 'active',
        mfa: u.consoleAccess === false ? '' : yesNo(u.mfa),
        lastActivity: u.lastActivity,
        identityCenterRole: false,
        decisionRequired: true,
      });
    for (const r of p.roles) {
      const identityCenterRole = IDENTITY_CENTER_ROLE.test(r.name);
      const admin = level(r);
      rows.push({
        id: r.arn,
        account: a.account,
        type: 'iam-role',
        principal: r.name,
        principalId: r.arn,
        permission: policyNames(r),
        via: r.trustedBy,
        admin,
        adminReasons: r.adminReasons,
        status: '',
        mfa: '',
        lastActivity: r.lastUsedAt,
        identityCenterRole,
        // Identity Center's own roles are decided on its rows, when Identity Center was read.
        decisionRequired: admin === 'yes' && !(identityCenterRole && identityCenterRead),
      });
    }
  }

  const order: Record<AdminLevel, number> = { yes: 0, unknown: 1, near: 2, no: 3 };
  rows.sort(
    (x, y) =>
      x.account.localeCompare(y.account) ||
      order[x.admin] - order[y.admin] ||
      x.type.localeCompare(y.type) ||
      x.principal.localeCompare(y.principal) ||
      x.permission.localeCompare(y.permission) ||
      x.id.localeCompare(y.id),
  );
  judgements.sort((x, y) => x.account.localeCompare(y.account) || x.name.localeCompare(y.name));

  const allUsers = idc?.instances.flatMap((i) => i.users) ?? [];
  return {
    scope: 'organization',
    frozenAt: input.now.toISOString(),
    execution: input.execution,
    hubAccount: input.hubAccount,
    accounts,
    identityCenter: idc
      ? {
          region: idc.region,
          instances: idc.instances.length,
          users: allUsers.length,
          disabledUsers: allUsers.filter((u) => u.status === 'DISABLED').length,
          groups: idc.instances.reduce((n, i) => n + i.groups.length, 0),
          permissionSets: idc.instances.reduce((n, i) => n + i.permissionSets.length, 0),
          assignments: idc.instances.reduce((n, i) => n + i.assignments.length, 0),
          accountsNotInScope: [...new Set(idc.instances.flatMap((i) => i.accountsNotInScope))].sort(),
          judgements,
        }
      : null,
    rows,
  };
}
