import { BackupClient, paginateListRestoreJobs, type RestoreJobsListMember } from '@aws-sdk/client-backup';
import { readRegions } from '../../readers/regions';
import type { Finding, FindingStatus } from '../../evidence/envelope';
import { jsonSource, type RawSource } from '../../evidence/write-evidence';
import { DEFAULT_SETTINGS, type CollectorSettings } from '../../settings';
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
import { BACKUPS_IDENTITY, type BackupsCheck } from './checks';
import { readProtectedResources } from './protected-resources';
import { backupJobsSource, readBackupJobs } from './job-listing';

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
const DAY_MS = 24 * HOUR_MS;
/** ListRestoreJobs' largest page. */
const RESTORE_JOBS_PAGE = 1000;
/**
 * The restore history AWS Backup is documented to keep. ListRestoreJobs' reference states no retention; the
 * job history AWS documents is 30 days (ListBackupJobs: "for the last 30 days"; ListRestoreJobSummaries:
 * "within the most recent 30 days"). Beyond it an absent restore is unproven, not proof of none.
 */
export const RESTORE_HISTORY_DOCUMENTED_DAYS = 30;
/** Restore-test validation results that mean the restored copy did not prove good. */
const FAILED_VALIDATIONS = ['FAILED', 'TIMED_OUT'] as const;

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

/** A restore job, by hand or by a restore testing plan (CreatedBy.RestoreTestingPlanArn). */
export interface RestoreJobFacts {
  readonly region: string;
  readonly jobId: string;
  /** PENDING, RUNNING, COMPLETED, ABORTED or FAILED. */
  readonly status: string;
  readonly resourceType?: string;
  readonly sourceResourceArn?: string;
  readonly createdAt?: string;
  readonly completedAt?: string;
  readonly statusMessage?: string;
  readonly restoreTestingPlan?: string;
  /** Restore testing's validation of the restored copy: SUCCESSFUL, FAILED, TIMED_OUT or VALIDATING. */
  readonly validationStatus?: string;
}

/** A region's AWS Backup resource types (with how many resources of each hold backups) and restore jobs. */
export interface RegionRestores {
  readonly region: string;
  /** ListRestoreJobs' ByCreatedAfter (the start of the restore-test window), when the listing was filtered. */
  readonly listedFrom?: string;
  readonly protectedTypes: Readonly<Record<string, number>>;
  readonly jobs: readonly RestoreJobFacts[];
}

export interface BackupsFacts {
  /** Start of the ListBackupJobs window (ByCreatedAfter). */
  readonly jobWindowFrom: string;
  /** Regions whose databases could be read. */
  readonly databases: readonly (RegionDatabases & { readonly region: string })[];
  /**
   * Regions whose backup jobs could be read. As gathered, a job no finding can show (one that succeeded, or
   * is still running, and is no parent) keeps only what the judgement reads (job-listing.ts); the raw source
   * keeps every job whole.
   */
  readonly jobs: readonly { readonly region: string; readonly jobs: readonly BackupJobFacts[] }[];
  /** Regions whose protected resources and restore jobs could both be read. */
  readonly restores?: readonly RegionRestores[];
}

function restoreJobFacts(region: string, j: RestoreJobsListMember): RestoreJobFacts {
  return {
    region,
    jobId: j.RestoreJobId ?? 'unknown',
    status: j.Status ?? 'UNKNOWN',
    resourceType: j.ResourceType,
    sourceResourceArn: j.SourceResourceArn,
    createdAt: iso(j.CreationDate),
    completedAt: iso(j.CompletionDate),
    statusMessage: j.StatusMessage,
    restoreTestingPlan: j.CreatedBy?.RestoreTestingPlanArn,
    validationStatus: j.ValidationStatus,
  };
}

const restoreTime = (j: RestoreJobFacts) => Date.parse(j.completedAt ?? j.createdAt ?? '') || 0;

/** A restore that proved the backup good: completed, and not failed (or still pending) by its validation. */
function restoreSucceeded(j: RestoreJobFacts): boolean {
  return (
    j.status === 'COMPLETED' &&
    j.validationStatus !== 'VALIDATING' &&
    !(FAILED_VALIDATIONS as readonly string[]).includes(j.validationStatus ?? '')
  );
}

function restoreFailed(j: RestoreJobFacts): boolean {
  return (
    j.status === 'FAILED' ||
    j.status === 'ABORTED' ||
    (FAILED_VALIDATIONS as readonly string[]).includes(j.validationStatus ?? '')
  );
}

