import type { Answers } from '../offline-clients';

/**
 * The sample organization's IAM Identity Center (read by the organization access review with the hub's
 * credentials): four users, two groups, three permission sets (one admin-equivalent) assigned over accounts
 * 111111111111, 222222222222 and 123456789012. Answers are keyed `SSOAdmin:<Action>` and
 * `Identitystore:<Action>`, as the offline clients name them; merge them into the demo's answers.
 */

export const SAMPLE_IDC_INSTANCE_ARN = 'arn:aws:sso:::instance/ssoins-1111222233334444';
export const SAMPLE_IDENTITY_STORE_ID = 'd-1234567890';
export const SAMPLE_IDC_ACCOUNTS = ['111111111111', '222222222222', '123456789012'] as const;

const PS = (id: string) => `arn:aws:sso:::permissionSet/ssoins-1111222233334444/${id}`;
export const SAMPLE_PERMISSION_SETS = {
  admin: PS('ps-aaaaaaaaaaaaaaa1'),
  readOnly: PS('ps-bbbbbbbbbbbbbbb2'),
  developer: PS('ps-ccccccccccccccc3'),
} as const;

export interface SampleIdcUser {
  readonly id: string;
  readonly userName: string;
  readonly displayName: string;
  readonly status: 'ENABLED' | 'DISABLED';
}

export const SAMPLE_IDC_USERS: readonly SampleIdcUser[] = [
  {
    id: '90676a1b2c-1111-2222-3333-444455556661',
    userName: 'alice@example.com',
    displayName: 'Alice Example',
    status: 'ENABLED',
  },
  {
    id: '90676a1b2c-1111-2222-3333-444455556662',
    userName: 'bob@example.com',
    displayName: 'Bob Example',
    status: 'ENABLED',
  },
  {
    id: '90676a1b2c-1111-2222-3333-444455556663',
    userName: 'carol@example.com',
    displayName: 'Carol Example',
    status: 'ENABLED',
  },
  // PROBLEM: Dave left; his user is disabled but still in the Developers group (assignments in two accounts).
  {
    id: '90676a1b2c-1111-2222-3333-444455556664',
    userName: 'dave@example.com',
    displayName: 'Dave Example',
    status: 'DISABLED',
  },
];

const [alice, bob, carol, dave] = SAMPLE_IDC_USERS.map((u) => u.id) as [string, string, string, string];

export const SAMPLE_IDC_GROUPS = [
  { id: 'a1b2c3d4e5-aaaa-bbbb-cccc-000000000001', name: 'Platform Admins', members: [alice] },
  { id: 'a1b2c3d4e5-aaaa-bbbb-cccc-000000000002', name: 'Developers', members: [bob, carol, dave] },
] as const;
const [admins, developers] = SAMPLE_IDC_GROUPS;

const DEVELOPER_INLINE = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['lambda:*', 'logs:*', 's3:GetObject', 's3:PutObject'], Resource: '*' },
  ],
});

interface SamplePermissionSet {
  readonly arn: string;
  readonly name: string;
  readonly description: string;
  readonly managed: readonly { Name: string; Arn: string }[];
  readonly inline: string;
  /** account -> principals (USER or GROUP) */
  readonly assignments: Readonly<Record<string, readonly { type: 'USER' | 'GROUP'; id: string }[]>>;
}

