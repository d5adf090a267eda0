import {
  EC2Client,
  GetImageBlockPublicAccessStateCommand,
  GetSnapshotBlockPublicAccessStateCommand,
  paginateDescribeImages,
  paginateDescribeSnapshots,
} from '@aws-sdk/client-ec2';
import {
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBSnapshotAttributesCommand,
  paginateDescribeDBClusterSnapshots,
  paginateDescribeDBSnapshots,
  RDSClient,
} from '@aws-sdk/client-rds';
import { partitionOf } from '../../aws/arn';
import { resourceError, withApi } from '../../aws/aws-error';
import { mapUntilDeadline } from '../../aws/concurrency';
import { unreadEntriesByKind } from '../../aws/deadline';
import type { ErrorEntry } from '../../evidence/envelope';
import { iso } from '../../evidence/iso-date';
import type { GatherContext } from '../collector';

/** RDS Describe* pages hold at most 100 records. */
const RDS_PAGE = 100;
/** EC2 DescribeSnapshots and DescribeImages pages hold at most 1000. */
const EC2_PAGE = 1000;

/** A manual DB or DB cluster snapshot shared with anyone: its `restore` attribute is not empty. */
export interface SharedDbSnapshot {
  readonly kind: 'db-snapshot' | 'db-cluster-snapshot';
  readonly region: string;
  readonly id: string;
  readonly arn: string;
  readonly source?: string;
  readonly engine?: string;
  readonly encrypted: boolean;
  readonly createdAt?: string;
  /** Account ids it is shared with; `all` makes it public. */
  readonly restore: readonly string[];
}

export interface RdsSnapshotFacts {
  readonly region: string;
  readonly manualDbSnapshots: number;
  readonly manualClusterSnapshots: number;
  /** Snapshots whose attributes could not be read (each has an error entry). */
  readonly attributesNotRead: number;
  readonly shared: readonly SharedDbSnapshot[];
}

export interface PublicEbsSnapshot {
  readonly id: string;
  readonly arn: string;
  readonly volumeId?: string;
  readonly encrypted: boolean;
  readonly startTime?: string;
  readonly description?: string;
}

export interface EbsFacts {
  readonly region: string;
  /** block-all-sharing, block-new-sharing or unblocked. */
  readonly blockState: string;
  /** `account`, or `declarative-policy` when an organization policy sets it. */
  readonly blockManagedBy?: string;
  readonly publicSnapshots: readonly PublicEbsSnapshot[];
}

export interface PublicImage {
  readonly id: string;
  readonly arn: string;
  readonly name?: string;
  readonly createdAt?: string;
  readonly state?: string;
}

export interface AmiFacts {
  readonly region: string;
  /** block-new-sharing or unblocked. */
  readonly blockState: string;
  readonly blockManagedBy?: string;
  readonly publicImages: readonly PublicImage[];
}

interface ManualSnapshot {
  readonly kind: SharedDbSnapshot['kind'];
  readonly id: string;
  readonly arn: string;
  readonly source?: string;
  readonly engine?: string;
  readonly encrypted: boolean;
  readonly createdAt?: string;
}

/**
 * A region's manual DB and DB cluster snapshots (only manual snapshots can be shared), then each one's
 * `restore` attribute. No list API filters on the attribute, so it is one read per snapshot, with bounded
 * concurrency; a failed read is an error entry naming the snapshot and the others stand.
 */
