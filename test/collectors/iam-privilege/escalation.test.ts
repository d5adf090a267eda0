import {
  awsManagedDocument,
  coversEvery,
  ESCALATION_PATHS,
  heldPaths,
  labelled,
  reachOf,
  trustedServices,
  type HeldStatement,
  type Targets,
} from '../../../lambdas/iam-policy/escalation';

const ARN = 'arn:aws:iam::123456789012';
const ME = `${ARN}:user/dev`;
const ADMIN_ROLE = `${ARN}:role/Admin`;
const TARGETS: Targets = { self: [ME, `${ARN}:policy/dev-tools`], admins: [ADMIN_ROLE], username: 'dev' };

type St = Record<string, unknown>;
const allow = (st: St, policy = 'p'): HeldStatement => ({ policy, statement: { Effect: 'Allow', ...st } });
const deny = (st: St, policy = 'd'): HeldStatement => ({ policy, statement: { Effect: 'Deny', ...st } });
const paths = (allows: HeldStatement[], denies: HeldStatement[] = [], targets = TARGETS) =>
  heldPaths(allows, denies, targets).map((p) => p.path);

describe('coversEvery', () => {
  it.each([
    ['*', 'iam:PassRole', true],
    [`${ARN}:role/*`, 'iam:PassRole', true],
    ['arn:aws:iam::*:*', 'iam:PassRole', true],
    [`${ARN}:role/app-*`, 'iam:PassRole', false],
    [`${ARN}:role/service-role/*`, 'iam:PassRole', false],
    ['arn:aws:lambda:*:123456789012:function:*', 'lambda:UpdateFunctionCode', true],
    ['arn:aws:lambda:*:123456789012:function:app-*', 'lambda:UpdateFunctionCode', false],
    // Another service's resources say nothing about IAM's.
    ['arn:aws:s3:::*', 'iam:PassRole', false],
    ['not-an-arn', 'iam:PassRole', false],
  ])('%s for %s → %s', (pattern, action, expected) => expect(coversEvery(pattern, action)).toBe(expected));
});

