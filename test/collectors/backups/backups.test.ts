import {
  BackupClient,
  ListBackupJobsCommand,
  ListProtectedResourcesCommand,
  ListRestoreJobsCommand,
} from '@aws-sdk/client-backup';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { readdirSync, readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import {
  assessBackupJob,
  assessBackups,
  assessDatabaseBackup,
  assessRestoreTests,
  backups,
  BACKUP_JOB_STATES,
  type BackupJobFacts,
  type BackupsFacts,
  type RegionRestores,
  type RestoreJobFacts,
} from '../../../lambdas/collectors/backups/collector';
import type { DbClusterFacts, DbInstanceFacts } from '../../../lambdas/readers/databases';
import { NOW, runInTempDir } from '../../helpers/run';
import { awsError, regionOf } from '../../helpers/regional-mock';

const rds = mockClient(RDSClient);
const backup = mockClient(BackupClient);
beforeEach(() => {
  rds.reset();
  backup.reset();
  // An account with no AWS Backup recovery points and no restores, unless a test says otherwise.
  backup.on(ListProtectedResourcesCommand).resolves({ Results: [] });
  backup.on(ListRestoreJobsCommand).resolves({ RestoreJobs: [] });
});

const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();
const SETTINGS = { backupMaxAgeHours: 26, backupJobWindowDays: 7 };

function instance(id: string, over: Partial<DbInstanceFacts> = {}): DbInstanceFacts {
  return {
    kind: 'instance',
    region: 'us-east-1',
    arn: `arn:aws:rds:us-east-1:123456789012:db:${id}`,
    id,
    engine: 'postgres',
    engineVersion: '16.3',
    status: 'available',
    backupRetentionPeriod: 7,
    latestRestorableTime: hoursAgo(1),
    deletionProtection: true,
    storageEncrypted: true,
    parameterGroups: [{ name: 'default.postgres16', applyStatus: 'in-sync' }],
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
    backupRetentionPeriod: 1,
    latestRestorableTime: hoursAgo(0.2),
    deletionProtection: false,
    storageEncrypted: true,
    members: [],
    ...over,
  };
}

describe('assessDatabaseBackup', () => {
  it.each([
    ['recent restorable time', 'PASS', instance('db1')],
    [
      'automated backups off',
      'FAIL',
      instance('db2', { backupRetentionPeriod: 0, latestRestorableTime: undefined }),
    ],
    [
      'restorable time older than the window',
      'FAIL',
      instance('db3', { latestRestorableTime: hoursAgo(30) }),
    ],
    [
      'restorable time just inside the window',
      'PASS',
      instance('db4', { latestRestorableTime: hoursAgo(25.9) }),
    ],
    [
      'no restorable time yet',
      'WARN',
      instance('db5', { status: 'creating', latestRestorableTime: undefined }),
    ],
    [
      'read replica with retention 0',
      'INFO',
      instance('replica', { backupRetentionPeriod: 0, replicaSource: 'db1' }),
    ],
    ['Aurora cluster', 'PASS', cluster('aurora1')],
    ['stale Aurora cluster', 'FAIL', cluster('aurora2', { latestRestorableTime: hoursAgo(48) })],
    [
      'stopped instance whose restorable time stopped moving',
      'WARN',
      instance('db6', { status: 'stopped', latestRestorableTime: hoursAgo(30) }),
    ],
    [
      'stopped Aurora cluster whose restorable time stopped moving',
      'WARN',
      cluster('aurora3', { status: 'stopped', latestRestorableTime: hoursAgo(100) }),
    ],
    [
      'stopped instance with automated backups off',
      'FAIL',
      instance('db7', { status: 'stopped', backupRetentionPeriod: 0, latestRestorableTime: undefined }),
    ],
  ])('%s → %s', (_name, expected, db) => {
    expect(assessDatabaseBackup(db, 26, NOW).status).toBe(expected);
  });

  it('says a stale restorable time is because the database is stopped', () => {
    const f = assessDatabaseBackup(
      instance('db6', { status: 'stopped', latestRestorableTime: hoursAgo(30) }),
      26,
      NOW,
    );
    expect(f.detail).toMatchObject({ dbStatus: 'stopped', latestRestorableAgeHours: 30 });
    expect(f.detail.reason).toMatch(/^stopped: /);
  });

  it('labels Neptune and DocumentDB by engine and records deletion protection', () => {
    const neptune = assessDatabaseBackup(cluster('graph', { engine: 'neptune' }), 26, NOW);
    const docdb = assessDatabaseBackup(cluster('docs', { engine: 'docdb' }), 26, NOW);
    expect(neptune.detail).toMatchObject({ service: 'neptune', deletionProtection: false });
    expect(docdb.detail.service).toBe('documentdb');
    expect(assessDatabaseBackup(instance('db1'), 26, NOW).detail).toMatchObject({
      service: 'rds',
      deletionProtection: true,
    });
  });

  it('honours a configured window', () => {
    const db = instance('db', { latestRestorableTime: hoursAgo(5) });
    expect(assessDatabaseBackup(db, 4, NOW).status).toBe('FAIL');
    expect(assessDatabaseBackup(db, 6, NOW).detail).toMatchObject({
      latestRestorableAgeHours: 5,
      maxAgeHours: 6,
    });
  });
});

function job(state: string, over: Partial<BackupJobFacts> = {}): BackupJobFacts {
  return {
    region: 'us-east-1',
    jobId: `job-${state}`,
    state,
    resourceArn: 'arn:aws:ec2:us-east-1:123456789012:volume/vol-0abc',
    resourceType: 'EBS',
    vault: 'Default',
    statusMessage: state === 'COMPLETED' ? undefined : 'something went wrong',
    createdAt: hoursAgo(2),
    ...over,
  };
}

describe('assessBackupJob and assessBackups', () => {
  it.each([
    ['FAILED', 'FAIL'],
    ['ABORTED', 'FAIL'],
    ['EXPIRED', 'FAIL'],
    ['PARTIAL', 'WARN'],
  ])('a %s job of the last 24 hours is %s, with resource, vault, message and times', (state, status) => {
    const f = assessBackupJob(job(state), [], NOW);
    expect(f.status).toBe(status);
    expect(f.resource).toBe('arn:aws:ec2:us-east-1:123456789012:volume/vol-0abc');
    expect(f.detail).toMatchObject({
      state,
      vault: 'Default',
      statusMessage: 'something went wrong',
      createdAt: hoursAgo(2),
    });
  });

  it('warns on a COMPLETED job whose MessageCategory is not SUCCESS ("Completed with issues")', () => {
    const issues = job('COMPLETED', {
      messageCategory: 'ACCESS_DENIED',
      statusMessage: 'some files skipped',
    });
    const f = assessBackupJob(issues, [], NOW);
    expect(f.status).toBe('WARN');
    expect(f.detail).toMatchObject({
      state: 'COMPLETED',
      messageCategory: 'ACCESS_DENIED',
      completedWithIssues: true,
    });
    const facts: BackupsFacts = {
      jobWindowFrom: hoursAgo(168),
      databases: [],
      jobs: [
        {
          region: 'us-east-1',
          jobs: [
            issues,
            job('COMPLETED', { jobId: 'clean', messageCategory: 'SUCCESS' }),
            job('COMPLETED', { jobId: 'uncategorised' }),
          ],
        },
      ],
    };
    const { findings, figures } = assessBackups(facts, SETTINGS, NOW);
    expect(findings.filter((f) => f.check === 'backup-job').map((f) => [f.detail.jobId, f.status])).toEqual([
      ['job-COMPLETED', 'WARN'],
    ]);
    expect(figures).toMatchObject({ backupJobs24hCompleted: 3, backupJobs24hCompletedWithIssues: 1 });
    // An older job completed with issues is not made good by another one with issues.
    const old = job('FAILED', { createdAt: hoursAgo(72) });
    const withIssues = job('COMPLETED', {
      jobId: 'later',
      createdAt: hoursAgo(48),
      messageCategory: 'ABORTED',
    });
    expect(assessBackupJob(old, [old, withIssues], NOW).status).toBe('FAIL');
  });

  it('counts a composite backup once, through its parent, and lists its failed children', () => {
    const parent = job('PARTIAL', { jobId: 'parent', isParent: true, resourceType: 'CloudFormation' });
    const child = (id: string, state: string, over: Partial<BackupJobFacts> = {}) =>
      job(state, {
        jobId: id,
        parentJobId: 'parent',
        resourceArn: `arn:aws:dynamodb:us-east-1:123456789012:table/${id}`,
        resourceType: 'DynamoDB',
        ...over,
      });
    const facts: BackupsFacts = {
      jobWindowFrom: hoursAgo(168),
      databases: [],
      jobs: [
        {
          region: 'us-east-1',
          jobs: [parent, child('c1', 'COMPLETED'), child('c2', 'FAILED'), child('c3', 'COMPLETED')],
        },
      ],
    };
    const { findings, figures } = assessBackups(facts, SETTINGS, NOW);
    expect(figures).toMatchObject({
      backupJobs24hPartial: 1,
      backupJobs24hCompleted: 0,
      backupJobs24hFailed: 0,
      backupChildJobsWindow: 3,
    });
    const jobs = findings.filter((f) => f.check === 'backup-job');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      status: 'WARN',
      detail: {
        jobId: 'parent',
        childJobs: 3,
        failedChildJobs: 1,
        failedChildren: [
          expect.objectContaining({
            jobId: 'c2',
            state: 'FAILED',
            resourceArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/c2',
          }),
        ],
      },
    });
    expect(findings.find((f) => f.check === 'backup-jobs-summary')!.detail).toMatchObject({
      last24Hours: { PARTIAL: 1, COMPLETED: 0, FAILED: 0 },
      childJobs: 3,
      childJobsNotSucceeded: 1,
    });
  });

  it('warns on a clean parent with a failed child, and keeps a child whose parent is outside the window', () => {
    const parent = job('COMPLETED', { jobId: 'parent', isParent: true });
    const failedChild = job('FAILED', { jobId: 'c1', parentJobId: 'parent' });
    const orphan = job('FAILED', { jobId: 'orphan', parentJobId: 'parent-before-window' });
    const { findings, figures } = assessBackups(
      {
        jobWindowFrom: hoursAgo(168),
        databases: [],
        jobs: [{ region: 'us-east-1', jobs: [parent, failedChild, orphan] }],
      },
      SETTINGS,
      NOW,
    );
    expect(findings.filter((f) => f.check === 'backup-job').map((f) => [f.detail.jobId, f.status])).toEqual([
      ['parent', 'WARN'],
      ['orphan', 'FAIL'],
    ]);
    expect(figures).toMatchObject({
      backupJobs24hCompleted: 1,
      backupJobs24hFailed: 1,
      backupChildJobsWindow: 1,
    });
  });

  it('an older failure stays judged until a later job of the same resource completes', () => {
    const old = job('FAILED', { createdAt: hoursAgo(72) });
    const later = job('COMPLETED', { jobId: 'job-ok', createdAt: hoursAgo(48) });
    const otherResource = job('COMPLETED', {
      resourceArn: 'arn:aws:ec2:us-east-1:123456789012:volume/vol-other',
      createdAt: hoursAgo(48),
    });
    expect(assessBackupJob(old, [old, otherResource], NOW).status).toBe('FAIL');
    const recovered = assessBackupJob(old, [old, later], NOW);
    expect(recovered.status).toBe('INFO');
    expect(recovered.detail).toMatchObject({ recoveredByJobId: 'job-ok', withinLast24Hours: false });
    // A failure of the last 24 hours is judged even if it was retried since.
    expect(
      assessBackupJob(job('FAILED'), [job('FAILED'), job('COMPLETED', { createdAt: hoursAgo(1) })], NOW)
        .status,
    ).toBe('FAIL');
  });

  it('counts jobs in every state for 24 hours and for the window, and lists only the problem jobs', () => {
    const jobs = [
      ...BACKUP_JOB_STATES.map((s) => job(s)),
      job('COMPLETED', { jobId: 'old-ok', createdAt: hoursAgo(100) }),
    ];
    const facts: BackupsFacts = {
      jobWindowFrom: hoursAgo(168),
      databases: [],
      jobs: [{ region: 'us-east-1', jobs }],
    };
    const { findings, figures } = assessBackups(facts, SETTINGS, NOW);
    expect(
      findings
        .filter((f) => f.check === 'backup-job')
        .map((f) => f.detail.state)
        .sort(),
    ).toEqual(['ABORTED', 'EXPIRED', 'FAILED', 'PARTIAL']);
    const summary = findings.find((f) => f.check === 'backup-jobs-summary')!;
    expect(summary.status).toBe('INFO');
    expect(summary.detail).toMatchObject({
      windowDays: 7,
      last24Hours: { COMPLETED: 1, RUNNING: 1 },
      window: { COMPLETED: 2, FAILED: 1 },
    });
    expect(figures).toMatchObject({
      backupJobs24hCompleted: 1,
      backupJobsWindowCompleted: 2,
      backupJobs24hFailed: 1,
      backupJobs24hPartial: 1,
    });
  });

  it('judges an Aurora cluster member through its cluster, not on its own', () => {
    const member = instance('aurora1-writer', {
      engine: 'aurora-postgresql',
      clusterId: 'aurora1',
      backupRetentionPeriod: 1,
      latestRestorableTime: undefined,
    });
    const facts: BackupsFacts = {
      jobWindowFrom: hoursAgo(168),
      databases: [
        {
          region: 'us-east-1',
          instances: [member],
          clusters: [cluster('aurora1', { members: [{ id: 'aurora1-writer' }] })],
        },
      ],
      jobs: [],
    };
    const { findings, figures } = assessBackups(facts, SETTINGS, NOW);
    expect(findings.map((f) => f.resource)).toEqual(['arn:aws:rds:us-east-1:123456789012:cluster:aurora1']);
    expect(findings[0]!.detail.members).toEqual(['aurora1-writer']);
    expect(figures.clusterMembersJudgedViaCluster).toBe(1);
  });
});

