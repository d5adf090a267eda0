import type { Answers } from '../../cli/demo/offline-clients';
import { REGION_CONCURRENCY } from '../../lambdas/readers/regions';
import { makespan } from '../minimums';
import { ACCOUNT_ID, PAGE, seededRandom, slice, type SyntheticAccount } from '../synthetic-account';
import type { ControlBench } from './control-bench';

/**
 * The synthetic account's public access: the account blocks new public ACLs and policies but neither ignores
 * nor restricts existing ones (the expensive case: buckets are read one by one), most buckets carry their own
 * Block Public Access (all four on, as S3 sets on buckets created since April 2023), and one bucket in 500
 * has a public policy and no settings of its own; every second standalone database and every Aurora cluster
 * has a manual snapshot, one in 200 of them public; two public EBS snapshots and one public AMI per region.
 */

/** Share of buckets with all four bucket-level settings on. */
const PROTECTED_BUCKETS = 0.7;
const PUBLIC_POLICY_ONE_IN = 500;
const PUBLIC_DB_SNAPSHOT_ONE_IN = 200;
const PUBLIC_EBS_SNAPSHOTS_PER_REGION = 2;
const PUBLIC_AMIS_PER_REGION = 1;

const ALL_ON = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};
const NEW_ONLY = {
  BlockPublicAcls: true,
  IgnorePublicAcls: false,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: false,
};

function awsError(name: string, message: string, status = 404): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: status } });
}

const pad = (n: number) => String(n).padStart(5, '0');
const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));

/** The one bucket in PUBLIC_POLICY_ONE_IN with a public policy has no settings of its own. */
const publicByPolicy = (i: number) => i % PUBLIC_POLICY_ONE_IN === 0;

function bucketProtected(a: SyntheticAccount, i: number): boolean {
  return !publicByPolicy(i) && seededRandom(a.seed * 7919 + i)() < PROTECTED_BUCKETS;
}

/** Manual DB snapshots of a region: one per second standalone instance. */
const dbSnapshotsIn = (a: SyntheticAccount, region: string) =>
  Math.ceil(a.countIn(a.sizes.databases, region) / 2);
/** Manual cluster snapshots of a region: one per Aurora cluster. */
const clusterSnapshotsIn = (a: SyntheticAccount, region: string) => a.countIn(a.sizes.auroraClusters, region);

function answers(a: SyntheticAccount): Answers {
  const bucketIndex = (name: unknown) => a.bucketIndex(name);
  const restore = (k: number) => [
    { AttributeName: 'restore', AttributeValues: k % PUBLIC_DB_SNAPSHOT_ONE_IN === 0 ? ['all'] : [] },
  ];
  const snapshotIndex = (id: unknown) => Number(/-(\d+)$/.exec(String(id))?.[1] ?? -1);
  const rdsPage = (
    api: string,
    total: number,
    input: Record<string, unknown>,
    item: (k: number) => Record<string, unknown>,
  ) => {
    const p = slice(api, total, PAGE.rds!, input.MaxRecords, input.Marker);
    return { items: Array.from({ length: p.to - p.from }, (_, j) => item(p.from + j)), next: p.next };
  };
  return {
    'S3Control:GetPublicAccessBlock': () => ({ PublicAccessBlockConfiguration: NEW_ONLY }),
    'S3:GetPublicAccessBlock': (input) => {
      if (!bucketProtected(a, bucketIndex(input.Bucket)))
        throw awsError(
          'NoSuchPublicAccessBlockConfiguration',
          'The public access block configuration was not found',
        );
      return { PublicAccessBlockConfiguration: ALL_ON };
    },
    'S3:GetBucketPolicyStatus': (input) => {
      const i = bucketIndex(input.Bucket);
      if (a.bucket(i).policy === 'none' && !publicByPolicy(i))
        throw awsError('NoSuchBucketPolicy', 'The bucket policy does not exist');
      return { PolicyStatus: { IsPublic: publicByPolicy(i) } };
    },
    'S3:GetBucketAcl': (input) => {
      bucketIndex(input.Bucket);
      return {
        Grants: [{ Grantee: { Type: 'CanonicalUser', ID: 'example-owner' }, Permission: 'FULL_CONTROL' }],
      };
    },
    'RDS:DescribeDBSnapshots': (input, region) => {
      const p = rdsPage(`RDS:DescribeDBSnapshots:${region}`, dbSnapshotsIn(a, region), input, (k) => ({
        DBSnapshotIdentifier: `${region}-manual-${pad(k)}`,
        DBSnapshotArn: `arn:aws:rds:${region}:${ACCOUNT_ID}:snapshot:${region}-manual-${pad(k)}`,
        SnapshotType: 'manual',
        Encrypted: true,
      }));
      return { DBSnapshots: p.items, ...(p.next ? { Marker: p.next } : {}) };
    },
    'RDS:DescribeDBClusterSnapshots': (input, region) => {
      const p = rdsPage(
        `RDS:DescribeDBClusterSnapshots:${region}`,
        clusterSnapshotsIn(a, region),
        input,
        (k) => ({
          DBClusterSnapshotIdentifier: `${region}-cluster-manual-${pad(k)}`,
          DBClusterSnapshotArn: `arn:aws:rds:${region}:${ACCOUNT_ID}:cluster-snapshot:${region}-cluster-manual-${pad(k)}`,
          SnapshotType: 'manual',
          StorageEncrypted: true,
        }),
      );
      return { DBClusterSnapshots: p.items, ...(p.next ? { Marker: p.next } : {}) };
    },
    'RDS:DescribeDBSnapshotAttributes': (input) => ({
      DBSnapshotAttributesResult: {
        DBSnapshotAttributes: restore(snapshotIndex(input.DBSnapshotIdentifier)),
      },
    }),
    'RDS:DescribeDBClusterSnapshotAttributes': (input) => ({
      DBClusterSnapshotAttributesResult: {
        DBClusterSnapshotAttributes: restore(snapshotIndex(input.DBClusterSnapshotIdentifier)),
      },
    }),
    'EC2:GetSnapshotBlockPublicAccessState': () => ({ State: 'unblocked', ManagedBy: 'account' }),
    'EC2:DescribeSnapshots': (input, region) => {
      const p = slice(
        `EC2:DescribeSnapshots:${region}`,
        PUBLIC_EBS_SNAPSHOTS_PER_REGION,
        PAGE.ec2!,
        input.MaxResults,
        input.NextToken,
      );
      return {
        Snapshots: Array.from({ length: p.to - p.from }, (_, j) => ({
          SnapshotId: `snap-${region}-${pad(p.from + j)}`,
          OwnerId: ACCOUNT_ID,
          Encrypted: false,
        })),
        ...(p.next ? { NextToken: p.next } : {}),
      };
    },
    'EC2:GetImageBlockPublicAccessState': () => ({
      ImageBlockPublicAccessState: 'unblocked',
      ManagedBy: 'account',
    }),
    'EC2:DescribeImages': (input, region) => {
      const p = slice(
        `EC2:DescribeImages:${region}`,
        PUBLIC_AMIS_PER_REGION,
        PAGE.ec2!,
        input.MaxResults,
        input.NextToken,
      );
      return {
        Images: Array.from({ length: p.to - p.from }, (_, j) => ({
          ImageId: `ami-${region}-${pad(p.from + j)}`,
          Public: true,
          OwnerId: ACCOUNT_ID,
        })),
        ...(p.next ? { NextToken: p.next } : {}),
      };
    },
  };
}

