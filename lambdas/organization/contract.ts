/**
 * Organization mode's contracts: the hub's settings as its functions receive them, the events Step Functions
 * sends them, and the names the hub and member templates share (design.md, "Organization mode").
 *
 *   Scheduler ──{collector}──> state machine <stack>-<collector>
 *     ListAccounts  (the organization-accounts function: signed account list) ──> { accounts: [...] }
 *     Distributed Map over accounts, bounded concurrency, each item:
 *       RunCollector (the collector function, AccountRunEvent) ──(caught)──> RecordFailure (same function,
 *       AccountRunEvent with `failure`): the account gets an ERROR envelope for the day, never silence
 *     OrganizationReview (access-review only: OrganizationReviewEvent)
 *
 * Everything here is a contract between the CDK app (lib/) and the functions (lambdas/): names appear in
 * IAM policies, trust conditions and evidence.
 */

/** The evidence kind (`<collector>` key segment) and producer of the signed in-scope account list. */
export const ACCOUNTS_KIND = 'organization-accounts';
export const ACCOUNTS_PRODUCER = 'organization-accounts';

/** The read-only role every member account holds (StackSet or, for the management account, a plain stack). */
export const DEFAULT_MEMBER_ROLE_NAME = 'soc2-evidence-member';

/**
 * Environment variable holding OrganizationSettings as JSON, set only in organization mode and only on the
 * functions that read the organization itself (organization-accounts, access-review).
 */
export const ORGANIZATION_ENV = 'ORGANIZATION_SETTINGS';
/** Environment variable holding the member role's name, set on every collector function in organization mode. */
export const MEMBER_ROLE_ENV = 'MEMBER_ROLE_NAME';

/** What the hub's functions need to know about the organization (config `organization`, defaults filled). */
export interface OrganizationSettings {
  /** `o-` followed by 10 to 32 lowercase letters or digits. */
  readonly id: string;
  /** Roots (`r-xxxx`) or OUs (`ou-xxxx-xxxxxxxx`) whose accounts are in scope, every level below included. */
  readonly organizationalUnits: readonly string[];
  /** 12-digit account ids never fanned out to (recorded as excluded in the account list). */
  readonly excludeAccounts: readonly string[];
  /** The member role's name, identical in every account. */
  readonly memberRoleName: string;
  /** The region of the IAM Identity Center instance, when the access review should read it. */
  readonly identityCenterRegion?: string;
}

/** The Distributed Map's bound on accounts run at once (config `organization.maxConcurrency`). */
export const DEFAULT_MAX_CONCURRENCY = 10;

/** `source` of the events below. */
export const ACCOUNT_RUN_SOURCE = 'soc2-evidence.organization';
export const LIST_ACCOUNTS_SOURCE = 'soc2-evidence.organization-accounts';
export const ORGANIZATION_REVIEW_SOURCE = 'soc2-evidence.organization-review';

/** The state machine's input, as the schedule sends it. */
export interface FanOutInput {
  readonly collector: string;
}

/** ListAccounts: the organization-accounts function is asked for the accounts a collector's run covers. */
export interface ListAccountsEvent {
  readonly source: typeof LIST_ACCOUNTS_SOURCE;
  readonly collector: string;
  /** `$$.Execution.Id`: recorded in the account list, so a run's evidence leads back to its execution. */
  readonly execution: string;
}

/** What ListAccounts returns to the state machine (kept small: the Map's items travel in the state). */
export interface ListAccountsResult {
  /** In-scope account ids, sorted: the Map's items. */
  readonly accounts: readonly string[];
  /** The signed account list's envelope key. */
  readonly listKey: string;
}

/** One Map item: run `collector` against `account` with the member role's credentials. */
export interface AccountRunEvent {
  readonly source: typeof ACCOUNT_RUN_SOURCE;
  readonly collector: string;
  readonly account: string;
  readonly execution: string;
  /**
   * Set by RecordFailure: the item's run failed in a way the function could not record itself (a timeout,
   * out of memory, Lambda refused the invocation). The function writes an ERROR envelope with this as its
   * error entry, and gathers nothing.
   */
  readonly failure?: { readonly error: string; readonly cause: string };
}