function restoreSummary(j: RestoreJobFacts, now: Date) {
  return {
    jobId: j.jobId,
    region: j.region,
    status: j.status,
    sourceResourceArn: j.sourceResourceArn,
    completedAt: j.completedAt ?? j.createdAt,
    ageDays: Math.floor((now.getTime() - restoreTime(j)) / DAY_MS),
    restoreTestingPlan: j.restoreTestingPlan,
    validationStatus: j.validationStatus,
  };
}

/**
 * How far back a region's restore history is known to reach, in days: what AWS documents keeping, or further
 * when the listing itself shows an older job.
 */
function historyDays(r: RegionRestores, now: Date): number {
  const oldest = Math.min(now.getTime(), ...r.jobs.map(restoreTime).filter((t) => t > 0));
  return Math.max(RESTORE_HISTORY_DOCUMENTED_DAYS, Math.floor((now.getTime() - oldest) / DAY_MS));
}

/**
 * One finding per AWS Backup resource type holding backups: PASS when a restore of that type succeeded within
 * `maxAgeDays`; WARN when the only recent ones are restore tests still validating; FAIL when the restores
 * tried within the window failed, or when none is listed and the known history covers the window. When none
 * is listed and the window reaches past the history AWS keeps, the absence proves nothing: WARN, naming the
 * limit.
 */
export function assessRestoreTests(
  restores: readonly RegionRestores[],
  maxAgeDays: number,
  now: Date,
): Finding<BackupsCheck>[] {
  const types = [...new Set(restores.flatMap((r) => Object.keys(r.protectedTypes)))].sort();
  const since = now.getTime() - maxAgeDays * DAY_MS;
  return types.map((type) => {
    const jobs = restores
      .flatMap((r) => r.jobs)
      .filter((j) => j.resourceType === type)
      .sort((a, b) => restoreTime(b) - restoreTime(a));
    const recent = jobs.filter((j) => restoreTime(j) >= since);
    const latest = jobs.find(restoreSucceeded);
    const recentSuccess = recent.find(restoreSucceeded);
    const validating = recent.find((j) => j.status === 'COMPLETED' && j.validationStatus === 'VALIDATING');
    const failed = recent.filter(restoreFailed);
    const regions = restores.filter((r) => (r.protectedTypes[type] ?? 0) > 0);
    // The history must reach the window's start in every region that holds this type's backups.
    const history = Math.min(...regions.map((r) => historyDays(r, now)));
    let status: FindingStatus;
    let reason: string;
    if (recentSuccess) {
      status = 'PASS';
      reason = `${recentSuccess.restoreTestingPlan ? 'restore test' : 'restore'} succeeded ${restoreSummary(recentSuccess, now).ageDays} days ago`;
    } else if (validating) {
      status = 'WARN';
      reason = 'the only recent restore test is still validating: its result is not known yet';
    } else if (failed.length) {
      status = 'FAIL';
      const before = latest
        ? ` (the latest successful one is ${restoreSummary(latest, now).ageDays} days old)`
        : '';
      reason = `no successful restore within ${maxAgeDays} days${before}, and ${failed.length} failed (the latest ${restoreSummary(failed[0]!, now).ageDays} days ago)`;
    } else if (latest) {
      status = 'FAIL';
      reason = `latest successful restore is ${restoreSummary(latest, now).ageDays} days old, more than ${maxAgeDays}`;
    } else if (maxAgeDays <= history) {
      status = 'FAIL';
      reason = `no successful restore listed within ${maxAgeDays} days`;
    } else {
      status = 'WARN';
      reason = `no restore listed; AWS Backup documents keeping ${RESTORE_HISTORY_DOCUMENTED_DAYS} days of job history, so a restore made more than ${history} days ago within the ${maxAgeDays}-day window may no longer be listed: show the restore test's own record`;
    }
    return {
      resource: `aws-backup:restore-tests/${type}`,
      check: 'restore-tests' as const,
      status,
      detail: {
        resourceType: type,
        regions: regions.map((r) => r.region),
        protectedResources: regions.reduce((n, r) => n + (r.protectedTypes[type] ?? 0), 0),
        maxAgeDays,
        restoreHistoryDays: history,
        latestSuccessfulRestore: latest ? restoreSummary(latest, now) : null,
        restoresWithinWindow: recent.length,
        succeededWithinWindow: recent.filter(restoreSucceeded).length,
        failedWithinWindow: failed.length,
        restoreTestsWithinWindow: recent.filter((j) => j.restoreTestingPlan).length,
        reason,
      },
    };
  });
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
  settings: Pick<CollectorSettings, 'backupMaxAgeHours' | 'backupJobWindowDays'> &
    Partial<Pick<CollectorSettings, 'restoreTestMaxAgeDays'>>,
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
  const restoreTests = assessRestoreTests(
    facts.restores ?? [],
    settings.restoreTestMaxAgeDays ?? DEFAULT_SETTINGS.restoreTestMaxAgeDays,
    now,
  );
  findings.push(...restoreTests);
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
  figures.restoreTestResourceTypes = restoreTests.length;
  figures.restoreTestResourceTypesUntested = restoreTests.filter((f) => f.status === 'FAIL').length;
  return { findings, figures };
}

