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
import { IAM_MAX_PAGE } from '../aws/iam-pages';
import type { ErrorEntry } from '../evidence/envelope';

/** The raw answer of GetAccountAuthorizationDetails, all pages merged. */
export interface AuthorizationDetails {
  readonly users: readonly UserDetail[];
  readonly groups: readonly GroupDetail[];
  readonly roles: readonly RoleDetail[];
  readonly policies: readonly ManagedPolicyDetail[];
}

/** What the access review and iam-privilege read: users, groups, roles and customer managed policies (not the AWS managed ones). */
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

/** Policy documents that would not parse, as error entries of the read. */
export function problemEntries(problems: readonly string[]): ErrorEntry[] {
  return problems.map((message) => ({
    region: 'global',
    api: 'iam:GetAccountAuthorizationDetails',
    code: 'UnparseablePolicy',
    message,
  }));
}