describe('heldPaths', () => {
  it('finds a pass-a-role path split across two policies, naming each grant', () => {
    const held = heldPaths(
      [
        allow({ Action: 'iam:PassRole', Resource: '*' }, 'a'),
        allow({ Action: ['lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' }, 'b'),
      ],
      [],
      TARGETS,
    );
    expect(held.map((p) => p.path)).toEqual(['PassRole+Lambda+Invoke']);
    expect(held[0]!.actions).toEqual([
      { action: 'iam:PassRole', grantedBy: ['a'], conditional: false },
      { action: 'lambda:CreateFunction', grantedBy: ['b'], conditional: false },
      { action: 'lambda:InvokeFunction', grantedBy: ['b'], conditional: false },
    ]);
    expect(held[0]!.source).toBe('Rhino Security Labs');
  });

  it('needs every action of a path', () => {
    expect(paths([allow({ Action: ['iam:PassRole', 'lambda:CreateFunction'], Resource: '*' })])).toEqual([]);
  });

  it('reads wildcards and NotAction as the access review does', () => {
    expect(paths([allow({ Action: 'iam:*', Resource: '*' })])).toEqual(
      expect.arrayContaining([
        'CreatePolicyVersion',
        'AttachUserPolicy',
        'CreateAccessKey',
        'AddUserToGroup',
      ]),
    );
    expect(paths([allow({ Action: 'IAM:attach*', Resource: '*' })])).toEqual([
      'AttachUserPolicy',
      'AttachGroupPolicy',
      'AttachRolePolicy',
    ]);
    // PowerUserAccess-style: every IAM action excluded, so only the existing-resource paths remain.
    expect(paths([allow({ NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' })])).toEqual([
      'UpdateFunctionCode',
      'GlueUpdateDevEndpoint',
    ]);
  });

  it('counts self-targeted policy writes on the principal itself, policy variables included', () => {
    expect(
      paths([allow({ Action: 'iam:AttachUserPolicy', Resource: `${ARN}:user/\${aws:username}` })]),
    ).toEqual(['AttachUserPolicy']);
    expect(
      paths([allow({ Action: 'iam:CreatePolicyVersion', Resource: `${ARN}:policy/dev-tools` })]),
    ).toEqual(['CreatePolicyVersion']);
    // Someone else's user or policy: not a path for this principal.
    expect(paths([allow({ Action: 'iam:AttachUserPolicy', Resource: `${ARN}:user/carol` })])).toEqual([]);
    expect(paths([allow({ Action: 'iam:CreatePolicyVersion', Resource: `${ARN}:policy/other` })])).toEqual(
      [],
    );
  });

  it('counts credential and pass-role grants on an admin principal, not on the principal itself', () => {
    // The usual self-service grant: keys for one's own user.
    expect(
      paths([allow({ Action: 'iam:CreateAccessKey', Resource: `${ARN}:user/\${aws:username}` })]),
    ).toEqual([]);
    const create = allow({ Action: ['ec2:RunInstances'], Resource: '*' });
    expect(paths([allow({ Action: 'iam:PassRole', Resource: ADMIN_ROLE }), create])).toEqual([
      'PassRole+EC2',
    ]);
    expect(paths([allow({ Action: 'iam:PassRole', Resource: `${ARN}:role/app-runtime` }), create])).toEqual(
      [],
    );
  });

  it('counts compute creation on any resource, but existing-resource takeovers only on every resource', () => {
    const pass = allow({ Action: 'iam:PassRole', Resource: '*' });
    const named = 'arn:aws:lambda:us-east-1:123456789012:function:app-*';
    expect(
      paths([pass, allow({ Action: ['lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: named })]),
    ).toEqual(['PassRole+Lambda+Invoke']);
    expect(paths([allow({ Action: 'lambda:UpdateFunctionCode', Resource: named })])).toEqual([]);
    expect(paths([allow({ Action: 'lambda:UpdateFunctionCode', Resource: '*' })])).toEqual([
      'UpdateFunctionCode',
    ]);
  });

  it('treats NotResource as reaching everything it does not exclude', () => {
    const st = (not: string) => allow({ Action: 'iam:PutUserPolicy', NotResource: not });
    expect(paths([st(`${ARN}:user/root-admin`)])).toEqual(['PutUserPolicy']);
    expect(paths([st(`${ARN}:user/*`)])).toEqual([]);
  });

  it('lets an unconditional Deny on every resource remove an action, and nothing narrower', () => {
    const grant = allow({ Action: 'iam:CreatePolicyVersion', Resource: '*' });
    expect(paths([grant], [deny({ Action: 'iam:*', Resource: '*' })])).toEqual([]);
    expect(paths([grant], [deny({ NotAction: 's3:*', Resource: '*' })])).toEqual([]);
    expect(
      paths([grant], [deny({ Action: 'iam:CreatePolicyVersion', Resource: `${ARN}:policy/x` })]),
    ).toEqual(['CreatePolicyVersion']);
    expect(
      paths(
        [grant],
        [
          deny({
            Action: 'iam:*',
            Resource: '*',
            Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } },
          }),
        ],
      ),
    ).toEqual(['CreatePolicyVersion']);
  });

  it('counts a conditional Allow and says so', () => {
    const held = heldPaths(
      [
        allow({
          Action: 'iam:CreateLoginProfile',
          Resource: '*',
          Condition: { IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } },
        }),
      ],
      [],
      TARGETS,
    );
    expect(held.map((p) => [p.path, p.actions[0]!.conditional])).toEqual([['CreateLoginProfile', true]]);
  });

  it('labels statements by effect', () => {
    const s = labelled(
      { Statement: [{ Effect: 'Allow', Action: '*' }, { Effect: 'Deny', Action: 'iam:*' }, 'junk'] },
      'inline x (directly)',
    );
    expect([s.allows.length, s.denies.length, s.allows[0]!.policy]).toEqual([1, 1, 'inline x (directly)']);
  });
});

describe('the path list', () => {
  it('has unique ids and known reaches', () => {
    expect(new Set(ESCALATION_PATHS.map((p) => p.id)).size).toBe(ESCALATION_PATHS.length);
    expect(reachOf('iam:PutRolePolicy')).toBe('self');
    expect(reachOf('iam:PassRole')).toBe('admin');
    expect(reachOf('glue:UpdateDevEndpoint')).toBe('every');
    expect(reachOf('ec2:RunInstances')).toBe('any');
  });

  it('knows AWS managed policies only by their AWS ARNs', () => {
    expect(awsManagedDocument('arn:aws:iam::aws:policy/IAMFullAccess')).toBeDefined();
    expect(awsManagedDocument(`${ARN}:policy/IAMFullAccess`)).toBeUndefined();
    expect(awsManagedDocument('arn:aws:iam::aws:policy/ReadOnlyAccess')).toBeUndefined();
  });

  it('reads the services a trust policy names', () => {
    const trust = {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: ['lambda.amazonaws.com', 'edgelambda.amazonaws.com'] },
          Action: 'sts:AssumeRole',
        },
        { Effect: 'Deny', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
        { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' },
      ],
    };
    expect(trustedServices(trust)).toEqual(['edgelambda.amazonaws.com', 'lambda.amazonaws.com']);
  });
});
