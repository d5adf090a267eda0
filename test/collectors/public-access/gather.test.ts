import {
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  GetImageBlockPublicAccessStateCommand,
  GetSnapshotBlockPublicAccessStateCommand,
} from '@aws-sdk/client-ec2';
import {
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotAttributesCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import {
  GetBucketAclCommand,
  GetBucketPolicyStatusCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  GetPublicAccessBlockCommand as GetAccountBlockCommand,
  S3ControlClient,
} from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import { ClientFactory } from '../../../lambdas/aws/client-factory';
import { runWithDeadline } from '../../../lambdas/aws/deadline';
import type { GatherContext } from '../../../lambdas/collectors/collector';
import { publicAccess } from '../../../lambdas/collectors/public-access/collector';
import { memoFrom } from '../../../lambdas/run-collector';
import { DEFAULT_SETTINGS } from '../../../lambdas/settings';
import { runInTempDir } from '../../helpers/run';
import { awsError, regionOf } from '../../helpers/regional-mock';

const ACCOUNT = '123456789012';
const REGIONS = ['us-east-1', 'eu-west-1'];
const s3 = mockClient(S3Client);
const s3control = mockClient(S3ControlClient);
const rds = mockClient(RDSClient);
const ec2 = mockClient(EC2Client);

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

function context(account: string | undefined = ACCOUNT): GatherContext {
  return {
    clients: new ClientFactory(),
    settings: { ...DEFAULT_SETTINGS, regions: REGIONS },
    now: new Date('2026-11-23T06:00:00Z'),
    memo: memoFrom(new Map()),
    ...(account ? { account } : {}),
  };
}

/** A quiet account: nothing public anywhere, every API answering. */
function quietAccount(): void {
  s3control.on(GetAccountBlockCommand).resolves({ PublicAccessBlockConfiguration: ALL_ON });
  s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'site', BucketRegion: 'us-east-1' }] });
  rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
  rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
  rds.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [] });
  rds.on(DescribeDBClusterSnapshotsCommand).resolves({ DBClusterSnapshots: [] });
  ec2.on(GetSnapshotBlockPublicAccessStateCommand).resolves({ State: 'unblocked' });
  ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
  ec2.on(GetImageBlockPublicAccessStateCommand).resolves({ ImageBlockPublicAccessState: 'unblocked' });
  ec2.on(DescribeImagesCommand).resolves({ Images: [] });
}

beforeEach(() => {
  for (const m of [s3, s3control, rds, ec2]) m.reset();
  quietAccount();
});

