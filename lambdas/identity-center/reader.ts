/**
 * Reads IAM Identity Center with the hub's own credentials (the hub is Identity Center's delegated
 * administrator), calling exactly IDENTITY_CENTER_IAM_ACTIONS: the instances, the identity store's users,
 * groups and memberships, every permission set (its managed policies, customer managed policy references
 * and inline policy), and the assignments of each permission set in the in-scope accounts it is provisioned
 * to. Read-only, every list paginated at 100 (the largest page both services allow). A failed call is an
 * error entry naming its API and what it was about; everything else read stays.
 */
import {
  IdentitystoreClient,
  paginateListGroupMemberships,
  paginateListGroups,
  paginateListUsers,
} from '@aws-sdk/client-identitystore';
import {
  DescribePermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  paginateListAccountAssignments,
  paginateListAccountsForProvisionedPermissionSet,
  paginateListCustomerManagedPolicyReferencesInPermissionSet,
  paginateListInstances,
  paginateListManagedPoliciesInPermissionSet,
  paginateListPermissionSets,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import type { ClientFactory } from '../aws/client-factory';
import { resourceError } from '../aws/aws-error';
import { mapWithConcurrency } from '../aws/concurrency';
import type { ErrorEntry } from '../evidence/envelope';

/** The largest page of sso-admin and identitystore list calls. */
export const IDENTITY_CENTER_PAGE = 100;

export interface IdentityCenterUser {
  readonly userId: string;
  readonly userName: string;
  readonly displayName: string | null;
  /** The primary (or first) email, for the reviewer. */
  readonly email: string | null;
  /** `UserStatus` (ENABLED, DISABLED) when the store reports it; null when it does not. */
  readonly status: string | null;
}

export interface IdentityCenterGroup {
  readonly groupId: string;
  readonly displayName: string;
  /** User ids of its members, sorted. */
  readonly members: readonly string[];
}

export interface PermissionSetFacts {
  readonly arn: string;
  /** The `ps-…` id, the last segment of the ARN. */
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly sessionDuration: string | null;
  readonly managedPolicies: readonly { readonly name: string; readonly arn: string }[];
  readonly customerManagedPolicies: readonly { readonly name: string; readonly path: string }[];
  /** The inline policy document; "" when the permission set has none. */
  readonly inlinePolicy: string;
  /** Policy APIs that failed for it (its verdict is then "unknown" unless what was read is admin). */
  readonly unread: readonly string[];
}

export interface AssignmentFacts {
  readonly account: string;
  readonly permissionSetArn: string;
  readonly principalType: 'USER' | 'GROUP';
  readonly principalId: string;
}

export interface IdentityCenterInstance {
  readonly instanceArn: string;
  readonly identityStoreId: string;
  readonly ownerAccountId: string | null;
  readonly name: string | null;
  readonly users: readonly IdentityCenterUser[];
  readonly groups: readonly IdentityCenterGroup[];
  readonly permissionSets: readonly PermissionSetFacts[];
  readonly assignments: readonly AssignmentFacts[];
  /** Accounts a permission set is provisioned to that are not in scope: not read, listed for the record. */
  readonly accountsNotInScope: readonly string[];
}

export interface IdentityCenterSnapshot {
  readonly region: string;
  readonly instances: readonly IdentityCenterInstance[];
  readonly errors: readonly ErrorEntry[];
}

export interface IdentityCenterReadOptions {
  readonly clients: ClientFactory;
  readonly region: string;
  /** The in-scope accounts: assignments are read for these only. */
  readonly accounts: readonly string[];
  /** Calls in flight at once per permission set step. @default 8 */
  readonly concurrency?: number;
}

async function collect<P, T>(pages: AsyncIterable<P>, items: (page: P) => readonly T[] | undefined) {
  const out: T[] = [];
  for await (const page of pages) out.push(...(items(page) ?? []));
  return out;
}

const psId = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

/** Reads every instance Identity Center has in `region`. Never throws: failures are error entries. */
export async function readIdentityCenter(
  options: IdentityCenterReadOptions,
): Promise<IdentityCenterSnapshot> {
  const { region } = options;
  const sso = options.clients.get(SSOAdminClient, region);
  const errors: ErrorEntry[] = [];
  const page = { client: sso, pageSize: IDENTITY_CENTER_PAGE };
  let instances;
  try {
    instances = await collect(paginateListInstances(page, {}), (p) => p.Instances);
  } catch (err) {
    errors.push(resourceError(err, region, 'sso:ListInstances', 'Identity Center instances'));
    return { region, instances: [], errors };
  }
  if (instances.length === 0)
    errors.push({
      region,
      api: 'sso:ListInstances',
      code: 'NoInstance',
      message: `no IAM Identity Center instance is visible in ${region} (wrong identityCenterRegion, or the hub is not its delegated administrator)`,
    });
  const read: IdentityCenterInstance[] = [];
  for (const i of instances) {
    if (!i.InstanceArn || !i.IdentityStoreId) continue;
    read.push(await readInstance(options, i.InstanceArn, i.IdentityStoreId, i, errors));
  }
  return { region, instances: read, errors };
}

async function readInstance(
  options: IdentityCenterReadOptions,
  instanceArn: string,
  storeId: string,
  meta: { OwnerAccountId?: string; Name?: string },
  errors: ErrorEntry[],
): Promise<IdentityCenterInstance> {
  const { region } = options;
  const concurrency = options.concurrency ?? 8;
  const sso = options.clients.get(SSOAdminClient, region);
  const store = options.clients.get(IdentitystoreClient, region);
  const ssoPage = { client: sso, pageSize: IDENTITY_CENTER_PAGE };
  const storePage = { client: store, pageSize: IDENTITY_CENTER_PAGE };
  const attempt = async <T>(api: string, about: string, call: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await call();
    } catch (err) {
      errors.push(resourceError(err, region, api, about));
      return undefined;
    }
  };

  const rawUsers =
    (await attempt('identitystore:ListUsers', `identity store ${storeId}`, () =>
      collect(paginateListUsers(storePage, { IdentityStoreId: storeId }), (p) => p.Users),
    )) ?? [];
  const users: IdentityCenterUser[] = rawUsers
    .filter((u) => u.UserId)
    .map((u) => ({
      userId: u.UserId!,
      userName: u.UserName ?? u.UserId!,
      displayName: u.DisplayName ?? null,
      email: (u.Emails?.find((e) => e.Primary) ?? u.Emails?.[0])?.Value ?? null,
      status: u.UserStatus ?? null,
    }))
    .sort((a, b) => a.userName.localeCompare(b.userName));

  const rawGroups =
    (await attempt('identitystore:ListGroups', `identity store ${storeId}`, () =>
      collect(paginateListGroups(storePage, { IdentityStoreId: storeId }), (p) => p.Groups),
    )) ?? [];
  const groups: IdentityCenterGroup[] = await mapWithConcurrency(rawGroups, concurrency, async (g) => {
    const groupId = g.GroupId ?? '?';
    const members =
      (await attempt('identitystore:ListGroupMemberships', `group ${g.DisplayName ?? groupId}`, () =>
        collect(
          paginateListGroupMemberships(storePage, { IdentityStoreId: storeId, GroupId: groupId }),
          (p) => p.GroupMemberships,
        ),
      )) ?? [];
    return {
      groupId,
      displayName: g.DisplayName ?? groupId,
      members: members
        .map((m) => (m.MemberId && 'UserId' in m.MemberId ? m.MemberId.UserId : undefined))
        .filter((id): id is string => typeof id === 'string')
        .sort(),
    };
  });
  groups.sort((a, b) => a.displayName.localeCompare(b.displayName));

  const arns =
    (await attempt('sso:ListPermissionSets', `instance ${instanceArn}`, () =>
      collect(paginateListPermissionSets(ssoPage, { InstanceArn: instanceArn }), (p) => p.PermissionSets),
    )) ?? [];
  const inScope = new Set(options.accounts);
  const notInScope = new Set<string>();
  const assignments: AssignmentFacts[] = [];
  const permissionSets = await mapWithConcurrency(arns, concurrency, async (arn) => {
    const unread: string[] = [];
    const about = `permission set ${arn}`;
    const step = async <T>(api: string, call: () => Promise<T>): Promise<T | undefined> => {
      const out = await attempt(api, about, call);
      if (out === undefined) unread.push(api);
      return out;
    };
    const ref = { InstanceArn: instanceArn, PermissionSetArn: arn };
    const described = await step('sso:DescribePermissionSet', () =>
      sso.send(new DescribePermissionSetCommand(ref)),
    );
    const managed = await step('sso:ListManagedPoliciesInPermissionSet', () =>
      collect(paginateListManagedPoliciesInPermissionSet(ssoPage, ref), (p) => p.AttachedManagedPolicies),
    );
    const customer = await step('sso:ListCustomerManagedPolicyReferencesInPermissionSet', () =>
      collect(
        paginateListCustomerManagedPolicyReferencesInPermissionSet(ssoPage, ref),
        (p) => p.CustomerManagedPolicyReferences,
      ),
    );
    const inline = await step('sso:GetInlinePolicyForPermissionSet', () =>
      sso.send(new GetInlinePolicyForPermissionSetCommand(ref)),
    );
    const provisioned =
      (await attempt('sso:ListAccountsForProvisionedPermissionSet', about, () =>
        collect(paginateListAccountsForProvisionedPermissionSet(ssoPage, ref), (p) => p.AccountIds),
      )) ?? [];
    for (const account of [...provisioned].sort()) {
      if (!inScope.has(account)) {
        notInScope.add(account);
        continue;
      }
      const listed = await attempt(
        'sso:ListAccountAssignments',
        `permission set ${arn} in account ${account}`,
        () =>
          collect(
            paginateListAccountAssignments(ssoPage, { ...ref, AccountId: account }),
            (p) => p.AccountAssignments,
          ),
      );
      for (const a of listed ?? []) {
        if (!a.PrincipalId || (a.PrincipalType !== 'USER' && a.PrincipalType !== 'GROUP')) continue;
        assignments.push({
          account: a.AccountId ?? account,
          permissionSetArn: arn,
          principalType: a.PrincipalType,
          principalId: a.PrincipalId,
        });
      }
    }
    const ps = described?.PermissionSet;
    return {
      arn,
      id: psId(arn),
      name: ps?.Name ?? psId(arn),
      description: ps?.Description ?? null,
      sessionDuration: ps?.SessionDuration ?? null,
      managedPolicies: (managed ?? []).map((m) => ({ name: m.Name ?? m.Arn ?? '?', arn: m.Arn ?? '' })),
      customerManagedPolicies: (customer ?? []).map((c) => ({ name: c.Name ?? '?', path: c.Path ?? '/' })),
      inlinePolicy: inline?.InlinePolicy ?? '',
      unread,
    } satisfies PermissionSetFacts;
  });
  permissionSets.sort((a, b) => a.name.localeCompare(b.name));
  assignments.sort(
    (a, b) =>
      a.account.localeCompare(b.account) ||
      a.permissionSetArn.localeCompare(b.permissionSetArn) ||
      a.principalType.localeCompare(b.principalType) ||
      a.principalId.localeCompare(b.principalId),
  );
  return {
    instanceArn,
    identityStoreId: storeId,
    ownerAccountId: meta.OwnerAccountId ?? null,
    name: meta.Name ?? null,
    users,
    groups,
    permissionSets,
    assignments,
    accountsNotInScope: [...notInScope].sort(),
  };
}
