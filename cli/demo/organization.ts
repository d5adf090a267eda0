/**
 * The demo's organization (`soc2-evidence demo --organization`): an evidence account (the hub, which is also
 * the sample account) and two workload accounts under AWS Organizations, with IAM Identity Center. One
 * workload account's member role is broken, so its runs show as ERROR evidence, never as silence.
 *
 *   root r-a1b2  (444444444444 management: not under a configured OU, so out of scope)
 *     Security   ou-a1b2-aaaa1111   123456789012 evidence (the hub; the sample account)
 *     Workloads  ou-a1b2-bbbb2222   111111111111 production (the sample account's resources, its own ids)
 *                                   222222222222 staging (its member role refuses the hub: AccessDenied)
 *                                   333333333333 legacy (SUSPENDED: recorded as out of scope)
 */
import type { Account } from '@aws-sdk/client-organizations';
import type { Answers } from './offline-clients';
import { SAMPLE_ACCOUNT_ID } from './sample-account';

export const DEMO_ORGANIZATION_ID = 'o-a1b2c3d4e5';
const ROOT = 'r-a1b2';
const SECURITY = 'ou-a1b2-aaaa1111';
const WORKLOADS = 'ou-a1b2-bbbb2222';
export const DEMO_PRODUCTION_ACCOUNT = '111111111111';
/** Its member role was changed to refuse the hub: every run there is recorded as ERROR. */
export const DEMO_BROKEN_ACCOUNT = '222222222222';
export const DEMO_MEMBER_ROLE = 'soc2-evidence-member';

/** `organization` as the demo's cdk.json would hold it. */
export const DEMO_ORGANIZATION_CONFIG = {
  id: DEMO_ORGANIZATION_ID,
  organizationalUnits: [SECURITY, WORKLOADS],
  memberRoleName: DEMO_MEMBER_ROLE,
  identityCenterRegion: 'us-east-1',
} as const;

const joined = new Date('2024-05-01T10:00:00Z');
const account = (Id: string, Name: string, State: Account['State']): Account => ({
  Id,
  Name,
  Arn: `arn:aws:organizations::444444444444:account/${DEMO_ORGANIZATION_ID}/${Id}`,
  Email: `aws+${Name}@example.com`,
  JoinedMethod: 'CREATED',
  JoinedTimestamp: joined,
  State,
});

const UNITS: Record<string, { name: string; accounts: Account[] }> = {
  [SECURITY]: { name: 'Security', accounts: [account(SAMPLE_ACCOUNT_ID, 'evidence', 'ACTIVE')] },
  [WORKLOADS]: {
    name: 'Workloads',
    accounts: [
      account(DEMO_PRODUCTION_ACCOUNT, 'production', 'ACTIVE'),
      account(DEMO_BROKEN_ACCOUNT, 'staging', 'ACTIVE'),
      account('333333333333', 'legacy', 'SUSPENDED'),
    ],
  },
};

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/**
 * What the hub's own credentials are answered: Organizations (the organization-accounts function) and STS
 * (each Map item's AssumeRole). A session's access key names its account, so the member answers can follow.
 */
export function hubOrganizationAnswers(): Answers {
  return {
    'Organizations:DescribeOrganization': () => ({
      Organization: {
        Id: DEMO_ORGANIZATION_ID,
        Arn: `arn:aws:organizations::444444444444:organization/${DEMO_ORGANIZATION_ID}`,
        MasterAccountId: '444444444444',
        FeatureSet: 'ALL',
      },
    }),
    'Organizations:DescribeOrganizationalUnit': (input) => {
      const id = str(input.OrganizationalUnitId);
      return { OrganizationalUnit: { Id: id, Name: UNITS[id]?.name ?? id } };
    },
    'Organizations:ListOrganizationalUnitsForParent': (input) =>
      str(input.ParentId) === ROOT
        ? { OrganizationalUnits: Object.entries(UNITS).map(([Id, u]) => ({ Id, Name: u.name })) }
        : { OrganizationalUnits: [] },
    'Organizations:ListAccountsForParent': (input) => ({
      Accounts: UNITS[str(input.ParentId)]?.accounts ?? [],
    }),
    'STS:AssumeRole': (input) => {
      const arn = str(input.RoleArn);
      const target = arn.split(':')[4] ?? '';
      if (target === DEMO_BROKEN_ACCOUNT)
        throw Object.assign(
          new Error(
            `User: arn:aws:sts::${SAMPLE_ACCOUNT_ID}:assumed-role/Soc2Evidence-${str(input.RoleSessionName).replace(/^soc2-evidence-/, '')}/${str(input.RoleSessionName)} is not authorized to perform: sts:AssumeRole on resource: ${arn}`,
          ),
          { name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 } },
        );
      return {
        Credentials: {
          AccessKeyId: `ASIA${target}DEMO`,
          SecretAccessKey: 'offline-demo-not-a-secret',
          SessionToken: `demo-session-${target}`,
          Expiration: new Date(Date.now() + 3_600_000),
        },
        AssumedRoleUser: {
          Arn: `arn:aws:sts::${target}:assumed-role/${DEMO_MEMBER_ROLE}/${str(input.RoleSessionName)}`,
          AssumedRoleId: `AROADEMO:${str(input.RoleSessionName)}`,
        },
      };
    },
  };
}

/** The account a demo session's access key was issued for (`ASIA<account>DEMO`). */
export function accountOfDemoSession(accessKeyId: string): string | undefined {
  return /^ASIA(\d{12})DEMO$/.exec(accessKeyId)?.[1];
}

/** `value` with every occurrence of account id `from` replaced by `to` (strings and byte bodies). */
function rewrite(value: unknown, from: string, to: string): unknown {
  if (typeof value === 'string') return value.split(from).join(to);
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array)
    return Buffer.from(Buffer.from(value).toString('utf8').split(from).join(to));
  if (Array.isArray(value)) return value.map((v) => rewrite(v, from, to));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v, from, to)]));
}

/**
 * The sample account's answers as another account gives them: the same resources, every ARN and owner id in
 * that account. The production account of the demo's organization is the sample account's twin.
 */
export function accountAnswers(answers: Answers, account: string): Answers {
  if (account === SAMPLE_ACCOUNT_ID) return answers;
  return Object.fromEntries(
    Object.entries(answers).map(([api, answer]) => [
      api,
      // Asked in the account's terms (its ARNs, its id for S3 Control), answered as the sample account.
      async (input: Record<string, unknown>, region: string) =>
        rewrite(
          await answer(rewrite(input, account, SAMPLE_ACCOUNT_ID) as Record<string, unknown>, region),
          SAMPLE_ACCOUNT_ID,
          account,
        ),
    ]),
  );
}
