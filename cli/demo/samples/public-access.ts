import type { Answers } from '../offline-clients';
import { SAMPLE_ACCOUNT_ID, SAMPLE_BUCKETS } from '../sample-account';

/**
 * The sample account's answers for the APIs only `public-access` reads. The public bucket itself is a sample
 * bucket (`example-corp-downloads`, public by policy, in cli/demo/sample-account.ts) and the publicly
 * accessible database is `legacy-crm` there; the rest lives here.
 */

const DAY = 86_400_000;

/** Block Public Access settings, as S3 and S3 Control answer them. */
interface Block {
  readonly BlockPublicAcls: boolean;
  readonly IgnorePublicAcls: boolean;
  readonly BlockPublicPolicy: boolean;
  readonly RestrictPublicBuckets: boolean;
}

const ALL_ON: Block = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

// PROBLEM: the account blocks new public ACLs and policies but neither ignores existing public ACLs nor
// restricts buckets whose policy is already public, so a policy written before the setting still works
// (`s3-account-public-access-block`).
export const SAMPLE_ACCOUNT_BLOCK: Block = {
  BlockPublicAcls: true,
  IgnorePublicAcls: false,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: false,
};

/** Each sample bucket's own Block Public Access; a bucket not listed has none. */
export const SAMPLE_BUCKET_BLOCKS: Readonly<Record<string, Block>> = {
  'example-corp-artifacts': ALL_ON,
  // Ignores public ACLs, but does not restrict public policies (it has no policy at all).
  'example-corp-exports': { ...ALL_ON, RestrictPublicBuckets: false },
  // example-corp-downloads: none, which is how its public policy stays in force.
};

interface SampleDbSnapshot {
  readonly id: string;
  readonly region: string;
  readonly kind: 'instance' | 'cluster';
  /** The database it was taken from (cli/demo/sample-account.ts). */
  readonly source: string;
  readonly engine: string;
  readonly encrypted: boolean;
  readonly daysAgo: number;
  /** The `restore` attribute: `all` makes it public. */
  readonly restore: readonly string[];
}

export const SAMPLE_DB_SNAPSHOTS: readonly SampleDbSnapshot[] = [
  // PROBLEM: a manual snapshot made public to hand the CRM data to a vendor (`rds-public-snapshot`); the
  // database is unencrypted, so the snapshot is too, and anyone can restore it.
  {
    id: 'legacy-crm-vendor-handover',
    region: 'us-east-1',
    kind: 'instance',
    source: 'legacy-crm',
    engine: 'mysql',
    encrypted: false,
    daysAgo: 40,
    restore: ['all'],
  },
  {
    id: 'orders-before-16-upgrade',
    region: 'us-east-1',
    kind: 'cluster',
    source: 'orders',
    engine: 'aurora-postgresql',
    encrypted: true,
    daysAgo: 90,
    restore: [],
  },
  {
    id: 'analytics-2026-q3',
    region: 'eu-west-1',
    kind: 'instance',
    source: 'analytics',
    engine: 'postgres',
    encrypted: true,
    daysAgo: 60,
    restore: [],
  },
];

interface SampleEbsSnapshot {
  readonly id: string;
  readonly region: string;
  readonly volumeId: string;
  readonly encrypted: boolean;
  readonly description: string;
  /** Create-volume permission granted to `all`. */
  readonly public: boolean;
}

export const SAMPLE_EBS_SNAPSHOTS: readonly SampleEbsSnapshot[] = [
  // PROBLEM: a build server's disk shared with everyone to reproduce a bug with a support engineer
  // (`ebs-public-snapshot`); the region's block public access for snapshots is off.
  {
    id: 'snap-0a1b2c3d4e5f60001',
    region: 'us-east-1',
    volumeId: 'vol-0a1b2c3d4e5f60001',
    encrypted: false,
    description: 'build-server disk for support case',
    public: true,
  },
  {
    id: 'snap-0a1b2c3d4e5f60002',
    region: 'eu-west-1',
    volumeId: 'vol-0a1b2c3d4e5f60002',
    encrypted: true,
    description: 'analytics scratch volume',
    public: false,
  },
];

