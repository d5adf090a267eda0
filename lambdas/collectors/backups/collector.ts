import { BackupClient, paginateListBackupJobs, type BackupJob } from '@aws-sdk/client-backup';
import { readRegions } from '../../readers/regions';
import { canonicalBytes } from '../../evidence/canonical-json';
import type { Finding, FindingStatus } from '../../evidence/envelope';
import type { RawSource } from '../../evidence/write-evidence';
import type { CollectorSettings } from '../../settings';
import type { Collector } from '../collector';
import { withApi } from '../../aws/aws-error';
import { iso } from '../../evidence/iso-date';
import {
  judgedDatabases,
  readDatabases,
  serviceOf,
  type DatabaseFacts,
  type RegionDatabases,
} from '../../readers/databases';
import { BACKUPS_CHECKS, type BackupsCheck } from './checks';

export const BACKUP_JOB_STATES = [
  'CREATED',
  'PENDING',
  'RUNNING',
  'ABORTING',
  'ABORTED',
  'COMPLETED',
  'FAILED',
  'EXPIRED',
  'PARTIAL',
] as const;

/** States that mean a backup did not happen. EXPIRED: the job never started within its window. */
const FAIL_JOB_STATES = ['FAILED', 'ABORTED', 'EXPIRED'] as const;
/** Part of the data was saved. */
const WARN_JOB_STATES = ['PARTIAL'] as const;
/** The only MessageCategory of a clean job; any other on a COMPLETED job is the console's "Completed with
 * issues" (e.g. some files skipped). An absent category says nothing either way and is not flagged. */
const CLEAN_MESSAGE_CATEGORY = 'SUCCESS';
/** Failed child jobs listed in their parent's finding; the count is always complete. */
const MAX_LISTED_CHILDREN = 20;

/** Jobs created this recently are judged as today's backups; older ones in the window only if unrecovered. */
export const RECENT_JOB_HOURS = 24;

const HOUR_MS = 3_600_000;

export interface BackupJobFacts {
  readonly region: string;
  readonly jobId: string;
  readonly state: string;
  readonly resourceArn?: string;
  readonly resourceType?: string;
  readonly resourceName?: string;
  readonly vault?: string;
  readonly statusMessage?: string;
  readonly createdAt?: string;
  readonly completedAt?: string;
  readonly startBy?: string;
  readonly isParent?: boolean;
  /** Set on a child job of a composite (parent) backup. */
  readonly parentJobId?: string;
  /** SUCCESS, or the category of the job's status message (e.g. for "Completed with issues"). */
  readonly messageCategory?: string;
}

export interface BackupsFacts {
  /** Start of the ListBackupJobs window (ByCreatedAfter). */
  readonly jobWindowFrom: string;
  /** Regions whose databases could be read. */
  readonly databases: readonly (RegionDatabases & { readonly region: string })[];
  /** Regions whose backup jobs could be read. */
  readonly jobs: readonly { readonly region: string; readonly jobs: readonly BackupJobFacts[] }[];
}

function jobFacts(region: string, j: BackupJob): BackupJobFacts {
  return {
    region,
    jobId: j.BackupJobId ?? 'unknown',
    state: j.State ?? 'UNKNOWN',
    resourceArn: j.ResourceArn,
    resourceType: j.ResourceType,
    resourceName: j.ResourceName,
    vault: j.BackupVaultName,
    statusMessage: j.StatusMessage,
    createdAt: iso(j.CreationDate),
    completedAt: iso(j.CompletionDate),
    startBy: iso(j.StartBy),
    isParent: j.IsParent,
    parentJobId: j.ParentJobId,
    messageCategory: j.MessageCategory,
  };
}

function completedWithIssues(job: BackupJobFacts): boolean {
  return (
    job.state === 'COMPLETED' &&
    job.messageCategory !== undefined &&
    job.messageCategory !== CLEAN_MESSAGE_CATEGORY
  );
}

/** A job's own verdict, or undefined for one that is clean (or still running). */
function jobProblem(job: BackupJobFacts): 'FAIL' | 'WARN' | undefined {
  if ((FAIL_JOB_STATES as readonly string[]).includes(job.state)) return 'FAIL';
  if ((WARN_JOB_STATES as readonly string[]).includes(job.state) || completedWithIssues(job)) return 'WARN';
  return undefined;
}

