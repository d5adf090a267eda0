import { GetAccountAuthorizationDetailsCommand, IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { ClientFactory } from '../../../lambdas/aws/client-factory';
import {
  approvalOf,
  assessPrivilege,
  iamPrivilege,
} from '../../../lambdas/collectors/iam-privilege/collector';
import { analysePrivilege } from '../../../lambdas/collectors/iam-privilege/privilege';
import type { AuthorizationDetails } from '../../../lambdas/iam-policy/authorization-details';
import { DEFAULT_SETTINGS } from '../../../lambdas/settings';
import { ADMIN_DOC, customerPolicy, enc, group, role, user } from '../access-review/fixtures';
import { NOW } from '../../helpers/run';

const ACCOUNT = '123456789012';
const ARN = `arn:aws:iam::${ACCOUNT}`;
const ADMIN_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const details = (d: Partial<AuthorizationDetails>): AuthorizationDetails => ({
  users: [],
  groups: [],
  roles: [],
  policies: [],
  ...d,
});
const SAML = {
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: `${ARN}:saml-provider/Okta` },
      Action: 'sts:AssumeRoleWithSAML',
    },
  ],
};
const service = (s: string) => ({
  Statement: [{ Effect: 'Allow', Principal: { Service: s }, Action: 'sts:AssumeRole' }],
});
const PASS_LAMBDA = {
  Statement: [
    {
      Effect: 'Allow',
      Action: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'],
      Resource: '*',
    },
  ],
};
const adminAttached = [{ PolicyName: 'AdministratorAccess', PolicyArn: ADMIN_ARN }];

/** An account with an admin group and its member, an admin role, a pass-role deployer and a bystander. */
const ACCOUNT_DETAILS = details({
  users: [
    user('alice', { GroupList: ['Admins'] }),
    user('dev', {
      GroupList: ['Developers'],
      UserPolicyList: [
        {
          PolicyName: 'self-keys',
          PolicyDocument: enc({
            Statement: [
              { Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: `${ARN}:user/\${aws:username}` },
            ],
          }),
        },
      ],
      PermissionsBoundary: {
        PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
        PermissionsBoundaryArn: `${ARN}:policy/boundary`,
      },
    }),
    user('reader'),
  ],
  groups: [
    group('Admins', { AttachedManagedPolicies: adminAttached }),
    group('Developers', {
      AttachedManagedPolicies: [{ PolicyName: 'deploy', PolicyArn: `${ARN}:policy/deploy` }],
    }),
    group('BreakGlass', {
      GroupPolicyList: [
        {
          PolicyName: 'all',
          PolicyDocument: enc({ Statement: [{ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }] }),
        },
      ],
    }),
  ],
  roles: [
    role('OrgAdmin', SAML, { AttachedManagedPolicies: adminAttached }),
    role('AWSServiceRoleForExample', service('example.amazonaws.com'), {
      Path: '/aws-service-role/example.amazonaws.com/',
      RolePolicyList: [{ PolicyName: 'p', PolicyDocument: enc(ADMIN_DOC) }],
    }),
    role('app', service('lambda.amazonaws.com'), {
      RolePolicyList: [
        {
          PolicyName: 'read',
          PolicyDocument: enc({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }),
        },
      ],
    }),
  ],
  policies: [customerPolicy('deploy', PASS_LAMBDA), customerPolicy('boundary', ADMIN_DOC)],
});

const judged = (approved: string[] = []) =>
  assessPrivilege(analysePrivilege(ACCOUNT_DETAILS, ACCOUNT), { approvedAdministrators: approved });
const byResource = (approved: string[] = []) =>
  Object.fromEntries(
    judged(approved).findings.map((f) => [f.resource.replace(`${ARN}:`, ''), `${f.check} ${f.status}`]),
  );

