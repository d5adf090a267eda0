import type { SignatureVerdict } from '../../lambdas/evidence/signature-check';
import type { EnvelopeVerdict } from '../../lambdas/evidence/envelope-check';
import type { DigestVerdict } from '../../lambdas/evidence/digest-check';
import {
  runOutcome,
  type RunOutcome,
  type RunStatus,
  type ScheduleRef,
} from '../../lambdas/evidence/envelope';
import type { ListGap } from '../../lambdas/evidence/account-scope';
import type { CellStatus } from '../../lambdas/evidence/coverage';
import type { PeriodReport, SlaPolicy } from '../period/model';

/**
 * The evidence package `pull` writes and `verify` re-checks: the objects in the bucket's own layout, plus
 * these files at the top. `SHA256SUMS` lists every other file (manifest included), so `sha256sum -c` alone
 * proves the package is intact.
 */
export const MANIFEST_FILE = 'manifest.json';
export const SUMS_FILE = 'SHA256SUMS';
export const COVERAGE_FILE = 'coverage.csv';
export const INDEX_FILE = 'index.html';
/** The period report: one row per exception (cli/period/exceptions-csv.ts). */
export const EXCEPTIONS_FILE = 'exceptions.csv';
/** The period's results as a NIST OSCAL Assessment Results document (cli/period/oscal.ts). */
export const OSCAL_FILE = 'oscal-assessment-results.json';
/** Written while downloading so an interrupted pull resumes; removed when the package is complete. */
export const PROGRESS_FILE = '.pull-progress.jsonl';

export const EXIT_GAPS = 3;
export const EXIT_INTEGRITY = 4;

export interface ObjectChecks {
  /** The SHA-256 of the bytes agrees with S3's checksum, the sha256 metadata and the envelope's reference. */
  readonly digest: 'ok' | 'mismatch';
  readonly s3Checksum: 'ok' | 'mismatch' | 'absent';
  readonly metadataSha256: 'ok' | 'mismatch' | 'absent';
  readonly signature: SignatureVerdict;
  /** Envelopes only: the body is its own canonical JSON and every source's digest matches. */
  readonly envelope?: EnvelopeVerdict;
  /** Digests only: canonical JSON of a digest of the day and account its key names. */
  readonly digestFile?: DigestVerdict;
  /**
   * Evidence only, against its day's digest (sealed by the sealer, signed and well formed): `sealed` when
   * the digest lists this very version on time; `late` when it is absent from it, marked late or listed
   * with another version (such an object proves no run); `unsealed` when the package holds no usable
   * digest of its day and account.
   */
  readonly custody?: 'sealed' | 'late' | 'unsealed';
  /**
   * `governance`: locked, but a principal with s3:BypassGovernanceRetention can shorten or remove it (a
   * warning, not a failure: it is a supported, acknowledged configuration). `too-short`: the lock ends
   * before the day after the evidence was collected, which protects nothing.
   */
  readonly retention: 'ok' | 'governance' | 'absent' | 'too-short';
}

/** What S3 returned for one object, recorded as fetched (never corrected). */
export interface FetchedObject {
  readonly key: string;
  readonly bytes: number;
  /** Hex SHA-256 computed over the downloaded bytes. */
  readonly sha256: string;
  readonly etag?: string;
  readonly versionId?: string;
  readonly lastModified?: string;
  /** Base64, as S3 stores it (`x-amz-checksum-sha256`). */
  readonly s3ChecksumSha256?: string;
  readonly metadataSha256?: string;
  readonly signature?: string;
  readonly signingKey?: string;
  readonly objectLock: { readonly mode?: string; readonly retainUntil?: string; readonly legalHold?: string };
  /** Set when the object could not be downloaded. */
  readonly downloadError?: string;
  /**
   * Every other version and delete marker ListObjectVersions showed for this key. Evidence is written once,
   * so any entry here means the key was overwritten or deleted.
   */
  readonly otherVersions?: readonly ListedVersion[];
}

export interface ListedVersion {
  readonly versionId: string;
  readonly deleteMarker: boolean;
  readonly isLatest: boolean;
  readonly lastModified?: string;
}

