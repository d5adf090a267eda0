import type { Answers } from '../../cli/demo/offline-clients';
import { CONTINUOUS_BACKUPS_INTERVAL_MS } from '../../lambdas/collectors/resilience/collector';
import { REGION_CONCURRENCY } from '../../lambdas/readers/regions';
import { makespan, type Floor } from '../minimums';
import { ACCOUNT_ID, PAGE, seededRandom, slice, type SyntheticAccount } from '../synthetic-account';
import type { ControlBench } from './control-bench';

/** ListTables' largest page (Limit). */
const TABLES_PAGE = 100;
/** AWS Backup vaults per region: Default and one locked vault. */
const VAULTS_PER_REGION = 2;

const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));
const pad = (n: number, width = 5) => String(n).padStart(width, '0');

/** DynamoDB tables: one for every two standalone databases, spread over the regions. */
const tablesIn = (a: SyntheticAccount, region: string) => a.countIn(Math.ceil(a.sizes.databases / 2), region);
const tableName = (k: number) => `table-${pad(k)}`;
const rnd = (a: SyntheticAccount, kind: number, i: number) =>
  seededRandom(a.seed * 7919 + kind * 104_729 + i)();

function tableIndex(name: unknown): number {
  const m = typeof name === 'string' ? /^table-(\d+)$/.exec(name) : null;
  return m ? Number(m[1]) : -1;
}

const bucketIndex = (name: unknown) => Number(/^example-bucket-(\d+)$/.exec(String(name))?.[1] ?? 0);

/** 70% of buckets versioned, 5% suspended, the rest never versioned. */
function bucketVersioning(a: SyntheticAccount, name: unknown): string | undefined {
  const r = rnd(a, 2, bucketIndex(name));
  return r < 0.7 ? 'Enabled' : r < 0.75 ? 'Suspended' : undefined;
}

export const resilienceBench: ControlBench = {
  answers: (a): Answers => ({
    'DynamoDB:ListTables': (input, region) => {
      const total = tablesIn(a, region);
      const from = input.ExclusiveStartTableName ? tableIndex(input.ExclusiveStartTableName) + 1 : 0;
      const size = Math.min(typeof input.Limit === 'number' ? input.Limit : TABLES_PAGE, TABLES_PAGE);
      const to = Math.min(total, from + size);
      const names = Array.from({ length: Math.max(0, to - from) }, (_, i) => tableName(from + i));
      return {
        TableNames: names,
        ...(to < total ? { LastEvaluatedTableName: names[names.length - 1] } : {}),
      };
    },
    'DynamoDB:DescribeContinuousBackups': (input, region) => {
      const k = tableIndex(input.TableName);
      if (k < 0 || k >= tablesIn(a, region))
        throw Object.assign(new Error(`Table not found: ${String(input.TableName)}`), {
          name: 'TableNotFoundException',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
        });
      const on = rnd(a, 1, k * a.regions.length + a.regions.indexOf(region)) < 0.8;
      return {
        ContinuousBackupsDescription: {
          ContinuousBackupsStatus: 'ENABLED',
          PointInTimeRecoveryDescription: on
            ? { PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: 35 }
            : { PointInTimeRecoveryStatus: 'DISABLED' },
        },
      };
    },
    'S3:GetBucketVersioning': (input) => {
      const status = bucketVersioning(a, input.Bucket);
      return status ? { Status: status } : {};
    },
    // Read only with versioningExemptTag set: a fifth of the buckets are log buckets.
    'S3:GetBucketTagging': (input) => ({
      TagSet: rnd(a, 3, bucketIndex(input.Bucket)) < 0.2 ? [{ Key: 'Purpose', Value: 'logs' }] : [],
    }),
    'Backup:ListBackupVaults': (input, region) => {
      const p = slice(
        `Backup:ListBackupVaults:${region}`,
        VAULTS_PER_REGION,
        PAGE.backup!,
        input.MaxResults,
        input.NextToken,
      );
      return {
        BackupVaultList: Array.from({ length: p.to - p.from }, (_, i) => {
          const name = p.from + i === 0 ? 'Default' : 'compliance-vault';
          return {
            BackupVaultName: name,
            BackupVaultArn: `arn:aws:backup:${region}:${ACCOUNT_ID}:backup-vault:${name}`,
            VaultType: 'BACKUP_VAULT',
            NumberOfRecoveryPoints: 100,
            Locked: name !== 'Default',
            ...(name !== 'Default'
              ? { MinRetentionDays: 7, LockDate: new Date(a.now.getTime() - 100 * 86_400_000) }
              : {}),
          };
        }),
        ...(p.next ? { NextToken: p.next } : {}),
      };
    },
  }),

  floor: (a, latencyMs, concurrency): Floor => {
    const L = latencyMs;
    const rs = a.regions;
    const rds = (r: string) =>
      pages(a.instancesIn(r), PAGE.rds!.max) + pages(a.countIn(a.sizes.auroraClusters, r), PAGE.rds!.max);
    const tables = (r: string) => tablesIn(a, r);
    const protectedPages = (r: string) => pages(a.protectedResourcesIn(r), PAGE.backup!.max);
    const vaultPages = () => pages(VAULTS_PER_REGION, PAGE.backup!.max);
    const perRegion = (r: string) =>
      rds(r) + pages(tables(r), TABLES_PAGE) + tables(r) + protectedPages(r) + vaultPages();
    const buckets = a.sizes.buckets;
    const bucketList = pages(buckets, PAGE.s3ListBuckets!.max);
    // DescribeContinuousBackups: at most min(concurrency, 10) in flight and one start per 100 ms (10/s).
    const describeWall = (t: number) =>
      t === 0
        ? 0
        : Math.max(
            L * Math.ceil(t / Math.min(concurrency, 10)),
            (t - 1) * CONTINUOUS_BACKUPS_INTERVAL_MS + L,
          );
    return {
      minCalls: rs.reduce((n, r) => n + perRegion(r), 0) + bucketList + buckets,
      formula: `per region: RDS pages + ceil(tables / ${TABLES_PAGE}) + DescribeContinuousBackups per table + ceil(protected resources / ${PAGE.backup!.max}) + ceil(vaults / ${PAGE.backup!.max}); ListBuckets pages + GetBucketVersioning per bucket (${buckets}); GetBucketTagging only with versioningExemptTag set (not in the bench)`,
      wallFloorMs: Math.max(
        makespan(
          rs.map((r) => L * rds(r)),
          REGION_CONCURRENCY,
        ),
        makespan(
          rs.map((r) => L * pages(tables(r), TABLES_PAGE) + describeWall(tables(r))),
          REGION_CONCURRENCY,
        ),
        makespan(
          rs.map((r) => L * protectedPages(r)),
          REGION_CONCURRENCY,
        ),
        makespan(
          rs.map(() => L * vaultPages()),
          REGION_CONCURRENCY,
        ),
        L * (bucketList + Math.ceil(buckets / concurrency)),
      ),
    };
  },
};
