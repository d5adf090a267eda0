import { BackupClient, ListBackupJobsCommand } from '@aws-sdk/client-backup';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import {
  assessBackupJob,
  assessBackups,
  assessDatabaseBackup,
  backups,
  BACKUP_JOB_STATES,
  type BackupJobFacts,
  type BackupsFacts,
} from '../../lambdas/collectors/backups';
import type { DbClusterFacts, DbInstanceFacts } from '../../lambdas/collectors/regional/databases';
import { NOW, runInTempDir } from '../helpers/run';
import { awsError, regionOf } from '../helpers/regional-mock';

const rds = mockClient(RDSClient);
const backup = mockClient(BackupClient);
beforeEach(() => {
  rds.reset();
  backup.reset();
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
  ])('%s → %s', (_name, expected, db) => {
    expect(assessDatabaseBackup(db, 26, NOW).status).toBe(expected);
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

    const { written, dir, sourceObjects } = await runInTempDir(backups, {
      regions: ['us-east-1', 'eu-west-1'],
    });

    expect(written.region).toBe('multi-region');
    expect(written.regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(written.summary.status).toBe('PARTIAL');
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
    expect(written.sources.map((s) => s.name)).toEqual(['backup-jobs.json']);
    const raw = JSON.parse(readFileSync(sourceObjects[0]!.location, 'utf8')) as {
      regions: { region: string; raw: unknown[] }[];
    };
    expect(raw.regions.map((r) => [r.region, r.raw.length])).toEqual([
      ['us-east-1', 2],
      ['eu-west-1', 2],
    ]);
    expect(dir).toBeTruthy();
    expect(written.policy).toMatchObject({ backupMaxAgeHours: 26, backupJobWindowDays: 7 });
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