describe('backups collector', () => {
  it('reads every region, pages through each list, and keeps the other regions when one is denied', async () => {
    rds.on(DescribeDBInstancesCommand).callsFake(async (input: { Marker?: string }, getClient) => {
      const region = await regionOf(getClient);
      if (region === 'eu-west-1')
        throw awsError('AccessDenied', 'not authorized to perform rds:DescribeDBInstances');
      if (!input.Marker)
        return {
          DBInstances: [
            {
              DBInstanceArn: 'arn:aws:rds:us-east-1:123456789012:db:page1',
              DBInstanceIdentifier: 'page1',
              Engine: 'mysql',
              BackupRetentionPeriod: 7,
              LatestRestorableTime: new Date(hoursAgo(1)),
            },
          ],
          Marker: 'page-2',
        };
      return {
        DBInstances: [
          {
            DBInstanceArn: 'arn:aws:rds:us-east-1:123456789012:db:page2',
            DBInstanceIdentifier: 'page2',
            Engine: 'mysql',
            BackupRetentionPeriod: 0,
          },
        ],
      };
    });
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
    backup.on(ListBackupJobsCommand).callsFake(async (input: { NextToken?: string }, getClient) => {
      const region = await regionOf(getClient);
      const base = {
        ResourceArn: `arn:aws:ec2:${region}:123456789012:volume/vol-1`,
        BackupVaultName: 'Default',
        CreationDate: new Date(hoursAgo(3)),
      };
      if (!input.NextToken)
        return {
          BackupJobs: [{ ...base, BackupJobId: `${region}-1`, State: 'COMPLETED' }],
          NextToken: 'jobs-2',
        };
      return {
        BackupJobs: [
          { ...base, BackupJobId: `${region}-2`, State: 'FAILED', StatusMessage: 'vault access denied' },
        ],
      };
    });

    const { written, dir, envelopeObject, sourceObjects } = await runInTempDir(backups, {
      regions: ['us-east-1', 'eu-west-1'],
    });

    expect(written.region).toBe('multi-region');
    expect(written.regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(written.summary).toMatchObject({ status: 'FAIL', complete: false });
    expect(written.errors).toEqual([
      expect.objectContaining({ region: 'eu-west-1', api: 'rds:DescribeDBInstances', code: 'AccessDenied' }),
    ]);
    const dbs = written.findings.filter((f) => f.check === 'automated-backups');
    expect(dbs.map((f) => [f.resource.split(':').pop(), f.status])).toEqual([
      ['page1', 'PASS'],
      ['page2', 'FAIL'],
    ]);
    // Backup jobs of the denied RDS region are still evidence.
    const failedJobs = written.findings.filter((f) => f.check === 'backup-job');
    expect(failedJobs.map((f) => f.detail.region).sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(backup.commandCalls(ListBackupJobsCommand)[0]!.args[0].input.ByCreatedAfter).toEqual(
      new Date(NOW.getTime() - 7 * 86_400_000),
    );
    expect(backup.commandCalls(ListBackupJobsCommand)).toHaveLength(4);
    expect(written.sources.map((s) => s.name)).toEqual(['backup-jobs.json', 'restore-jobs.json']);
    const raw = JSON.parse(readFileSync(sourceObjects[0]!.location, 'utf8')) as {
      regions: { region: string; raw: unknown[] }[];
    };
    expect(raw.regions.map((r) => [r.region, r.raw.length])).toEqual([
      ['us-east-1', 2],
      ['eu-west-1', 2],
    ]);
    // A partial run is still evidence: its envelope and its one source are what the run wrote, under their keys.
    const filesWritten = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(dir, `${e.parentPath}${sep}${e.name}`).split(sep).join('/'));
    expect(filesWritten.sort()).toEqual([envelopeObject.key, ...sourceObjects.map((o) => o.key)].sort());
    expect(written.policy).toMatchObject({
      backupMaxAgeHours: 26,
      backupJobWindowDays: 7,
      failedJobStates: ['FAILED', 'ABORTED', 'EXPIRED'],
      warnJobStates: ['PARTIAL'],
    });
  });

  it('reads MessageCategory, IsParent and ParentJobId from ListBackupJobs, and a stopped database', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [
        {
          DBInstanceArn: 'arn:aws:rds:us-east-1:123456789012:db:paused',
          DBInstanceIdentifier: 'paused',
          Engine: 'postgres',
          DBInstanceStatus: 'stopped',
          BackupRetentionPeriod: 7,
          LatestRestorableTime: new Date(hoursAgo(50)),
        },
      ],
    });
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
    const base = { BackupVaultName: 'Default', CreationDate: new Date(hoursAgo(3)) };
    backup.on(ListBackupJobsCommand).resolves({
      BackupJobs: [
        { ...base, BackupJobId: 'p', State: 'COMPLETED', IsParent: true, MessageCategory: 'SUCCESS' },
        {
          ...base,
          BackupJobId: 'c',
          State: 'FAILED',
          ParentJobId: 'p',
          ResourceArn: 'arn:aws:s3:::example-bucket',
        },
        {
          ...base,
          BackupJobId: 'w',
          State: 'COMPLETED',
          MessageCategory: 'INVALIDPARAMETERS',
          ResourceArn: 'arn:aws:ec2:us-east-1:123456789012:volume/vol-2',
        },
      ],
    });
    const { written } = await runInTempDir(backups, { regions: ['us-east-1'] });
    expect(written.findings.map((f) => [f.check, f.detail.jobId ?? f.detail.dbStatus, f.status])).toEqual([
      ['automated-backups', 'stopped', 'WARN'],
      ['backup-jobs-summary', undefined, 'INFO'],
      ['backup-job', 'p', 'WARN'],
      ['backup-job', 'w', 'WARN'],
    ]);
    expect(written.summary).toMatchObject({ status: 'PASS', failed: 0, warnings: 3 });
    expect(written.summary.figures).toMatchObject({
      backupJobs24hCompleted: 2,
      backupJobs24hFailed: 0,
      backupJobs24hCompletedWithIssues: 1,
      backupChildJobsWindow: 1,
    });
  });

  it("builds a missing database ARN in the region's partition", async () => {
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [{ DBInstanceIdentifier: 'db1', Engine: 'mysql', BackupRetentionPeriod: 0 }],
    });
    rds.on(DescribeDBClustersCommand).resolves({
      DBClusters: [{ DBClusterIdentifier: 'c1', Engine: 'aurora-mysql', BackupRetentionPeriod: 0 }],
    });
    backup.on(ListBackupJobsCommand).resolves({ BackupJobs: [] });
    const { written } = await runInTempDir(backups, { regions: ['cn-north-1'] });
    expect(written.findings.filter((f) => f.check === 'automated-backups').map((f) => f.resource)).toEqual([
      'arn:aws-cn:rds:cn-north-1::cluster:c1',
      'arn:aws-cn:rds:cn-north-1::db:db1',
    ]);
  });

  it('records a throttle that outlasts the retries as an error of that region only', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
    // mockClient replaces send(), so the SDK's own retries never run: a rejection here is what the
    // collector sees once the adaptive retries have given up.
    backup.on(ListBackupJobsCommand).callsFake(async (_input, getClient) => {
      if ((await regionOf(getClient)) === 'eu-west-1') throw awsError('ThrottlingException', 'Rate exceeded');
      return { BackupJobs: [] };
    });
    const { written } = await runInTempDir(backups, {
      regions: ['us-east-1', 'eu-west-1'],
      backupJobWindowDays: 3,
    });
    expect(written.errors).toEqual([
      {
        region: 'eu-west-1',
        api: 'backup:ListBackupJobs',
        code: 'ThrottlingException',
        message: 'Rate exceeded',
      },
    ]);
    expect(written.summary.status).toBe('PARTIAL');
    expect(written.findings.map((f) => f.resource)).toEqual(['aws-backup:us-east-1']);
    expect(backup.commandCalls(ListBackupJobsCommand)[0]!.args[0].input.ByCreatedAfter).toEqual(
      new Date(NOW.getTime() - 3 * 86_400_000),
    );
  });
});

