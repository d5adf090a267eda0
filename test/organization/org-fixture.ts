import {
  DescribeOrganizationalUnitCommand,
  DescribeOrganizationCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  OrganizationsClient,
  type Account,
} from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';

export const ORG_ID = 'o-a1b2c3d4e5';
export const ROOT = 'r-a1b2';
export const WORKLOADS = 'ou-a1b2-11111111';
export const PRODUCTION = 'ou-a1b2-22222222';
export const SANDBOX = 'ou-a1b2-33333333';

const joined = new Date('2024-05-01T10:00:00Z');
const account = (Id: string, Name: string, state: Partial<Account>): Account => ({
  Id,
  Name,
  Arn: `arn:aws:organizations::123456789012:account/${ORG_ID}/${Id}`,
  Email: `aws+${Name}@example.com`,
  JoinedMethod: 'CREATED',
  JoinedTimestamp: joined,
  ...state,
});

/**
 * root r-a1b2 (123456789012 management)
 *   Workloads (111111111111)
 *     Production (222222222222 after an empty page, 333333333333 suspended, 444444444444 legacy Status only,
 *                 555555555555 closed)
 *   Sandbox (666666666666, 777777777777 pending closure, 888888888888 pending activation)
 */
export const TREE: Record<string, { units: { Id: string; Name: string }[]; accounts: Account[][] }> = {
  [ROOT]: {
    units: [
      { Id: WORKLOADS, Name: 'Workloads' },
      { Id: SANDBOX, Name: 'Sandbox' },
    ],
    accounts: [[account('123456789012', 'management', { State: 'ACTIVE', Status: 'ACTIVE' })]],
  },
  [WORKLOADS]: {
    units: [{ Id: PRODUCTION, Name: 'Production' }],
    accounts: [[account('111111111111', 'shared-services', { State: 'ACTIVE' })]],
  },
  [PRODUCTION]: {
    units: [],
    accounts: [
      [],
      [account('222222222222', 'prod-app', { State: 'ACTIVE' })],
      [],
      [
        account('333333333333', 'prod-old', { State: 'SUSPENDED', Status: 'SUSPENDED' }),
        account('444444444444', 'prod-legacy', { Status: 'ACTIVE' }),
        account('555555555555', 'prod-closed', { State: 'CLOSED' }),
      ],
    ],
  },
  [SANDBOX]: {
    units: [],
    accounts: [
      [
        account('666666666666', 'sandbox-a', { State: 'ACTIVE' }),
        account('777777777777', 'sandbox-b', { State: 'PENDING_CLOSURE' }),
        account('888888888888', 'sandbox-c', { State: 'PENDING_ACTIVATION' }),
      ],
    ],
  },
};

const NAMES: Record<string, string> = {
  [WORKLOADS]: 'Workloads',
  [PRODUCTION]: 'Production',
  [SANDBOX]: 'Sandbox',
};

export const denied = (what: string) =>
  Object.assign(new Error(`You don't have permissions to access this resource (${what}).`), {
    name: 'AccessDeniedException',
    $metadata: { httpStatusCode: 400 },
  });

/**
 * Answers the Organizations calls from TREE, a page at a time (pages may be empty and still carry a
 * NextToken); `refuse` names parents whose lists (and description) are refused.
 */
export function mockOrganization(options: { orgId?: string; refuse?: string[] } = {}) {
  const org = mockClient(OrganizationsClient);
  // Copies of each list request as sent: the SDK's paginators reuse one input object for every page.
  const sent: { api: string; parent: string; token?: string }[] = [];
  const refuse = new Set(options.refuse ?? []);
  org.on(DescribeOrganizationCommand).resolves({
    Organization: {
      Id: options.orgId ?? ORG_ID,
      Arn: `arn:aws:organizations::123456789012:organization/${options.orgId ?? ORG_ID}`,
      MasterAccountId: '123456789012',
    },
  });
  org.on(DescribeOrganizationalUnitCommand).callsFake((input: { OrganizationalUnitId: string }) => {
    if (refuse.has(input.OrganizationalUnitId)) throw denied(input.OrganizationalUnitId);
    return {
      OrganizationalUnit: { Id: input.OrganizationalUnitId, Name: NAMES[input.OrganizationalUnitId] },
    };
  });
  const page = <T>(pages: T[][], token: string | undefined) => {
    const at = token ? Number(token.replace('page-', '')) : 0;
    return { items: pages[at] ?? [], next: at + 1 < pages.length ? `page-${at + 1}` : undefined };
  };
  org
    .on(ListOrganizationalUnitsForParentCommand)
    .callsFake((input: { ParentId: string; NextToken?: string }) => {
      sent.push({ api: 'ListOrganizationalUnitsForParent', parent: input.ParentId, token: input.NextToken });
      if (refuse.has(input.ParentId)) throw denied(input.ParentId);
      const p = page([TREE[input.ParentId]?.units ?? []], input.NextToken);
      return { OrganizationalUnits: p.items, ...(p.next ? { NextToken: p.next } : {}) };
    });
  org.on(ListAccountsForParentCommand).callsFake((input: { ParentId: string; NextToken?: string }) => {
    sent.push({ api: 'ListAccountsForParent', parent: input.ParentId, token: input.NextToken });
    if (refuse.has(input.ParentId)) throw denied(input.ParentId);
    const p = page(TREE[input.ParentId]?.accounts ?? [[]], input.NextToken);
    return { Accounts: p.items, ...(p.next ? { NextToken: p.next } : {}) };
  });
  return Object.assign(org, { sent });
}