/** Block public access for snapshots and AMIs, per region. */
export const SAMPLE_EC2_BLOCKS: Readonly<Record<string, { snapshots: string; images: string }>> = {
  'us-east-1': { snapshots: 'unblocked', images: 'unblocked' },
  'eu-west-1': { snapshots: 'block-all-sharing', images: 'block-new-sharing' },
};

interface SampleImage {
  readonly id: string;
  readonly region: string;
  readonly name: string;
  readonly public: boolean;
}

export const SAMPLE_IMAGES: readonly SampleImage[] = [
  // PROBLEM: the base image of the web tier, made public by mistake while sharing it with a new account of
  // the organization (`ami-public`).
  { id: 'ami-0a1b2c3d4e5f60001', region: 'us-east-1', name: 'example-web-base-2026-10', public: true },
  { id: 'ami-0a1b2c3d4e5f60002', region: 'eu-west-1', name: 'example-analytics-base-2026-09', public: false },
];

function awsError(name: string, message: string, status = 404): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: status } });
}

const filterValues = (input: Record<string, unknown>, name: string): string[] | undefined =>
  (input.Filters as { Name?: string; Values?: string[] }[] | undefined)?.find((f) => f.Name === name)?.Values;

export function publicAccessAnswers(now: Date, _demoNow: Date): Answers {
  const bucket = (name: unknown) => {
    const b = SAMPLE_BUCKETS.find((x) => x.name === name);
    if (!b) throw awsError('NoSuchBucket', 'The specified bucket does not exist');
    return b;
  };
  const dbSnapshots = (region: string, kind: SampleDbSnapshot['kind'], input: Record<string, unknown>) =>
    // Every sample snapshot is manual; an `automated` listing has none.
    input.SnapshotType === undefined || input.SnapshotType === 'manual'
      ? SAMPLE_DB_SNAPSHOTS.filter((s) => s.region === region && s.kind === kind)
      : [];
  const snapshotArn = (region: string, type: string, id: string) =>
    `arn:aws:rds:${region}:${SAMPLE_ACCOUNT_ID}:${type}:${id}`;
  const restoreOf = (id: unknown, kind: SampleDbSnapshot['kind']) => {
    const s = SAMPLE_DB_SNAPSHOTS.find((x) => x.id === id && x.kind === kind);
    if (!s)
      throw awsError(
        kind === 'instance' ? 'DBSnapshotNotFoundFault' : 'DBClusterSnapshotNotFoundFault',
        `${String(id)} not found`,
      );
    return [{ AttributeName: 'restore', AttributeValues: [...s.restore] }];
  };
  return {
    'S3Control:GetPublicAccessBlock': (input) => {
      if (input.AccountId !== SAMPLE_ACCOUNT_ID) throw awsError('AccessDenied', 'Access Denied', 403);
      return { PublicAccessBlockConfiguration: SAMPLE_ACCOUNT_BLOCK };
    },
    'S3:GetPublicAccessBlock': (input) => {
      const b = bucket(input.Bucket);
      const block = SAMPLE_BUCKET_BLOCKS[b.name];
      if (!block)
        throw awsError(
          'NoSuchPublicAccessBlockConfiguration',
          'The public access block configuration was not found',
        );
      return { PublicAccessBlockConfiguration: block };
    },
    // Consistent with the policies S3:GetBucketPolicy answers (cli/demo/sample-answers.ts).
    'S3:GetBucketPolicyStatus': (input) => {
      const b = bucket(input.Bucket);
      if (!b.tlsOnlyPolicy && !b.publicRead)
        throw awsError('NoSuchBucketPolicy', 'The bucket policy does not exist');
      return { PolicyStatus: { IsPublic: b.publicRead === true } };
    },
    'S3:GetBucketAcl': (input) => {
      bucket(input.Bucket);
      const owner = { ID: 'example-canonical-user-id-0001', Type: 'CanonicalUser' as const };
      return { Owner: { ID: owner.ID }, Grants: [{ Grantee: owner, Permission: 'FULL_CONTROL' }] };
    },
    'RDS:DescribeDBSnapshots': (input, region) => ({
      DBSnapshots: dbSnapshots(region, 'instance', input).map((s) => ({
        DBSnapshotIdentifier: s.id,
        DBSnapshotArn: snapshotArn(region, 'snapshot', s.id),
        DBInstanceIdentifier: s.source,
        Engine: s.engine,
        SnapshotType: 'manual',
        Status: 'available',
        Encrypted: s.encrypted,
        SnapshotCreateTime: new Date(now.getTime() - s.daysAgo * DAY),
      })),
    }),
    'RDS:DescribeDBClusterSnapshots': (input, region) => ({
      DBClusterSnapshots: dbSnapshots(region, 'cluster', input).map((s) => ({
        DBClusterSnapshotIdentifier: s.id,
        DBClusterSnapshotArn: snapshotArn(region, 'cluster-snapshot', s.id),
        DBClusterIdentifier: s.source,
        Engine: s.engine,
        SnapshotType: 'manual',
        Status: 'available',
        StorageEncrypted: s.encrypted,
        SnapshotCreateTime: new Date(now.getTime() - s.daysAgo * DAY),
      })),
    }),
    'RDS:DescribeDBSnapshotAttributes': (input) => ({
      DBSnapshotAttributesResult: {
        DBSnapshotIdentifier: input.DBSnapshotIdentifier,
        DBSnapshotAttributes: restoreOf(input.DBSnapshotIdentifier, 'instance'),
      },
    }),
    'RDS:DescribeDBClusterSnapshotAttributes': (input) => ({
      DBClusterSnapshotAttributesResult: {
        DBClusterSnapshotIdentifier: input.DBClusterSnapshotIdentifier,
        DBClusterSnapshotAttributes: restoreOf(input.DBClusterSnapshotIdentifier, 'cluster'),
      },
    }),
    'EC2:GetSnapshotBlockPublicAccessState': (_input, region) => ({
      State: SAMPLE_EC2_BLOCKS[region]?.snapshots ?? 'unblocked',
      ManagedBy: 'account',
    }),
    // The account's own snapshots (OwnerIds self); RestorableByUserIds all leaves the public ones.
    'EC2:DescribeSnapshots': (input, region) => {
      const restorable = input.RestorableByUserIds as string[] | undefined;
      return {
        Snapshots: SAMPLE_EBS_SNAPSHOTS.filter(
          (s) => s.region === region && (!restorable?.includes('all') || s.public),
        ).map((s) => ({
          SnapshotId: s.id,
          OwnerId: SAMPLE_ACCOUNT_ID,
          VolumeId: s.volumeId,
          Encrypted: s.encrypted,
          Description: s.description,
          State: 'completed',
          StartTime: new Date(now.getTime() - 20 * DAY),
        })),
      };
    },
    'EC2:GetImageBlockPublicAccessState': (_input, region) => ({
      ImageBlockPublicAccessState: SAMPLE_EC2_BLOCKS[region]?.images ?? 'unblocked',
      ManagedBy: 'account',
    }),
    'EC2:DescribeImages': (input, region) => {
      const isPublic = filterValues(input, 'is-public');
      return {
        Images: SAMPLE_IMAGES.filter(
          (i) => i.region === region && (isPublic === undefined || isPublic.includes(String(i.public))),
        ).map((i) => ({
          ImageId: i.id,
          Name: i.name,
          OwnerId: SAMPLE_ACCOUNT_ID,
          Public: i.public,
          State: 'available',
          CreationDate: new Date(now.getTime() - 30 * DAY).toISOString(),
        })),
      };
    },
  };
}
