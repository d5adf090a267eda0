import {
  paginateDescribeDBClusters,
  paginateDescribeDBInstances,
  RDSClient,
  type DBCluster,
  type DBInstance,
} from '@aws-sdk/client-rds';
import type { GatherContext } from '../collectors/collector';
import { withApi } from '../aws/aws-error';
import { partitionOf } from '../aws/arn';
import { iso } from '../evidence/iso-date';

/** What a database is, for people: DescribeDBInstances/Clusters also return Neptune and DocumentDB. */
export type DatabaseService = 'rds' | 'aurora' | 'neptune' | 'documentdb';

export function serviceOf(engine: string): DatabaseService {
  if (engine.startsWith('aurora')) return 'aurora';
  if (engine === 'neptune') return 'neptune';
  if (engine === 'docdb') return 'documentdb';
  return 'rds';
}

interface DatabaseCommon {
  readonly region: string;
  readonly arn: string;
  readonly id: string;
  readonly engine: string;
  readonly engineVersion?: string;
  readonly status?: string;
  readonly backupRetentionPeriod: number;
  readonly latestRestorableTime?: string;
  readonly deletionProtection: boolean;
  readonly storageEncrypted: boolean;
  readonly kmsKeyId?: string;
  /** Instance: a standby in another AZ. Cluster: instances in more than one AZ (Aurora judges this here). */
  readonly multiAz?: boolean;
  /** The TagList DescribeDBInstances/DescribeDBClusters return with each database (no extra call). */
  readonly tags?: Readonly<Record<string, string>>;
}

function tagsOf(list: readonly { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((list ?? []).flatMap((t) => (t.Key ? [[t.Key, t.Value ?? '']] : [])));
}

export interface DbInstanceFacts extends DatabaseCommon {
  readonly kind: 'instance';
  /** Set for members of an Aurora or Multi-AZ DB cluster: backups, encryption and TLS belong to the cluster. */
  readonly clusterId?: string;
  /** The source of a read replica (instance or cluster identifier or ARN). */
  readonly replicaSource?: string;
  readonly parameterGroups: readonly { readonly name: string; readonly applyStatus?: string }[];
  /** PubliclyAccessible: the endpoint resolves to a public IP. Always set by readDatabases. */
  readonly publiclyAccessible?: boolean;
}

export interface DbClusterFacts extends DatabaseCommon {
  readonly kind: 'cluster';
  /** A cluster replicating from another (cross-region replica or global secondary). */
  readonly replicaSource?: string;
  readonly parameterGroup?: string;
  readonly members: readonly { readonly id: string; readonly parameterGroupStatus?: string }[];
}

export type DatabaseFacts = DbInstanceFacts | DbClusterFacts;

export interface RegionDatabases {
  readonly instances: readonly DbInstanceFacts[];
  readonly clusters: readonly DbClusterFacts[];
}

function instanceFacts(region: string, d: DBInstance): DbInstanceFacts {
  return {
    kind: 'instance',
    region,
    arn:
      d.DBInstanceArn ??
      `arn:${partitionOf(region)}:rds:${region}::db:${d.DBInstanceIdentifier ?? 'unknown'}`,
    id: d.DBInstanceIdentifier ?? 'unknown',
    engine: d.Engine ?? 'unknown',
    engineVersion: d.EngineVersion,
    status: d.DBInstanceStatus,
    backupRetentionPeriod: d.BackupRetentionPeriod ?? 0,
    latestRestorableTime: iso(d.LatestRestorableTime),
    deletionProtection: d.DeletionProtection ?? false,
    storageEncrypted: d.StorageEncrypted ?? false,
    kmsKeyId: d.KmsKeyId,
    multiAz: d.MultiAZ ?? false,
    tags: tagsOf(d.TagList),
    clusterId: d.DBClusterIdentifier,
    replicaSource: d.ReadReplicaSourceDBInstanceIdentifier ?? d.ReadReplicaSourceDBClusterIdentifier,
    parameterGroups: (d.DBParameterGroups ?? []).flatMap((g) =>
      g.DBParameterGroupName ? [{ name: g.DBParameterGroupName, applyStatus: g.ParameterApplyStatus }] : [],
    ),
    publiclyAccessible: d.PubliclyAccessible ?? false,
  };
}

function clusterFacts(region: string, c: DBCluster): DbClusterFacts {
  return {
    kind: 'cluster',
    region,
    arn:
      c.DBClusterArn ??
      `arn:${partitionOf(region)}:rds:${region}::cluster:${c.DBClusterIdentifier ?? 'unknown'}`,
    id: c.DBClusterIdentifier ?? 'unknown',
    engine: c.Engine ?? 'unknown',
    engineVersion: c.EngineVersion,
    status: c.Status,
    backupRetentionPeriod: c.BackupRetentionPeriod ?? 0,
    latestRestorableTime: iso(c.LatestRestorableTime),
    deletionProtection: c.DeletionProtection ?? false,
    storageEncrypted: c.StorageEncrypted ?? false,
    kmsKeyId: c.KmsKeyId,
    multiAz: c.MultiAZ ?? false,
    tags: tagsOf(c.TagList),
    replicaSource: c.ReplicationSourceIdentifier,
    parameterGroup: c.DBClusterParameterGroup,
    members: (c.DBClusterMembers ?? []).flatMap((m) =>
      m.DBInstanceIdentifier
        ? [{ id: m.DBInstanceIdentifier, parameterGroupStatus: m.DBClusterParameterGroupStatus }]
        : [],
    ),
  };
}

/**
 * Every DB instance and cluster of a region (RDS, Aurora, Neptune, DocumentDB), read once per run and
 * shared by the backups, encryption and tls collectors when they run together.
 */
export function readDatabases(ctx: GatherContext, region: string): Promise<RegionDatabases> {
  return ctx.memo(`rds:databases:${region}`, async () => {
    const client = ctx.clients.get(RDSClient, region);
    const instances: DbInstanceFacts[] = [];
    const clusters: DbClusterFacts[] = [];
    await withApi('rds:DescribeDBInstances', async () => {
      for await (const page of paginateDescribeDBInstances({ client }, {}))
        for (const d of page.DBInstances ?? []) instances.push(instanceFacts(region, d));
    });
    await withApi('rds:DescribeDBClusters', async () => {
      for await (const page of paginateDescribeDBClusters({ client }, {}))
        for (const c of page.DBClusters ?? []) clusters.push(clusterFacts(region, c));
    });
    return { instances, clusters };
  });
}

/**
 * The databases judged on their own: clusters, and instances that are not cluster members. A member's
 * backups, storage encryption and parameters belong to its cluster, so judging it again would double count.
 */
export function judgedDatabases(dbs: RegionDatabases): DatabaseFacts[] {
  return [...dbs.clusters, ...dbs.instances.filter((i) => !i.clusterId)];
}