describe('public-access gather: S3', () => {
  it('reads no bucket one by one when the account ignores public ACLs and restricts public buckets', async () => {
    const g = await publicAccess.gather(context());
    expect(g.errors).toEqual([]);
    expect(s3control.commandCalls(GetAccountBlockCommand)[0]!.args[0].input).toEqual({ AccountId: ACCOUNT });
    for (const c of [GetPublicAccessBlockCommand, GetBucketPolicyStatusCommand, GetBucketAclCommand])
      expect(s3.commandCalls(c)).toHaveLength(0);
    expect(g.facts.s3).toMatchObject({ perBucketReadsSkipped: true, bucketsListed: 1 });
    const f = publicAccess.assess(g.facts, DEFAULT_SETTINGS, new Date());
    expect(f.findings.filter((x) => x.check.startsWith('s3-')).map((x) => x.status)).toEqual([
      'PASS',
      'PASS',
    ]);
  });

  it('no account configuration: reads each bucket as far as needed, and finds the public one', async () => {
    s3control
      .on(GetAccountBlockCommand)
      .rejects(
        awsError(
          'NoSuchPublicAccessBlockConfiguration',
          'The public access block configuration was not found',
        ),
      );
    s3.on(ListBucketsCommand).resolves({
      Buckets: [
        { Name: 'modern', BucketRegion: 'us-east-1' },
        { Name: 'site', BucketRegion: 'eu-west-1' },
        { Name: 'gone', BucketRegion: 'us-east-1' },
      ],
    });
    s3.on(GetPublicAccessBlockCommand, { Bucket: 'modern' }).resolves({
      PublicAccessBlockConfiguration: ALL_ON,
    });
    s3.on(GetPublicAccessBlockCommand, { Bucket: 'site' }).rejects(
      awsError('NoSuchPublicAccessBlockConfiguration', 'none'),
    );
    s3.on(GetPublicAccessBlockCommand, { Bucket: 'gone' }).rejects(awsError('NoSuchBucket', 'gone'));
    s3.on(GetBucketPolicyStatusCommand, { Bucket: 'site' }).resolves({ PolicyStatus: { IsPublic: true } });
    s3.on(GetBucketAclCommand, { Bucket: 'site' }).resolves({
      Grants: [
        { Grantee: { Type: 'CanonicalUser', ID: 'owner' }, Permission: 'FULL_CONTROL' },
        {
          Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' },
          Permission: 'READ',
        },
        {
          Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/s3/LogDelivery' },
          Permission: 'WRITE',
        },
      ],
    });
    const g = await publicAccess.gather(context());
    expect(g.errors).toEqual([]);
    // `modern` has all four settings on: one read settles it.
    expect(s3.commandCalls(GetBucketPolicyStatusCommand).map((c) => c.args[0].input.Bucket)).toEqual([
      'site',
    ]);
    expect(s3.commandCalls(GetBucketAclCommand).map((c) => c.args[0].input.Bucket)).toEqual(['site']);
    // Each bucket read through its own region.
    expect(await regionOf(() => s3.commandCalls(GetBucketAclCommand)[0]!.thisValue)).toBe('eu-west-1');
    const { findings, figures } = publicAccess.assess(g.facts, DEFAULT_SETTINGS, new Date());
    const s3Findings = findings.filter((f) => f.check.startsWith('s3-'));
    expect(s3Findings.map((f) => [f.check, f.status, f.resource])).toEqual([
      ['s3-account-public-access-block', 'FAIL', `s3:${ACCOUNT}:account-public-access-block`],
      ['s3-bucket-public', 'FAIL', 'arn:aws:s3:::site'],
    ]);
    expect(s3Findings[1]!.detail).toMatchObject({
      publicByPolicy: true,
      publicByAcl: true,
      publicAclGrants: [{ group: 'AllUsers', permission: 'READ' }],
    });
    expect(figures).toMatchObject({ bucketsListed: 3, bucketsRead: 2, bucketsPublic: 1 });
  });

  it('account ignores ACLs but not policies: only the policy status is read, the bucket settings only when public', async () => {
    s3control.on(GetAccountBlockCommand).resolves({
      PublicAccessBlockConfiguration: { ...ALL_ON, RestrictPublicBuckets: false },
    });
    s3.on(ListBucketsCommand).resolves({
      Buckets: [
        { Name: 'private', BucketRegion: 'us-east-1' },
        { Name: 'nopolicy', BucketRegion: 'us-east-1' },
        { Name: 'restricted', BucketRegion: 'us-east-1' },
      ],
    });
    s3.on(GetBucketPolicyStatusCommand, { Bucket: 'private' }).resolves({
      PolicyStatus: { IsPublic: false },
    });
    s3.on(GetBucketPolicyStatusCommand, { Bucket: 'nopolicy' }).rejects(
      awsError('NoSuchBucketPolicy', 'none'),
    );
    s3.on(GetBucketPolicyStatusCommand, { Bucket: 'restricted' }).resolves({
      PolicyStatus: { IsPublic: true },
    });
    s3.on(GetPublicAccessBlockCommand, { Bucket: 'restricted' }).resolves({
      PublicAccessBlockConfiguration: { ...NEW_ONLY, RestrictPublicBuckets: true },
    });
    const g = await publicAccess.gather(context());
    expect(g.errors).toEqual([]);
    expect(s3.commandCalls(GetBucketAclCommand)).toHaveLength(0);
    expect(s3.commandCalls(GetPublicAccessBlockCommand).map((c) => c.args[0].input.Bucket)).toEqual([
      'restricted',
    ]);
    expect(g.facts.s3.buckets.find((b) => b.name === 'nopolicy')).toMatchObject({
      hasPolicy: false,
      policyPublic: false,
    });
    const buckets = publicAccess
      .assess(g.facts, DEFAULT_SETTINGS, new Date())
      .findings.filter((f) => f.check === 's3-bucket-public');
    expect(buckets.map((f) => [f.status, f.resource])).toEqual([
      ['INFO', 'arn:aws:s3:::restricted'],
      ['PASS', `s3:${ACCOUNT}:buckets`],
    ]);
  });

  it('an unreadable account setting is an error entry; buckets are still read and an exposed one is WARN', async () => {
    s3control.on(GetAccountBlockCommand).rejects(awsError('AccessDenied', 'Access Denied'));
    s3.on(GetPublicAccessBlockCommand).rejects(awsError('NoSuchPublicAccessBlockConfiguration', 'none'));
    s3.on(GetBucketPolicyStatusCommand).resolves({ PolicyStatus: { IsPublic: true } });
    s3.on(GetBucketAclCommand).resolves({ Grants: [] });
    const g = await publicAccess.gather(context());
    expect(g.errors).toEqual([
      expect.objectContaining({
        region: 'us-east-1',
        api: 's3:GetAccountPublicAccessBlock',
        code: 'AccessDenied',
      }),
    ]);
    const { findings } = publicAccess.assess(g.facts, DEFAULT_SETTINGS, new Date());
    expect(findings.filter((f) => f.check.startsWith('s3-')).map((f) => f.status)).toEqual(['WARN']);
  });

  it('without an account id the account read is an error entry, not a guess', async () => {
    s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: ALL_ON });
    const g = await publicAccess.gather(context(''));
    expect(s3control.commandCalls(GetAccountBlockCommand)).toHaveLength(0);
    expect(g.errors).toEqual([expect.objectContaining({ code: 'AccountUnknown' })]);
  });

  it('a bucket whose read fails is an error entry naming it, and the summary says some were not read', async () => {
    s3control.on(GetAccountBlockCommand).resolves({ PublicAccessBlockConfiguration: NEW_ONLY });
    s3.on(ListBucketsCommand).resolves({
      Buckets: [
        { Name: 'locked', BucketRegion: 'us-east-1' },
        { Name: 'fine', BucketRegion: 'us-east-1' },
      ],
    });
    s3.on(GetPublicAccessBlockCommand, { Bucket: 'fine' }).resolves({
      PublicAccessBlockConfiguration: ALL_ON,
    });
    s3.on(GetPublicAccessBlockCommand, { Bucket: 'locked' }).resolves({
      PublicAccessBlockConfiguration: NEW_ONLY,
    });
    s3.on(GetBucketPolicyStatusCommand).rejects(awsError('AccessDenied', 'Access Denied'));
    const g = await publicAccess.gather(context());
    expect(g.errors).toEqual([
      expect.objectContaining({
        api: 's3:GetBucketPolicyStatus',
        code: 'AccessDenied',
        message: 'locked: Access Denied',
      }),
    ]);
    const summary = publicAccess
      .assess(g.facts, DEFAULT_SETTINGS, new Date())
      .findings.find((f) => f.resource === `s3:${ACCOUNT}:buckets`);
    expect(summary).toMatchObject({ status: 'INFO', detail: { bucketsNotRead: 1, bucketsRead: 1 } });
  });
});

