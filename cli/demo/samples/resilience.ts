import type { Answers } from '../offline-clients';
import { SAMPLE_ACCOUNT_ID, SAMPLE_BUCKETS } from '../sample-account';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** DynamoDB tables (`resilience`). */
interface SampleTable {
  readonly name: string;
  readonly region: string;
  readonly pitr: boolean;
}

const TABLES: readonly SampleTable[] = [
  { name: 'orders', region: 'us-east-1', pitr: true },
  // PROBLEM: point-in-time recovery off, and in no AWS Backup plan.
  { name: 'sessions', region: 'us-east-1', pitr: false },
];

/** What AWS Backup holds recovery points of (`resilience` coverage, `backups` restore-tests). */
interface SampleProtected {
  readonly arn: string;
  readonly region: string;
  readonly type: string;
  readonly lastBackupHoursAgo: number;
}

const arn = (region: string, service: string, resource: string) =>
  `arn:aws:${service}:${region}:${SAMPLE_ACCOUNT_ID}:${resource}`;

// legacy-crm, analytics and the sessions table are missing (PROBLEM, `backup-plan-coverage`).
const PROTECTED: readonly SampleProtected[] = [
  {
    arn: arn('us-east-1', 'rds', 'cluster:orders'),
    region: 'us-east-1',
    type: 'Aurora',
    lastBackupHoursAgo: 5,
  },
  {
    arn: arn('us-east-1', 'dynamodb', 'table/orders'),
    region: 'us-east-1',
    type: 'DynamoDB',
    lastBackupHoursAgo: 2,
  },
  {
    arn: arn('us-east-1', 'elasticfilesystem', 'file-system/fs-0a1b2c3d'),
    region: 'us-east-1',
    type: 'EFS',
    lastBackupHoursAgo: 27,
  },
];

/** AWS Backup vaults (`resilience`). */
interface SampleVault {
  readonly name: string;
  readonly region: string;
  readonly recoveryPoints: number;
  /** Days since the lock became immutable (compliance mode); `null` for no lock. */
  readonly lockedDaysAgo: number | null;
}

const VAULTS: readonly SampleVault[] = [
  // PROBLEM: the vault holding the nightly backups has no vault lock.
  { name: 'Default', region: 'us-east-1', recoveryPoints: 42, lockedDaysAgo: null },
  { name: 'compliance-vault', region: 'us-east-1', recoveryPoints: 12, lockedDaysAgo: 200 },
  { name: 'Default', region: 'eu-west-1', recoveryPoints: 0, lockedDaysAgo: null },
];

/** Restore jobs (`backups` restore-tests). */
interface SampleRestore {
  readonly source: string;
  readonly region: string;
  readonly type: string;
  readonly status: 'COMPLETED' | 'FAILED';
  readonly daysAgo: number;
  readonly restoreTestingPlan?: string;
  readonly validation?: 'SUCCESSFUL' | 'FAILED';
  readonly message?: string;
}

const RESTORES: readonly SampleRestore[] = [
  {
    source: 'table/orders',
    region: 'us-east-1',
    type: 'DynamoDB',
    status: 'COMPLETED',
    daysAgo: 12,
    restoreTestingPlan: 'monthly-restore-test',
    validation: 'SUCCESSFUL',
  },
  { source: 'cluster:orders', region: 'us-east-1', type: 'Aurora', status: 'COMPLETED', daysAgo: 40 },
  // PROBLEM: the file system was last restored 400 days ago (the yearly DR test is overdue; outside the
  // window, so not listed), and this month's attempt failed.
  { source: 'file-system/fs-0a1b2c3d', region: 'us-east-1', type: 'EFS', status: 'COMPLETED', daysAgo: 400 },
  {
    source: 'file-system/fs-0a1b2c3d',
    region: 'us-east-1',
    type: 'EFS',
    status: 'FAILED',
    daysAgo: 20,
    message: 'Access denied to the backup vault key',
  },
];

const serviceOfType = (type: string) =>
  type === 'DynamoDB' ? 'dynamodb' : type === 'EFS' ? 'elasticfilesystem' : 'rds';

