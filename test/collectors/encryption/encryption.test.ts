import { DescribeVolumesCommand, EC2Client, GetEbsEncryptionByDefaultCommand } from '@aws-sdk/client-ec2';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import {
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientFactory } from '../../../lambdas/aws/client-factory';
import { DirectoryStore } from '../../../lambdas/evidence/directory-store';
import type { Envelope } from '../../../lambdas/evidence/envelope';
import { runCollector, SOFT_DEADLINE_MARGIN_MS } from '../../../lambdas/run-collector';
import { DEFAULT_SETTINGS } from '../../../lambdas/settings';
import {
  assessBucketEncryption,
  assessEncryption,
  encryption,
  type BucketEncryption,
} from '../../../lambdas/collectors/encryption/collector';
import { LIST_BUCKETS_PAGE_SIZE, regionFromLocation } from '../../../lambdas/readers/buckets';
import { runInTempDir } from '../../helpers/run';
import { awsError, regionOf } from '../../helpers/regional-mock';

const rds = mockClient(RDSClient);
const ec2 = mockClient(EC2Client);
const s3 = mockClient(S3Client);
beforeEach(() => {
  rds.reset();
  ec2.reset();
  s3.reset();
});

function bucket(algorithm: string, over: Partial<BucketEncryption> = {}): BucketEncryption {
  return {
    name: 'logs',
    arn: 'arn:aws:s3:::logs',
    region: 'us-east-1',
    outsideConfiguredRegions: false,
    algorithm,
    ...over,
  };
}