export const publicAccessBench: ControlBench = {
  answers,
  floor(a, latencyMs, concurrency) {
    const L = latencyMs;
    const buckets = a.sizes.buckets;
    // Per bucket: its own settings; when they are not all on, the policy status and the ACL too.
    let bucketCalls = 0;
    const bucketTasks: number[] = [];
    for (let i = 0; i < buckets; i++) {
      const calls = bucketProtected(a, i) ? 1 : 3;
      bucketCalls += calls;
      bucketTasks.push(L * calls);
    }
    const list = pages(buckets, PAGE.s3ListBuckets!.max);
    const rds = (r: string) => {
      const instancePages = pages(a.instancesIn(r), PAGE.rds!.max);
      const clusterPages = pages(a.countIn(a.sizes.auroraClusters, r), PAGE.rds!.max);
      const snapshots = dbSnapshotsIn(a, r) + clusterSnapshotsIn(a, r);
      const snapshotPages =
        pages(dbSnapshotsIn(a, r), PAGE.rds!.max) + pages(clusterSnapshotsIn(a, r), PAGE.rds!.max);
      return { list: instancePages + clusterPages + snapshotPages, snapshots };
    };
    const ec2 = () =>
      2 +
      pages(PUBLIC_EBS_SNAPSHOTS_PER_REGION, PAGE.ec2!.max) +
      pages(PUBLIC_AMIS_PER_REGION, PAGE.ec2!.max);
    const regional = a.regions.reduce((n, r) => n + rds(r).list + rds(r).snapshots + ec2(), 0);
    return {
      minCalls: 1 + list + bucketCalls + regional,
      formula:
        `GetPublicAccessBlock (account) + ListBuckets pages + per bucket GetPublicAccessBlock, and GetBucketPolicyStatus + GetBucketAcl when its own settings are not all on (${bucketCalls} for ${buckets}); ` +
        `per region: DescribeDBInstances/Clusters pages + manual DB and cluster snapshot pages (${PAGE.rds!.max}) + one attribute read per manual snapshot + ` +
        'GetSnapshotBlockPublicAccessState + DescribeSnapshots pages (own, restorable by all) + GetImageBlockPublicAccessState + DescribeImages pages (own, public)',
      wallFloorMs: Math.max(
        L * (1 + list) + makespan(bucketTasks, concurrency),
        makespan(
          a.regions.map((r) => L * (rds(r).list + Math.ceil(rds(r).snapshots / concurrency))),
          REGION_CONCURRENCY,
        ),
      ),
    };
  },
};
