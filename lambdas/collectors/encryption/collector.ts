import { EC2Client, GetEbsEncryptionByDefaultCommand, paginateDescribeVolumes } from '@aws-sdk/client-ec2';
import { GetBucketEncryptionCommand } from '@aws-sdk/client-s3';
import { withApi } from '../../aws/aws-error';
import { readRegions } from '../../readers/regions';
import type { ErrorEntry, Finding } from '../../evidence/envelope';
import type { CollectorSettings } from '../../settings';
import type { Collector } from '../collector';
import { readEachBucket, type BucketRef, type PerBucketRead } from '../../readers/buckets';
import { judgedDatabases, readDatabases, serviceOf, type RegionDatabases } from '../../readers/databases';
import { ENCRYPTION_IDENTITY, type EncryptionCheck } from './checks';

/** A bucket's default encryption; `none` only when S3 says there is no configuration at all. */
export interface BucketEncryption extends BucketRef {
  readonly algorithm: string;
  readonly kmsKeyId?: string;
  readonly bucketKeyEnabled?: boolean;
}

export interface EbsFacts {
  readonly region: string;
  readonly encryptionByDefault: boolean;
  readonly unencryptedVolumeIds: readonly string[];
}

export interface EncryptionFacts {
  readonly databases: readonly (RegionDatabases & { readonly region: string })[];
  /** Buckets whose encryption could be read; the others are error entries. */
  readonly buckets: readonly BucketEncryption[];
  readonly ebs: readonly EbsFacts[];
}

const KMS_ALGORITHMS = new Set(['aws:kms', 'aws:kms:dsse']);

export function assessBucketEncryption(b: BucketEncryption, requireKms: boolean): Finding<EncryptionCheck> {
  const kms = KMS_ALGORITHMS.has(b.algorithm);
  // Since January 2023 every bucket has SSE-S3 at least, so "encrypted" alone says little: the algorithm
  // is always recorded, and KMS is required only when the deployment asks for it.
  const pass = b.algorithm !== 'none' && (kms || !requireKms);
  return {
    resource: b.arn,
    check: 's3-default-encryption',
    status: pass ? 'PASS' : 'FAIL',
    detail: {
      region: b.region,
      bucket: b.name,
      algorithm: b.algorithm,
      kmsKeyId: b.kmsKeyId,
      bucketKeyEnabled: b.bucketKeyEnabled,
      requireKms,
      ...(b.outsideConfiguredRegions ? { outsideConfiguredRegions: true } : {}),
    },
  };
}

export function assessEncryption(
  facts: EncryptionFacts,
  settings: Pick<CollectorSettings, 'requireKmsForBuckets'>,
): { findings: Finding<EncryptionCheck>[]; figures: Record<string, number> } {
  const findings: Finding<EncryptionCheck>[] = [];
  for (const region of facts.databases) {
    for (const db of judgedDatabases(region)) {
      findings.push({
        resource: db.arn,
        check: 'rds-storage-encrypted',
        status: db.storageEncrypted ? 'PASS' : 'FAIL',
        detail: {
          region: db.region,
          kind: db.kind,
          service: serviceOf(db.engine),
          engine: db.engine,
          storageEncrypted: db.storageEncrypted,
          kmsKeyId: db.kmsKeyId,
          ...(db.kind === 'cluster' ? { members: db.members.map((m) => m.id) } : {}),
        },
      });
    }
  }
  for (const b of facts.buckets) findings.push(assessBucketEncryption(b, settings.requireKmsForBuckets));
  for (const e of facts.ebs) {
    findings.push({
      resource: `ec2:${e.region}:ebs-encryption-by-default`,
      check: 'ebs-encryption-by-default',
      status: e.encryptionByDefault ? 'PASS' : 'FAIL',
      detail: { region: e.region, encryptionByDefault: e.encryptionByDefault },
    });
    findings.push({
      resource: `ec2:${e.region}:volumes`,
      check: 'ebs-unencrypted-volumes',
      status: e.unencryptedVolumeIds.length === 0 ? 'PASS' : 'FAIL',
      detail: {
        region: e.region,
        unencryptedVolumes: e.unencryptedVolumeIds.length,
        volumeIds: e.unencryptedVolumeIds,
      },
    });
  }
  const count = (check: string, status?: string) =>
    findings.filter((f) => f.check === check && (!status || f.status === status)).length;
  const algorithms = (alg: string) => facts.buckets.filter((b) => b.algorithm === alg).length;
  return {
    findings,
    figures: {
      databases: count('rds-storage-encrypted'),
      databasesUnencrypted: count('rds-storage-encrypted', 'FAIL'),
      buckets: facts.buckets.length,
      bucketsSseS3: algorithms('AES256'),
      bucketsSseKms: algorithms('aws:kms'),
      bucketsDsseKms: algorithms('aws:kms:dsse'),
      bucketsFailing: count('s3-default-encryption', 'FAIL'),
      unencryptedVolumes: facts.ebs.reduce((n, e) => n + e.unencryptedVolumeIds.length, 0),
      regionsWithoutEbsDefaultEncryption: count('ebs-encryption-by-default', 'FAIL'),
    },
  };
}