export interface ManifestObject extends FetchedObject {
  readonly kind: 'envelope' | 'source' | 'digest' | 'other';
  readonly collector?: string;
  readonly account?: string;
  readonly region?: string;
  readonly date?: string;
  /** Envelopes only: the run's status as `runOutcome` reads it (an old PARTIAL with failed checks is FAIL). */
  readonly status?: RunStatus;
  /** Envelopes only, and only when the run was incomplete (it recorded an error entry, or is PARTIAL or ERROR). */
  readonly complete?: false;
  readonly controls?: readonly string[];
  readonly schedule?: ScheduleRef;
  readonly checks: ObjectChecks;
  readonly problems: readonly string[];
  /** Weaknesses that are not integrity failures (e.g. GOVERNANCE retention). */
  readonly warnings?: readonly string[];
}

/**
 * What coverage needs of an object: a ManifestObject (pull) or a run verify built from an envelope it proved.
 */
export type RunRecord = Pick<
  ManifestObject,
  'kind' | 'collector' | 'account' | 'date' | 'status' | 'complete' | 'schedule'
> & {
  readonly checks: Pick<ObjectChecks, 'envelope' | 'custody'>;
};

/**
 * Whether an object proves a collector's run on a day: an envelope with its collector and date, stored under
 * its own key (an old envelope copied under another day's key proves no run). The calendar and the gap count
 * both use this, so they cannot disagree. A late envelope (written after its day was sealed, or not the
 * version sealed) proves no run either.
 */
export function provesRun(o: RunRecord): boolean {
  return (
    o.kind === 'envelope' &&
    !!o.collector &&
    !!o.date &&
    o.checks.envelope !== 'key-mismatch' &&
    o.checks.custody !== 'late'
  );
}

/**
 * What a manifest records of an envelope's run: the status read through `runOutcome` and `complete: false`
 * only when the run was incomplete, so the records of complete runs keep their old form. Nothing when the
 * envelope states no status (a reader takes that as ERROR).
 */
export function recordedOutcome(
  summary: { readonly status?: unknown; readonly failed?: unknown; readonly complete?: unknown } | undefined,
): Pick<ManifestObject, 'status' | 'complete'> {
  if (typeof summary !== 'object' || summary === null || !summary.status) return {};
  const outcome = runOutcome(summary);
  return { status: outcome.status, ...(outcome.complete ? {} : { complete: false as const }) };
}

/**
 * A recorded run's status and completeness. A run status the envelope does not state (or states as
 * something unknown) proves nothing: ERROR. A record without `complete` is complete unless PARTIAL or
 * ERROR (as `runOutcome` reads an envelope written before the field existed).
 */
export function runOutcomeOf(o: Pick<ManifestObject, 'status' | 'complete'>): RunOutcome {
  return runOutcome({ status: o.status, complete: o.complete });
}

/** The status alone: see `runOutcomeOf`. */
export function runStatusOf(o: Pick<ManifestObject, 'status' | 'complete'>): RunStatus {
  return runOutcomeOf(o).status;
}

export interface CoverageSection {
  readonly account: string;
  readonly schedules: Readonly<Record<string, ScheduleRef & { readonly source: 'envelope' | 'default' }>>;
  readonly gaps: readonly {
    readonly collector: string;
    readonly date: string;
    readonly status: CellStatus;
  }[];
  readonly partial: readonly { readonly collector: string; readonly date: string }[];
  /** Event-driven collectors found in the period: shown as present, never expected, never a gap. */
  readonly unscheduled?: readonly string[];
  readonly problems: readonly string[];
  /** Organization mode only: the account's scope as the period's account lists say it. */
  readonly scope?: AccountScopeSummary;
}

/** One account's scope in organization mode (lambdas/evidence/account-scope.ts), for the auditor's table. */
export interface AccountScopeSummary {
  readonly name?: string;
  readonly ouPath?: string;
  /** `joined 2026-10-12`, `left 2026-11-03`, `excluded`, `suspended`, ... (empty: in scope throughout). */
  readonly changes: readonly string[];
  /** First and last UTC day a list had it in scope. */
  readonly firstInScope?: string;
  readonly lastInScope?: string;
  /** Collector-days the lists made it owe evidence for, and how many of them left evidence. */
  readonly expected: number;
  readonly covered: number;
}

/**
 * Organization mode only: the period's account lists. A day whose schedule promised a collector's run with
 * no list of that run is a gap (`missing`): the run did not fan out, or its list was withheld.
 */
