import { GetAccountAuthorizationDetailsCommand, IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import {
  analysePolicy,
  buildPopulation,
  gatherAuthorizationDetails,
  grantsAdmin,
  parsePolicyDocument,
  populationJson,
  readPopulation,
  type Population,
} from '../../../lambdas/collectors/access-review/population';
import { canonicalJson } from '../../../lambdas/evidence/canonical-json';
import { ClientFactory } from '../../../lambdas/aws/client-factory';
import { parseCredentialReport } from '../../../lambdas/readers/credential-report/parse';
import { ADMIN_DOC, READ_DOC, customerPolicy, details, enc, group, role, user } from './fixtures';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const NOW = new Date('2026-11-23T06:00:03.120Z');
const OPTS = { account: '123456789012', now: NOW, inactiveAfterDays: 90 };
const REPORT = parseCredentialReport(
  readFileSync(join(__dirname, '..', '..', 'fixtures', 'credential-report.csv'), 'utf8'),
);
const ADMIN_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';

describe('grantsAdmin', () => {
  it.each([
    ['Action * on *', ADMIN_DOC, true],
    [
      'Action *:* on * in lists',
      { Statement: [{ Effect: 'Allow', Action: ['s3:*', '*:*'], Resource: ['*'] }] },
      true,
    ],
    ['a single statement object', { Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }, true],
    ['Deny * on *', { Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }, false],
    ['* on one bucket', { Statement: [{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b' }] }, false],
    ['s3:* on *', { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }, false],
    ['no statements', {}, false],
  ])('%s → %s', (_n, doc, admin) => expect(grantsAdmin(doc as Record<string, unknown>)).toBe(admin));

  const allow = (st: Record<string, unknown>) => ({ Statement: [{ Effect: 'Allow', ...st }] });
  it.each<[string, Record<string, unknown>, 'admin' | 'near' | 'neither']>([
    [
      'PowerUserAccess-style NotAction on *',
      allow({ NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' }),
      'near',
    ],
    [
      'NotAction of one service on * (iam:* still allowed)',
      allow({ NotAction: 's3:*', Resource: '*' }),
      'admin',
    ],
    [
      'NotAction of one IAM action leaves the self-grants',
      allow({ NotAction: ['iam:DeleteUser'], Resource: '*' }),
      'admin',
    ],
    [
      'NotAction of IAM policy writes, mixed case and wildcards',
      allow({ NotAction: ['IAM:Put*Policy', 'iam:attach*'], Resource: '*' }),
      'near',
    ],
    ['NotAction on one bucket', allow({ NotAction: 'iam:*', Resource: 'arn:aws:s3:::b' }), 'neither'],
    [
      'Action * with NotResource of a bucket',
      allow({ Action: '*', NotResource: 'arn:aws:s3:::b/*' }),
      'admin',
    ],
    [
      'Action * with NotResource of every IAM resource',
      allow({ Action: '*', NotResource: ['arn:aws:iam::*:*'] }),
      'near',
    ],
    ['iam:* on *', allow({ Action: 'iam:*', Resource: '*' }), 'near'],
    [
      'IAM:PUTUSERPOLICY on * (case-insensitive)',
      allow({ Action: 'IAM:PUTUSERPOLICY', Resource: '*' }),
      'near',
    ],
    [
      'iam:Attach*Policy on *',
      allow({ Action: ['s3:GetObject', 'iam:Attach*Policy'], Resource: '*' }),
      'near',
    ],
    ['iam:CreatePolicyVersion on *', allow({ Action: 'iam:CreatePolicyVersion', Resource: '*' }), 'near'],
    ['iam:PassRole on *', allow({ Action: 'iam:PassRole', Resource: ['*'] }), 'near'],
    [
      'iam:PassRole on one role',
      allow({ Action: 'iam:PassRole', Resource: 'arn:aws:iam::123456789012:role/app' }),
      'neither',
    ],
    ['iam:Get* on *', allow({ Action: 'iam:Get*', Resource: '*' }), 'neither'],
    ['Deny NotAction on *', { Statement: [{ Effect: 'Deny', NotAction: 's3:*', Resource: '*' }] }, 'neither'],
  ])('%s → %s', (_n, doc, expected) => {
    const v = analysePolicy(doc);
    expect(v.admin ? 'admin' : v.nearAdmin ? 'near' : 'neither').toBe(expected);
    expect(grantsAdmin(doc)).toBe(expected === 'admin');
    if (expected !== 'neither') expect(v.reason).toEqual(expect.any(String));
  });

  it('decodes URL-encoded documents before parsing', () => {
    expect(parsePolicyDocument(enc(ADMIN_DOC))).toEqual(ADMIN_DOC);
  });
});

describe('buildPopulation', () => {
  it("gives the reviewer each user's creation date and access keys (age, last use), and each role's last use", () => {
    const { population } = buildPopulation(
      details({
        users: [user('alice'), user('bob'), user('ci-deploy')],
        roles: [
          role(
            'Partner',
            {
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { AWS: 'arn:aws:iam::111122223333:root' },
                  Action: 'sts:AssumeRole',
                },
              ],
            },
            {
              CreateDate: new Date('2025-02-03T00:00:00Z'),
              RoleLastUsed: { LastUsedDate: new Date('2026-11-18T10:00:00Z'), Region: 'us-east-1' },
            },
          ),
        ],
      }),
      REPORT,
      OPTS,
    );
    const byName = new Map(population.users.map((u) => [u.name, u]));
    expect(byName.get('alice')).toMatchObject({
      createdAt: '2024-01-01T00:00:00.000Z',
      // Slot 2 is empty (inactive, never rotated): not listed.
      accessKeys: [
        {
          slot: 1,
          active: true,
          createdAt: '2026-01-01T00:00:00.000Z',
          ageDays: 326,
          lastUsedAt: '2026-11-20T10:00:00.000Z',
          lastUsedService: 's3',
        },
      ],
    });
    expect(byName.get('bob')!.accessKeys).toEqual([]);
    expect(byName.get('ci-deploy')!.accessKeys).toEqual([
      expect.objectContaining({ slot: 1, active: true, ageDays: 1754, lastUsedAt: null }),
    ]);
    expect(population.roles).toEqual([
      expect.objectContaining({
        name: 'Partner',
        createdAt: '2025-02-03T00:00:00.000Z',
        lastUsedAt: '2026-11-18T10:00:00.000Z',
        lastUsedRegion: 'us-east-1',
      }),
    ]);
  });

  it('flags AdministratorAccess, but not other AWS managed policies', () => {
    const { population } = buildPopulation(
      details({
        users: [
          user('ann', {
            AttachedManagedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: ADMIN_ARN }],
          }),
          user('ben', {
            AttachedManagedPolicies: [
              { PolicyName: 'PowerUserAccess', PolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' },
            ],
          }),
        ],
      }),
      REPORT,
      OPTS,
    );
    expect(population.users.map((u) => [u.name, u.admin, u.nearAdmin, u.adminReasons])).toEqual([
      ['ann', true, false, ['AdministratorAccess']],
      [
        'ben',
        false,
        true,
        ['PowerUserAccess: every action except IAM, Organizations and Account management'],
      ],
    ]);
    expect(population.users[0]!.policies[0]).toMatchObject({ type: 'aws-managed', via: 'user', admin: true });
  });

  it('flags a customer managed policy by its default version, and an inline user policy', () => {
    const { population } = buildPopulation(
      details({
        policies: [customerPolicy('AllTheThings', ADMIN_DOC), customerPolicy('ReadOnly', READ_DOC)],
        users: [
          user('cat', {
            AttachedManagedPolicies: [
              { PolicyName: 'AllTheThings', PolicyArn: 'arn:aws:iam::123456789012:policy/AllTheThings' },
            ],
          }),
          user('dan', { UserPolicyList: [{ PolicyName: 'inline-admin', PolicyDocument: enc(ADMIN_DOC) }] }),
          user('eve', {
            AttachedManagedPolicies: [
              { PolicyName: 'ReadOnly', PolicyArn: 'arn:aws:iam::123456789012:policy/ReadOnly' },
            ],
          }),
        ],
      }),
      REPORT,
      OPTS,
    );
    expect(population.users.map((u) => [u.name, u.admin])).toEqual([
      ['cat', true],
      ['dan', true],
      ['eve', false],
    ]);
  });

  it('flags admin reached through a group (managed or inline) and lists the group', () => {
    const { population } = buildPopulation(
      details({
        groups: [
          group('ops', { GroupPolicyList: [{ PolicyName: 'ops-all', PolicyDocument: enc(ADMIN_DOC) }] }),
          group('admins', {
            AttachedManagedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: ADMIN_ARN }],
          }),
          group('readers', { GroupPolicyList: [{ PolicyName: 'read', PolicyDocument: enc(READ_DOC) }] }),
        ],
        users: [
          user('fay', { GroupList: ['ops'] }),
          user('gus', { GroupList: ['admins', 'readers'] }),
          user('hal', { GroupList: ['readers'] }),
        ],
      }),
      REPORT,
      OPTS,
    );
    expect(population.users.map((u) => [u.name, u.admin])).toEqual([
      ['fay', true],
      ['gus', true],
      ['hal', false],
    ]);
    expect(population.users[0]!.policies[0]).toMatchObject({
      name: 'ops-all',
      type: 'inline',
      via: 'group:ops',
      admin: true,
    });
    expect(population.users[1]!.groups).toEqual(['admins', 'readers']);
  });

  it('marks near-admins (IAMFullAccess, NotAction, iam:PassRole) with the policy and reason', () => {
    const { population } = buildPopulation(
      details({
        policies: [
          customerPolicy('Broad', { Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] }),
        ],
        groups: [
          group('iam-admins', {
            AttachedManagedPolicies: [
              { PolicyName: 'IAMFullAccess', PolicyArn: 'arn:aws:iam::aws:policy/IAMFullAccess' },
            ],
          }),
        ],
        users: [
          user('kim', { GroupList: ['iam-admins'] }),
          user('lou', {
            AttachedManagedPolicies: [
              { PolicyName: 'Broad', PolicyArn: 'arn:aws:iam::123456789012:policy/Broad' },
            ],
          }),
          user('max', {
            UserPolicyList: [
              {
                PolicyName: 'pass',
                PolicyDocument: enc({
                  Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }],
                }),
              },
            ],
          }),
          user('ned', {
            UserPolicyList: [
              {
                PolicyName: 'not-s3',
                PolicyDocument: enc({ Statement: [{ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }] }),
              },
            ],
          }),
        ],
      }),
      REPORT,
      OPTS,
    );
    const by = Object.fromEntries(population.users.map((u) => [u.name, u]));
    expect(by.kim).toMatchObject({ admin: false, nearAdmin: true });
    expect(by.kim!.adminReasons).toEqual([expect.stringMatching(/^IAMFullAccess: iam:\* on \*/)]);
    expect(by.lou).toMatchObject({ admin: false, nearAdmin: true });
    expect(by.lou!.adminReasons).toEqual(['Broad: NotAction [iam:*] on Resource *: every other action']);
    expect(by.max).toMatchObject({ admin: false, nearAdmin: true });
    expect(by.max!.adminReasons).toEqual(['pass: privilege escalation: iam:PassRole on Resource *']);
    expect(by.ned).toMatchObject({ admin: true, nearAdmin: false });
    expect(by.ned!.adminReasons).toEqual([
      'not-s3: NotAction [s3:*] on Resource * still allows IAM policy writes',
    ]);
  });

  it('names a policy whose document does not parse, and carries on', () => {
    const { population, problems } = buildPopulation(
      details({
        policies: [customerPolicy('Broken', '%7Bnot json')],
        users: [user('ivy', { UserPolicyList: [{ PolicyName: 'bad-inline', PolicyDocument: '%E0%A4%A' }] })],
      }),
      REPORT,
      OPTS,
    );
    expect(population.users).toHaveLength(1);
    expect(problems).toEqual([
      expect.stringContaining(
        'managed policy Broken (arn:aws:iam::123456789012:policy/Broken): the policy document does not parse',
      ),
      expect.stringContaining('inline policy bad-inline of user ivy: the policy document does not parse'),
    ]);
  });

  it('takes console access, MFA, last activity and the inactive flag from the credential report', () => {
    const { population } = buildPopulation(
      details({ users: [user('alice'), user('bob'), user('ci-deploy'), user('zed')] }),
      REPORT,
      OPTS,
    );
    const by = Object.fromEntries(population.users.map((u) => [u.name, u]));
    expect(by.alice).toMatchObject({
      consoleAccess: true,
      mfa: true,
      lastActivity: '2026-11-22T08:15:00.000Z',
      inactive: false,
    });
    expect(by.bob).toMatchObject({ consoleAccess: true, mfa: false, lastActivity: null, inactive: true });
    expect(by['ci-deploy']).toMatchObject({ consoleAccess: false, inactive: true });
    // Created after the report was generated: unknown, not "no".
    expect(by.zed).toMatchObject({ consoleAccess: null, mfa: null, inactive: false });
  });

  it('lists roles people can assume (SAML, OIDC, another account, this account) and skips service roles', () => {
    const allow = (Principal: unknown, Action: string) => ({
      Statement: [{ Effect: 'Allow', Principal, Action }],
    });
    const { population } = buildPopulation(
      details({
        roles: [
          role(
            'sso-admin',
            allow({ Federated: 'arn:aws:iam::123456789012:saml-provider/Okta' }, 'sts:AssumeRoleWithSAML'),
            {
              AttachedManagedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: ADMIN_ARN }],
            },
          ),
          role(
            'gh-deploy',
            allow(
              { Federated: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' },
              'sts:AssumeRoleWithWebIdentity',
            ),
          ),
          role('audit', allow({ AWS: 'arn:aws:iam::111122223333:root' }, 'sts:AssumeRole')),
          role('local', allow({ AWS: 'arn:aws:iam::123456789012:root' }, 'sts:AssumeRole')),
          role('local-id', allow({ AWS: '123456789012' }, 'sts:AssumeRole')),
          role(
            'break-glass',
            allow(
              {
                AWS: ['arn:aws:iam::123456789012:user/bob', 'arn:aws:iam::123456789012:role/ops'],
              },
              'sts:AssumeRole',
            ),
            { AttachedManagedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: ADMIN_ARN }] },
          ),
          role(
            'sso-wild',
            allow({ Federated: 'arn:aws:iam::123456789012:saml-provider/Okta' }, 'sts:AssumeRole*'),
          ),
          role(
            'oidc-star',
            allow({ Federated: 'arn:aws:iam::123456789012:oidc-provider/example.com' }, 'STS:*'),
          ),
          role('tag-only', allow({ AWS: 'arn:aws:iam::111122223333:root' }, 'sts:TagSession')),
          role('lambda-exec', allow({ Service: 'lambda.amazonaws.com' }, 'sts:AssumeRole')),
          role('lambda-star', allow({ Service: 'lambda.amazonaws.com' }, 'sts:*')),
        ],
      }),
      REPORT,
      OPTS,
    );
    expect(population.roles.map((r) => [r.name, r.trustedBy, r.admin])).toEqual([
      ['audit', ['account:111122223333'], false],
      [
        'break-glass',
        ['principal:arn:aws:iam::123456789012:role/ops', 'principal:arn:aws:iam::123456789012:user/bob'],
        true,
      ],
      [
        'gh-deploy',
        ['federated:arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com'],
        false,
      ],
      ['local', ['account:self'], false],
      ['local-id', ['account:self'], false],
      ['oidc-star', ['federated:arn:aws:iam::123456789012:oidc-provider/example.com'], false],
      ['sso-admin', ['federated:arn:aws:iam::123456789012:saml-provider/Okta'], true],
      ['sso-wild', ['federated:arn:aws:iam::123456789012:saml-provider/Okta'], false],
    ]);
  });
});