describe('analysePrivilege and assessPrivilege', () => {
  it('judges each principal once: admin through any route, escalation only for the others', () => {
    expect(byResource()).toEqual({
      'user/alice': 'admin-privileges FAIL',
      'user/dev': 'privilege-escalation FAIL',
      'group/Admins': 'admin-privileges FAIL',
      // NotAction of one service on * still allows IAM writes: admin; and nobody is in it.
      'group/BreakGlass': 'admin-privileges WARN',
      'group/Developers': 'privilege-escalation FAIL',
      'role/AWSServiceRoleForExample': 'admin-privileges INFO',
      'role/OrgAdmin': 'admin-privileges FAIL',
    });
  });

  it('passes approved principals and records the approval; a listed group approves its members', () => {
    const { findings, figures } = judged([`${ARN}:group/Admins`, `${ARN}:role/OrgAdmin`, `${ARN}:user/gone`]);
    const alice = findings.find((f) => f.resource === `${ARN}:user/alice`)!;
    expect(alice.status).toBe('PASS');
    expect(alice.detail).toMatchObject({ approved: true, approvedAs: `${ARN}:group/Admins` });
    expect(alice.detail.reason).toMatch(/through .*group\/Admins/);
    expect(findings.find((f) => f.resource === `${ARN}:role/OrgAdmin`)).toMatchObject({
      status: 'PASS',
      detail: { approved: true, approvedAs: `${ARN}:role/OrgAdmin` },
    });
    // A group's approval does not reach another group, nor a role.
    expect(findings.find((f) => f.resource === `${ARN}:user/dev`)!.status).toBe('FAIL');
    expect(figures).toMatchObject({
      adminPrincipals: 5,
      adminUnapproved: 0,
      escalationUnapproved: 2,
      approvalsUnused: 1,
    });
  });

  it('approves an escalation holder by its own ARN', () => {
    expect(byResource([`${ARN}:user/dev`])['user/dev']).toBe('privilege-escalation PASS');
  });

  it('names the policies, how they are attached, and the grants', () => {
    const { findings } = judged();
    const alice = findings.find((f) => f.resource === `${ARN}:user/alice`)!;
    expect(alice.detail).toMatchObject({
      kind: 'user',
      groups: ['Admins'],
      approved: false,
      policies: [
        {
          policy: 'AdministratorAccess',
          type: 'aws-managed',
          arn: ADMIN_ARN,
          attached: 'via group Admins',
          grants: 'AdministratorAccess',
        },
      ],
    });
    const dev = findings.find((f) => f.resource === `${ARN}:user/dev`)!;
    expect(dev.detail.policies).toEqual(['customer-managed deploy (via group Developers)']);
    expect(dev.detail.paths).toEqual([expect.objectContaining({ path: 'PassRole+Lambda+Invoke' })]);
    // Its self-service key grant is not a path; its boundary is recorded, not weighed.
    expect(dev.detail).toMatchObject({
      permissionsBoundary: `${ARN}:policy/boundary`,
      boundaryWeighed: false,
    });
    const org = findings.find((f) => f.resource === `${ARN}:role/OrgAdmin`)!;
    expect(org.detail.trust).toEqual({
      services: [],
      people: [`federated:${ARN}:saml-provider/Okta`],
      assumableBy: 'people or other accounts',
    });
    const slr = findings.find((f) => f.resource.endsWith('AWSServiceRoleForExample'))!;
    expect(slr.detail.reason).toMatch(/service-linked/);
    expect(slr.detail.trust).toMatchObject({ assumableBy: 'AWS services only' });
  });

  it('keeps the decoded policies behind the findings, and none of the others', () => {
    const a = analysePrivilege(ACCOUNT_DETAILS, ACCOUNT);
    expect(a.policies.map((p) => `${p.type} ${p.policy}`).sort()).toEqual([
      'customer-managed deploy',
      'inline all',
      'inline p',
    ]);
    expect(a.examined).toEqual({ users: 3, groups: 3, roles: 3, customerManagedPolicies: 2 });
  });

  it('passes an admin-equivalent role to a deployer: PassRole on that role alone is a path', () => {
    const d = details({
      roles: [
        role('Admin', SAML, { AttachedManagedPolicies: adminAttached }),
        role('ci', service('codebuild.amazonaws.com'), {
          RolePolicyList: [
            {
              PolicyName: 'deploy',
              PolicyDocument: enc({
                Statement: [
                  { Effect: 'Allow', Action: 'iam:PassRole', Resource: `${ARN}:role/Admin` },
                  { Effect: 'Allow', Action: 'cloudformation:CreateStack', Resource: '*' },
                ],
              }),
            },
          ],
        }),
      ],
    });
    const f = assessPrivilege(analysePrivilege(d, ACCOUNT), DEFAULT_SETTINGS).findings;
    expect(f.map((x) => [x.resource.split('/')[1], x.check, x.status])).toEqual([
      ['Admin', 'admin-privileges', 'FAIL'],
      ['ci', 'privilege-escalation', 'FAIL'],
    ]);
  });

  it('reports unparseable documents as problems and judges the rest', () => {
    const d = details({
      users: [
        user('x', {
          UserPolicyList: [{ PolicyName: 'bad', PolicyDocument: '%7Bnot json' }],
          AttachedManagedPolicies: adminAttached,
        }),
      ],
    });
    const a = analysePrivilege(d, ACCOUNT);
    expect(a.problems).toEqual([
      expect.stringMatching(/^inline policy bad of user x: the policy document does not parse/),
    ]);
    expect(a.principals.map((p) => p.name)).toEqual(['x']);
  });

  it('approvalOf: own ARN first, then a group', () => {
    const p = analysePrivilege(ACCOUNT_DETAILS, ACCOUNT).principals.find((x) => x.name === 'alice')!;
    expect(approvalOf(p, new Set([p.arn, `${ARN}:group/Admins`]))).toBe(p.arn);
    expect(approvalOf(p, new Set())).toBeUndefined();
  });
});

