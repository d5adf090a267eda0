import {
  IdentitystoreClient,
  ListGroupMembershipsCommand,
  ListGroupsCommand,
  ListUsersCommand,
} from '@aws-sdk/client-identitystore';
import {
  DescribePermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListAccountsForProvisionedPermissionSetCommand,
  ListCustomerManagedPolicyReferencesInPermissionSetCommand,
  ListInstancesCommand,
  ListManagedPoliciesInPermissionSetCommand,
  ListPermissionSetsCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { mockClient } from 'aws-sdk-client-mock';
import { ClientFactory } from '../../lambdas/aws/client-factory';
import { judgePermissionSet } from '../../lambdas/identity-center/admin';
import { readIdentityCenter } from '../../lambdas/identity-center/reader';
import { IDENTITY_CENTER_IAM_ACTIONS } from '../../lambdas/organization/contract';

const sso = mockClient(SSOAdminClient);
const ids = mockClient(IdentitystoreClient);
const INSTANCE = 'arn:aws:sso:::instance/ssoins-1111222233334444';
const ADMIN = 'arn:aws:sso:::permissionSet/ssoins-1111222233334444/ps-aaaaaaaaaaaaaaa1';
const DEV = 'arn:aws:sso:::permissionSet/ssoins-1111222233334444/ps-ccccccccccccccc3';

beforeEach(() => {
  sso.reset();
  ids.reset();
  sso
    .on(ListInstancesCommand)
    .resolves({ Instances: [{ InstanceArn: INSTANCE, IdentityStoreId: 'd-1234567890' }] });
  // Paginated: a first page with a token, an empty page with a token, then the rest.
  ids
    .on(ListUsersCommand)
    .resolvesOnce({
      Users: [
        {
          IdentityStoreId: 'd-1234567890',
          UserId: 'u-alice',
          UserName: 'alice@example.com',
          UserStatus: 'ENABLED',
        },
      ],
      NextToken: 't1',
    })
    .resolvesOnce({ Users: [], NextToken: 't2' })
    .resolvesOnce({
      Users: [
        {
          IdentityStoreId: 'd-1234567890',
          UserId: 'u-dave',
          UserName: 'dave@example.com',
          UserStatus: 'DISABLED',
        },
      ],
    });
  ids
    .on(ListGroupsCommand)
    .resolves({ Groups: [{ IdentityStoreId: 'd-1234567890', GroupId: 'g-admins', DisplayName: 'Admins' }] });
  ids.on(ListGroupMembershipsCommand).resolves({
    GroupMemberships: [
      { IdentityStoreId: 'd-1234567890', GroupId: 'g-admins', MemberId: { UserId: 'u-alice' } },
    ],
  });
  sso
    .on(ListPermissionSetsCommand)
    .resolvesOnce({ PermissionSets: [ADMIN], NextToken: 'p1' })
    .resolvesOnce({ PermissionSets: [DEV] });
  sso
    .on(DescribePermissionSetCommand, { PermissionSetArn: ADMIN })
    .resolves({ PermissionSet: { Name: 'Admin', PermissionSetArn: ADMIN } });
  sso
    .on(DescribePermissionSetCommand, { PermissionSetArn: DEV })
    .resolves({ PermissionSet: { Name: 'Developer', PermissionSetArn: DEV } });
  sso.on(ListManagedPoliciesInPermissionSetCommand, { PermissionSetArn: ADMIN }).resolves({
    AttachedManagedPolicies: [
      { Name: 'AdministratorAccess', Arn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
    ],
  });
  sso
    .on(ListManagedPoliciesInPermissionSetCommand, { PermissionSetArn: DEV })
    .resolves({ AttachedManagedPolicies: [] });
  sso
    .on(ListCustomerManagedPolicyReferencesInPermissionSetCommand)
    .resolves({ CustomerManagedPolicyReferences: [] });
  // An empty inline policy is "" (not an error).
  sso.on(GetInlinePolicyForPermissionSetCommand, { PermissionSetArn: ADMIN }).resolves({ InlinePolicy: '' });
  sso.on(GetInlinePolicyForPermissionSetCommand, { PermissionSetArn: DEV }).resolves({
    InlinePolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'lambda:*', Resource: '*' }],
    }),
  });
  sso.on(ListAccountsForProvisionedPermissionSetCommand, { PermissionSetArn: ADMIN }).resolves({
    AccountIds: ['111111111111', '999999999999'],
  });
  sso
    .on(ListAccountsForProvisionedPermissionSetCommand, { PermissionSetArn: DEV })
    .resolves({ AccountIds: ['222222222222'] });
  sso.on(ListAccountAssignmentsCommand, { PermissionSetArn: ADMIN, AccountId: '111111111111' }).resolves({
    AccountAssignments: [
      { AccountId: '111111111111', PermissionSetArn: ADMIN, PrincipalType: 'GROUP', PrincipalId: 'g-admins' },
      { AccountId: '111111111111', PermissionSetArn: ADMIN, PrincipalType: 'USER', PrincipalId: 'u-dave' },
    ],
  });
  sso.on(ListAccountAssignmentsCommand, { PermissionSetArn: DEV, AccountId: '222222222222' }).resolves({
    AccountAssignments: [
      { AccountId: '222222222222', PermissionSetArn: DEV, PrincipalType: 'USER', PrincipalId: 'u-alice' },
    ],
  });
});