/** After the Map of the access review: one review (Identity Center and every account) and one email. */
export interface OrganizationReviewEvent {
  readonly source: typeof ORGANIZATION_REVIEW_SOURCE;
  readonly execution: string;
  readonly accounts: readonly string[];
  /**
   * The envelope key of this execution's signed account list (ListAccountsResult.listKey). The review reads
   * its accounts from that list, not from `accounts`: whoever can invoke the function cannot have a review
   * sent that leaves an account out under a real execution id.
   */
  readonly listKey?: string;
}

const ACCOUNT_ID = /^\d{12}$/;

/** Throws a one-line error naming the field and the expected form. */
export function parseAccountRunEvent(event: unknown): AccountRunEvent {
  const e = (event ?? {}) as Record<string, unknown>;
  const field = (name: string, ok: boolean, form: string) => {
    if (!ok)
      throw new Error(
        `organization run event: ${name} must be ${form}, got ${JSON.stringify(e[name]) ?? 'nothing'}`,
      );
  };
  field('source', e.source === ACCOUNT_RUN_SOURCE, `"${ACCOUNT_RUN_SOURCE}"`);
  field('collector', typeof e.collector === 'string' && e.collector.length > 0, 'a collector id');
  field('account', typeof e.account === 'string' && ACCOUNT_ID.test(e.account), 'a 12-digit account id');
  field(
    'execution',
    typeof e.execution === 'string' && e.execution.length > 0,
    'a Step Functions execution id',
  );
  const f = e.failure as Record<string, unknown> | undefined;
  field(
    'failure',
    f === undefined || (typeof f === 'object' && f !== null && typeof f.error === 'string'),
    'absent, or { "error": string, "cause": string }',
  );
  return {
    source: ACCOUNT_RUN_SOURCE,
    collector: e.collector as string,
    account: e.account as string,
    execution: e.execution as string,
    ...(f
      ? { failure: { error: f.error as string, cause: typeof f.cause === 'string' ? f.cause : '' } }
      : {}),
  };
}

export function isAccountRunEvent(event: unknown): boolean {
  return (event as { source?: unknown } | null)?.source === ACCOUNT_RUN_SOURCE;
}

/** The member role's ARN in `account` (partition from the hub's own ARNs: aws, aws-cn, aws-us-gov). */
export function memberRoleArn(partition: string, account: string, roleName: string): string {
  return `arn:${partition}:iam::${account}:role/${roleName}`;
}

/**
 * The fixed name of a hub collector role in organization mode: the member role trusts exactly these ARNs
 * (aws:PrincipalArn), so they cannot be CloudFormation's generated names. Same as the function's name.
 */
export function hubCollectorRoleName(stackName: string, collectorId: string): string {
  return `${stackName}-${collectorId}`;
}

/**
 * Exactly what the organization-accounts function calls (with the hub's own credentials: the hub is a
 * delegated administrator, which may read the organization): DescribeOrganization to check the configured
 * organization id, DescribeOrganizationalUnit for the names of the configured OUs, then per parent
 * ListOrganizationalUnitsForParent and ListAccountsForParent down the tree (OU paths, State).
 */
export const ORGANIZATIONS_IAM_ACTIONS = [
  'organizations:DescribeOrganization',
  'organizations:DescribeOrganizationalUnit',
  'organizations:ListAccountsForParent',
  'organizations:ListOrganizationalUnitsForParent',
] as const;

/**
 * Exactly what the access review calls on IAM Identity Center in organization mode (with the hub's own
 * credentials: the hub is Identity Center's delegated administrator), in `identityCenterRegion`.
 */
