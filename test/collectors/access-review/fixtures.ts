import type { GroupDetail, ManagedPolicyDetail, RoleDetail, UserDetail } from '@aws-sdk/client-iam';
import type {
  AuthorizationDetails,
  Population,
  UserEntry,
} from '../../../lambdas/collectors/access-review/population';

export const enc = (doc: unknown) => encodeURIComponent(JSON.stringify(doc));
export const ADMIN_DOC = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};
export const READ_DOC = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }],
};
const ARN = 'arn:aws:iam::123456789012';

export function user(name: string, extra: Partial<UserDetail> = {}): UserDetail {
  return {
    UserName: name,
    Arn: `${ARN}:user/${name}`,
    CreateDate: new Date('2024-01-01T00:00:00Z'),
    ...extra,
  };
}
export function group(name: string, extra: Partial<GroupDetail> = {}): GroupDetail {
  return { GroupName: name, Arn: `${ARN}:group/${name}`, ...extra };
}
export function role(name: string, trust: unknown, extra: Partial<RoleDetail> = {}): RoleDetail {
  return { RoleName: name, Arn: `${ARN}:role/${name}`, AssumeRolePolicyDocument: enc(trust), ...extra };
}
export function customerPolicy(name: string, doc: unknown): ManagedPolicyDetail {
  return {
    PolicyName: name,
    Arn: `${ARN}:policy/${name}`,
    DefaultVersionId: 'v2',
    PolicyVersionList: [
      { VersionId: 'v1', IsDefaultVersion: false, Document: enc(READ_DOC) },
      { VersionId: 'v2', IsDefaultVersion: true, Document: typeof doc === 'string' ? doc : enc(doc) },
    ],
  };
}

export function details(d: Partial<AuthorizationDetails>): AuthorizationDetails {
  return { users: [], groups: [], roles: [], policies: [], ...d };
}

export function entry(name: string, extra: Partial<UserEntry> = {}): UserEntry {
  return {
    name,
    arn: `${ARN}:user/${name}`,
    createdAt: '2024-01-01T00:00:00.000Z',
    accessKeys: [],
    groups: [],
    policies: [],
    admin: false,
    nearAdmin: false,
    adminReasons: [],
    consoleAccess: true,
    mfa: true,
    lastActivity: '2026-11-01T00:00:00.000Z',
    inactive: false,
    tags: {},
    ...extra,
  };
}

export function population(users: UserEntry[]): Population {
  return {
    account: '123456789012',
    frozenAt: '2026-10-01T07:00:00.000Z',
    inactiveAfterDays: 90,
    credentialReportGeneratedAt: null,
    users,
    roles: [],
  };
}