export interface AccountListCoverage {
  /** The accounts that wrote the lists (the hub). */
  readonly hubs: readonly string[];
  /** Account lists that proved a run of the period. */
  readonly lists: number;
  /**
   * The gaps of the fan-out (lambdas/evidence/account-scope.ts missingLists): scheduled days with no account
   * list, and days whose lists were only ERROR (`status: 'ERROR'`, the organization could not be read) or
   * PARTIAL (`status: 'PARTIAL'`, part of it could not).
   */
  readonly missing: readonly ListGap[];
}

export interface Manifest {
  readonly schemaVersion: 1;
  readonly producer: { readonly name: string; readonly version: string };
  readonly generatedAt: string;
  readonly bucket: string;
  readonly period: { readonly from: string; readonly to: string };
  /** `account` when pulled for one account, `accounts` for several (sorted), neither for every account. */
  readonly filters: {
    readonly collectors?: readonly string[];
    readonly account?: string;
    readonly accounts?: readonly string[];
  };
  /** The trust anchor every signature was judged against: where it came from and each producer's key. */
  readonly trust: {
    readonly source: string;
    /** Producer id → the ARN (or label) of its pinned signing key. */
    readonly producers: Readonly<Record<string, string>>;
    /** How many keys were trusted for every producer (`--public-key`). */
    readonly unbound: number;
  };
  readonly objects: readonly ManifestObject[];
  readonly coverage: readonly CoverageSection[];
  /** Organization mode only (the period holds account lists): see AccountListCoverage. */
  readonly accountLists?: AccountListCoverage;
  /**
   * The period report's settings and counts (its rows are exceptions.csv): the remediation SLA it judged
   * by, in days per severity, and how many exceptions it found.
   */
  readonly periodReport: PeriodReportSummary;
  readonly summary: { readonly objects: number; readonly integrityProblems: number; readonly gaps: number };
}

/**
 * The period report's exceptions by outcome; the outcomes partition them: past their SLA (remediated late
 * or still failing on the due day, even if accepted after it), accepted (an acceptance in force at the end,
 * recorded by the due day), remediated within SLA,
 * remediated where the severity has no SLA, and open (not past an SLA, not accepted).
 */
export interface PeriodReportSummary {
  readonly sla: SlaPolicy;
  readonly exceptions: number;
  readonly slaBreaches: number;
  readonly accepted: number;
  readonly remediatedWithinSla: number;
  readonly remediatedWithoutSla: number;
  readonly open: number;
}

/** The manifest's counts of a period report. */
export function periodReportSummary(report: PeriodReport): PeriodReportSummary {
  const count = (test: (e: PeriodReport['exceptions'][number]) => boolean) =>
    report.exceptions.filter(test).length;
  return {
    sla: report.sla,
    exceptions: report.exceptions.length,
    slaBreaches: count((e) => e.sla.verdict === 'breached'),
    accepted: count((e) => e.sla.verdict === 'accepted'),
    remediatedWithinSla: count((e) => e.sla.verdict === 'within'),
    remediatedWithoutSla: count((e) => e.state === 'remediated' && e.sla.verdict === 'none'),
    open: count((e) => e.state === 'open' && e.sla.verdict !== 'breached'),
  };
}

/** `18 exception(s): 1 remediated within SLA, 1 past SLA, 1 accepted, 15 open`, the same words everywhere. */
export function exceptionBreakdown(s: PeriodReportSummary): string {
  const parts = [
    `${s.remediatedWithinSla} remediated within SLA`,
    `${s.slaBreaches} past SLA`,
    `${s.accepted} accepted`,
    ...(s.remediatedWithoutSla > 0 ? [`${s.remediatedWithoutSla} remediated (no SLA)`] : []),
    `${s.open} open`,
  ];
  return `${s.exceptions} exception(s): ${parts.join(', ')}`;
}

/** `sha256sum` text-mode lines: `<hex>  <path>`. */
export function renderSums(entries: ReadonlyArray<{ path: string; sha256: string }>): string {
  return [...entries]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((e) => `${e.sha256}  ${e.path}\n`)
    .join('');
}

export function parseSums(text: string): { entries: Map<string, string>; problems: string[] } {
  const entries = new Map<string, string>();
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line === '') return;
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!m) problems.push(`${SUMS_FILE}: line ${i + 1} is not "<sha256>  <file>"`);
    else entries.set(m[2]!, m[1]!);
  });
  return { entries, problems };
}
