import {
  BackupClient,
  ListBackupJobsCommand,
  ListProtectedResourcesCommand,
  ListRestoreJobsCommand,
  type BackupJob,
} from '@aws-sdk/client-backup';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import { ClientFactory } from '../../../lambdas/aws/client-factory';
import { assessBackups, backups, type BackupsFacts } from '../../../lambdas/collectors/backups/collector';
import { jobFacts, readBackupJobs } from '../../../lambdas/collectors/backups/job-listing';
import { canonicalJson } from '../../../lambdas/evidence/canonical-json';
import { DEFAULT_SETTINGS } from '../../../lambdas/settings';
import { NOW, runInTempDir } from '../../helpers/run';
import { regionOf } from '../../helpers/regional-mock';

const rds = mockClient(RDSClient);
const backup = mockClient(BackupClient);
const REGIONS = ['us-east-1', 'eu-west-1'];
const PAGE = 1000;
const HOUR = 3_600_000;

beforeEach(() => {
  rds.reset();
  backup.reset();
  rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
  rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
  backup.on(ListProtectedResourcesCommand).resolves({ Results: [] });
  backup.on(ListRestoreJobsCommand).resolves({ RestoreJobs: [] });
});

/** A deterministic week of jobs, newest first as AWS lists them: every state, composite backups whose children
 * come before their parent, a parent without IsParent listed before its failed child, failures made good later. */
function week(region: string, count: number): BackupJob[] {
  let seed = region.length * 7919;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const states = [
    'COMPLETED',
    'COMPLETED',
    'COMPLETED',
    'COMPLETED',
    'FAILED',
    'ABORTED',
    'EXPIRED',
    'PARTIAL',
  ];
  const jobs: BackupJob[] = [];
  for (let k = 0; k < count; k++) {
    const created = new Date(NOW.getTime() - (k + 0.5) * ((6.5 * 24 * HOUR) / count));
    const state = states[Math.floor(rnd() * states.length)]!;
    const job: BackupJob = {
      BackupJobId: `${region}-job-${k}`,
      BackupVaultName: 'Default',
      ResourceArn: `arn:aws:elasticfilesystem:${region}:123456789012:file-system/fs-${Math.floor(rnd() * 40)}`,
      ResourceType: 'EFS',
      State: state as BackupJob['State'],
      CreationDate: created,
      ...(state === 'COMPLETED' ? {} : { StatusMessage: `synthetic ${state.toLowerCase()}` }),
      ...(state === 'COMPLETED' && rnd() < 0.1 ? { MessageCategory: 'INVALIDPARAMETERS' } : {}),
      ...(state === 'COMPLETED' && rnd() < 0.5 ? { MessageCategory: 'SUCCESS' } : {}),
      ...(state !== 'EXPIRED' ? { CompletionDate: new Date(created.getTime() + 20 * 60_000) } : {}),
      StartBy: new Date(created.getTime() + 8 * HOUR),
      CreatedBy: { BackupPlanId: 'plan-1', BackupRuleId: 'daily' },
      BackupSizeInBytes: Math.floor(rnd() * 1e9),
    };
    jobs.push(job);
  }
  // Composite backups: two children listed before their (clean, IsParent) parent, one of them failed.
  for (let k = 10; k + 3 < count; k += 97) {
    jobs[k] = { ...jobs[k]!, ParentJobId: `${region}-job-${k + 2}`, State: 'FAILED', StatusMessage: 'child' };
    jobs[k + 1] = { ...jobs[k + 1]!, ParentJobId: `${region}-job-${k + 2}`, State: 'COMPLETED' };
    jobs[k + 2] = { ...jobs[k + 2]!, IsParent: true, State: 'COMPLETED', MessageCategory: 'SUCCESS' };
  }
  // A clean parent without IsParent, listed before its failed child: shown whole all the same.
  jobs[3] = { ...jobs[3]!, State: 'COMPLETED', IsParent: undefined, MessageCategory: 'SUCCESS' };
  delete jobs[3]!.StatusMessage;
  jobs[5] = { ...jobs[5]!, ParentJobId: `${region}-job-3`, State: 'ABORTED', StatusMessage: 'late child' };
  return jobs;
}

