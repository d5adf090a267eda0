import { BackupClient, paginateListBackupVaults, type BackupVaultListMember } from '@aws-sdk/client-backup';
import {
  DescribeContinuousBackupsCommand,
  DynamoDBClient,
  paginateListTables,
} from '@aws-sdk/client-dynamodb';
import { GetBucketTaggingCommand, GetBucketVersioningCommand } from '@aws-sdk/client-s3';
import { isAwsError, resourceError, withApi } from '../../aws/aws-error';
import { partitionOf } from '../../aws/arn';
import { mapUntilDeadline, type DeadlineMap } from '../../aws/concurrency';
import { unreadEntry } from '../../aws/deadline';
import type { ErrorEntry, Finding, FindingStatus } from '../../evidence/envelope';
import { iso } from '../../evidence/iso-date';
import { jsonSource, type RawSource } from '../../evidence/write-evidence';
import { readEachBucket, type BucketRef, type PerBucketRead } from '../../readers/buckets';
import {
  judgedDatabases,
  readDatabases,
  serviceOf,
  type DatabaseFacts,
  type RegionDatabases,
} from '../../readers/databases';
import { readRegions } from '../../readers/regions';
import type { CollectorSettings, ResourceTag } from '../../settings';
import { readProtectedResources, type ProtectedResource } from '../backups/protected-resources';
import { runAccountOrError, type Collector, type GatherContext } from '../collector';
import { RESILIENCE_IDENTITY, type ResilienceCheck } from './checks';

/** DescribeContinuousBackups is limited to 10 calls a second per account and region: one start per 100 ms. */
export const CONTINUOUS_BACKUPS_INTERVAL_MS = 100;
/** ListTables' largest page. */
const LIST_TABLES_PAGE = 100;
/** ListBackupVaults' largest page. */
const LIST_VAULTS_PAGE = 1000;
/**
 * A protected resource whose latest AWS Backup recovery point is older than this is WARN: a monthly plan
 * (plus slack) backs up at least this often, so an older one is a one-off or a plan that no longer selects it.
 */
export const COVERAGE_STALE_DAYS = 35;
const DAY_MS = 86_400_000;

export type VersioningStatus = 'Enabled' | 'Suspended' | 'Never';