const read = () =>
  readIdentityCenter({
    clients: new ClientFactory(),
    region: 'eu-west-1',
    accounts: ['111111111111', '222222222222'],
  });

describe('readIdentityCenter', () => {
  it('follows every page (an empty page with a token included) at 100 per page', async () => {
    const snap = await read();
    const inst = snap.instances[0]!;
    expect(inst.users.map((u) => u.userName)).toEqual(['alice@example.com', 'dave@example.com']);
    expect(inst.permissionSets.map((p) => p.name)).toEqual(['Admin', 'Developer']);
    expect(ids.commandCalls(ListUsersCommand)).toHaveLength(3);
    // (the paginator reuses one input object, so every call shows the last token: check the page size)
    expect(ids.commandCalls(ListUsersCommand)[1]!.args[0].input).toMatchObject({
      IdentityStoreId: 'd-1234567890',
      MaxResults: 100,
    });
    expect(
      sso.commandCalls(ListPermissionSetsCommand, { InstanceArn: INSTANCE, MaxResults: 100 }),
    ).toHaveLength(2);
    expect(snap.errors).toEqual([]);
  });

  it('reads the user status, group members and an empty inline policy as ""', async () => {
    const inst = (await read()).instances[0]!;
    expect(inst.users.find((u) => u.userId === 'u-dave')?.status).toBe('DISABLED');
    expect(inst.groups).toEqual([{ groupId: 'g-admins', displayName: 'Admins', members: ['u-alice'] }]);
    expect(inst.permissionSets.find((p) => p.name === 'Admin')?.inlinePolicy).toBe('');
  });

  it('lists assignments only in in-scope accounts, recording the others', async () => {
    const inst = (await read()).instances[0]!;
    expect(inst.assignments.map((a) => `${a.account}:${a.principalType}:${a.principalId}`)).toEqual([
      '111111111111:GROUP:g-admins',
      '111111111111:USER:u-dave',
      '222222222222:USER:u-alice',
    ]);
    expect(inst.accountsNotInScope).toEqual(['999999999999']);
    expect(sso.commandCalls(ListAccountAssignmentsCommand, { AccountId: '999999999999' })).toHaveLength(0);
  });

  it('judges the permission sets by the access review rules', async () => {
    const inst = (await read()).instances[0]!;
    const none = () => ({ unknown: 'not used' });
    expect(judgePermissionSet(inst.permissionSets[0]!, none).admin).toBe('yes');
    expect(judgePermissionSet(inst.permissionSets[1]!, none)).toEqual({ admin: 'no', reasons: [] });
  });

  it('records a failed call as an error entry and keeps the rest; the verdict becomes unknown', async () => {
    sso
      .on(ListManagedPoliciesInPermissionSetCommand, { PermissionSetArn: DEV })
      .rejects(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' }));
    const snap = await read();
    expect(snap.errors).toEqual([
      expect.objectContaining({
        api: 'sso:ListManagedPoliciesInPermissionSet',
        code: 'AccessDeniedException',
        region: 'eu-west-1',
      }),
    ]);
    const dev = snap.instances[0]!.permissionSets.find((p) => p.name === 'Developer')!;
    expect(judgePermissionSet(dev, () => ({ unknown: '' })).admin).toBe('unknown');
    expect(snap.instances[0]!.assignments).toHaveLength(3);
  });

  it('calls exactly the actions IDENTITY_CENTER_IAM_ACTIONS grants', async () => {
    await read();
    const called = new Set(
      [...sso.calls(), ...ids.calls()].map((c) => {
        const name = (c.args[0] as { constructor: { name: string } }).constructor.name.replace(
          /Command$/,
          '',
        );
        return `${c.thisValue instanceof IdentitystoreClient ? 'identitystore' : 'sso'}:${name}`;
      }),
    );
    expect([...called].sort()).toEqual([...IDENTITY_CENTER_IAM_ACTIONS].sort());
  });

  it('records no instance as an error, not silence', async () => {
    sso.on(ListInstancesCommand).resolves({ Instances: [] });
    const snap = await read();
    expect(snap.instances).toEqual([]);
    expect(snap.errors[0]).toMatchObject({ api: 'sso:ListInstances', code: 'NoInstance' });
  });
});
