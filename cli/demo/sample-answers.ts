import type { Answers } from '../../lambdas/aws/offline-clients';
import { SAMPLE_ACCOUNT_ID, SAMPLE_ROOT, SAMPLE_USERS, type SampleAccessKey } from './sample-account';

const DAY = 86_400_000;

/** Builds the answers the sample account gives at `now`, API by API, in the SDK's output shapes. */
export function sampleAnswers(now: Date): Answers {
  const at = (daysAgo: number | null | undefined): string =>
    daysAgo === null || daysAgo === undefined
      ? 'N/A'
      : new Date(now.getTime() - daysAgo * DAY).toISOString().replace('.000Z', '+00:00');
  const keyCells = (keys: readonly SampleAccessKey[], slot: 0 | 1): string[] => {
    const k = keys[slot];
    if (!k) return ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
    const used = k.lastUsedDaysAgo !== null;
    return [
      String(k.active),
      at(k.rotatedDaysAgo),
      used ? at(k.lastUsedDaysAgo) : 'N/A',
      used ? 'us-east-1' : 'N/A',
      used ? (k.lastUsedService ?? 'sts') : 'N/A',
    ];
  };
  const header =
    'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
  const rootRow = [
    '<root_account>',
    `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:root`,
    at(2000),
    'not_supported',
    at(SAMPLE_ROOT.lastSignInDaysAgo),
    'not_supported',
    'not_supported',
    String(SAMPLE_ROOT.mfa !== null),
    ...keyCells(SAMPLE_ROOT.accessKeys, 0),
    ...keyCells(SAMPLE_ROOT.accessKeys, 1),
    'false',
    'N/A',
    'false',
    'N/A',
  ];
  const userRows = SAMPLE_USERS.map((u) => [
    u.name,
    `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:user/${u.name}`,
    at(u.createdDaysAgo),
    String(Boolean(u.console)),
    u.console
      ? u.console.lastUsedDaysAgo === null
        ? 'no_information'
        : at(u.console.lastUsedDaysAgo)
      : 'N/A',
    u.console ? at(u.console.changedDaysAgo) : 'N/A',
    'N/A',
    String(u.mfa !== null),
    ...keyCells(u.accessKeys, 0),
    ...keyCells(u.accessKeys, 1),
    'false',
    'N/A',
    'false',
    'N/A',
  ]);
  const csv = [header, rootRow.join(','), ...userRows.map((r) => r.join(','))].join('\n') + '\n';
  const reportTime = new Date(now.getTime() - 20 * 60_000);
  const virtual = [
    ...(SAMPLE_ROOT.mfa === 'virtual'
      ? [{ name: '', arn: `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:root`, serial: 'root-account-mfa-device' }]
      : []),
    ...SAMPLE_USERS.filter((u) => u.mfa === 'virtual').map((u) => ({
      name: u.name,
      arn: `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:user/${u.name}`,
      serial: u.name,
    })),
  ];

  return {
    'STS:GetCallerIdentity': () => ({
      Account: SAMPLE_ACCOUNT_ID,
      Arn: `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:user/alice`,
      UserId: 'AIDAEXAMPLE',
    }),
    'IAM:GenerateCredentialReport': () => ({ State: 'COMPLETE' }),
    'IAM:GetCredentialReport': () => ({
      Content: Buffer.from(csv),
      ReportFormat: 'text/csv',
      GeneratedTime: reportTime,
    }),
    'IAM:ListVirtualMFADevices': () => ({
      IsTruncated: false,
      VirtualMFADevices: virtual.map((v) => ({
        SerialNumber: `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:mfa/${v.serial}`,
        User: {
          UserName: v.name,
          Arn: v.arn,
          UserId: 'AIDAEXAMPLE',
          Path: '/',
          CreateDate: new Date(now.getTime() - 100 * DAY),
        },
      })),
    }),
  };
}