/** A bucket's versioning, and its tags when they were needed (an exemption tag is configured). */
export interface BucketVersioning extends BucketRef {
  readonly versioning: VersioningStatus;
  readonly mfaDelete?: string;
  /** Read only for a bucket that is not versioned while `versioningExemptTag` is set. */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface TableFacts {
  readonly region: string;
  readonly name: string;
  readonly arn: string;
  /** PointInTimeRecoveryDescription.PointInTimeRecoveryStatus (ContinuousBackupsStatus is always ENABLED). */
  readonly pitr: string;
  readonly recoveryPeriodDays?: number;
  readonly earliestRestorable?: string;
  readonly latestRestorable?: string;
}

export interface VaultFacts {
  readonly region: string;
  readonly name: string;
  readonly arn: string;
  readonly type?: string;
  readonly recoveryPoints: number;
  readonly locked: boolean;
  readonly minRetentionDays?: number;
  readonly maxRetentionDays?: number;
  /** When the lock becomes immutable; absent on a lock that can be removed at any time (governance mode). */
  readonly lockDate?: string;
}

export interface ResilienceFacts {
  /** Regions whose databases could be read. */
  readonly databases: readonly (RegionDatabases & { readonly region: string })[];
  /** Regions whose DynamoDB tables could be listed; a table whose PITR could not be read is an error entry. */
  readonly tables: readonly { readonly region: string; readonly tables: readonly TableFacts[] }[];
  /** Buckets whose versioning could be read. */
  readonly buckets: readonly BucketVersioning[];
  /** Regions whose AWS Backup protected resources could be read: coverage is judged only there. */
  readonly protectedResources: readonly {
    readonly region: string;
    readonly resources: readonly ProtectedResource[];
  }[];
  readonly vaults: readonly { readonly region: string; readonly vaults: readonly VaultFacts[] }[];
}

type Settings = Pick<CollectorSettings, 'productionTag' | 'versioningExemptTag'>;

/** Whether `tags` carry the configured tag (any value when the setting names none). */
export function hasTag(tags: Readonly<Record<string, string>> | undefined, tag: ResourceTag): boolean {
  const value = tags?.[tag.key];
  return value !== undefined && (tag.value === undefined || value === tag.value);
}

/** No production tag configured: every database is production. */
export function isProduction(db: DatabaseFacts, productionTag: ResourceTag | undefined): boolean {
  return productionTag === undefined || hasTag(db.tags, productionTag);
}

const tagText = (t: ResourceTag | undefined) =>
  t ? (t.value === undefined ? t.key : `${t.key}=${t.value}`) : null;

function databaseDetail(db: DatabaseFacts, production: boolean, settings: Settings) {
  return {
    region: db.region,
    kind: db.kind,
    service: serviceOf(db.engine),
    engine: db.engine,
    dbStatus: db.status,
    production,
    productionTag: tagText(settings.productionTag),
    ...(db.replicaSource ? { readReplica: true, replicaSource: db.replicaSource } : {}),
    ...(db.kind === 'cluster' ? { members: db.members.map((m) => m.id) } : {}),
  };
}

/** The verdict shared by both database checks for what is not judged: non-production and read replicas. */
function notJudged(db: DatabaseFacts, production: boolean, settings: Settings): string | undefined {
  if (!production) return `not production (no ${tagText(settings.productionTag)} tag): not judged`;
  if (db.replicaSource) return 'read replica: its source is the database judged';
  return undefined;
}

export function assessMultiAz(db: DatabaseFacts, settings: Settings): Finding<ResilienceCheck> {
  const production = isProduction(db, settings.productionTag);
  const skip = notJudged(db, production, settings);
  const multiAz = db.multiAz === true;
  const status: FindingStatus = skip ? 'INFO' : multiAz ? 'PASS' : 'FAIL';
  const where =
    db.kind === 'cluster'
      ? 'cluster MultiAZ (instances in more than one Availability Zone)'
      : 'instance MultiAZ (a standby in another Availability Zone)';
  return {
    resource: db.arn,
    check: 'rds-multi-az',
    status,
    detail: {
      ...databaseDetail(db, production, settings),
      multiAz,
      judgedOn: where,
      reason: skip ?? (multiAz ? `${where} is on` : `${where} is off: one Availability Zone outage stops it`),
    },
  };
}

export function assessDeletionProtection(db: DatabaseFacts, settings: Settings): Finding<ResilienceCheck> {
  const production = isProduction(db, settings.productionTag);
  const skip = notJudged(db, production, settings);
  const on = db.deletionProtection;
  return {
    resource: db.arn,
    check: 'rds-deletion-protection',
    status: skip ? 'INFO' : on ? 'PASS' : 'FAIL',
    detail: {
      ...databaseDetail(db, production, settings),
      deletionProtection: on,
      reason:
        skip ??
        (on
          ? 'DeletionProtection is on'
          : `DeletionProtection is off: one delete-db-${db.kind} call removes it`),
    },
  };
}

export function assessPitr(t: TableFacts): Finding<ResilienceCheck> {
  const on = t.pitr === 'ENABLED';
  return {
    resource: t.arn,
    check: 'dynamodb-pitr',
    status: on ? 'PASS' : 'FAIL',
    detail: {
      region: t.region,
      table: t.name,
      pointInTimeRecoveryStatus: t.pitr,
      ...(t.recoveryPeriodDays !== undefined ? { recoveryPeriodDays: t.recoveryPeriodDays } : {}),
      earliestRestorable: t.earliestRestorable,
      latestRestorable: t.latestRestorable,
      reason: on
        ? `point-in-time recovery on${t.recoveryPeriodDays ? ` for ${t.recoveryPeriodDays} days` : ''}`
        : 'point-in-time recovery is off: the table can be restored only from on-demand or AWS Backup backups',
    },
  };
}

export function assessVersioning(b: BucketVersioning, settings: Settings): Finding<ResilienceCheck> {
  const exempt =
    b.versioning !== 'Enabled' &&
    settings.versioningExemptTag !== undefined &&
    hasTag(b.tags, settings.versioningExemptTag);
  const status: FindingStatus = exempt ? 'INFO' : b.versioning === 'Enabled' ? 'PASS' : 'FAIL';
  const reason = exempt
    ? `not versioned, exempt by its ${tagText(settings.versioningExemptTag)} tag`
    : b.versioning === 'Enabled'
      ? 'versioning enabled: overwritten and deleted objects are kept as noncurrent versions'
      : b.versioning === 'Suspended'
        ? 'versioning suspended: new overwrites and deletes are no longer recoverable'
        : 'versioning was never enabled: an overwrite or delete is final';
  return {
    resource: b.arn,
    check: 's3-versioning',
    status,
    detail: {
      region: b.region,
      bucket: b.name,
      versioning: b.versioning,
      ...(b.mfaDelete ? { mfaDelete: b.mfaDelete } : {}),
      ...(exempt ? { exemptBy: tagText(settings.versioningExemptTag) } : {}),
      ...(b.outsideConfiguredRegions ? { outsideConfiguredRegions: true } : {}),
      reason,
    },
  };
}

/** AWS Backup's resource type for a database, as ListProtectedResources names it. */
function backupTypeOf(db: DatabaseFacts): string {
  const service = serviceOf(db.engine);
  if (service === 'aurora') return 'Aurora';
  if (service === 'neptune') return 'Neptune';
  if (service === 'documentdb') return 'DocumentDB';
  return 'RDS';
}

function ageDays(time: string | undefined, now: Date): number | undefined {
  return time === undefined ? undefined : Math.floor((now.getTime() - Date.parse(time)) / DAY_MS);
}

interface CoverageSubject {
  readonly arn: string;
  readonly region: string;
  readonly type: string;
  readonly name: string;
  readonly production: boolean;
  readonly replica: boolean;
}

export function assessCoverage(
  subject: CoverageSubject,
  protectedBy: ProtectedResource | undefined,
  settings: Settings,
  now: Date,
): Finding<ResilienceCheck> {
  const age = ageDays(protectedBy?.lastBackupTime, now);
  let status: FindingStatus;
  let reason: string;
  if (subject.replica) {
    status = 'INFO';
    reason = 'read replica: its source is the database to back up';
  } else if (protectedBy && age !== undefined && age <= COVERAGE_STALE_DAYS) {
    status = 'PASS';
    reason = `AWS Backup holds a recovery point ${age} days old`;
  } else if (protectedBy) {
    status = 'WARN';
    reason =
      age === undefined
        ? 'listed as protected by AWS Backup without a last backup time'
        : `latest AWS Backup recovery point is ${age} days old, more than ${COVERAGE_STALE_DAYS}: a one-off backup or a plan that no longer selects it`;
  } else if (!subject.production) {
    status = 'INFO';
    reason = `not in AWS Backup; not production (no ${tagText(settings.productionTag)} tag): not required`;
  } else {
    status = 'FAIL';
    reason = 'AWS Backup has never backed it up: no backup plan covers it';
  }
  return {
    resource: subject.arn,
    check: 'backup-plan-coverage',
    status,
    detail: {
      region: subject.region,
      resourceType: subject.type,
      name: subject.name,
      production: subject.production,
      protected: protectedBy !== undefined,
      lastBackupTime: protectedBy?.lastBackupTime,
      lastBackupAgeDays: age,
      lastBackupVault: protectedBy?.lastBackupVault,
      staleAfterDays: COVERAGE_STALE_DAYS,
      reason,
    },
  };
}

export function assessVault(v: VaultFacts, now: Date): Finding<ResilienceCheck> {
  const lockAt = v.lockDate ? Date.parse(v.lockDate) : undefined;
  let status: FindingStatus;
  let mode: string;
  let reason: string;
  if (v.locked && lockAt !== undefined && lockAt <= now.getTime()) {
    status = 'PASS';
    mode = 'compliance';
    reason = `locked in compliance mode since ${v.lockDate}: nobody, root included, can delete recovery points early or remove the lock`;
  } else if (v.locked && lockAt !== undefined) {
    status = 'WARN';
    mode = 'compliance (grace period)';
    reason = `lock still in its grace period: it can be removed until ${v.lockDate}`;
  } else if (v.locked) {
    status = 'WARN';
    mode = 'governance';
    reason =
      'locked in governance mode (no lock date): anyone allowed backup:DeleteBackupVaultLockConfiguration can remove it';
  } else if (v.recoveryPoints > 0) {
    status = 'FAIL';
    mode = 'none';
    reason = `no vault lock on ${v.recoveryPoints} recovery points: anyone allowed to delete recovery points (or a stolen administrator credential) can erase the backups`;
  } else {
    status = 'INFO';
    mode = 'none';
    reason = 'no vault lock, and no recovery points to protect';
  }
  return {
    resource: v.arn,
    check: 'backup-vault-lock',
    status,
    detail: {
      region: v.region,
      vault: v.name,
      vaultType: v.type,
      recoveryPoints: v.recoveryPoints,
      locked: v.locked,
      lockMode: mode,
      lockDate: v.lockDate,
      minRetentionDays: v.minRetentionDays,
      maxRetentionDays: v.maxRetentionDays,
      reason,
    },
  };
}

/** The table name at the end of a DynamoDB table ARN. */
const tableNameOf = (arn: string) => /:table\/([^/]+)$/.exec(arn)?.[1];

export function assessResilience(
  facts: ResilienceFacts,
  settings: Settings,
  now: Date,
): { findings: Finding<ResilienceCheck>[]; figures: Record<string, number> } {
  const multiAz: Finding<ResilienceCheck>[] = [];
  const deletion: Finding<ResilienceCheck>[] = [];
  for (const region of facts.databases)
    for (const db of judgedDatabases(region)) {
      multiAz.push(assessMultiAz(db, settings));
      deletion.push(assessDeletionProtection(db, settings));
    }
  const pitr = facts.tables.flatMap((r) => r.tables.map(assessPitr));
  const versioning = facts.buckets.map((b) => assessVersioning(b, settings));

  const coverage: Finding<ResilienceCheck>[] = [];
  for (const { region, resources } of facts.protectedResources) {
    const byArn = new Map(resources.map((r) => [r.arn, r]));
    const tablesByName = new Map(
      resources.filter((r) => r.type === 'DynamoDB').map((r) => [tableNameOf(r.arn) ?? r.name, r]),
    );
    const dbs = facts.databases.find((d) => d.region === region);
    for (const db of dbs ? judgedDatabases(dbs) : [])
      coverage.push(
        assessCoverage(
          {
            arn: db.arn,
            region,
            type: backupTypeOf(db),
            name: db.id,
            production: isProduction(db, settings.productionTag),
            replica: db.replicaSource !== undefined,
          },
          byArn.get(db.arn),
          settings,
          now,
        ),
      );
    // Every table is judged: the production tag marks databases for Multi-AZ and deletion protection, and a
    // table's tags would cost one more call per table.
    for (const t of facts.tables.find((x) => x.region === region)?.tables ?? [])
      coverage.push(
        assessCoverage(
          { arn: t.arn, region, type: 'DynamoDB', name: t.name, production: true, replica: false },
          byArn.get(t.arn) ?? tablesByName.get(t.name),
          settings,
          now,
        ),
      );
  }
  const vaults = facts.vaults.flatMap((r) => r.vaults.map((v) => assessVault(v, now)));

  const findings = [...multiAz, ...deletion, ...pitr, ...versioning, ...coverage, ...vaults];
  const n = (list: readonly Finding<ResilienceCheck>[], status?: FindingStatus) =>
    list.filter((f) => status === undefined || f.status === status).length;
  const buckets = (v: VersioningStatus) => facts.buckets.filter((b) => b.versioning === v).length;
  return {
    findings,
    figures: {
      databases: multiAz.length,
      productionDatabases: multiAz.filter((f) => f.detail.production === true).length,
      databasesWithoutMultiAz: n(multiAz, 'FAIL'),
      databasesWithoutDeletionProtection: n(deletion, 'FAIL'),
      tables: pitr.length,
      tablesWithoutPitr: n(pitr, 'FAIL'),
      buckets: facts.buckets.length,
      bucketsVersioned: buckets('Enabled'),
      bucketsVersioningSuspended: buckets('Suspended'),
      bucketsNeverVersioned: buckets('Never'),
      bucketsExempt: n(versioning, 'INFO'),
      protectedResources: facts.protectedResources.reduce((s, r) => s + r.resources.length, 0),
      coverageJudged: coverage.length,
      unprotectedProductionResources: n(coverage, 'FAIL'),
      staleProtectedResources: n(coverage, 'WARN'),
      vaults: vaults.length,
      vaultsLockedCompliance: n(vaults, 'PASS'),
      vaultsLockRemovable: n(vaults, 'WARN'),
      vaultsUnlockedWithRecoveryPoints: n(vaults, 'FAIL'),
    },
  };
}

/** A bucket deleted between ListBuckets and its read: nothing left to judge. */
type BucketRead = BucketVersioning | { readonly deleted: true };

function readVersioning(exemptTag: ResourceTag | undefined): PerBucketRead<BucketRead> {
  return {
    api: 's3:GetBucketVersioning',
    read: async (client, b) => {
      const out = await withApi('s3:GetBucketVersioning', () =>
        client.send(new GetBucketVersioningCommand({ Bucket: b.name })),
      );
      // Status is absent on a bucket that was never versioned.
      const versioning: VersioningStatus =
        out.Status === 'Enabled' ? 'Enabled' : out.Status === 'Suspended' ? 'Suspended' : 'Never';
      const facts: BucketVersioning = {
        ...b,
        versioning,
        ...(out.MFADelete ? { mfaDelete: out.MFADelete } : {}),
      };
      // Tags matter only to exempt a bucket that would fail: read them then, and only then.
      if (versioning === 'Enabled' || !exemptTag) return facts;
      const tags = await withApi('s3:GetBucketTagging', async () => {
        try {
          const t = await client.send(new GetBucketTaggingCommand({ Bucket: b.name }));
          return Object.fromEntries((t.TagSet ?? []).flatMap((x) => (x.Key ? [[x.Key, x.Value ?? '']] : [])));
        } catch (err) {
          if (isAwsError(err, 'NoSuchTagSet')) return {};
          throw err;
        }
      });
      return { ...facts, tags };
    },
    notFound: { code: 'NoSuchBucket', answer: () => ({ deleted: true }) },
  };
}

/**
 * Starts `task` on each item at most once per `intervalMs` and with at most `limit` in flight; none after the
 * run's soft deadline (`mapUntilDeadline`).
 */
async function paced<T, R>(
  items: readonly T[],
  limit: number,
  intervalMs: number,
  task: (item: T) => Promise<R>,
): Promise<DeadlineMap<R>> {
  let next = 0;
  return mapUntilDeadline(items, limit, async (item) => {
    const now = Date.now();
    const at = Math.max(now, next);
    next = at + intervalMs;
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
    return task(item);
  });
}

async function readTables(
  ctx: GatherContext,
  region: string,
  errors: ErrorEntry[],
): Promise<Omit<TableFacts, 'arn'>[]> {
  const client = ctx.clients.get(DynamoDBClient, region);
  const names: string[] = [];
  await withApi('dynamodb:ListTables', async () => {
    for await (const page of paginateListTables({ client, pageSize: LIST_TABLES_PAGE }, {}))
      names.push(...(page.TableNames ?? []));
  });
  const read = await paced(
    names,
    Math.min(ctx.settings.concurrency, 10),
    CONTINUOUS_BACKUPS_INTERVAL_MS,
    async (name) => {
      try {
        const out = await client.send(new DescribeContinuousBackupsCommand({ TableName: name }));
        const p = out.ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
        return {
          region,
          name,
          pitr: p?.PointInTimeRecoveryStatus ?? 'DISABLED',
          ...(p?.RecoveryPeriodInDays !== undefined ? { recoveryPeriodDays: p.RecoveryPeriodInDays } : {}),
          ...(p?.EarliestRestorableDateTime ? { earliestRestorable: iso(p.EarliestRestorableDateTime) } : {}),
          ...(p?.LatestRestorableDateTime ? { latestRestorable: iso(p.LatestRestorableDateTime) } : {}),
        };
      } catch (err) {
        // Deleted since it was listed: nothing left to judge.
        if (isAwsError(err, 'TableNotFoundException')) return undefined;
        errors.push(resourceError(err, region, 'dynamodb:DescribeContinuousBackups', name));
        return undefined;
      }
    },
  );
  if (read.unread > 0)
    errors.push(
      unreadEntry(region, 'dynamodb:DescribeContinuousBackups', read.unread, names.length, 'DynamoDB tables'),
    );
  return read.results.flatMap((r) => (r?.value ? [r.value] : []));
}

function vaultFacts(region: string, v: BackupVaultListMember): VaultFacts {
  return {
    region,
    name: v.BackupVaultName ?? 'unknown',
    arn: v.BackupVaultArn ?? `arn:${partitionOf(region)}:backup:${region}::backup-vault:${v.BackupVaultName}`,
    ...(v.VaultType ? { type: v.VaultType } : {}),
    recoveryPoints: v.NumberOfRecoveryPoints ?? 0,
    locked: v.Locked === true,
    ...(v.MinRetentionDays !== undefined ? { minRetentionDays: v.MinRetentionDays } : {}),
    ...(v.MaxRetentionDays !== undefined ? { maxRetentionDays: v.MaxRetentionDays } : {}),
    ...(v.LockDate ? { lockDate: iso(v.LockDate) } : {}),
  };
}

export const resilience: Collector<ResilienceFacts, ResilienceCheck> = {
  ...RESILIENCE_IDENTITY,
  iamActions: [
    'rds:DescribeDBInstances',
    'rds:DescribeDBClusters',
    'dynamodb:ListTables',
    'dynamodb:DescribeContinuousBackups',
    's3:ListAllMyBuckets',
    's3:GetBucketLocation',
    's3:GetBucketVersioning',
    's3:GetBucketTagging',
    'backup:ListProtectedResources',
    'backup:ListBackupVaults',
  ],
  policy: (s) => ({
    productionTag: s.productionTag ?? 'none: every database is production',
    versioningExemptTag: s.versioningExemptTag ?? 'none: every bucket is judged',
    clusters: 'judged on the cluster (MultiAZ, DeletionProtection); members are not judged on their own',
    readReplicas: 'INFO: their source is judged',
    nonProductionDatabases: 'INFO',
    s3VersioningSuspended: 'FAIL',
    dynamodbPitr: 'PointInTimeRecoveryStatus ENABLED',
    coverage:
      'ListProtectedResources against the inventory (databases and DynamoDB tables): a resource AWS Backup has backed up is covered; an unprotected production resource FAILs',
    coverageStaleAfterDays: COVERAGE_STALE_DAYS,
    vaultLock: {
      compliance: 'PASS (LockDate passed: immutable)',
      gracePeriod: 'WARN (LockDate in the future: still removable)',
      governance: 'WARN (no LockDate: removable)',
      unlockedWithRecoveryPoints: 'FAIL',
      unlockedEmpty: 'INFO',
    },
  }),

  async gather(ctx) {
    const regions = ctx.settings.regions;
    const errors: ErrorEntry[] = [];
    // ListTables gives names only; a table's ARN (what AWS Backup lists, and the finding's resource) is
    // built from the run's account. Without it the tables are not judged: a guessed or empty account would
    // give the same table another resource from one run to the next.
    const account = runAccountOrError(ctx, errors);
    const tableErrors: ErrorEntry[] = [];
    const [dbs, tables, protectedResources, vaults, buckets] = await Promise.all([
      readRegions(regions, 'rds:DescribeDBInstances', (region) => readDatabases(ctx, region)),
      account === undefined
        ? Promise.resolve({ results: [], errors: [] })
        : readRegions(regions, 'dynamodb:ListTables', (region) => readTables(ctx, region, tableErrors)),
      readRegions(regions, 'backup:ListProtectedResources', (region) => readProtectedResources(ctx, region)),
      readRegions(regions, 'backup:ListBackupVaults', (region) =>
        withApi('backup:ListBackupVaults', async () => {
          const client = ctx.clients.get(BackupClient, region);
          const out: VaultFacts[] = [];
          for await (const page of paginateListBackupVaults({ client, pageSize: LIST_VAULTS_PAGE }, {}))
            for (const v of page.BackupVaultList ?? []) out.push(vaultFacts(region, v));
          return out;
        }),
      ),
      readEachBucket(ctx, readVersioning(ctx.settings.versioningExemptTag)),
    ]);
    errors.push(...dbs.errors, ...tables.errors, ...tableErrors, ...protectedResources.errors);
    errors.push(...vaults.errors, ...buckets.errors);

    const dbRegions = dbs.results.flatMap((r) => (r.value ? [{ region: r.region, ...r.value }] : []));
    const protectedRegions = protectedResources.results.flatMap((r) =>
      r.value ? [{ region: r.region, resources: r.value }] : [],
    );
    const vaultRegions = vaults.results.flatMap((r) =>
      r.value ? [{ region: r.region, vaults: r.value }] : [],
    );
    const tableRegions = tables.results.flatMap((r) =>
      r.value && account !== undefined
        ? [
            {
              region: r.region,
              tables: r.value.map((t) => ({
                ...t,
                arn: `arn:${partitionOf(r.region)}:dynamodb:${r.region}:${account}:table/${t.name}`,
              })),
            },
          ]
        : [],
    );
    const sources: RawSource[] = [
      jsonSource(
        'protected-resources.json',
        'backup:ListProtectedResources',
        { regions: protectedRegions },
        ctx.now,
      ),
      jsonSource('backup-vaults.json', 'backup:ListBackupVaults', { regions: vaultRegions }, ctx.now),
    ];
    return {
      facts: {
        databases: dbRegions,
        tables: tableRegions,
        buckets: buckets.results.flatMap((b) => ('deleted' in b ? [] : [b])),
        protectedResources: protectedRegions,
        vaults: vaultRegions,
      },
      sources,
      errors,
    };
  },

  assess: (facts, settings, now) => assessResilience(facts, settings, now),
};