/** A bucket's default encryption; S3 answers ServerSideEncryptionConfigurationNotFoundError for none. */
const READ_BUCKET_ENCRYPTION: PerBucketRead<BucketEncryption> = {
  api: 's3:GetBucketEncryption',
  read: async (client, b) => {
    const out = await client.send(new GetBucketEncryptionCommand({ Bucket: b.name }));
    const rule = out.ServerSideEncryptionConfiguration?.Rules?.[0];
    const dflt = rule?.ApplyServerSideEncryptionByDefault;
    return {
      ...b,
      algorithm: dflt?.SSEAlgorithm ?? 'none',
      kmsKeyId: dflt?.KMSMasterKeyID,
      bucketKeyEnabled: rule?.BucketKeyEnabled ?? false,
    };
  },
  notFound: {
    code: 'ServerSideEncryptionConfigurationNotFoundError',
    answer: (b) => ({ ...b, algorithm: 'none' }),
  },
};

export const encryption: Collector<EncryptionFacts, EncryptionCheck> = {
  ...ENCRYPTION_IDENTITY,
  iamActions: [
    'rds:DescribeDBInstances',
    'rds:DescribeDBClusters',
    's3:ListAllMyBuckets',
    's3:GetBucketLocation',
    's3:GetEncryptionConfiguration',
    'ec2:GetEbsEncryptionByDefault',
    'ec2:DescribeVolumes',
  ],
  policy: (s) => ({
    requireKmsForBuckets: s.requireKmsForBuckets,
    rdsStorageEncrypted: true,
    ebsEncryptionByDefault: true,
    unencryptedVolumesAllowed: 0,
    clusterMembers: 'judged through their cluster',
  }),

  async gather(ctx) {
    const regions = ctx.settings.regions;
    const errors: ErrorEntry[] = [];
    // The bucket loop is the long part: it runs beside the regional reads, not after them, and stops at the
    // run's soft deadline, so a run that meets it keeps its RDS and EBS results with the buckets it read.
    // Unreadable encryption is not a pass: it is an error entry, and the bucket has no finding.
    const [dbs, ebs, buckets] = await Promise.all([
      readRegions(regions, 'rds:DescribeDBInstances', (region) => readDatabases(ctx, region)),
      readRegions(regions, 'ec2:GetEbsEncryptionByDefault', async (region): Promise<EbsFacts> => {
        const client = ctx.clients.get(EC2Client, region);
        const byDefault = await withApi('ec2:GetEbsEncryptionByDefault', () =>
          client.send(new GetEbsEncryptionByDefaultCommand({})),
        );
        const ids: string[] = [];
        await withApi('ec2:DescribeVolumes', async () => {
          const pages = paginateDescribeVolumes(
            { client },
            { Filters: [{ Name: 'encrypted', Values: ['false'] }] },
          );
          for await (const page of pages)
            for (const v of page.Volumes ?? []) if (v.VolumeId && v.Encrypted !== true) ids.push(v.VolumeId);
        });
        return {
          region,
          encryptionByDefault: byDefault.EbsEncryptionByDefault === true,
          unencryptedVolumeIds: ids,
        };
      }),
      readEachBucket(ctx, READ_BUCKET_ENCRYPTION),
    ]);
    errors.push(...dbs.errors, ...ebs.errors, ...buckets.errors);

    return {
      facts: {
        databases: dbs.results.flatMap((r) => (r.value ? [{ region: r.region, ...r.value }] : [])),
        buckets: buckets.results,
        ebs: ebs.results.flatMap((r) => (r.value ? [r.value] : [])),
      },
      sources: [],
      errors,
    };
  },

  assess: (facts, settings) => assessEncryption(facts, settings),
};