function notFound(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

/** The sample account's answers for the APIs only `resilience` reads, and the AWS Backup restore reads of
 * `backups` (restore-tests), which share ListProtectedResources with it. */
export function resilienceAnswers(now: Date, _demoNow: Date): Answers {
  const ago = (ms: number) => new Date(now.getTime() - ms);
  return {
    'DynamoDB:ListTables': (_input, region) => ({
      TableNames: TABLES.filter((t) => t.region === region).map((t) => t.name),
    }),
    'DynamoDB:DescribeContinuousBackups': (input, region) => {
      const t = TABLES.find((x) => x.region === region && x.name === input.TableName);
      if (!t) throw notFound('TableNotFoundException', `Table not found: ${String(input.TableName)}`);
      return {
        ContinuousBackupsDescription: {
          ContinuousBackupsStatus: 'ENABLED',
          PointInTimeRecoveryDescription: t.pitr
            ? {
                PointInTimeRecoveryStatus: 'ENABLED',
                RecoveryPeriodInDays: 35,
                EarliestRestorableDateTime: ago(35 * DAY),
                LatestRestorableDateTime: ago(5 * 60_000),
              }
            : { PointInTimeRecoveryStatus: 'DISABLED' },
        },
      };
    },
    'S3:GetBucketVersioning': (input) => {
      const b = SAMPLE_BUCKETS.find((x) => x.name === input.Bucket);
      if (!b) throw notFound('NoSuchBucket', 'The specified bucket does not exist');
      return b.versioning ? { Status: b.versioning } : {};
    },
    // Read only when `versioningExemptTag` is set; the sample buckets carry no tags.
    'S3:GetBucketTagging': () => {
      throw notFound('NoSuchTagSet', 'The TagSet does not exist');
    },
    'Backup:ListProtectedResources': (_input, region) => ({
      Results: PROTECTED.filter((p) => p.region === region).map((p) => ({
        ResourceArn: p.arn,
        ResourceType: p.type,
        ResourceName: p.arn.split(/[:/]/).pop(),
        LastBackupTime: ago(p.lastBackupHoursAgo * HOUR),
        LastBackupVaultArn: arn(region, 'backup', 'backup-vault:Default'),
      })),
    }),
    'Backup:ListBackupVaults': (_input, region) => ({
      BackupVaultList: VAULTS.filter((v) => v.region === region).map((v) => ({
        BackupVaultName: v.name,
        BackupVaultArn: arn(region, 'backup', `backup-vault:${v.name}`),
        VaultType: 'BACKUP_VAULT',
        VaultState: 'AVAILABLE',
        CreationDate: ago(500 * DAY),
        NumberOfRecoveryPoints: v.recoveryPoints,
        Locked: v.lockedDaysAgo !== null,
        ...(v.lockedDaysAgo !== null
          ? { MinRetentionDays: 7, MaxRetentionDays: 365, LockDate: ago(v.lockedDaysAgo * DAY) }
          : {}),
      })),
    }),
    // AWS lists only the jobs created after ByCreatedAfter (the start of the restore-test window).
    'Backup:ListRestoreJobs': (input, region) => {
      const after = input.ByCreatedAfter instanceof Date ? input.ByCreatedAfter.getTime() : 0;
      return {
        RestoreJobs: RESTORES.flatMap((r, i) => {
          if (r.region !== region || now.getTime() - r.daysAgo * DAY <= after) return [];
          const created = ago(r.daysAgo * DAY);
          return {
            AccountId: SAMPLE_ACCOUNT_ID,
            RestoreJobId: `0a1b2c3d-0000-4000-9000-${String(i).padStart(12, '0')}`,
            RecoveryPointArn: arn(
              region,
              'backup',
              `recovery-point:0a1b2c3d-0000-4000-a000-${String(i).padStart(12, '0')}`,
            ),
            SourceResourceArn: arn(region, serviceOfType(r.type), r.source),
            ResourceType: r.type,
            Status: r.status,
            CreationDate: created,
            CompletionDate: new Date(created.getTime() + 40 * 60_000),
            ...(r.message ? { StatusMessage: r.message } : {}),
            ...(r.restoreTestingPlan
              ? {
                  CreatedBy: {
                    RestoreTestingPlanArn: arn(
                      region,
                      'backup',
                      `restore-testing-plan:${r.restoreTestingPlan}-0a1b2c3d`,
                    ),
                  },
                  ValidationStatus: r.validation,
                  DeletionStatus: 'SUCCESSFUL',
                }
              : {}),
          };
        }),
      };
    },
  };
}