export const SAMPLE_IDC_PERMISSION_SETS: readonly SamplePermissionSet[] = [
  {
    arn: SAMPLE_PERMISSION_SETS.admin,
    name: 'AdministratorAccess',
    description: 'Full administrator access',
    managed: [{ Name: 'AdministratorAccess', Arn: 'arn:aws:iam::aws:policy/AdministratorAccess' }],
    inline: '',
    assignments: {
      '111111111111': [{ type: 'GROUP', id: admins.id }],
      '222222222222': [{ type: 'GROUP', id: admins.id }],
      // PROBLEM: Bob was given administrator access to the production account directly, not through a group.
      '123456789012': [
        { type: 'GROUP', id: admins.id },
        { type: 'USER', id: bob },
      ],
    },
  },
  {
    arn: SAMPLE_PERMISSION_SETS.readOnly,
    name: 'ReadOnly',
    description: 'Read-only access',
    managed: [{ Name: 'ViewOnlyAccess', Arn: 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess' }],
    inline: '',
    assignments: {
      '123456789012': [{ type: 'GROUP', id: developers.id }],
    },
  },
  {
    arn: SAMPLE_PERMISSION_SETS.developer,
    name: 'Developer',
    description: 'Build and deploy serverless workloads',
    managed: [],
    inline: DEVELOPER_INLINE,
    assignments: {
      '111111111111': [{ type: 'GROUP', id: developers.id }],
      '222222222222': [{ type: 'GROUP', id: developers.id }],
    },
  },
];

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const find = (arn: unknown) => SAMPLE_IDC_PERMISSION_SETS.find((p) => p.arn === arn);

/** The Identity Center answers, for `now` (creation dates count back from it). */
export function identityCenterAnswers(now: Date): Answers {
  const created = new Date(now.getTime() - 400 * 86_400_000);
  return {
    'SSOAdmin:ListInstances': () => ({
      Instances: [
        {
          InstanceArn: SAMPLE_IDC_INSTANCE_ARN,
          IdentityStoreId: SAMPLE_IDENTITY_STORE_ID,
          OwnerAccountId: '123456789012',
          Name: 'example-org',
          Status: 'ACTIVE',
          CreatedDate: created,
        },
      ],
    }),
    'SSOAdmin:ListPermissionSets': () => ({ PermissionSets: SAMPLE_IDC_PERMISSION_SETS.map((p) => p.arn) }),
    'SSOAdmin:DescribePermissionSet': (input) => {
      const p = find(input.PermissionSetArn);
      return {
        PermissionSet: p && {
          Name: p.name,
          PermissionSetArn: p.arn,
          Description: p.description,
          CreatedDate: created,
          SessionDuration: 'PT4H',
        },
      };
    },
    'SSOAdmin:ListManagedPoliciesInPermissionSet': (input) => ({
      AttachedManagedPolicies: find(input.PermissionSetArn)?.managed ?? [],
    }),
    'SSOAdmin:ListCustomerManagedPolicyReferencesInPermissionSet': () => ({
      CustomerManagedPolicyReferences: [],
    }),
    'SSOAdmin:GetInlinePolicyForPermissionSet': (input) => ({
      InlinePolicy: find(input.PermissionSetArn)?.inline ?? '',
    }),
    'SSOAdmin:ListAccountsForProvisionedPermissionSet': (input) => ({
      AccountIds: Object.keys(find(input.PermissionSetArn)?.assignments ?? {}),
    }),
    'SSOAdmin:ListAccountAssignments': (input) => ({
      AccountAssignments: (find(input.PermissionSetArn)?.assignments[str(input.AccountId)] ?? []).map(
        (a) => ({
          AccountId: str(input.AccountId),
          PermissionSetArn: str(input.PermissionSetArn),
          PrincipalType: a.type,
          PrincipalId: a.id,
        }),
      ),
    }),
    'Identitystore:ListUsers': () => ({
      Users: SAMPLE_IDC_USERS.map((u) => ({
        IdentityStoreId: SAMPLE_IDENTITY_STORE_ID,
        UserId: u.id,
        UserName: u.userName,
        DisplayName: u.displayName,
        Emails: [{ Value: u.userName, Type: 'work', Primary: true }],
        UserStatus: u.status,
      })),
    }),
    'Identitystore:ListGroups': () => ({
      Groups: SAMPLE_IDC_GROUPS.map((g) => ({
        IdentityStoreId: SAMPLE_IDENTITY_STORE_ID,
        GroupId: g.id,
        DisplayName: g.name,
      })),
    }),
    'Identitystore:ListGroupMemberships': (input) => ({
      GroupMemberships: (SAMPLE_IDC_GROUPS.find((g) => g.id === input.GroupId)?.members ?? []).map(
        (m, i) => ({
          IdentityStoreId: SAMPLE_IDENTITY_STORE_ID,
          MembershipId: `${str(input.GroupId)}-m${i}`,
          GroupId: str(input.GroupId),
          MemberId: { UserId: m },
        }),
      ),
    }),
  };
}