export const backups: Collector<BackupsFacts, BackupsCheck> = {
  ...BACKUPS_IDENTITY,
  iamActions: [
    'rds:DescribeDBInstances',
    'rds:DescribeDBClusters',
    'backup:ListBackupJobs',
    'backup:ListProtectedResources',
    'backup:ListRestoreJobs',
  ],
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
    restoreTestMaxAgeDays: s.restoreTestMaxAgeDays,
    restoreTests:
      'per AWS Backup resource type holding backups (ListProtectedResources): a COMPLETED restore job (by hand or by a restore testing plan) whose validation did not fail, within restoreTestMaxAgeDays',
    restoreJobHistory:
      'ListRestoreJobs from now - restoreTestMaxAgeDays (ByCreatedAfter; restore testing jobs included, marked by CreatedBy.RestoreTestingPlanArn). Its reference states no retention; AWS Backup documents 30 days of job history (ListBackupJobs, ListRestoreJobSummaries)',
    restoreHistoryDocumentedDays: RESTORE_HISTORY_DOCUMENTED_DAYS,
    restoreTestsFailedWithinWindow: 'FAIL (no success within the window, and a restore tried in it failed)',
    restoreTestsNoneListed: `FAIL when restoreTestMaxAgeDays is within the known history (${RESTORE_HISTORY_DOCUMENTED_DAYS} days, or the oldest job listed in the region); otherwise WARN: a restore older than the history AWS keeps is not listed, so its absence proves nothing`,
  }),

  async gather(ctx) {
    const from = new Date(ctx.now.getTime() - ctx.settings.backupJobWindowDays * 24 * HOUR_MS);
    const restoresFrom = new Date(ctx.now.getTime() - ctx.settings.restoreTestMaxAgeDays * DAY_MS);
    const regions = ctx.settings.regions;
    const [dbs, jobs, restores] = await Promise.all([
      readRegions(regions, 'rds:DescribeDBInstances', (region) => readDatabases(ctx, region)),
      readRegions(regions, 'backup:ListBackupJobs', (region) =>
        withApi('backup:ListBackupJobs', () =>
          // Whole where a finding may show the job; the parent of a failed child is kept whole by the reader.
          readBackupJobs(ctx, region, from, (job) => jobProblem(job) !== undefined || job.isParent === true),
        ),
      ),
      readRegions(regions, 'backup:ListProtectedResources', async (region): Promise<RegionRestores> => {
        const resources = await readProtectedResources(ctx, region);
        const raw = await withApi('backup:ListRestoreJobs', async () => {
          const client = ctx.clients.get(BackupClient, region);
          const out: RestoreJobsListMember[] = [];
          for await (const page of paginateListRestoreJobs(
            { client, pageSize: RESTORE_JOBS_PAGE },
            { ByCreatedAfter: restoresFrom },
          ))
            out.push(...(page.RestoreJobs ?? []));
          return out;
        });
        const protectedTypes: Record<string, number> = {};
        for (const r of resources) protectedTypes[r.type] = (protectedTypes[r.type] ?? 0) + 1;
        return {
          region,
          listedFrom: restoresFrom.toISOString(),
          protectedTypes,
          jobs: raw.map((j) => restoreJobFacts(region, j)),
        };
      }),
    ]);
    const restoreRegions = restores.results.flatMap((r) => (r.value ? [r.value] : []));
    const listings = jobs.results.flatMap((r) => (r.value ? [r.value] : []));
    const sources: RawSource[] = [
      backupJobsSource(from, listings, ctx.now),
      jsonSource('restore-jobs.json', 'backup:ListRestoreJobs', { regions: restoreRegions }, ctx.now),
    ];
    return {
      facts: {
        jobWindowFrom: from.toISOString(),
        databases: dbs.results.flatMap((r) => (r.value ? [{ region: r.region, ...r.value }] : [])),
        jobs: listings.map((l) => ({ region: l.region, jobs: l.jobs })),
        restores: restoreRegions,
      },
      sources,
      errors: [...dbs.errors, ...jobs.errors, ...restores.errors],
    };
  },

  assess: (facts, settings, now) => assessBackups(facts, settings, now),
};
