import { BackupClient, paginateListBackupJobs, type BackupJob } from '@aws-sdk/client-backup';
import type { GatherContext } from '../collector';
import { CanonicalWriter } from '../../evidence/canonical-json';
import { iso } from '../../evidence/iso-date';
import type { RawSource } from '../../evidence/write-evidence';
import type { BackupJobFacts } from './collector';

/**
 * A region's backup jobs as ListBackupJobs listed them, read page by page so that no page is kept once read:
 * each job goes into the raw source as canonical JSON at once, and into the facts as what the judgement reads.
 * A week of jobs is most of what the backups evidence holds (100,000 jobs a week is a large account), so the
 * run keeps the raw answer once, as bytes, and not also the SDK's objects and a second serialization of them.
 */
export interface RegionJobListing {
  readonly region: string;
  /** Every job, in the order listed: whole where a finding may show it, compact otherwise (see readBackupJobs). */
  readonly jobs: readonly BackupJobFacts[];
  /** The jobs as canonical JSON, comma separated: the region's `raw` array of backup-jobs.json, unbracketed. */
  readonly raw: CanonicalWriter;
}

export const BACKUP_JOBS_SOURCE = 'backup-jobs.json';

export function jobFacts(region: string, j: BackupJob): BackupJobFacts {
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

/**
 * What the judgement reads of a job no finding shows: which job it is and its parent, its state and message
 * category (counted per state, "completed with issues"), its resource and creation time (whether it is recent,
 * whether it makes good an older failure of the same resource). The texts most jobs share are kept once.
 */
function compactFacts(whole: BackupJobFacts, shared: (text: string) => string): BackupJobFacts {
  return {
    region: whole.region,
    jobId: whole.jobId,
    state: shared(whole.state),
    ...(whole.resourceArn !== undefined ? { resourceArn: shared(whole.resourceArn) } : {}),
    ...(whole.createdAt !== undefined ? { createdAt: whole.createdAt } : {}),
    ...(whole.parentJobId !== undefined ? { parentJobId: whole.parentJobId } : {}),
    ...(whole.messageCategory !== undefined ? { messageCategory: shared(whole.messageCategory) } : {}),
  };
}

/** The SDK's dates of a job read back from its canonical JSON (where they are ISO strings). */
function reviveJob(json: Record<string, unknown>): BackupJob {
  const date = (v: unknown) => (typeof v === 'string' ? new Date(v) : undefined);
  return {
    ...(json as BackupJob),
    CreationDate: date(json.CreationDate),
    CompletionDate: date(json.CompletionDate),
    StartBy: date(json.StartBy),
  };
}

/**
 * Lists a region's backup jobs created since `from`. A job is kept whole when `shownWhole` says a finding may
 * show it (a job that did not succeed, a parent job), and so is a job named as parent by a child kept whole: a
 * clean parent of a failed child is shown with its details. AWS lists jobs newest first, so a child normally
 * comes before its parent; a parent listed first without IsParent is read back from the raw answer at the end.
 */
export async function readBackupJobs(
  ctx: Pick<GatherContext, 'clients'>,
  region: string,
  from: Date,
  shownWhole: (job: BackupJobFacts) => boolean,
): Promise<RegionJobListing> {
  const client = ctx.clients.get(BackupClient, region);
  const raw = new CanonicalWriter();
  const jobs: BackupJobFacts[] = [];
  const texts = new Map<string, string>();
  const shared = (text: string) => {
    const known = texts.get(text);
    if (known !== undefined) return known;
    texts.set(text, text);
    return text;
  };
  const keptWhole = new Set<string>();
  const parentsShown = new Set<string>();
  for await (const page of paginateListBackupJobs({ client }, { ByCreatedAfter: from })) {
    for (const j of page.BackupJobs ?? []) {
      if (jobs.length > 0) raw.text(',');
      raw.value(j);
      const whole = jobFacts(region, j);
      if (shownWhole(whole) || parentsShown.has(whole.jobId)) {
        keptWhole.add(whole.jobId);
        if (whole.parentJobId !== undefined) parentsShown.add(whole.parentJobId);
        jobs.push(whole);
      } else jobs.push(compactFacts(whole, shared));
    }
  }
  const late = jobs.flatMap((j, i) => (parentsShown.has(j.jobId) && !keptWhole.has(j.jobId) ? [i] : []));
  if (late.length > 0) {
    const text = raw.bytes().toString('utf8');
    raw.text(text);
    const listed = JSON.parse(`[${text}]`) as Record<string, unknown>[];
    for (const i of late) jobs[i] = jobFacts(region, reviveJob(listed[i]!));
  }
  return { region, jobs, raw };
}

/**
 * backup-jobs.json: `{"byCreatedAfter": ..., "regions": [{"raw": [...jobs], "region": ...}]}` in canonical
 * JSON, the same bytes as canonicalJson of that document, made from each region's listing (which it empties).
 */
export function backupJobsSource(from: Date, listings: readonly RegionJobListing[], now: Date): RawSource {
  const doc = new CanonicalWriter().text('{"byCreatedAfter":').value(from.toISOString()).text(',"regions":[');
  listings.forEach((l, i) => {
    doc
      .text(i > 0 ? ',{"raw":[' : '{"raw":[')
      .append(l.raw)
      .text('],"region":')
      .value(l.region)
      .text('}');
  });
  return {
    name: BACKUP_JOBS_SOURCE,
    api: 'backup:ListBackupJobs',
    contentType: 'application/json',
    body: doc.text(']}').bytes(),
    generatedAt: now.toISOString(),
  };
}