describe('restore-tests', () => {
  const daysAgo = (d: number) => hoursAgo(d * 24);
  const restore = (type: string, days: number, over: Partial<RestoreJobFacts> = {}): RestoreJobFacts => ({
    region: 'us-east-1',
    jobId: `${type}-${days}`,
    status: 'COMPLETED',
    resourceType: type,
    createdAt: daysAgo(days),
    completedAt: daysAgo(days),
    ...over,
  });
  const region = (
    types: Record<string, number>,
    jobs: RestoreJobFacts[],
    name = 'us-east-1',
  ): RegionRestores => ({
    region: name,
    protectedTypes: types,
    jobs,
  });
  const PLAN = 'arn:aws:backup:us-east-1:123456789012:restore-testing-plan:monthly';

  it.each([
    ['a restore 30 days ago', [restore('EFS', 30)], 'PASS'],
    ['a restore 365 days ago, at the limit', [restore('EFS', 365)], 'PASS'],
    ['only a restore 400 days ago', [restore('EFS', 400)], 'FAIL'],
    ['no restore at all (the window reaches past the 30 days AWS documents)', [], 'WARN'],
    [
      'no restore of this type, history shown to reach the window by an older job',
      [restore('RDS', 370)],
      'FAIL',
    ],
    ['only a failed restore', [restore('EFS', 3, { status: 'FAILED' })], 'FAIL'],
    ['a restore of another type', [restore('RDS', 3)], 'WARN'],
    [
      'a restore test whose validation failed',
      [restore('EFS', 3, { restoreTestingPlan: PLAN, validationStatus: 'FAILED' })],
      'FAIL',
    ],
    [
      'a restore test that timed out validating',
      [restore('EFS', 3, { restoreTestingPlan: PLAN, validationStatus: 'TIMED_OUT' })],
      'FAIL',
    ],
    [
      'a restore test still validating',
      [restore('EFS', 1, { restoreTestingPlan: PLAN, validationStatus: 'VALIDATING' })],
      'WARN',
    ],
    [
      'a validated restore test',
      [restore('EFS', 20, { restoreTestingPlan: PLAN, validationStatus: 'SUCCESSFUL' })],
      'PASS',
    ],
    ['a restore still running', [restore('EFS', 0, { status: 'RUNNING', completedAt: undefined })], 'WARN'],
  ])('%s', (_name, jobs, expected) => {
    const [f] = assessRestoreTests([region({ EFS: 2 }, jobs)], 365, NOW);
    expect(f!.status).toBe(expected);
    expect(f!.resource).toBe('aws-backup:restore-tests/EFS');
  });

  it('judges each protected resource type once across regions, and names the latest successful restore', () => {
    const findings = assessRestoreTests(
      [
        region({ EFS: 2, DynamoDB: 1 }, [restore('EFS', 400), restore('EFS', 20, { status: 'FAILED' })]),
        region(
          { DynamoDB: 3 },
          [restore('DynamoDB', 10, { region: 'eu-west-1', restoreTestingPlan: PLAN })],
          'eu-west-1',
        ),
      ],
      365,
      NOW,
    );
    expect(findings.map((f) => [f.detail.resourceType, f.status])).toEqual([
      ['DynamoDB', 'PASS'],
      ['EFS', 'FAIL'],
    ]);
    expect(findings[0]!.detail).toMatchObject({
      regions: ['us-east-1', 'eu-west-1'],
      protectedResources: 4,
      restoreTestsWithinWindow: 1,
      latestSuccessfulRestore: { region: 'eu-west-1', ageDays: 10, restoreTestingPlan: PLAN },
    });
    expect(findings[1]!.detail).toMatchObject({
      latestSuccessfulRestore: { jobId: 'EFS-400', ageDays: 400 },
      failedWithinWindow: 1,
      succeededWithinWindow: 0,
    });
    expect(findings[1]!.detail.reason).toBe(
      'no successful restore within 365 days (the latest successful one is 400 days old), and 1 failed (the latest 20 days ago)',
    );
  });

  it('honours a configured age', () => {
    const [f] = assessRestoreTests([region({ RDS: 1 }, [restore('RDS', 100)])], 90, NOW);
    expect(f).toMatchObject({ status: 'FAIL', detail: { maxAgeDays: 90 } });
  });

  it('an empty history WARNs, naming the retention limit, when the window reaches past it; FAILs within it', () => {
    const [wide] = assessRestoreTests([region({ EFS: 1 }, [])], 365, NOW);
    expect(wide).toMatchObject({ status: 'WARN', detail: { restoreHistoryDays: 30, maxAgeDays: 365 } });
    expect(wide!.detail.reason).toBe(
      "no restore listed; AWS Backup documents keeping 30 days of job history, so a restore made more than 30 days ago within the 365-day window may no longer be listed: show the restore test's own record",
    );
    const [narrow] = assessRestoreTests([region({ EFS: 1 }, [])], 30, NOW);
    expect(narrow).toMatchObject({ status: 'FAIL', detail: { restoreHistoryDays: 30 } });
    expect(narrow!.detail.reason).toBe('no successful restore listed within 30 days');
  });

  it('a failed restore within the window FAILs even where the history is short', () => {
    const [f] = assessRestoreTests(
      [region({ EFS: 1 }, [restore('EFS', 20, { status: 'FAILED' })])],
      365,
      NOW,
    );
    expect(f).toMatchObject({ status: 'FAIL', detail: { failedWithinWindow: 1, restoreHistoryDays: 30 } });
    expect(f!.detail.reason).toBe(
      'no successful restore within 365 days, and 1 failed (the latest 20 days ago)',
    );
  });

  it('the history must reach the window in every region holding the type', () => {
    const findings = assessRestoreTests(
      [region({ EFS: 1 }, [restore('RDS', 400)]), region({ EFS: 1 }, [], 'eu-west-1')],
      365,
      NOW,
    );
    expect(findings.map((f) => [f.detail.resourceType, f.status, f.detail.restoreHistoryDays])).toEqual([
      ['EFS', 'WARN', 30],
    ]);
  });

  it('reads protected resources and every page of restore jobs, and keeps the other region when one is denied', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
    backup.on(ListBackupJobsCommand).resolves({ BackupJobs: [] });
    backup.on(ListProtectedResourcesCommand).callsFake(async (_input, getClient) => {
      const r = await regionOf(getClient);
      return {
        Results: [
          {
            ResourceArn: `arn:aws:elasticfilesystem:${r}:123456789012:file-system/fs-1`,
            ResourceType: 'EFS',
          },
        ],
      };
    });
    backup.on(ListRestoreJobsCommand).callsFake(async (input: { NextToken?: string }, getClient) => {
      if ((await regionOf(getClient)) === 'eu-west-1') throw awsError('AccessDeniedException', 'denied');
      if (!input.NextToken) return { RestoreJobs: [], NextToken: 'r2' };
      return {
        RestoreJobs: [
          {
            RestoreJobId: 'r-1',
            ResourceType: 'EFS',
            Status: 'COMPLETED',
            CreationDate: new Date(hoursAgo(24 * 12)),
            CompletionDate: new Date(hoursAgo(24 * 12 - 1)),
            CreatedBy: { RestoreTestingPlanArn: PLAN },
            ValidationStatus: 'SUCCESSFUL',
          },
        ],
      };
    });
    const { written } = await runInTempDir(backups, { regions: ['us-east-1', 'eu-west-1'] });
    expect(written.errors).toEqual([
      expect.objectContaining({
        region: 'eu-west-1',
        api: 'backup:ListRestoreJobs',
        code: 'AccessDeniedException',
      }),
    ]);
    const f = written.findings.filter((x) => x.check === 'restore-tests');
    expect(f.map((x) => [x.resource, x.status])).toEqual([['aws-backup:restore-tests/EFS', 'PASS']]);
    expect(f[0]!.detail).toMatchObject({
      regions: ['us-east-1'],
      latestSuccessfulRestore: { jobId: 'r-1', ageDays: 11 },
    });
    // Listed from the window's start (restoreTestMaxAgeDays, 365 by default), not read whole.
    for (const call of backup.commandCalls(ListRestoreJobsCommand))
      expect(call.args[0].input).toMatchObject({
        MaxResults: 1000,
        ByCreatedAfter: new Date(NOW.getTime() - 365 * 86_400_000),
      });
    expect(written.summary.figures).toMatchObject({
      restoreTestResourceTypes: 1,
      restoreTestResourceTypesUntested: 0,
    });
    expect(written.policy).toMatchObject({ restoreTestMaxAgeDays: 365 });
  });
});