describe('assessBucketEncryption', () => {
  it.each([
    ['SSE-S3, KMS not required', bucket('AES256'), false, 'PASS'],
    ['SSE-S3, KMS required', bucket('AES256'), true, 'FAIL'],
    [
      'SSE-KMS, KMS required',
      bucket('aws:kms', { kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k1', bucketKeyEnabled: true }),
      true,
      'PASS',
    ],
    ['DSSE-KMS, KMS required', bucket('aws:kms:dsse'), true, 'PASS'],
    ['no default encryption at all', bucket('none'), false, 'FAIL'],
  ])('%s', (_name, b, requireKms, expected) => {
    const f = assessBucketEncryption(b, requireKms);
    expect(f.status).toBe(expected);
    expect(f.detail.algorithm).toBe(b.algorithm);
  });

  it('records the KMS key, bucket key, and a region outside the configured ones', () => {
    const f = assessBucketEncryption(
      bucket('aws:kms', {
        kmsKeyId: 'k1',
        bucketKeyEnabled: true,
        region: 'ap-southeast-2',
        outsideConfiguredRegions: true,
      }),
      false,
    );
    expect(f.detail).toMatchObject({
      kmsKeyId: 'k1',
      bucketKeyEnabled: true,
      region: 'ap-southeast-2',
      outsideConfiguredRegions: true,
    });
  });

  it('maps GetBucketLocation answers to regions', () => {
    expect(regionFromLocation(undefined)).toBe('us-east-1');
    expect(regionFromLocation('EU')).toBe('eu-west-1');
    expect(regionFromLocation('ap-southeast-2')).toBe('ap-southeast-2');
  });
});

describe('assessEncryption', () => {
  it('judges clusters and standalone instances, members through their cluster, and EBS per region', () => {
    const { findings, figures } = assessEncryption(
      {
        databases: [
          {
            region: 'us-east-1',
            clusters: [
              {
                kind: 'cluster',
                region: 'us-east-1',
                arn: 'arn:aws:rds:us-east-1:123456789012:cluster:c1',
                id: 'c1',
                engine: 'aurora-mysql',
                backupRetentionPeriod: 1,
                deletionProtection: false,
                storageEncrypted: true,
                kmsKeyId: 'k1',
                members: [{ id: 'c1-a' }],
              },
            ],
            instances: [
              {
                kind: 'instance',
                region: 'us-east-1',
                arn: 'arn:aws:rds:us-east-1:123456789012:db:c1-a',
                id: 'c1-a',
                engine: 'aurora-mysql',
                clusterId: 'c1',
                backupRetentionPeriod: 1,
                deletionProtection: false,
                storageEncrypted: true,
                parameterGroups: [],
              },
              {
                kind: 'instance',
                region: 'us-east-1',
                arn: 'arn:aws:rds:us-east-1:123456789012:db:plain',
                id: 'plain',
                engine: 'mariadb',
                backupRetentionPeriod: 1,
                deletionProtection: false,
                storageEncrypted: false,
                parameterGroups: [],
              },
            ],
          },
        ],
        buckets: [],
        ebs: [{ region: 'us-east-1', encryptionByDefault: false, unencryptedVolumeIds: ['vol-1', 'vol-2'] }],
      },
      { requireKmsForBuckets: false },
    );
    expect(findings.map((f) => [f.check, f.resource, f.status])).toEqual([
      ['rds-storage-encrypted', 'arn:aws:rds:us-east-1:123456789012:cluster:c1', 'PASS'],
      ['rds-storage-encrypted', 'arn:aws:rds:us-east-1:123456789012:db:plain', 'FAIL'],
      ['ebs-encryption-by-default', 'ec2:us-east-1:ebs-encryption-by-default', 'FAIL'],
      ['ebs-unencrypted-volumes', 'ec2:us-east-1:volumes', 'FAIL'],
    ]);
    expect(findings[0]!.detail.kmsKeyId).toBe('k1');
    expect(findings[3]!.detail).toMatchObject({ unencryptedVolumes: 2, volumeIds: ['vol-1', 'vol-2'] });
    expect(figures).toMatchObject({ databases: 2, databasesUnencrypted: 1, unencryptedVolumes: 2 });
  });
});

describe('encryption collector', () => {
  function mockHealthyRds() {
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
  }

  it('evaluates every bucket in its own region, pages through lists, and keeps regions apart', async () => {
    mockHealthyRds();
    s3.on(ListBucketsCommand).callsFake(async (input: { ContinuationToken?: string }) =>
      input.ContinuationToken
        ? { Buckets: [{ Name: 'sydney-data', BucketRegion: 'ap-southeast-2' }, { Name: 'legacy' }] }
        : {
            Buckets: [
              { Name: 'app-data', BucketRegion: 'eu-west-1' },
              { Name: 'locked', BucketRegion: 'us-east-1' },
            ],
            ContinuationToken: 'page-2',
          },
    );
    s3.on(GetBucketLocationCommand, { Bucket: 'legacy' }).resolves({});
    s3.on(GetBucketEncryptionCommand).callsFake(async (input: { Bucket: string }, getClient) => {
      const region = await regionOf(getClient);
      if (input.Bucket === 'locked') throw awsError('AccessDenied', 'Access Denied');
      const algorithm = input.Bucket === 'sydney-data' ? 'aws:kms' : 'AES256';
      return {
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: {
                SSEAlgorithm: algorithm,
                ...(algorithm === 'aws:kms'
                  ? { KMSMasterKeyID: `arn:aws:kms:${region}:123456789012:key/k1` }
                  : {}),
              },
              BucketKeyEnabled: algorithm === 'aws:kms',
            },
          ],
        },
      };
    });
    ec2.on(GetEbsEncryptionByDefaultCommand).callsFake(async (_input, getClient) => {
      if ((await regionOf(getClient)) === 'eu-west-1')
        throw awsError('UnauthorizedOperation', 'You are not authorized');
      return { EbsEncryptionByDefault: true };
    });
    ec2
      .on(DescribeVolumesCommand)
      .callsFake(async (input: { NextToken?: string }) =>
        input.NextToken
          ? { Volumes: [{ VolumeId: 'vol-2', Encrypted: false }] }
          : { Volumes: [{ VolumeId: 'vol-1', Encrypted: false }], NextToken: 'vols-2' },
      );

    const { written } = await runInTempDir(encryption, { regions: ['us-east-1', 'eu-west-1'] });

    expect(s3.commandCalls(ListBucketsCommand)).toHaveLength(2);
    expect(await regionOf(() => s3.commandCalls(ListBucketsCommand)[0]!.thisValue)).toBe('us-east-1');
    expect(s3.commandCalls(ListBucketsCommand)[0]!.args[0].input).toMatchObject({
      MaxBuckets: LIST_BUCKETS_PAGE_SIZE,
    });
    const buckets = written.findings.filter((f) => f.check === 's3-default-encryption');
    expect(buckets.map((f) => [f.detail.bucket, f.detail.region, f.detail.algorithm, f.status])).toEqual([
      ['app-data', 'eu-west-1', 'AES256', 'PASS'],
      ['sydney-data', 'ap-southeast-2', 'aws:kms', 'PASS'],
      ['legacy', 'us-east-1', 'AES256', 'PASS'],
    ]);
    expect(buckets[1]!.detail).toMatchObject({
      outsideConfiguredRegions: true,
      kmsKeyId: 'arn:aws:kms:ap-southeast-2:123456789012:key/k1',
      bucketKeyEnabled: true,
    });
    const encCalls = await Promise.all(
      s3
        .commandCalls(GetBucketEncryptionCommand)
        .map(async (c) => [c.args[0].input.Bucket, await regionOf(() => c.thisValue)]),
    );
    expect(Object.fromEntries(encCalls)).toEqual({
      'app-data': 'eu-west-1',
      locked: 'us-east-1',
      'sydney-data': 'ap-southeast-2',
      legacy: 'us-east-1',
    });

    expect(written.errors).toEqual(
      expect.arrayContaining([
        {
          region: 'us-east-1',
          api: 's3:GetBucketEncryption',
          code: 'AccessDenied',
          message: 'locked: Access Denied',
        },
        expect.objectContaining({
          region: 'eu-west-1',
          api: 'ec2:GetEbsEncryptionByDefault',
          code: 'UnauthorizedOperation',
        }),
      ]),
    );
    expect(written.errors).toHaveLength(2);
    expect(written.summary).toMatchObject({ status: 'FAIL', complete: false });
    const ebs = written.findings.filter((f) => f.check.startsWith('ebs-'));
    expect(ebs.map((f) => [f.check, f.detail.region, f.status])).toEqual([
      ['ebs-encryption-by-default', 'us-east-1', 'PASS'],
      ['ebs-unencrypted-volumes', 'us-east-1', 'FAIL'],
    ]);
    expect(ebs[1]!.detail.volumeIds).toEqual(['vol-1', 'vol-2']);
    expect(ec2.commandCalls(DescribeVolumesCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'encrypted', Values: ['false'] },
    ]);
  });

  it('requires KMS when configured and records the policy', async () => {
    mockHealthyRds();
    s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'plain', BucketRegion: 'us-east-1' }] });
    s3.on(GetBucketEncryptionCommand).resolves({
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
    ec2.on(GetEbsEncryptionByDefaultCommand).resolves({ EbsEncryptionByDefault: true });
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [] });
    const { written } = await runInTempDir(encryption, { requireKmsForBuckets: true });
    expect(written.policy).toMatchObject({ requireKmsForBuckets: true });
    expect(written.summary.status).toBe('FAIL');
    expect(written.findings.find((f) => f.check === 's3-default-encryption')!.status).toBe('FAIL');
  });

  it('turns a failed bucket listing and a persistent throttle into errors, not passes', async () => {
    rds.on(DescribeDBInstancesCommand).rejects(awsError('Throttling', 'Rate exceeded'));
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
    s3.on(ListBucketsCommand).rejects(awsError('AccessDenied', 'Access Denied'));
    ec2.on(GetEbsEncryptionByDefaultCommand).resolves({ EbsEncryptionByDefault: false });
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [] });
    const { written } = await runInTempDir(encryption);
    expect(written.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ region: 'us-east-1', api: 'rds:DescribeDBInstances', code: 'Throttling' }),
        expect.objectContaining({ region: 'us-east-1', api: 's3:ListBuckets', code: 'AccessDenied' }),
      ]),
    );
    expect(written.findings.map((f) => f.check)).toEqual([
      'ebs-encryption-by-default',
      'ebs-unencrypted-volumes',
    ]);
    expect(written.summary).toMatchObject({ status: 'FAIL', complete: false });
  });
});