/**
 * Splits a region's jobs into the backups as scheduled (top-level jobs) and the child jobs of composite
 * backups, by parent. Only top-level jobs are counted: a parent's state already sums up its children
 * (PARTIAL when some failed), so counting both would count one backup once per child, and counting
 * children alone would hide the composite's own outcome. A child whose parent is not in the listing (created
 * before the window) stands as top-level so it is never lost.
 */
export function jobTree(jobs: readonly BackupJobFacts[]): {
  topLevel: BackupJobFacts[];
  childrenOf: Map<string, BackupJobFacts[]>;
} {
  const ids = new Set(jobs.map((j) => j.jobId));
  const topLevel: BackupJobFacts[] = [];
  const childrenOf = new Map<string, BackupJobFacts[]>();
  for (const j of jobs) {
    if (j.parentJobId && ids.has(j.parentJobId)) {
      const list = childrenOf.get(j.parentJobId) ?? [];
      list.push(j);
      childrenOf.set(j.parentJobId, list);
    } else topLevel.push(j);
  }
  return { topLevel, childrenOf };
}

function ageHours(time: string | undefined, now: Date): number | undefined {
  if (!time) return undefined;
  return Math.round(((now.getTime() - Date.parse(time)) / HOUR_MS) * 10) / 10;
}

/** One database (an instance outside any cluster, or a cluster) judged on its automated backups. */
export function assessDatabaseBackup(
  db: DatabaseFacts,
  maxAgeHours: number,
  now: Date,
): Finding<BackupsCheck> {
  const age = ageHours(db.latestRestorableTime, now);
  const automated = db.backupRetentionPeriod > 0;
  let status: FindingStatus;
  let reason: string;
  if (!automated && db.replicaSource) {
    status = 'INFO';
    reason = 'read replica without its own automated backups: its source holds the backups';
  } else if (!automated) {
    status = 'FAIL';
    reason = 'automated backups are off (BackupRetentionPeriod 0)';
  } else if (age !== undefined && age > maxAgeHours && db.status === 'stopped') {
    // A stopped database takes no backups, so its restorable time stands still: not broken backups.
    status = 'WARN';
    reason = `stopped: LatestRestorableTime is ${age} hours old because the database is stopped (AWS starts it again after 7 days)`;
  } else if (age === undefined) {
    // A database being created has no restorable time yet; anything else without one is not verifiable.
    status = 'WARN';
    reason = 'no LatestRestorableTime reported: backups cannot be shown to be happening';
  } else if (age > maxAgeHours) {
    status = 'FAIL';
    reason = `LatestRestorableTime is ${age} hours old, more than ${maxAgeHours}`;
  } else {
    status = 'PASS';
    reason = `automated backups on, restorable to ${age} hours ago`;
  }
  return {
    resource: db.arn,
    check: 'automated-backups',
    status,
    detail: {
      region: db.region,
      kind: db.kind,
      service: serviceOf(db.engine),
      engine: db.engine,
      engineVersion: db.engineVersion,
      dbStatus: db.status,
      backupRetentionPeriod: db.backupRetentionPeriod,
      automatedBackups: automated,
      latestRestorableTime: db.latestRestorableTime,
      latestRestorableAgeHours: age,
      maxAgeHours,
      deletionProtection: db.deletionProtection,
      ...(db.replicaSource ? { readReplica: true, replicaSource: db.replicaSource } : {}),
      ...(db.kind === 'cluster' ? { members: db.members.map((m) => m.id) } : {}),
      reason,
    },
  };
}

function isRecent(job: BackupJobFacts, now: Date): boolean {
  return !job.createdAt || now.getTime() - Date.parse(job.createdAt) <= RECENT_JOB_HOURS * HOUR_MS;
}

/** A later cleanly COMPLETED job for the same resource shows an older failure has been made good. */
function recoveredBy(job: BackupJobFacts, all: readonly BackupJobFacts[]): BackupJobFacts | undefined {
  if (!job.resourceArn || !job.createdAt) return undefined;
  const failedAt = Date.parse(job.createdAt);
  return all.find(
    (j) =>
      j.state === 'COMPLETED' &&
      !completedWithIssues(j) &&
      j.resourceArn === job.resourceArn &&
      j.createdAt !== undefined &&
      Date.parse(j.createdAt) > failedAt,
  );
}