describe('public-access gather: regional reads', () => {
  it('follows truncated pages (an empty page with a token included) and keeps only public snapshots and AMIs', async () => {
    ec2.on(DescribeSnapshotsCommand).callsFake(async (input: { NextToken?: string }, getClient) => {
      if ((await regionOf(getClient)) === 'eu-west-1') return { Snapshots: [] };
      if (!input.NextToken) return { Snapshots: [], NextToken: 't1' };
      if (input.NextToken === 't1')
        return { Snapshots: [{ SnapshotId: 'snap-1', OwnerId: ACCOUNT, Encrypted: false }], NextToken: 't2' };
      return { Snapshots: [{ SnapshotId: 'snap-2', OwnerId: ACCOUNT, Encrypted: false }] };
    });
    ec2.on(DescribeImagesCommand).callsFake(async (_input, getClient) =>
      (await regionOf(getClient)) === 'us-east-1'
        ? {
            Images: [
              { ImageId: 'ami-1', Public: true, Name: 'base' },
              { ImageId: 'ami-2', Public: false },
            ],
          }
        : { Images: [] },
    );
    const g = await publicAccess.gather(context());
    expect(g.errors).toEqual([]);
    const input = ec2.commandCalls(DescribeSnapshotsCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ OwnerIds: ['self'], RestorableByUserIds: ['all'], MaxResults: 1000 });
    expect(ec2.commandCalls(DescribeImagesCommand)[0]!.args[0].input).toMatchObject({
      Owners: ['self'],
      Filters: [{ Name: 'is-public', Values: ['true'] }],
    });
    const { findings } = publicAccess.assess(g.facts, DEFAULT_SETTINGS, new Date());
    expect(
      findings.filter((f) => f.check === 'ebs-public-snapshot').map((f) => [f.status, f.resource]),
    ).toEqual([
      ['FAIL', `arn:aws:ec2:us-east-1:${ACCOUNT}:snapshot/snap-1`],
      ['FAIL', `arn:aws:ec2:us-east-1:${ACCOUNT}:snapshot/snap-2`],
      ['PASS', 'ec2:eu-west-1:snapshots'],
    ]);
    expect(findings.filter((f) => f.check === 'ami-public').map((f) => [f.status, f.resource])).toEqual([
      ['FAIL', 'arn:aws:ec2:us-east-1::image/ami-1'],
      ['PASS', 'ec2:eu-west-1:images'],
    ]);
  });

  it('access denied in one region is an error entry for it; the other region is still judged', async () => {
    ec2.on(GetSnapshotBlockPublicAccessStateCommand).callsFake(async (_input, getClient) => {
      if ((await regionOf(getClient)) === 'eu-west-1') throw awsError('UnauthorizedOperation', 'denied');
      return { State: 'block-all-sharing' };
    });
    const g = await publicAccess.gather(context());
    expect(g.errors).toEqual([
      expect.objectContaining({
        region: 'eu-west-1',
        api: 'ec2:GetSnapshotBlockPublicAccessState',
        code: 'UnauthorizedOperation',
      }),
    ]);
    const ebs = publicAccess
      .assess(g.facts, DEFAULT_SETTINGS, new Date())
      .findings.filter((f) => f.check === 'ebs-public-snapshot');
    expect(ebs.map((f) => f.resource)).toEqual(['ec2:us-east-1:snapshots']);
    expect(ebs[0]!.detail.blockPublicAccessState).toBe('block-all-sharing');
  });

  it('reads the restore attribute of each manual snapshot across pages; a failed read names its snapshot', async () => {
    rds.on(DescribeDBSnapshotsCommand).callsFake(async (input: { Marker?: string }, getClient) => {
      if ((await regionOf(getClient)) === 'eu-west-1') return { DBSnapshots: [] };
      return input.Marker
        ? {
            DBSnapshots: [
              { DBSnapshotIdentifier: 'handover', DBSnapshotArn: 'arn:handover', Encrypted: false },
            ],
          }
        : { DBSnapshots: [{ DBSnapshotIdentifier: 'private', DBSnapshotArn: 'arn:private' }], Marker: 'm1' };
    });
    rds.on(DescribeDBClusterSnapshotsCommand).callsFake(async (_input, getClient) =>
      (await regionOf(getClient)) === 'eu-west-1'
        ? {
            DBClusterSnapshots: [
              { DBClusterSnapshotIdentifier: 'orders-pre', DBClusterSnapshotArn: 'arn:orders-pre' },
            ],
          }
        : { DBClusterSnapshots: [{ DBClusterSnapshotIdentifier: 'broken' }] },
    );
    const restore = (values: string[]) => [{ AttributeName: 'restore', AttributeValues: values }];
    rds.on(DescribeDBSnapshotAttributesCommand, { DBSnapshotIdentifier: 'private' }).resolves({
      DBSnapshotAttributesResult: { DBSnapshotAttributes: restore([]) },
    });
    rds.on(DescribeDBSnapshotAttributesCommand, { DBSnapshotIdentifier: 'handover' }).resolves({
      DBSnapshotAttributesResult: { DBSnapshotAttributes: restore(['all']) },
    });
    rds
      .on(DescribeDBClusterSnapshotAttributesCommand, { DBClusterSnapshotIdentifier: 'orders-pre' })
      .resolves({
        DBClusterSnapshotAttributesResult: { DBClusterSnapshotAttributes: restore(['all']) },
      });
    rds
      .on(DescribeDBClusterSnapshotAttributesCommand, { DBClusterSnapshotIdentifier: 'broken' })
      .rejects(awsError('AccessDenied', 'denied'));
    const g = await publicAccess.gather(context());
    expect(rds.commandCalls(DescribeDBSnapshotsCommand)[0]!.args[0].input).toMatchObject({
      SnapshotType: 'manual',
      MaxRecords: 100,
    });
    expect(g.errors).toEqual([
      expect.objectContaining({
        region: 'us-east-1',
        api: 'rds:DescribeDBClusterSnapshotAttributes',
        message: 'broken: denied',
      }),
    ]);
    const { findings, figures } = publicAccess.assess(g.facts, DEFAULT_SETTINGS, new Date());
    expect(
      findings.filter((f) => f.check === 'rds-public-snapshot').map((f) => [f.status, f.resource]),
    ).toEqual([
      ['FAIL', 'arn:handover'],
      ['FAIL', 'arn:orders-pre'],
    ]);
    expect(figures).toMatchObject({
      manualDbSnapshots: 2,
      manualDbClusterSnapshots: 2,
      dbSnapshotsPublic: 2,
    });
  });

  it('judges PubliclyAccessible from the shared databases reader', async () => {
    rds.on(DescribeDBInstancesCommand).callsFake(async (_input, getClient) =>
      (await regionOf(getClient)) === 'us-east-1'
        ? {
            DBInstances: [
              {
                DBInstanceIdentifier: 'crm',
                DBInstanceArn: 'arn:crm',
                Engine: 'mysql',
                PubliclyAccessible: true,
              },
              { DBInstanceIdentifier: 'app', DBInstanceArn: 'arn:app', Engine: 'postgres' },
            ],
          }
        : { DBInstances: [] },
    );
    const g = await publicAccess.gather(context());
    const rdsFindings = publicAccess
      .assess(g.facts, DEFAULT_SETTINGS, new Date())
      .findings.filter((f) => f.check === 'rds-public-instance');
    expect(rdsFindings.map((f) => [f.status, f.resource])).toEqual([
      ['FAIL', 'arn:crm'],
      ['PASS', 'rds:eu-west-1:instances'],
    ]);
  });
});