export async function readRdsSnapshots(
  ctx: GatherContext,
  region: string,
): Promise<{ facts: RdsSnapshotFacts; errors: ErrorEntry[] }> {
  const client = ctx.clients.get(RDSClient, region);
  const snapshots: ManualSnapshot[] = [];
  await withApi('rds:DescribeDBSnapshots', async () => {
    const pages = paginateDescribeDBSnapshots({ client, pageSize: RDS_PAGE }, { SnapshotType: 'manual' });
    for await (const page of pages)
      for (const s of page.DBSnapshots ?? [])
        if (s.DBSnapshotIdentifier)
          snapshots.push({
            kind: 'db-snapshot',
            id: s.DBSnapshotIdentifier,
            arn:
              s.DBSnapshotArn ??
              `arn:${partitionOf(region)}:rds:${region}:${ctx.account ?? ''}:snapshot:${s.DBSnapshotIdentifier}`,
            source: s.DBInstanceIdentifier,
            engine: s.Engine,
            encrypted: s.Encrypted === true,
            createdAt: iso(s.SnapshotCreateTime),
          });
  });
  const dbCount = snapshots.length;
  await withApi('rds:DescribeDBClusterSnapshots', async () => {
    const pages = paginateDescribeDBClusterSnapshots(
      { client, pageSize: RDS_PAGE },
      { SnapshotType: 'manual' },
    );
    for await (const page of pages)
      for (const s of page.DBClusterSnapshots ?? [])
        if (s.DBClusterSnapshotIdentifier)
          snapshots.push({
            kind: 'db-cluster-snapshot',
            id: s.DBClusterSnapshotIdentifier,
            arn:
              s.DBClusterSnapshotArn ??
              `arn:${partitionOf(region)}:rds:${region}:${ctx.account ?? ''}:cluster-snapshot:${s.DBClusterSnapshotIdentifier}`,
            source: s.DBClusterIdentifier,
            engine: s.Engine,
            encrypted: s.StorageEncrypted === true,
            createdAt: iso(s.SnapshotCreateTime),
          });
  });
  const errors: ErrorEntry[] = [];
  const attributesApi = (kind: ManualSnapshot['kind']) =>
    kind === 'db-snapshot' ? 'rds:DescribeDBSnapshotAttributes' : 'rds:DescribeDBClusterSnapshotAttributes';
  // One attributes read per snapshot, none started after the run's soft deadline.
  const read = await mapUntilDeadline(snapshots, ctx.settings.concurrency, async (s) => {
    const api = attributesApi(s.kind);
    try {
      const attributes = await withApi(api, async () =>
        s.kind === 'db-snapshot'
          ? (await client.send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: s.id })))
              .DBSnapshotAttributesResult?.DBSnapshotAttributes
          : (
              await client.send(
                new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: s.id }),
              )
            ).DBClusterSnapshotAttributesResult?.DBClusterSnapshotAttributes,
      );
      return (attributes ?? []).find((a) => a.AttributeName === 'restore')?.AttributeValues ?? [];
    } catch (err) {
      errors.push(resourceError(err, region, api, s.id));
      return undefined;
    }
  });
  errors.push(
    ...unreadEntriesByKind(region, snapshots, read.results, (sn) => sn.kind, {
      'db-snapshot': { api: attributesApi('db-snapshot'), what: 'manual DB snapshots' },
      'db-cluster-snapshot': {
        api: attributesApi('db-cluster-snapshot'),
        what: 'manual DB cluster snapshots',
      },
    }),
  );
  const restores = read.results.map((r) => r?.value);
  const shared: SharedDbSnapshot[] = [];
  snapshots.forEach((s, i) => {
    const restore = restores[i];
    if (restore && restore.length > 0) shared.push({ ...s, region, restore });
  });
  return {
    facts: {
      region,
      manualDbSnapshots: dbCount,
      manualClusterSnapshots: snapshots.length - dbCount,
      attributesNotRead: restores.filter((r) => r === undefined).length,
      shared,
    },
    errors,
  };
}

/**
 * The region's snapshot block public access state, and the account's own snapshots that everyone may create
 * volumes from: DescribeSnapshots filters on both (OwnerIds `self`, RestorableByUserIds `all`, "all for
 * public snapshots" in the API reference), so the public ones come back without a per-snapshot
 * DescribeSnapshotAttribute read.
 */
export async function readEbsSnapshots(ctx: GatherContext, region: string): Promise<EbsFacts> {
  const client = ctx.clients.get(EC2Client, region);
  const state = await withApi('ec2:GetSnapshotBlockPublicAccessState', () =>
    client.send(new GetSnapshotBlockPublicAccessStateCommand({})),
  );
  const publicSnapshots: PublicEbsSnapshot[] = [];
  await withApi('ec2:DescribeSnapshots', async () => {
    const pages = paginateDescribeSnapshots(
      { client, pageSize: EC2_PAGE },
      { OwnerIds: ['self'], RestorableByUserIds: ['all'] },
    );
    for await (const page of pages)
      for (const s of page.Snapshots ?? [])
        if (s.SnapshotId)
          publicSnapshots.push({
            id: s.SnapshotId,
            arn: `arn:${partitionOf(region)}:ec2:${region}:${s.OwnerId ?? ctx.account ?? ''}:snapshot/${s.SnapshotId}`,
            volumeId: s.VolumeId,
            encrypted: s.Encrypted === true,
            startTime: iso(s.StartTime),
            description: s.Description?.slice(0, 200),
          });
  });
  return {
    region,
    blockState: state.State ?? 'unknown',
    ...(state.ManagedBy ? { blockManagedBy: state.ManagedBy } : {}),
    publicSnapshots,
  };
}

/**
 * The region's AMI block public access state, and the account's own AMIs with public launch permissions
 * (Owners `self`: without it DescribeImages lists every image the account can launch, public ones of others
 * included; the `is-public` filter leaves only the public ones, and `Public` is checked again).
 */
export async function readPublicImages(ctx: GatherContext, region: string): Promise<AmiFacts> {
  const client = ctx.clients.get(EC2Client, region);
  const state = await withApi('ec2:GetImageBlockPublicAccessState', () =>
    client.send(new GetImageBlockPublicAccessStateCommand({})),
  );
  const publicImages: PublicImage[] = [];
  await withApi('ec2:DescribeImages', async () => {
    const pages = paginateDescribeImages(
      { client, pageSize: EC2_PAGE },
      { Owners: ['self'], Filters: [{ Name: 'is-public', Values: ['true'] }] },
    );
    for await (const page of pages)
      for (const image of page.Images ?? [])
        if (image.ImageId && image.Public === true)
          publicImages.push({
            id: image.ImageId,
            arn: `arn:${partitionOf(region)}:ec2:${region}::image/${image.ImageId}`,
            name: image.Name,
            createdAt: image.CreationDate,
            state: image.State,
          });
  });
  return {
    region,
    blockState: state.ImageBlockPublicAccessState ?? 'unknown',
    ...(state.ManagedBy ? { blockManagedBy: state.ManagedBy } : {}),
    publicImages,
  };
}
