import type { GroupDetail, ManagedPolicyDetail, RoleDetail, UserDetail } from '@aws-sdk/client-iam';
import { ADMIN_DOC, customerPolicy, enc, group, READ_DOC, role, user } from './fixtures';

/**
 * A deterministic account of `users` IAM users for comparing the access review's evidence across changes:
 * users in zero to three of a dozen groups (admin through a group, near-admin through a group's inline or
 * customer managed policy, groups with several policies, one with none), users with their own attached and
 * inline policies and tags, users missing from the credential report, and roles of every kind of trust.
 * Pure data: the same call gives the same account.
 */
export interface LargeAccount {
  /** GetAccountAuthorizationDetails' entries in the order AWS lists them: users, groups, roles, policies. */
  readonly entries: readonly (
    | { readonly kind: 'user'; readonly value: UserDetail }
    | { readonly kind: 'group'; readonly value: GroupDetail }
    | { readonly kind: 'role'; readonly value: RoleDetail }
    | { readonly kind: 'policy'; readonly value: ManagedPolicyDetail }
  )[];
  readonly credentialReport: string;
}

const ARN = 'arn:aws:iam::123456789012';
const NEAR_ADMIN_DOC = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }],
};
const NOT_ACTION_DOC = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }],
};

export function largeAccount(users: number, now: Date): LargeAccount {
  let seed = 20261001;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const days = (d: number) => new Date(now.getTime() - d * 86_400_000);
  const managed = (name: string, arn = `${ARN}:policy/${name}`) => ({ PolicyName: name, PolicyArn: arn });
  const groups: GroupDetail[] = [
    group('Admins', {
      AttachedManagedPolicies: [
        managed('AdministratorAccess', 'arn:aws:iam::aws:policy/AdministratorAccess'),
      ],
    }),
    group('PowerUsers', {
      AttachedManagedPolicies: [managed('PowerUserAccess', 'arn:aws:iam::aws:policy/PowerUserAccess')],
    }),
    group('Developers', {
      AttachedManagedPolicies: [
        managed('read-only'),
        managed('ReadOnlyAccess', 'arn:aws:iam::aws:policy/ReadOnlyAccess'),
      ],
      GroupPolicyList: [{ PolicyName: 'dev-extra', PolicyDocument: enc(READ_DOC) }],
    }),
    group('IamOps', {
      GroupPolicyList: [{ PolicyName: 'pass-any-role', PolicyDocument: enc(NEAR_ADMIN_DOC) }],
    }),
    group('Operators', { AttachedManagedPolicies: [managed('ops-all'), managed('read-only')] }),
    group('Everything-but-IAM', {
      GroupPolicyList: [{ PolicyName: 'not-iam', PolicyDocument: enc(NOT_ACTION_DOC) }],
    }),
    group('Empty'),
    ...Array.from({ length: 5 }, (_, i) =>
      group(`team-${i}`, {
        AttachedManagedPolicies: [managed(`team-${i}-policy`), managed('read-only')],
        GroupPolicyList: [{ PolicyName: `team-${i}-inline`, PolicyDocument: enc(READ_DOC) }],
      }),
    ),
  ];
  const names = groups.map((g) => g.GroupName!);
  const policies: ManagedPolicyDetail[] = [
    customerPolicy('ops-all', ADMIN_DOC),
    customerPolicy('read-only', READ_DOC),
    ...Array.from({ length: 5 }, (_, i) =>
      customerPolicy(`team-${i}-policy`, i === 3 ? NEAR_ADMIN_DOC : READ_DOC),
    ),
  ];
  const userDetails: UserDetail[] = [];
  const rows: string[] = [
    'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated',
    `<root_account>,arn:aws:iam::123456789012:root,${days(2000).toISOString()},not_supported,${days(400).toISOString()},not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
  ];
  for (let i = 0; i < users; i++) {
    const name = `user-${String(i).padStart(5, '0')}`;
    const memberOf = [
      ...new Set(
        Array.from({ length: Math.floor(rnd() * 4) }, () => names[Math.floor(rnd() * names.length)]!),
      ),
    ];
    const own = rnd();
    const created = days(1 + Math.floor(rnd() * 1500));
    userDetails.push(
      user(name, {
        CreateDate: created,
        GroupList: memberOf,
        ...(own < 0.05 ? { AttachedManagedPolicies: [managed('ops-all')] } : {}),
        ...(own > 0.9
          ? {
              UserPolicyList: [
                { PolicyName: 'own-inline', PolicyDocument: enc(i % 2 ? READ_DOC : NEAR_ADMIN_DOC) },
              ],
            }
          : {}),
        ...(i % 17 === 0 ? { Tags: [{ Key: 'team', Value: `t${i % 5}` }] } : {}),
      }),
    );
    // The last users were created after the report was generated: they are not in it.
    if (i >= users - 5) continue;
    const console = rnd() < 0.6;
    const used = rnd() < 0.8 ? days(Math.floor(rnd() * 200)).toISOString() : 'no_information';
    const key1 = rnd() < 0.5;
    rows.push(
      [
        name,
        `${ARN}:user/${name}`,
        created.toISOString(),
        console ? 'true' : 'false',
        console ? used : 'N/A',
        console ? created.toISOString() : 'N/A',
        'N/A',
        console && rnd() < 0.8 ? 'true' : 'false',
        key1 ? 'true' : 'false',
        key1 ? days(Math.floor(rnd() * 400)).toISOString() : 'N/A',
        key1 && rnd() < 0.7 ? days(Math.floor(rnd() * 120)).toISOString() : 'N/A',
        key1 ? 'us-east-1' : 'N/A',
        key1 ? 's3' : 'N/A',
        'false',
        'N/A',
        'N/A',
        'N/A',
        'N/A',
        'false',
        'N/A',
        'false',
        'N/A',
      ].join(','),
    );
  }
  const trusts = [
    { Federated: `${ARN}:saml-provider/ExampleIdP` },
    { AWS: 'arn:aws:iam::111111111111:root' },
    { AWS: `${ARN}:root` },
    { Service: 'lambda.amazonaws.com' },
    { AWS: `${ARN}:user/user-00001` },
  ];
  const roles: RoleDetail[] = Array.from({ length: 40 }, (_, i) =>
    role(
      `role-${i}`,
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: trusts[i % trusts.length], Action: 'sts:AssumeRole' }],
      },
      {
        CreateDate: days(100 + i),
        ...(i % 3 === 0 ? { RoleLastUsed: { LastUsedDate: days(i), Region: 'eu-west-1' } } : {}),
        AttachedManagedPolicies:
          i % 4 === 0
            ? [managed('AdministratorAccess', 'arn:aws:iam::aws:policy/AdministratorAccess')]
            : [managed('read-only')],
        ...(i % 5 === 0
          ? { RolePolicyList: [{ PolicyName: 'role-inline', PolicyDocument: enc(NEAR_ADMIN_DOC) }] }
          : {}),
      },
    ),
  );
  return {
    entries: [
      ...userDetails.map((value) => ({ kind: 'user' as const, value })),
      ...groups.map((value) => ({ kind: 'group' as const, value })),
      ...roles.map((value) => ({ kind: 'role' as const, value })),
      ...policies.map((value) => ({ kind: 'policy' as const, value })),
    ],
    credentialReport: rows.join('\n') + '\n',
  };
}

/** One page of GetAccountAuthorizationDetails from `marker` (an entry index), at most `maxItems` entries. */
export function authorizationPage(account: LargeAccount, marker: string | undefined, maxItems = 100) {
  const from = Number(marker ?? 0);
  const to = Math.min(account.entries.length, from + maxItems);
  const page = account.entries.slice(from, to);
  const of = <K extends LargeAccount['entries'][number]['kind']>(kind: K) =>
    page.filter((e) => e.kind === kind).map((e) => e.value);
  return {
    UserDetailList: of('user') as UserDetail[],
    GroupDetailList: of('group') as GroupDetail[],
    RoleDetailList: of('role') as RoleDetail[],
    Policies: of('policy') as ManagedPolicyDetail[],
    IsTruncated: to < account.entries.length,
    ...(to < account.entries.length ? { Marker: String(to) } : {}),
  };
}
