import { canonicalBytes } from '../../evidence/canonical-json';
import type { ErrorEntry } from '../../evidence/envelope';
import type { RawSource } from '../../evidence/write-evidence';
import { readDatabases } from '../../readers/databases';
import { readRegions } from '../../readers/regions';
import type { Collector } from '../collector';
import { assessPublicAccess, type InstanceExposure, type PublicAccessFacts } from './assess';
import { PUBLIC_ACCESS_IDENTITY, type PublicAccessCheck } from './checks';
import { readEbsSnapshots, readPublicImages, readRdsSnapshots } from './regional';
import { gatherS3 } from './s3';

export type { PublicAccessFacts } from './assess';

export const publicAccess: Collector<PublicAccessFacts, PublicAccessCheck> = {
  ...PUBLIC_ACCESS_IDENTITY,
  iamActions: [
    's3:GetAccountPublicAccessBlock',
    's3:ListAllMyBuckets',
    's3:GetBucketLocation',
    's3:GetBucketPublicAccessBlock',
    's3:GetBucketPolicyStatus',
    's3:GetBucketAcl',
    'rds:DescribeDBInstances',
    'rds:DescribeDBClusters',
    'rds:DescribeDBSnapshots',
    'rds:DescribeDBClusterSnapshots',
    'rds:DescribeDBSnapshotAttributes',
    'rds:DescribeDBClusterSnapshotAttributes',
    'ec2:GetSnapshotBlockPublicAccessState',
    'ec2:DescribeSnapshots',
    'ec2:GetImageBlockPublicAccessState',
    'ec2:DescribeImages',
  ],
  policy: () => ({
    accountBlockPublicAccess:
      'all four settings on (the effective account configuration, org policy included)',
    bucketPublic:
      'FAIL when the bucket policy is public and neither account nor bucket has RestrictPublicBuckets, or the bucket ACL grants AllUsers/AuthenticatedUsers and neither has IgnorePublicAcls; INFO when Block Public Access neutralises the grant; WARN when the account setting is unreadable',
    bucketReadsSkippedWhen: 'the account has IgnorePublicAcls and RestrictPublicBuckets on',
    notJudged: 'object ACLs, access point policies',
    rdsPubliclyAccessible:
      'FAIL per instance, cluster members included; security groups are judged by network-exposure',
    rdsSnapshots: 'manual DB and DB cluster snapshots; FAIL when restore includes all',
    ebsSnapshots:
      'own snapshots restorable by all: FAIL, INFO under block-all-sharing (not publicly available)',
    amis: 'own AMIs with public launch permission: FAIL (block-new-sharing does not make existing ones private)',
    cleanRegion: 'one PASS per region and check when nothing is public',
  }),

  async gather(ctx) {
    const regions = ctx.settings.regions;
    const errors: ErrorEntry[] = [];
    const [s3, dbs, snapshots, ebs, amis] = await Promise.all([
      gatherS3(ctx),
      readRegions(regions, 'rds:DescribeDBInstances', (region) => readDatabases(ctx, region)),
      readRegions(regions, 'rds:DescribeDBSnapshots', (region) => readRdsSnapshots(ctx, region)),
      readRegions(regions, 'ec2:GetSnapshotBlockPublicAccessState', (region) =>
        readEbsSnapshots(ctx, region),
      ),
      readRegions(regions, 'ec2:GetImageBlockPublicAccessState', (region) => readPublicImages(ctx, region)),
    ]);
    errors.push(...s3.errors, ...dbs.errors, ...snapshots.errors, ...ebs.errors, ...amis.errors);
    for (const r of snapshots.results) errors.push(...(r.value?.errors ?? []));
    const present = <T>(rs: readonly { value?: T }[]): T[] => rs.flatMap((r) => (r.value ? [r.value] : []));
    const facts: PublicAccessFacts = {
      ...(ctx.account ? { account: ctx.account } : {}),
      s3: s3.facts,
      databases: dbs.results.flatMap((r) =>
        r.value
          ? [
              {
                region: r.region,
                instances: r.value.instances.map((i): InstanceExposure => ({
                  region: i.region,
                  id: i.id,
                  arn: i.arn,
                  engine: i.engine,
                  status: i.status,
                  ...(i.clusterId ? { clusterId: i.clusterId } : {}),
                  publiclyAccessible: i.publiclyAccessible === true,
                })),
              },
            ]
          : [],
      ),
      rdsSnapshots: present(snapshots.results).map((r) => r.facts),
      ebs: present(ebs.results),
      amis: present(amis.results),
    };
    // What was read, reduced to what the verdicts rest on: the account setting and every bucket read (not only
    // the public ones); each region's instance flags and shared snapshots; the public EBS snapshots and AMIs.
    const source = (name: string, api: string, body: unknown): RawSource => ({
      name,
      api,
      contentType: 'application/json',
      body: canonicalBytes(body),
      generatedAt: ctx.now.toISOString(),
    });
    const sources: RawSource[] = [
      source('s3-public-access.json', 's3:GetAccountPublicAccessBlock', facts.s3),
      source('rds-public-access.json', 'rds:DescribeDBSnapshotAttributes', {
        instances: facts.databases,
        snapshots: facts.rdsSnapshots,
      }),
      source('ec2-public-access.json', 'ec2:DescribeSnapshots', { snapshots: facts.ebs, images: facts.amis }),
    ];
    return { facts, sources, errors };
  },

  assess: (facts) => assessPublicAccess(facts),
};
