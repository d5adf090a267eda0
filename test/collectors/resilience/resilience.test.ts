import { BackupClient, ListBackupVaultsCommand, ListProtectedResourcesCommand } from '@aws-sdk/client-backup';
import {
  DescribeContinuousBackupsCommand,
  DynamoDBClient,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import {
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import {
  assessCoverage,
  assessDeletionProtection,
  assessMultiAz,
  assessPitr,
  assessResilience,
  assessVault,
  assessVersioning,
  resilience,
  type BucketVersioning,
  type ResilienceFacts,
  type TableFacts,
  type VaultFacts,
} from '../../../lambdas/collectors/resilience/collector';
import type { DbClusterFacts, DbInstanceFacts } from '../../../lambdas/readers/databases';
import { ClientFactory } from '../../../lambdas/aws/client-factory';
import { runWithDeadline } from '../../../lambdas/aws/deadline';
import { memoFrom } from '../../../lambdas/run-collector';
import { DEFAULT_SETTINGS } from '../../../lambdas/settings';
import { ACCOUNT, NOW, runInTempDir } from '../../helpers/run';
import { awsError, regionOf } from '../../helpers/regional-mock';

const rds = mockClient(RDSClient);
const ddb = mockClient(DynamoDBClient);
const s3 = mockClient(S3Client);
const backup = mockClient(BackupClient);
beforeEach(() => {
  rds.reset();
  ddb.reset();
  s3.reset();
  backup.reset();
});

const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY).toISOString();
const NO_TAGS = { productionTag: undefined, versioningExemptTag: undefined };
const PROD = { key: 'Environment', value: 'production' };

function instance(id: string, over: Partial<DbInstanceFacts> = {}): DbInstanceFacts {
  return {
    kind: 'instance',
    region: 'us-east-1',
    arn: `arn:aws:rds:us-east-1:123456789012:db:${id}`,
    id,
    engine: 'postgres',
    status: 'available',
    backupRetentionPeriod: 7,
    deletionProtection: true,
    storageEncrypted: true,
    multiAz: true,
    tags: { Environment: 'production' },
    parameterGroups: [],
    ...over,
  };
}

function cluster(id: string, over: Partial<DbClusterFacts> = {}): DbClusterFacts {
  return {
    kind: 'cluster',
    region: 'us-east-1',
    arn: `arn:aws:rds:us-east-1:123456789012:cluster:${id}`,
    id,
    engine: 'aurora-postgresql',
    status: 'available',
    backupRetentionPeriod: 7,
    deletionProtection: true,
    storageEncrypted: true,
    multiAz: true,
    tags: {},
    members: [{ id: `${id}-1` }, { id: `${id}-2` }],
    ...over,
  };
}

describe('rds-multi-az and rds-deletion-protection', () => {
  it.each([
    ['Multi-AZ production instance', instance('a'), NO_TAGS, 'PASS'],
    ['single-AZ production instance', instance('b', { multiAz: false }), NO_TAGS, 'FAIL'],
    ['Aurora cluster with instances in two AZs', cluster('c'), NO_TAGS, 'PASS'],
    [
      'Aurora cluster with one instance',
      cluster('d', { multiAz: false, members: [{ id: 'd-1' }] }),
      NO_TAGS,
      'FAIL',
    ],
    [
      'single-AZ instance without the production tag',
      instance('e', { multiAz: false, tags: {} }),
      { productionTag: PROD },
      'INFO',
    ],
    [
      'single-AZ instance tagged production',
      instance('f', { multiAz: false }),
      { productionTag: PROD },
      'FAIL',
    ],
    [
      'tag of another value',
      instance('g', { multiAz: false, tags: { Environment: 'staging' } }),
      { productionTag: PROD },
      'INFO',
    ],
    [
      'key-only tag matches any value',
      instance('h', { multiAz: false, tags: { Environment: 'x' } }),
      { productionTag: { key: 'Environment' } },
      'FAIL',
    ],
    ['read replica', instance('r', { multiAz: false, replicaSource: 'a' }), NO_TAGS, 'INFO'],
  ])('Multi-AZ: %s', (_name, db, settings, expected) => {
    const f = assessMultiAz(db, settings);
    expect(f.status).toBe(expected);
    expect(f.resource).toBe(db.arn);
  });

  it('judges an Aurora cluster on the cluster, and records what it judged', () => {
    const f = assessMultiAz(cluster('c', { multiAz: false }), NO_TAGS);
    expect(f.detail).toMatchObject({
      kind: 'cluster',
      service: 'aurora',
      multiAz: false,
      members: ['c-1', 'c-2'],
    });
    expect(f.detail.judgedOn).toMatch(/^cluster MultiAZ/);
  });

  it.each([
    ['protected instance', instance('a'), NO_TAGS, 'PASS'],
    ['unprotected instance', instance('b', { deletionProtection: false }), NO_TAGS, 'FAIL'],
    ['unprotected cluster', cluster('c', { deletionProtection: false }), NO_TAGS, 'FAIL'],
    [
      'unprotected non-production instance',
      instance('d', { deletionProtection: false, tags: {} }),
      { productionTag: PROD },
      'INFO',
    ],
    [
      'unprotected read replica',
      instance('e', { deletionProtection: false, replicaSource: 'a' }),
      NO_TAGS,
      'INFO',
    ],
  ])('deletion protection: %s', (_name, db, settings, expected) => {
    expect(assessDeletionProtection(db, settings).status).toBe(expected);
  });

  it('judges cluster members through their cluster only', () => {
    const facts: ResilienceFacts = {
      databases: [
        {
          region: 'us-east-1',
          instances: [instance('c-1', { clusterId: 'c', multiAz: false, deletionProtection: false })],
          clusters: [cluster('c')],
        },
      ],
      tables: [],
      buckets: [],
      protectedResources: [],
      vaults: [],
    };
    const { findings, figures } = assessResilience(facts, NO_TAGS, NOW);
    expect(findings.map((f) => [f.check, f.resource.split(':').pop(), f.status])).toEqual([
      ['rds-multi-az', 'c', 'PASS'],
      ['rds-deletion-protection', 'c', 'PASS'],
    ]);
    expect(figures).toMatchObject({ databases: 1, databasesWithoutMultiAz: 0 });
  });
});

const table = (name: string, pitr: string, over: Partial<TableFacts> = {}): TableFacts => ({
  region: 'us-east-1',
  name,
  arn: `arn:aws:dynamodb:us-east-1:123456789012:table/${name}`,
  pitr,
  ...over,
});

describe('dynamodb-pitr', () => {
  it.each([
    ['ENABLED', 'PASS'],
    ['DISABLED', 'FAIL'],
  ])('%s → %s', (pitr, expected) => {
    expect(assessPitr(table('t', pitr, { recoveryPeriodDays: 35 })).status).toBe(expected);
  });

  it('records the recovery period', () => {
    expect(assessPitr(table('t', 'ENABLED', { recoveryPeriodDays: 7 })).detail).toMatchObject({
      pointInTimeRecoveryStatus: 'ENABLED',
      recoveryPeriodDays: 7,
    });
  });
});

const bucket = (
  name: string,
  versioning: BucketVersioning['versioning'],
  over: Partial<BucketVersioning> = {},
) => ({
  name,
  arn: `arn:aws:s3:::${name}`,
  region: 'us-east-1',
  outsideConfiguredRegions: false,
  versioning,
  ...over,
});

describe('s3-versioning', () => {
  const LOGS = { versioningExemptTag: { key: 'Purpose', value: 'logs' } };
  it.each([
    ['versioned', bucket('a', 'Enabled'), NO_TAGS, 'PASS'],
    ['suspended', bucket('b', 'Suspended'), NO_TAGS, 'FAIL'],
    ['never versioned', bucket('c', 'Never'), NO_TAGS, 'FAIL'],
    ['log bucket exempt by tag', bucket('logs', 'Never', { tags: { Purpose: 'logs' } }), LOGS, 'INFO'],
    [
      'tag without a configured exemption',
      bucket('logs', 'Never', { tags: { Purpose: 'logs' } }),
      NO_TAGS,
      'FAIL',
    ],
    ['another tag value', bucket('d', 'Never', { tags: { Purpose: 'data' } }), LOGS, 'FAIL'],
    ['no tags at all', bucket('e', 'Suspended', { tags: {} }), LOGS, 'FAIL'],
  ])('%s', (_name, b, settings, expected) => {
    expect(assessVersioning(b, settings).status).toBe(expected);
  });
});

describe('backup-plan-coverage', () => {
  const subject = {
    arn: 'arn:aws:rds:us-east-1:123456789012:db:a',
    region: 'us-east-1',
    type: 'RDS',
    name: 'a',
    production: true,
    replica: false,
  };
  const prot = (days?: number) => ({
    arn: subject.arn,
    type: 'RDS',
    ...(days === undefined ? {} : { lastBackupTime: daysAgo(days) }),
  });
  it.each([
    ['backed up a day ago', subject, prot(1), 'PASS'],
    ['backed up 35 days ago (a monthly plan)', subject, prot(35), 'PASS'],
    ['last backed up 90 days ago', subject, prot(90), 'WARN'],
    ['listed without a last backup time', subject, prot(), 'WARN'],
    ['never backed up, production', subject, undefined, 'FAIL'],
    ['never backed up, not production', { ...subject, production: false }, undefined, 'INFO'],
    ['read replica', { ...subject, replica: true }, undefined, 'INFO'],
  ])('%s', (_name, s, p, expected) => {
    expect(assessCoverage(s, p, NO_TAGS, NOW).status).toBe(expected);
  });

  it('matches databases by ARN and tables by name, only in regions whose protected resources were read', () => {
    const facts: ResilienceFacts = {
      databases: [
        { region: 'us-east-1', instances: [instance('covered'), instance('bare')], clusters: [] },
        { region: 'eu-west-1', instances: [instance('elsewhere', { region: 'eu-west-1' })], clusters: [] },
      ],
      tables: [
        {
          region: 'us-east-1',
          tables: [table('orders', 'ENABLED', { arn: 'arn:aws:dynamodb:us-east-1::table/orders' })],
        },
      ],
      buckets: [],
      protectedResources: [
        {
          region: 'us-east-1',
          resources: [
            { arn: 'arn:aws:rds:us-east-1:123456789012:db:covered', type: 'RDS', lastBackupTime: daysAgo(1) },
            {
              arn: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders',
              type: 'DynamoDB',
              lastBackupTime: daysAgo(2),
            },
          ],
        },
      ],
      vaults: [],
    };
    const { findings, figures } = assessResilience(facts, NO_TAGS, NOW);
    expect(
      findings
        .filter((f) => f.check === 'backup-plan-coverage')
        .map((f) => [f.detail.name, f.detail.resourceType, f.status]),
    ).toEqual([
      ['covered', 'RDS', 'PASS'],
      ['bare', 'RDS', 'FAIL'],
      ['orders', 'DynamoDB', 'PASS'],
    ]);
    expect(figures).toMatchObject({
      coverageJudged: 3,
      unprotectedProductionResources: 1,
      protectedResources: 2,
    });
  });
});

const vault = (over: Partial<VaultFacts> = {}): VaultFacts => ({
  region: 'us-east-1',
  name: 'v',
  arn: 'arn:aws:backup:us-east-1:123456789012:backup-vault:v',
  recoveryPoints: 10,
  locked: false,
  ...over,
});

describe('backup-vault-lock', () => {
  it.each([
    [
      'compliance lock past its lock date',
      vault({ locked: true, lockDate: daysAgo(10) }),
      'PASS',
      'compliance',
    ],
    [
      'compliance lock within its grace period',
      vault({ locked: true, lockDate: daysAgo(-2) }),
      'WARN',
      'compliance (grace period)',
    ],
    ['governance lock (no lock date)', vault({ locked: true }), 'WARN', 'governance'],
    ['unlocked with recovery points', vault(), 'FAIL', 'none'],
    ['unlocked and empty', vault({ recoveryPoints: 0 }), 'INFO', 'none'],
  ])('%s', (_name, v, expected, mode) => {
    const f = assessVault(v, NOW);
    expect(f.status).toBe(expected);
    expect(f.detail.lockMode).toBe(mode);
  });
});

describe('resilience collector', () => {
  afterEach(() => jest.restoreAllMocks());
  function mockAccount() {
    rds.on(DescribeDBInstancesCommand).callsFake(async (_input, getClient) => ({
      DBInstances: [
        {
          DBInstanceArn: `arn:aws:rds:${await regionOf(getClient)}:123456789012:db:main`,
          DBInstanceIdentifier: 'main',
          Engine: 'postgres',
          MultiAZ: false,
          DeletionProtection: true,
          TagList: [{ Key: 'Environment', Value: 'production' }],
        },
      ],
    }));
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
    ddb
      .on(ListTablesCommand)
      .callsFake((input: { ExclusiveStartTableName?: string }) =>
        !input.ExclusiveStartTableName
          ? { TableNames: ['a', 'gone'], LastEvaluatedTableName: 'gone' }
          : input.ExclusiveStartTableName === 'gone'
            ? { TableNames: [], LastEvaluatedTableName: 'empty-page' }
            : { TableNames: ['b'] },
      );
    ddb.on(DescribeContinuousBackupsCommand).callsFake((input: { TableName: string }) => {
      if (input.TableName === 'gone') throw awsError('TableNotFoundException', 'Table not found');
      return {
        ContinuousBackupsDescription: {
          ContinuousBackupsStatus: 'ENABLED',
          PointInTimeRecoveryDescription: {
            PointInTimeRecoveryStatus: input.TableName === 'a' ? 'ENABLED' : 'DISABLED',
          },
        },
      };
    });
    s3.on(ListBucketsCommand).resolves({
      Buckets: [
        { Name: 'data', BucketRegion: 'us-east-1' },
        { Name: 'logs', BucketRegion: 'us-east-1' },
        { Name: 'untagged', BucketRegion: 'eu-west-1' },
      ],
    });
    s3.on(GetBucketVersioningCommand).callsFake((input: { Bucket: string }) =>
      input.Bucket === 'data' ? { Status: 'Enabled', MFADelete: 'Disabled' } : {},
    );
    s3.on(GetBucketTaggingCommand).callsFake((input: { Bucket: string }) => {
      if (input.Bucket === 'untagged') throw awsError('NoSuchTagSet', 'The TagSet does not exist');
      return { TagSet: [{ Key: 'Purpose', Value: 'logs' }] };
    });
    backup.on(ListBackupVaultsCommand).callsFake((input: { NextToken?: string }, getClient) =>
      regionOf(getClient).then((region) =>
        !input.NextToken
          ? { BackupVaultList: [], NextToken: 'vaults-2' }
          : {
              BackupVaultList: [
                {
                  BackupVaultName: 'Default',
                  BackupVaultArn: `arn:aws:backup:${region}:123456789012:backup-vault:Default`,
                  NumberOfRecoveryPoints: 3,
                  Locked: false,
                },
              ],
            },
      ),
    );
  }

  it('reads every source, follows pages, and keeps the other region when one is denied', async () => {
    mockAccount();
    backup.on(ListProtectedResourcesCommand).callsFake(async (input: { NextToken?: string }, getClient) => {
      if ((await regionOf(getClient)) === 'eu-west-1')
        throw awsError('AccessDeniedException', 'not authorized to perform backup:ListProtectedResources');
      return !input.NextToken
        ? { Results: [], NextToken: 'p2' }
        : {
            Results: [
              {
                ResourceArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/a',
                ResourceType: 'DynamoDB',
                LastBackupTime: new Date(daysAgo(1)),
              },
            ],
          };
    });
    const { written } = await runInTempDir(resilience, {
      regions: ['us-east-1', 'eu-west-1'],
      versioningExemptTag: { key: 'Purpose', value: 'logs' },
    });
    expect(written.errors).toEqual([
      expect.objectContaining({
        region: 'eu-west-1',
        api: 'backup:ListProtectedResources',
        code: 'AccessDeniedException',
      }),
    ]);
    expect(written.summary).toMatchObject({ status: 'FAIL', complete: false });
    const by = (check: string) =>
      written.findings.filter((f) => f.check === check).map((f) => [f.resource, f.status]);
    expect(by('rds-multi-az')).toEqual([
      ['arn:aws:rds:us-east-1:123456789012:db:main', 'FAIL'],
      ['arn:aws:rds:eu-west-1:123456789012:db:main', 'FAIL'],
    ]);
    // Table ARNs carry the run's account; the deleted table is left out.
    expect(by('dynamodb-pitr')).toEqual([
      ['arn:aws:dynamodb:us-east-1:123456789012:table/a', 'PASS'],
      ['arn:aws:dynamodb:us-east-1:123456789012:table/b', 'FAIL'],
      ['arn:aws:dynamodb:eu-west-1:123456789012:table/a', 'PASS'],
      ['arn:aws:dynamodb:eu-west-1:123456789012:table/b', 'FAIL'],
    ]);
    expect(by('s3-versioning')).toEqual([
      ['arn:aws:s3:::data', 'PASS'],
      ['arn:aws:s3:::logs', 'INFO'],
      ['arn:aws:s3:::untagged', 'FAIL'],
    ]);
    // Tags are read only for buckets that would fail.
    expect(
      s3
        .commandCalls(GetBucketTaggingCommand)
        .map((c) => c.args[0].input.Bucket)
        .sort(),
    ).toEqual(['logs', 'untagged']);
    // Coverage only where protected resources were read: us-east-1.
    expect(by('backup-plan-coverage')).toEqual([
      ['arn:aws:rds:us-east-1:123456789012:db:main', 'FAIL'],
      ['arn:aws:dynamodb:us-east-1:123456789012:table/a', 'PASS'],
      ['arn:aws:dynamodb:us-east-1:123456789012:table/b', 'FAIL'],
    ]);
    expect(by('backup-vault-lock')).toEqual([
      ['arn:aws:backup:us-east-1:123456789012:backup-vault:Default', 'FAIL'],
      ['arn:aws:backup:eu-west-1:123456789012:backup-vault:Default', 'FAIL'],
    ]);
    expect(ddb.commandCalls(ListTablesCommand)).toHaveLength(6);
    expect(ddb.commandCalls(ListTablesCommand)[0]!.args[0].input).toMatchObject({ Limit: 100 });
    expect(backup.commandCalls(ListProtectedResourcesCommand)[0]!.args[0].input).toMatchObject({
      MaxResults: 1000,
    });
    expect(written.sources.map((s) => s.name)).toEqual(['protected-resources.json', 'backup-vaults.json']);
    expect(written.policy).toMatchObject({ versioningExemptTag: { key: 'Purpose', value: 'logs' } });
  });

  it('never reads bucket tags without an exemption tag, and records per-table and per-bucket failures', async () => {
    mockAccount();
    backup.on(ListProtectedResourcesCommand).resolves({ Results: [] });
    ddb.on(DescribeContinuousBackupsCommand).callsFake((input: { TableName: string }) => {
      if (input.TableName === 'gone') throw awsError('TableNotFoundException', 'Table not found');
      if (input.TableName === 'b') throw awsError('AccessDeniedException', 'denied');
      return {
        ContinuousBackupsDescription: {
          PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED' },
        },
      };
    });
    s3.on(GetBucketVersioningCommand).callsFake((input: { Bucket: string }) => {
      if (input.Bucket === 'logs') throw awsError('AccessDenied', 'Access Denied');
      return { Status: 'Suspended' };
    });
    const { written } = await runInTempDir(resilience, { regions: ['us-east-1'] });
    expect(s3.commandCalls(GetBucketTaggingCommand)).toHaveLength(0);
    expect(written.errors).toEqual([
      expect.objectContaining({
        api: 'dynamodb:DescribeContinuousBackups',
        code: 'AccessDeniedException',
        message: 'b: denied',
      }),
      expect.objectContaining({
        api: 's3:GetBucketVersioning',
        code: 'AccessDenied',
        message: 'logs: Access Denied',
      }),
    ]);
    expect(
      written.findings.filter((f) => f.check === 's3-versioning').map((f) => f.detail.versioning),
    ).toEqual(['Suspended', 'Suspended']);
    expect(written.findings.filter((f) => f.check === 'dynamodb-pitr').map((f) => f.detail.table)).toEqual([
      'a',
    ]);
  });

  it('names GetBucketTagging when the tag read fails', async () => {
    mockAccount();
    backup.on(ListProtectedResourcesCommand).resolves({ Results: [] });
    s3.on(GetBucketTaggingCommand).rejects(awsError('AccessDenied', 'Access Denied'));
    const { written } = await runInTempDir(resilience, {
      regions: ['us-east-1'],
      versioningExemptTag: { key: 'Purpose' },
    });
    expect(written.errors.map((e) => [e.api, e.message]).sort()).toEqual([
      ['s3:GetBucketTagging', 'logs: Access Denied'],
      ['s3:GetBucketTagging', 'untagged: Access Denied'],
    ]);
  });

  /** An account with DynamoDB tables and nothing else: no database, vault, bucket or backup carries an ARN. */
  function mockTablesOnly() {
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
    ddb.on(ListTablesCommand).resolves({ TableNames: ['orders'] });
    ddb.on(DescribeContinuousBackupsCommand).resolves({
      ContinuousBackupsDescription: {
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED' },
      },
    });
    s3.on(ListBucketsCommand).resolves({ Buckets: [] });
    backup.on(ListBackupVaultsCommand).resolves({ BackupVaultList: [] });
    backup.on(ListProtectedResourcesCommand).resolves({ Results: [] });
  }

  it('reads no table after the soft deadline: keeps those read and counts the rest in one named entry', async () => {
    mockTablesOnly();
    ddb.on(ListTablesCommand).resolves({ TableNames: ['t0', 't1', 't2', 't3'] });
    // A fake clock: each PITR read takes 10 s of it; the soft deadline comes 25 s in, during the third.
    let clock = NOW.getTime();
    jest.spyOn(Date, 'now').mockImplementation(() => clock);
    ddb.on(DescribeContinuousBackupsCommand).callsFake(async () => {
      clock += 10_000;
      return {
        ContinuousBackupsDescription: {
          ContinuousBackupsStatus: 'ENABLED',
          PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED' },
        },
      };
    });
    const settings = { ...DEFAULT_SETTINGS, regions: ['us-east-1'], concurrency: 1 };

    const gathered = await runWithDeadline(clock + 25_000, () =>
      resilience.gather({
        clients: new ClientFactory(),
        settings,
        now: NOW,
        memo: memoFrom(new Map()),
        account: ACCOUNT,
      }),
    );

    expect(gathered.facts.tables).toEqual([
      { region: 'us-east-1', tables: ['t0', 't1', 't2'].map((name) => expect.objectContaining({ name })) },
    ]);
    expect(gathered.errors).toEqual([
      {
        region: 'us-east-1',
        api: 'dynamodb:DescribeContinuousBackups',
        code: 'DeadlineExceeded',
        message:
          '1 of 4 DynamoDB tables in us-east-1 were not read: the run stopped before the Lambda time limit',
      },
    ]);
  });

  it("builds table ARNs from the run's account even when nothing else read carries an ARN", async () => {
    mockTablesOnly();
    const { written } = await runInTempDir(resilience, { regions: ['us-east-1'] });
    expect(written.errors).toEqual([]);
    expect(
      written.findings.filter((f) => f.resource.includes(':dynamodb:')).map((f) => [f.check, f.resource]),
    ).toEqual([
      ['dynamodb-pitr', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`],
      ['backup-plan-coverage', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`],
    ]);
  });

  it('without the run account: a named error entry and no table judged (never an ARN with an empty account)', async () => {
    mockTablesOnly();
    const settings = { ...DEFAULT_SETTINGS, regions: ['us-east-1'] };
    const gathered = await resilience.gather({
      clients: new ClientFactory(),
      settings,
      now: NOW,
      memo: memoFrom(new Map()),
    });
    expect(gathered.errors).toEqual([
      expect.objectContaining({ region: 'global', api: 'account', code: 'AccountUnknown' }),
    ]);
    expect(ddb.commandCalls(ListTablesCommand)).toHaveLength(0);
    const { findings } = resilience.assess(gathered.facts, settings, NOW);
    expect(findings.some((f) => f.resource.includes(':dynamodb:'))).toBe(false);
  });
});