describe('encryption collector at the deadline', () => {
  afterEach(() => jest.restoreAllMocks());

  it('stops reading buckets at the soft deadline and keeps RDS, EBS and the buckets read, as PARTIAL with a named error', async () => {
    // A fake clock: each bucket read takes 10 s of it, so the soft deadline (60 s in) passes mid-loop.
    let clock = Date.UTC(2026, 10, 23, 6, 0, 0);
    jest.spyOn(Date, 'now').mockImplementation(() => clock);
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [
        {
          DBInstanceIdentifier: 'orders',
          DBInstanceArn: 'arn:aws:rds:us-east-1:123456789012:db:orders',
          Engine: 'postgres',
          StorageEncrypted: true,
        },
      ],
    });
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
    ec2.on(GetEbsEncryptionByDefaultCommand).resolves({ EbsEncryptionByDefault: true });
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [] });
    s3.on(ListBucketsCommand).resolves({
      Buckets: Array.from({ length: 10 }, (_, i) => ({
        Name: `bucket-${i}`,
        BucketRegion: i % 2 === 0 ? 'us-east-1' : 'eu-west-1',
      })),
    });
    s3.on(GetBucketEncryptionCommand).callsFake(async () => {
      clock += 10_000;
      return {
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      };
    });
    const dir = mkdtempSync(join(tmpdir(), 'soc2-evidence-test-'));

    const result = await runCollector(encryption, {
      clients: new ClientFactory(),
      store: new DirectoryStore(dir),
      account: '123456789012',
      settings: { ...DEFAULT_SETTINGS, regions: ['us-east-1', 'eu-west-1'], concurrency: 1 },
      deadline: clock + SOFT_DEADLINE_MARGIN_MS + 60_000,
    });
    const written = JSON.parse(readFileSync(result.envelopeObject.location, 'utf8')) as Envelope;

    expect(written.summary).toMatchObject({ status: 'PARTIAL', complete: false });
    const checks = written.findings.map((f) => f.check);
    expect(checks.filter((c) => c === 'rds-storage-encrypted')).toHaveLength(2); // one instance answered in each region
    expect(checks.filter((c) => c === 'ebs-encryption-by-default')).toHaveLength(2);
    expect(checks.filter((c) => c === 'ebs-unencrypted-volumes')).toHaveLength(2);
    const bucketsRead = checks.filter((c) => c === 's3-default-encryption').length;
    expect(bucketsRead).toBe(s3.commandCalls(GetBucketEncryptionCommand).length);
    expect(bucketsRead).toBeGreaterThan(0);
    expect(bucketsRead).toBeLessThan(10);
    expect(written.errors).toEqual([
      {
        region: 'us-east-1',
        api: 's3:GetBucketEncryption',
        code: 'DeadlineExceeded',
        message: expect.stringMatching(
          /^\d of 5 buckets in us-east-1 were not read: the run stopped before the Lambda time limit$/,
        ),
      },
      {
        region: 'eu-west-1',
        api: 's3:GetBucketEncryption',
        code: 'DeadlineExceeded',
        message: expect.stringMatching(/^\d of 5 buckets in eu-west-1 were not read: /),
      },
    ]);
    const unread = written.errors.reduce((n, e) => n + Number(e.message.split(' ')[0]), 0);
    expect(unread + bucketsRead).toBe(10);
  });
});