describe('gather', () => {
  const iam = mockClient(IAMClient);
  beforeEach(() => iam.reset());
  const ctx = () => ({
    clients: new ClientFactory(),
    settings: DEFAULT_SETTINGS,
    now: NOW,
    memo: <T>(_k: string, load: () => Promise<T>) => load(),
  });

  it('follows truncated pages, empty ones included, and keeps the analysis as its source', async () => {
    iam
      .on(GetAccountAuthorizationDetailsCommand)
      .resolvesOnce({
        UserDetailList: [user('alice', { GroupList: ['Admins'] })],
        IsTruncated: true,
        Marker: 'm1',
      })
      .resolvesOnce({ IsTruncated: true, Marker: 'm2' })
      .resolvesOnce({
        GroupDetailList: [group('Admins', { AttachedManagedPolicies: adminAttached })],
        Policies: [customerPolicy('deploy', PASS_LAMBDA)],
        IsTruncated: false,
      });
    const g = await iamPrivilege.gather(ctx());
    expect(iam.commandCalls(GetAccountAuthorizationDetailsCommand)).toHaveLength(3);
    expect(g.errors).toEqual([]);
    expect(g.facts.analysis!.principals.map((p) => p.name)).toEqual(['alice', 'Admins']);
    expect(g.sources.map((s) => s.name)).toEqual(['privilege-analysis.json']);
    const a = iamPrivilege.assess(g.facts, DEFAULT_SETTINGS, NOW);
    expect(a.findings.map((f) => f.status)).toEqual(['FAIL', 'FAIL']);
  });

  it('turns a denied read into an error entry and judges nothing', async () => {
    iam
      .on(GetAccountAuthorizationDetailsCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    const g = await iamPrivilege.gather(ctx());
    expect(g.errors).toEqual([
      {
        region: 'global',
        api: 'iam:GetAccountAuthorizationDetails',
        code: 'AccessDenied',
        message: 'not authorized',
      },
    ]);
    expect(iamPrivilege.assess(g.facts, DEFAULT_SETTINGS, NOW)).toEqual({ findings: [], figures: {} });
  });

  it('records unparseable documents as error entries beside the findings', async () => {
    iam.on(GetAccountAuthorizationDetailsCommand).resolves({
      RoleDetailList: [
        role('r', SAML, { RolePolicyList: [{ PolicyName: 'bad', PolicyDocument: 'not%20json' }] }),
      ],
      IsTruncated: false,
    });
    const g = await iamPrivilege.gather(ctx());
    expect(g.errors).toEqual([
      expect.objectContaining({ code: 'UnparseablePolicy', api: 'iam:GetAccountAuthorizationDetails' }),
    ]);
  });

  it('grants only the read it makes and records its rules', () => {
    expect(iamPrivilege.iamActions).toEqual(['iam:GetAccountAuthorizationDetails']);
    expect(
      iamPrivilege.policy({ ...DEFAULT_SETTINGS, approvedAdministrators: [`${ARN}:group/Admins`] }),
    ).toMatchObject({
      approvedAdministrators: [`${ARN}:group/Admins`],
      escalationPaths: expect.objectContaining({
        'PassRole+Lambda+Invoke': 'iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction',
      }),
    });
  });
});