const LISTED: Record<string, BackupJob[]> = Object.fromEntries(REGIONS.map((r) => [r, week(r, 2500)]));

function answerPages(): void {
  backup.on(ListBackupJobsCommand).callsFake(async (input: { NextToken?: string }, getClient) => {
    const all = LISTED[await regionOf(getClient)]!;
    const from = Number(input.NextToken ?? 0);
    const to = Math.min(all.length, from + PAGE);
    return { BackupJobs: all.slice(from, to), ...(to < all.length ? { NextToken: String(to) } : {}) };
  });
}

describe('backup jobs read page by page', () => {
  it('writes backup-jobs.json byte for byte as the canonical JSON of every listed job, region by region', async () => {
    answerPages();
    const { sourceObjects } = await runInTempDir(backups, { regions: REGIONS });
    const from = new Date(NOW.getTime() - 7 * 24 * HOUR);
    const expected = canonicalJson({
      byCreatedAfter: from.toISOString(),
      regions: REGIONS.map((region) => ({ region, raw: LISTED[region] })),
    });
    expect(readFileSync(sourceObjects[0]!.location, 'utf8')).toBe(expected);
    expect(backup.commandCalls(ListBackupJobsCommand)).toHaveLength(6);
  });

  it('judges the compact facts exactly as it judges every job kept whole', async () => {
    answerPages();
    const { envelope, facts } = await runInTempDir(backups, { regions: REGIONS });
    const whole: BackupsFacts = {
      ...(facts as BackupsFacts),
      jobs: REGIONS.map((region) => ({ region, jobs: LISTED[region]!.map((j) => jobFacts(region, j)) })),
    };
    const settings = { ...DEFAULT_SETTINGS, regions: REGIONS };
    const judged = assessBackups(whole, settings, NOW);
    expect(canonicalJson(envelope.findings)).toBe(canonicalJson(judged.findings));
    expect(envelope.summary.figures).toEqual(judged.figures);
    // The cases the listing was built for are all there: composite backups, the late parent, recoveries.
    const jobFindings = envelope.findings.filter((f) => f.check === 'backup-job');
    expect(jobFindings.some((f) => f.detail.failedChildJobs === 1 && f.detail.isParent === true)).toBe(true);
    expect(jobFindings.find((f) => f.detail.jobId === 'us-east-1-job-3')).toMatchObject({
      status: 'WARN',
      detail: { vault: 'Default', resourceType: 'EFS', failedChildJobs: 1, startBy: expect.any(String) },
    });
    expect(jobFindings.some((f) => f.status === 'INFO' && f.detail.recoveredByJobId)).toBe(true);
  });

  it('keeps a job no finding can show compact, and a problem job or a parent whole', async () => {
    answerPages();
    const listing = await readBackupJobs(
      { clients: new ClientFactory() },
      'us-east-1',
      new Date(NOW.getTime() - 7 * 24 * HOUR),
      (job) =>
        job.state !== 'COMPLETED' || job.isParent === true || job.messageCategory === 'INVALIDPARAMETERS',
    );
    const byId = new Map(listing.jobs.map((j) => [j.jobId, j]));
    const clean = LISTED['us-east-1']!.find(
      (j) => j.State === 'COMPLETED' && !j.IsParent && !j.ParentJobId && j.MessageCategory === undefined,
    )!;
    expect(byId.get(clean.BackupJobId!)).toEqual({
      region: 'us-east-1',
      jobId: clean.BackupJobId,
      state: 'COMPLETED',
      resourceArn: clean.ResourceArn,
      createdAt: clean.CreationDate!.toISOString(),
    });
    const failed = LISTED['us-east-1']!.find((j) => j.State === 'FAILED' && !j.ParentJobId)!;
    expect(byId.get(failed.BackupJobId!)).toEqual(jobFacts('us-east-1', failed));
    // Named as parent by a failed child listed after it, without IsParent: read back whole from the raw answer.
    expect(byId.get('us-east-1-job-3')).toEqual(jobFacts('us-east-1', LISTED['us-east-1']![3]!));
    expect(listing.jobs).toHaveLength(2500);
  });
});