describe('gatherAuthorizationDetails', () => {
  const iam = mockClient(IAMClient);
  beforeEach(() => iam.reset());

  it('reads every page with the filter that leaves out AWS managed policies', async () => {
    iam
      .on(GetAccountAuthorizationDetailsCommand)
      .resolvesOnce({ UserDetailList: [user('a')], IsTruncated: true, Marker: 'm1' })
      .resolvesOnce({ UserDetailList: [user('b')], RoleDetailList: [role('r', {})], IsTruncated: false });
    const d = await gatherAuthorizationDetails({ clients: new ClientFactory() });
    expect(d.users.map((u) => u.UserName)).toEqual(['a', 'b']);
    expect(d.roles).toHaveLength(1);
    const calls = iam.commandCalls(GetAccountAuthorizationDetailsCommand).map((c) => c.args[0].input);
    // The SDK paginator reuses one input object, so the recorded inputs show its final state.
    expect(calls).toHaveLength(2);
    for (const c of calls) expect(c.Filter).toEqual(['User', 'Group', 'Role', 'LocalManagedPolicy']);
    for (const c of calls) expect(c.MaxItems).toBe(1000);
    expect(calls[1]!.Marker).toBe('m1');
  });
});

describe('population.json', () => {
  const frozen = () =>
    buildPopulation(
      details({
        groups: [
          group('admins', {
            AttachedManagedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: ADMIN_ARN }],
          }),
          group('readers', {
            AttachedManagedPolicies: [
              { PolicyName: 'team', PolicyArn: 'arn:aws:iam::123456789012:policy/team' },
            ],
            GroupPolicyList: [{ PolicyName: 'read', PolicyDocument: enc(READ_DOC) }],
          }),
          group('empty'),
        ],
        policies: [customerPolicy('team', READ_DOC)],
        users: Array.from({ length: 50 }, (_, i) =>
          user(`u${i}`, {
            GroupList: i % 3 === 0 ? ['readers', 'admins'] : i % 3 === 1 ? ['readers', 'empty'] : [],
            ...(i % 5 === 0
              ? { UserPolicyList: [{ PolicyName: 'own', PolicyDocument: enc(ADMIN_DOC) }] }
              : {}),
          }),
        ),
        roles: [role('federated', { Statement: [{ Effect: 'Allow', Principal: { Federated: 'idp' } }] })],
      }),
      REPORT,
      OPTS,
    ).population;
  const parse = (bytes: Uint8Array) =>
    JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>;

  it("lists each group's policies once and each user's own, and reads back to the population frozen", () => {
    const p = frozen();
    const doc = parse(populationJson(p)) as {
      formatVersion: number;
      groups: { name: string; policies: { name: string }[] }[];
      users: { name: string; groups: string[]; policies: { name: string; via: string }[]; admin: boolean }[];
    };
    expect(doc.formatVersion).toBe(2);
    expect(doc.groups.map((g) => [g.name, g.policies.map((x) => x.name)])).toEqual([
      ['admins', ['AdministratorAccess']],
      ['empty', []],
      ['readers', ['team', 'read']],
    ]);
    const u0 = doc.users.find((u) => u.name === 'u0')!;
    expect(u0.policies.map((x) => [x.name, x.via])).toEqual([['own', 'user']]);
    expect(u0).toMatchObject({ groups: ['admins', 'readers'], admin: true });
    expect(canonicalJson(readPopulation(doc))).toBe(canonicalJson(p));
    expect(populationJson(p).byteLength).toBeLessThan(Buffer.byteLength(canonicalJson(p)));
  });

  it('reads a format 1 population (no formatVersion) as it is', () => {
    const p = frozen();
    expect(canonicalJson(readPopulation(JSON.parse(canonicalJson(p))))).toBe(canonicalJson(p));
  });

  it("keeps format 1 when a member's policies are not its group's, so nothing is lost", () => {
    const p = frozen();
    const [first, ...rest] = p.users;
    const odd: Population = {
      ...p,
      users: [{ ...first!, policies: first!.policies.filter((x) => x.name !== 'read') }, ...rest],
    };
    const doc = parse(populationJson(odd));
    expect(doc.formatVersion).toBeUndefined();
    expect(canonicalJson(readPopulation(doc))).toBe(canonicalJson(odd));
  });

  it('refuses a format it does not know, naming it', () => {
    expect(() => readPopulation({ formatVersion: 3, users: [] })).toThrow(
      'population.json formatVersion 3 is not one this version reads',
    );
    expect(() => readPopulation([])).toThrow('population.json must be an object with a users array');
  });
});
