import {
  assessAccountBlock,
  assessBucket,
  assessPublicAccess,
  type PublicAccessFacts,
} from '../../../lambdas/collectors/public-access/assess';
import type { BlockSettings, BucketExposure, S3Facts } from '../../../lambdas/collectors/public-access/s3';

const ACCOUNT = '123456789012';
const ON: BlockSettings = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: true,
  restrictPublicBuckets: true,
};
const OFF: BlockSettings = {
  blockPublicAcls: false,
  ignorePublicAcls: false,
  blockPublicPolicy: false,
  restrictPublicBuckets: false,
};

function bucket(over: Partial<BucketExposure> = {}): BucketExposure {
  return {
    name: 'site',
    arn: 'arn:aws:s3:::site',
    region: 'us-east-1',
    outsideConfiguredRegions: false,
    ...over,
  };
}

const s3Facts = (over: Partial<S3Facts> = {}): S3Facts => ({
  accountBlock: { account: ACCOUNT, configured: true, settings: ON },
  bucketsListed: 0,
  perBucketReadsSkipped: true,
  buckets: [],
  bucketsNotRead: 0,
  ...over,
});

function facts(over: Partial<PublicAccessFacts> = {}): PublicAccessFacts {
  return { account: ACCOUNT, s3: s3Facts(), databases: [], rdsSnapshots: [], ebs: [], amis: [], ...over };
}

const ALL_USERS = [{ group: 'AllUsers' as const, permission: 'READ' }];

describe('s3-account-public-access-block', () => {
  it.each([
    ['all four on', { configured: true, settings: ON }, 'PASS', []],
    [
      'the two that neutralise existing grants off',
      { configured: true, settings: { ...ON, ignorePublicAcls: false, restrictPublicBuckets: false } },
      'FAIL',
      ['IgnorePublicAcls', 'RestrictPublicBuckets'],
    ],
    [
      'no configuration at all',
      { configured: false, settings: OFF },
      'FAIL',
      ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'],
    ],
  ])('%s', (_name, a, status, off) => {
    const f = assessAccountBlock({ account: ACCOUNT, ...a });
    expect(f.status).toBe(status);
    expect(f.detail.settingsOff).toEqual(off);
    expect(f.detail.configured).toBe(a.configured);
  });
});

describe('s3-bucket-public: the effective state', () => {
  it.each([
    ['public policy, nothing restricts it', bucket({ policyPublic: true, bucketBlock: 'none' }), OFF, 'FAIL'],
    [
      'public ACL (AllUsers), nothing ignores it',
      bucket({ publicGrants: ALL_USERS, bucketBlock: 'none' }),
      OFF,
      'FAIL',
    ],
    [
      'AuthenticatedUsers counts as public',
      bucket({ publicGrants: [{ group: 'AuthenticatedUsers', permission: 'WRITE' }], bucketBlock: OFF }),
      OFF,
      'FAIL',
    ],
    [
      'public policy, bucket-level RestrictPublicBuckets',
      bucket({ policyPublic: true, bucketBlock: { ...OFF, restrictPublicBuckets: true } }),
      OFF,
      'INFO',
    ],
    [
      'public policy, account-level RestrictPublicBuckets',
      bucket({ policyPublic: true }),
      { ...OFF, restrictPublicBuckets: true },
      'INFO',
    ],
    [
      'public ACL, bucket-level IgnorePublicAcls',
      bucket({ publicGrants: ALL_USERS, bucketBlock: { ...OFF, ignorePublicAcls: true } }),
      OFF,
      'INFO',
    ],
    [
      'BlockPublicPolicy alone does not neutralise an existing public policy',
      bucket({ policyPublic: true, bucketBlock: { ...OFF, blockPublicPolicy: true, blockPublicAcls: true } }),
      { ...OFF, blockPublicPolicy: true },
      'FAIL',
    ],
    [
      'public policy, the account setting unreadable',
      bucket({ policyPublic: true, bucketBlock: 'none' }),
      undefined,
      'WARN',
    ],
  ])('%s', (_name, b, account, status) => {
    expect(assessBucket(b, account)?.status).toBe(status);
  });

  it('a bucket with nothing public (or deleted mid-run) has no finding of its own', () => {
    expect(
      assessBucket(bucket({ policyPublic: false, hasPolicy: true, publicGrants: [] }), OFF),
    ).toBeUndefined();
    expect(assessBucket(bucket({ policyPublic: true, deleted: true }), OFF)).toBeUndefined();
  });

  it('names how it is public and keeps both levels of settings', () => {
    const f = assessBucket(
      bucket({ policyPublic: true, publicGrants: ALL_USERS, bucketBlock: 'none' }),
      OFF,
    )!;
    expect(f.resource).toBe('arn:aws:s3:::site');
    expect(f.detail).toMatchObject({
      publicByPolicy: true,
      publicByAcl: true,
      bucketPublicAccessBlock: 'none',
      accountPublicAccessBlock: OFF,
      reason: 'public through its bucket policy and its ACL',
    });
  });
});