export const IDENTITY_CENTER_IAM_ACTIONS = [
  'sso:ListInstances',
  'sso:ListPermissionSets',
  'sso:DescribePermissionSet',
  'sso:ListManagedPoliciesInPermissionSet',
  'sso:ListCustomerManagedPolicyReferencesInPermissionSet',
  'sso:GetInlinePolicyForPermissionSet',
  'sso:ListAccountsForProvisionedPermissionSet',
  'sso:ListAccountAssignments',
  'identitystore:ListUsers',
  'identitystore:ListGroups',
  'identitystore:ListGroupMemberships',
] as const;

/**
 * The account list's findings, one per account met under the configured OUs (the envelope's account segment
 * is the hub's). `account-in-scope` (INFO): fanned out to. `account-out-of-scope` (INFO): met but not fanned
 * out to, `detail.reason` saying why. Coverage and verify read these: an account is expected on a day for a
 * collector when that day's list for that collector has it in scope.
 */
export const ACCOUNT_IN_SCOPE_CHECK = 'account-in-scope';
export const ACCOUNT_OUT_OF_SCOPE_CHECK = 'account-out-of-scope';

export type OutOfScopeReason = 'excluded' | 'suspended' | 'pending-closure' | 'closed' | 'pending-activation';

/** `detail` of both checks (resource = the 12-digit account id). */
export interface AccountListDetail {
  readonly name: string;
  /** `Root/Workloads/Production`: OU names from the root down to the account's parent. */
  readonly ouPath: string;
  /** The parent OU or root id. */
  readonly parent: string;
  /** Organizations `State` (ACTIVE, SUSPENDED, ...). */
  readonly state: string;
  /** ISO time the account joined or was created in the organization, when Organizations says. */
  readonly joinedAt?: string;
  readonly reason?: OutOfScopeReason;
}

/**
 * The account list envelope's `policy`: which collector's run it fanned out, under which execution, and
 * the scope configuration it was judged with. `figures`: { inScope, outOfScope }.
 */
export interface AccountListPolicy {
  readonly collector: string;
  readonly execution: string;
  readonly organizationId: string;
  readonly organizationalUnits: readonly string[];
  readonly excludeAccounts: readonly string[];
  readonly memberRoleName: string;
}

/** The settings in ORGANIZATION_ENV (the stack writes them from the validated config); throws naming the field. */
export function parseOrganizationSettings(text: string, variable: string): OrganizationSettings {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`environment variable ${variable} must hold the organization settings as JSON`);
  }
  const o = (value ?? {}) as Record<string, unknown>;
  const field = (name: string, ok: boolean, form: string) => {
    if (!ok)
      throw new Error(
        `environment variable ${variable}: ${name} must be ${form}, got ${JSON.stringify(o[name]) ?? 'nothing'}`,
      );
  };
  const list = (v: unknown, item: RegExp) =>
    Array.isArray(v) && v.every((x) => typeof x === 'string' && item.test(x));
  field(
    'id',
    typeof o.id === 'string' && /^o-[a-z0-9]{10,32}$/.test(o.id),
    'an organization id such as "o-a1b2c3d4e5"',
  );
  field(
    'organizationalUnits',
    list(o.organizationalUnits, /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/) &&
      (o.organizationalUnits as unknown[]).length > 0,
    'a non-empty list of root or OU ids such as ["ou-a1b2-c3d4e5f6"]',
  );
  field('excludeAccounts', list(o.excludeAccounts, /^\d{12}$/), 'a list of 12-digit account ids');
  field(
    'memberRoleName',
    typeof o.memberRoleName === 'string' && /^[\w+=,.@-]{1,64}$/.test(o.memberRoleName),
    'an IAM role name',
  );
  field(
    'identityCenterRegion',
    o.identityCenterRegion === undefined ||
      (typeof o.identityCenterRegion === 'string' &&
        /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/.test(o.identityCenterRegion)),
    'absent, or a region code such as "eu-west-1"',
  );
  return {
    id: o.id as string,
    organizationalUnits: o.organizationalUnits as string[],
    excludeAccounts: o.excludeAccounts as string[],
    memberRoleName: o.memberRoleName as string,
    ...(typeof o.identityCenterRegion === 'string' ? { identityCenterRegion: o.identityCenterRegion } : {}),
  };
}