/**
 * A job that did not succeed. Within the last 24 hours it is judged (PARTIAL and "Completed with issues" as
 * WARN: part of the data was saved); older ones in the window stay judged until a later job of the same
 * resource completes cleanly, then INFO. A parent whose own state is clean but with failed children is WARN.
 */
export function assessBackupJob(
  job: BackupJobFacts,
  regionJobs: readonly BackupJobFacts[],
  now: Date,
  children: readonly BackupJobFacts[] = [],
): Finding<BackupsCheck> {
  const recent = isRecent(job, now);
  const recovery = recent ? undefined : recoveredBy(job, regionJobs);
  const failedChildren = children.filter((c) => jobProblem(c) !== undefined);
  const judged: FindingStatus = jobProblem(job) ?? (failedChildren.length > 0 ? 'WARN' : 'PASS');
  return {
    resource: job.resourceArn ?? `backup-job/${job.jobId}`,
    check: 'backup-job',
    status: recovery ? 'INFO' : judged,
    detail: {
      region: job.region,
      jobId: job.jobId,
      state: job.state,
      resourceType: job.resourceType,
      resourceName: job.resourceName,
      vault: job.vault,
      statusMessage: job.statusMessage,
      messageCategory: job.messageCategory,
      ...(completedWithIssues(job) ? { completedWithIssues: true } : {}),
      createdAt: job.createdAt,
      completedAt: job.completedAt,
      startBy: job.startBy,
      isParent: job.isParent,
      ...(job.parentJobId ? { parentJobId: job.parentJobId } : {}),
      ...(job.isParent || children.length > 0
        ? {
            childJobs: children.length,
            failedChildJobs: failedChildren.length,
            failedChildren: failedChildren.slice(0, MAX_LISTED_CHILDREN).map((c) => ({
              jobId: c.jobId,
              state: c.state,
              resourceArn: c.resourceArn,
              resourceType: c.resourceType,
              messageCategory: c.messageCategory,
              statusMessage: c.statusMessage,
            })),
          }
        : {}),
      withinLast24Hours: recent,
      ...(recovery ? { recoveredByJobId: recovery.jobId, recoveredAt: recovery.createdAt } : {}),
    },
  };
}