describe('s3-bucket-public: the account-wide summary', () => {
  const summary = (s3: S3Facts) =>
    assessPublicAccess(facts({ s3 })).findings.filter(
      (f) => f.check === 's3-bucket-public' && !('bucket' in f.detail),
    );

  it('PASS without per-bucket reads when the account ignores ACLs and restricts policies', () => {
    const [f] = summary(s3Facts({ bucketsListed: 40 }));
    expect(f).toMatchObject({ status: 'PASS', resource: `s3:${ACCOUNT}:buckets` });
    expect(f!.detail).toMatchObject({ bucketsListed: 40, perBucketReadsSkipped: true });
  });

  it('PASS when every bucket was read and none is public; INFO when some could not be read', () => {
    const read = s3Facts({ perBucketReadsSkipped: false, bucketsListed: 2, buckets: [bucket(), bucket()] });
    expect(summary(read)[0]!.status).toBe('PASS');
    expect(summary({ ...read, bucketsListed: 3, bucketsNotRead: 1 })[0]!.status).toBe('INFO');
  });

  it('no summary when a bucket is public, or when the list itself failed', () => {
    const publicOne = s3Facts({
      accountBlock: { account: ACCOUNT, configured: false, settings: OFF },
      perBucketReadsSkipped: false,
      bucketsListed: 1,
      buckets: [bucket({ policyPublic: true, bucketBlock: 'none' })],
    });
    expect(summary(publicOne)).toEqual([]);
    const { bucketsListed: _omit, ...unlisted } = s3Facts();
    expect(summary(unlisted)).toEqual([]);
  });

  it('figures count public buckets by how they are public', () => {
    const { figures } = assessPublicAccess(
      facts({
        s3: s3Facts({
          accountBlock: { account: ACCOUNT, configured: true, settings: { ...OFF, blockPublicAcls: true } },
          perBucketReadsSkipped: false,
          bucketsListed: 4,
          buckets: [
            bucket({ policyPublic: true, bucketBlock: 'none' }),
            bucket({ publicGrants: ALL_USERS, bucketBlock: 'none' }),
            bucket({ publicGrants: ALL_USERS, bucketBlock: ON }),
            bucket({ policyPublic: false }),
          ],
        }),
      }),
    );
    expect(figures).toMatchObject({
      accountBlockPublicAccessSettingsOff: 3,
      bucketsPublic: 2,
      bucketsPublicByPolicy: 1,
      bucketsPublicByAcl: 1,
      bucketsNeutralisedByBlockPublicAccess: 1,
      bucketsRead: 4,
    });
  });
});