describe('public-access end to end', () => {
  it('writes a valid envelope with its reduced sources, the account id coming from the run', async () => {
    const run = await runInTempDir(publicAccess, { regions: REGIONS });
    expect(run.written.errors).toEqual([]);
    expect(run.written.findings.every((f) => f.status === 'PASS')).toBe(true);
    expect(run.written.sources.map((s) => s.name).sort()).toEqual([
      'ec2-public-access.json',
      'rds-public-access.json',
      's3-public-access.json',
    ]);
    expect(s3control.commandCalls(GetAccountBlockCommand)[0]!.args[0].input).toEqual({ AccountId: ACCOUNT });
  });
});

describe('public-access gather at the deadline', () => {
  // A fake clock: each per-resource read takes 10 s of it; the soft deadline comes 25 s in, during the third.
  let clock = 0;
  beforeEach(() => {
    clock = Date.UTC(2026, 10, 23, 6, 0, 0);
    jest.spyOn(Date, 'now').mockImplementation(() => clock);
  });
  afterEach(() => jest.restoreAllMocks());
  const gatherToDeadline = () =>
    runWithDeadline(clock + 25_000, () =>
      publicAccess.gather({
        ...context(),
        settings: { ...DEFAULT_SETTINGS, regions: REGIONS, concurrency: 1 },
      }),
    );

  it('reads no snapshot attribute after the soft deadline, and counts those left unread', async () => {
    rds.on(DescribeDBSnapshotsCommand).callsFake(async (_input, getClient) =>
      (await regionOf(getClient)) === 'eu-west-1'
        ? { DBSnapshots: [] }
        : {
            DBSnapshots: Array.from({ length: 4 }, (_, i) => ({
              DBSnapshotIdentifier: `snap-${i}`,
              DBSnapshotArn: `arn:snap-${i}`,
            })),
          },
    );
    rds.on(DescribeDBSnapshotAttributesCommand).callsFake(async () => {
      clock += 10_000;
      return { DBSnapshotAttributesResult: { DBSnapshotAttributes: [{ AttributeName: 'restore' }] } };
    });

    const g = await gatherToDeadline();

    expect(rds.commandCalls(DescribeDBSnapshotAttributesCommand)).toHaveLength(3);
    expect(g.errors).toEqual([
      {
        region: 'us-east-1',
        api: 'rds:DescribeDBSnapshotAttributes',
        code: 'DeadlineExceeded',
        message:
          '1 of 4 manual DB snapshots in us-east-1 were not read: the run stopped before the Lambda time limit',
      },
    ]);
    expect(g.facts.rdsSnapshots.find((r) => r.region === 'us-east-1')).toMatchObject({
      manualDbSnapshots: 4,
      attributesNotRead: 1,
    });
  });

  it('reads no bucket after the soft deadline; the buckets left count as not read', async () => {
    s3control.on(GetAccountBlockCommand).rejects(awsError('NoSuchPublicAccessBlockConfiguration', 'none'));
    s3.on(ListBucketsCommand).resolves({
      Buckets: Array.from({ length: 4 }, (_, i) => ({ Name: `b${i}`, BucketRegion: 'us-east-1' })),
    });
    s3.on(GetPublicAccessBlockCommand).callsFake(async () => {
      clock += 10_000;
      return { PublicAccessBlockConfiguration: ALL_ON };
    });

    const g = await gatherToDeadline();

    expect(g.facts.s3).toMatchObject({ bucketsListed: 4, bucketsNotRead: 1 });
    expect(g.facts.s3.buckets.map((b) => b.name)).toEqual(['b0', 'b1', 'b2']);
    expect(g.errors).toEqual([
      {
        region: 'us-east-1',
        api: 's3:GetBucketPublicAccessBlock',
        code: 'DeadlineExceeded',
        message: '1 of 4 buckets in us-east-1 were not read: the run stopped before the Lambda time limit',
      },
    ]);
  });
});