function countByState(jobs: readonly BackupJobFacts[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(BACKUP_JOB_STATES.map((s) => [s, 0]));
  for (const j of jobs) counts[j.state] = (counts[j.state] ?? 0) + 1;
  return counts;
}

const figureName = (state: string) => state.charAt(0) + state.slice(1).toLowerCase();

export function assessBackups(
  facts: BackupsFacts,
  settings: Pick<CollectorSettings, 'backupMaxAgeHours' | 'backupJobWindowDays'>,
  now: Date,
): { findings: Finding<BackupsCheck>[]; figures: Record<string, number> } {
  const findings: Finding<BackupsCheck>[] = [];
  let members = 0;
  for (const region of facts.databases) {
    members += region.instances.filter((i) => i.clusterId).length;
    for (const db of judgedDatabases(region))
      findings.push(assessDatabaseBackup(db, settings.backupMaxAgeHours, now));
  }
  const dbFindings = [...findings];
  const allJobs: BackupJobFacts[] = [];
  let childJobs = 0;
  for (const region of facts.jobs) {
    const { topLevel, childrenOf } = jobTree(region.jobs);
    allJobs.push(...topLevel);
    const children = [...childrenOf.values()].flat();
    childJobs += children.length;
    const recent = topLevel.filter((j) => isRecent(j, now));
    findings.push({
      resource: `aws-backup:${region.region}`,
      check: 'backup-jobs-summary',
      status: 'INFO',
      detail: {
        region: region.region,
        windowFrom: facts.jobWindowFrom,
        windowDays: settings.backupJobWindowDays,
        counted: 'top-level jobs: a composite backup once, through its parent job',
        last24Hours: countByState(recent),
        window: countByState(topLevel),
        completedWithIssues24h: recent.filter(completedWithIssues).length,
        completedWithIssuesWindow: topLevel.filter(completedWithIssues).length,
        childJobs: children.length,
        childJobsNotSucceeded: children.filter((c) => jobProblem(c) !== undefined).length,
      },
    });
    for (const job of topLevel) {
      const kids = childrenOf.get(job.jobId) ?? [];
      if (jobProblem(job) !== undefined || kids.some((c) => jobProblem(c) !== undefined))
        findings.push(assessBackupJob(job, topLevel, now, kids));
    }
  }
  const recentJobs = allJobs.filter((j) => isRecent(j, now));
  const figures: Record<string, number> = {
    databases: dbFindings.length,
    databasesWithoutBackups: dbFindings.filter((f) => f.detail.automatedBackups === false).length,
    databasesStaleBackups: dbFindings.filter((f) => f.status === 'FAIL' && f.detail.automatedBackups === true)
      .length,
    readReplicasWithoutBackups: dbFindings.filter((f) => f.status === 'INFO').length,
    clusterMembersJudgedViaCluster: members,
  };
  const last24 = countByState(recentJobs);
  const window = countByState(allJobs);
  for (const state of Object.keys(window)) {
    figures[`backupJobs24h${figureName(state)}`] = last24[state] ?? 0;
    figures[`backupJobsWindow${figureName(state)}`] = window[state] ?? 0;
  }
  figures.backupJobs24hCompletedWithIssues = recentJobs.filter(completedWithIssues).length;
  figures.backupJobsWindowCompletedWithIssues = allJobs.filter(completedWithIssues).length;
  figures.backupChildJobsWindow = childJobs;
  return { findings, figures };
}

export const backups: Collector<BackupsFacts, BackupsCheck> = {
  id: 'backups',
  title: 'Backups: RDS and Aurora automated backups, AWS Backup jobs',
  controls: ['A1.2'],
  scope: 'regional',
  frequency: 'daily',
  checks: BACKUPS_CHECKS,
  iamActions: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters', 'backup:ListBackupJobs'],
  policy: (s) => ({
    backupMaxAgeHours: s.backupMaxAgeHours,
    backupJobWindowDays: s.backupJobWindowDays,
    recentJobHours: RECENT_JOB_HOURS,
    readReplicaWithoutBackups: 'INFO',
    clusterMembers: 'judged through their cluster',
    failedJobStates: [...FAIL_JOB_STATES],
    warnJobStates: [...WARN_JOB_STATES],
    completedWithIssues: `WARN (COMPLETED with a MessageCategory other than ${CLEAN_MESSAGE_CATEGORY})`,
    jobsCounted:
      'top-level jobs; a parent with failed child jobs lists them, and is WARN if its own state is clean',
    stoppedDatabaseWithStaleRestorableTime: 'WARN (reason: stopped)',
    olderFailedJobs: 'judged until a later job of the same resource completes cleanly',
  }),

  async gather(ctx) {
    const from = new Date(ctx.now.getTime() - ctx.settings.backupJobWindowDays * 24 * HOUR_MS);
    const regions = ctx.settings.regions;
    const [dbs, jobs] = await Promise.all([
      readRegions(regions, 'rds:DescribeDBInstances', (region) => readDatabases(ctx, region)),
      readRegions(regions, 'backup:ListBackupJobs', (region) =>
        withApi('backup:ListBackupJobs', async () => {
          const client = ctx.clients.get(BackupClient, region);
          const raw: BackupJob[] = [];
          for await (const page of paginateListBackupJobs({ client }, { ByCreatedAfter: from }))
            raw.push(...(page.BackupJobs ?? []));
          return raw;
        }),
      ),
    ]);
    const jobRegions = jobs.results.flatMap((r) => (r.value ? [{ region: r.region, raw: r.value }] : []));
    const sources: RawSource[] = [
      {
        name: 'backup-jobs.json',
        api: 'backup:ListBackupJobs',
        contentType: 'application/json',
        body: canonicalBytes({ byCreatedAfter: from.toISOString(), regions: jobRegions }),
        generatedAt: ctx.now.toISOString(),
      },
    ];
    return {
      facts: {
        jobWindowFrom: from.toISOString(),
        databases: dbs.results.flatMap((r) => (r.value ? [{ region: r.region, ...r.value }] : [])),
        jobs: jobRegions.map((r) => ({ region: r.region, jobs: r.raw.map((j) => jobFacts(r.region, j)) })),
      },
      sources,
      errors: [...dbs.errors, ...jobs.errors],
    };
  },

  assess: (facts, settings, now) => assessBackups(facts, settings, now),
};