describe('rds-public-instance', () => {
  const instance = (id: string, publiclyAccessible: boolean, clusterId?: string) => ({
    region: 'us-east-1',
    id,
    arn: `arn:aws:rds:us-east-1:${ACCOUNT}:db:${id}`,
    engine: clusterId ? 'aurora-postgresql' : 'mysql',
    publiclyAccessible,
    ...(clusterId ? { clusterId } : {}),
  });

  it('FAIL per publicly accessible instance, cluster members included; PASS per clean region', () => {
    const { findings, figures } = assessPublicAccess(
      facts({
        databases: [
          {
            region: 'us-east-1',
            instances: [
              instance('crm', true),
              instance('orders-1', true, 'orders'),
              instance('orders-2', false),
            ],
          },
          { region: 'eu-west-1', instances: [] },
        ],
      }),
    );
    const rds = findings.filter((f) => f.check === 'rds-public-instance');
    expect(rds.map((f) => [f.status, f.resource])).toEqual([
      ['FAIL', `arn:aws:rds:us-east-1:${ACCOUNT}:db:crm`],
      ['FAIL', `arn:aws:rds:us-east-1:${ACCOUNT}:db:orders-1`],
      ['PASS', 'rds:eu-west-1:instances'],
    ]);
    expect(rds[1]!.detail).toMatchObject({ clusterId: 'orders', service: 'aurora' });
    expect(figures).toMatchObject({ dbInstances: 3, dbInstancesPublic: 2 });
  });
});

describe('rds-public-snapshot', () => {
  const snap = (
    id: string,
    restore: string[],
    kind: 'db-snapshot' | 'db-cluster-snapshot' = 'db-snapshot',
  ) => ({
    kind,
    region: 'us-east-1',
    id,
    arn: `arn:aws:rds:us-east-1:${ACCOUNT}:snapshot:${id}`,
    encrypted: false,
    restore,
  });

  it.each([
    ['restore includes all', [snap('s1', ['all'])], 0, ['FAIL']],
    [
      'a cluster snapshot shared with all',
      [snap('c1', ['all', ACCOUNT], 'db-cluster-snapshot')],
      0,
      ['FAIL'],
    ],
    ['shared with one account only', [snap('s2', [ACCOUNT])], 0, ['PASS']],
    ['nothing shared', [], 0, ['PASS']],
    ['nothing shared among those read, one unread', [], 1, ['INFO']],
  ])('%s', (_name, shared, attributesNotRead, statuses) => {
    const { findings } = assessPublicAccess(
      facts({
        rdsSnapshots: [
          { region: 'us-east-1', manualDbSnapshots: 3, manualClusterSnapshots: 1, attributesNotRead, shared },
        ],
      }),
    );
    expect(findings.filter((f) => f.check === 'rds-public-snapshot').map((f) => f.status)).toEqual(statuses);
  });
});

describe('ebs-public-snapshot', () => {
  const publicSnapshot = {
    id: 'snap-1',
    arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:snapshot/snap-1`,
    encrypted: false,
  };
  it.each([
    ['public, sharing unblocked', 'unblocked', [publicSnapshot], ['FAIL']],
    ['public, block-new-sharing leaves it public', 'block-new-sharing', [publicSnapshot], ['FAIL']],
    [
      'shared with all but block-all-sharing keeps it private',
      'block-all-sharing',
      [publicSnapshot],
      ['INFO', 'PASS'],
    ],
    ['none public', 'unblocked', [], ['PASS']],
  ])('%s', (_name, blockState, publicSnapshots, statuses) => {
    const { findings } = assessPublicAccess(
      facts({ ebs: [{ region: 'us-east-1', blockState, publicSnapshots }] }),
    );
    const ebs = findings.filter((f) => f.check === 'ebs-public-snapshot');
    expect(ebs.map((f) => f.status)).toEqual(statuses);
    expect(ebs[0]!.detail.blockPublicAccessState).toBe(blockState);
  });
});

describe('ami-public', () => {
  const image = { id: 'ami-1', arn: 'arn:aws:ec2:us-east-1::image/ami-1', name: 'base' };
  it.each([
    ['public, unblocked', 'unblocked', [image], ['FAIL']],
    ['public, block-new-sharing does not make it private', 'block-new-sharing', [image], ['FAIL']],
    ['none public', 'block-new-sharing', [], ['PASS']],
  ])('%s', (_name, blockState, publicImages, statuses) => {
    const { findings, figures } = assessPublicAccess(
      facts({ amis: [{ region: 'us-east-1', blockState, publicImages }] }),
    );
    expect(findings.filter((f) => f.check === 'ami-public').map((f) => f.status)).toEqual(statuses);
    expect(figures.amisPublic).toBe(publicImages.length);
  });
});
