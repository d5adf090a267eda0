/**
 * The Type II period report: what the verified evidence of a period says about each control and each
 * failing (check, resource), computed exactly from the signed daily envelopes. Pure data, built by
 * `buildPeriodReport` (report.ts) and rendered as exceptions.csv, a section of index.html and an OSCAL
 * Assessment Results document; `verify` renders all three again from the evidence it proved and compares.
 *
 * Only evidence that passed every integrity check enters: a run is an envelope that proves a run
 * (`provesRun`: sealed on time, under its own key) with no problem.
 */
import type { CheckSpec, Severity } from '../../lambdas/collectors/check-catalogue';
import type { FindingStatus, RunStatus } from '../../lambdas/evidence/envelope';
import type { AcceptanceRecord } from '../../lambdas/evidence/risk-acceptance';
import { DEFAULT_REMEDIATION_SLA_DAYS } from '../../lib/config';

/** Remediation SLA in days per severity; a severity without one is never judged against an SLA. */
export type SlaPolicy = Readonly<Partial<Record<Severity, number>>>;

/** The seed documents give critical 7 and high 30; medium 90 (the configuration's default too). */
export const DEFAULT_SLA: SlaPolicy = DEFAULT_REMEDIATION_SLA_DAYS;

/** One verified run of a collector (one envelope), reduced to what the report needs. */
export interface VerifiedRun {
  readonly key: string;
  /** Hex SHA-256 of the envelope's bytes (the manifest's). */
  readonly sha256: string;
  readonly account: string;
  readonly collector: string;
  /** The key's UTC day. */
  readonly date: string;
  readonly collectedAt: string;
  /** `region` of the envelope: a region code, `global` or `multi-region`. */
  readonly region: string;
  /** From `runOutcome`: old PARTIAL-with-failures envelopes read as FAIL, incomplete. */
  readonly status: RunStatus;
  readonly complete: boolean;
  /** Regions or APIs the run could not read (its error entries' `region`), for "unknown" judgements. */
  readonly erroredRegions: readonly string[];
  readonly findings: readonly {
    readonly check: string;
    readonly resource: string;
    readonly status: FindingStatus;
  }[];
}

/** Whether a collector's run was expected on a day (the coverage calendar's judgement). */
export type ExpectedOn = (account: string, collector: string, date: string) => boolean;

export interface PeriodInput {
  /** Inclusive UTC days, YYYY-MM-DD. */
  readonly from: string;
  readonly to: string;
  /** Verified runs of scheduled collectors, any order. */
  readonly runs: readonly VerifiedRun[];
  /** Expected days per account and collector, from the coverage reports. */
  readonly expected: ExpectedOn;
  /** Accounts in scope (coverage sections'). */
  readonly accounts: readonly string[];
  /** The collectors in scope (after `--collector`). */
  readonly collectors: readonly string[];
  /** Verified acceptance and revocation records, any order (those recorded after `to` are ignored). */
  readonly acceptances: readonly AcceptanceRecord[];
  readonly sla: SlaPolicy;
  /** The check catalogue lookup (registry's `checkById`), injected so tests can use their own. */
  readonly checkSpec: (check: string) => CheckSpec | undefined;
}

/** A run that marks a boundary of an exception: the proving envelope. */
export interface Boundary {
  readonly date: string;
  readonly key: string;
  readonly sha256: string;
}

export type SlaVerdict =
  /** Remediated no later than its SLA allows. */
  | 'within'
  /** Remediated late, or still open past its due date at the period's end. */
  | 'breached'
  /** Open at the period's end, not yet due. */
  | 'open-within'
  /** An acceptance was in force at the exception's end: not judged against the SLA. */
  | 'accepted'
  /** No SLA for this severity. */
  | 'none';

export interface AcceptanceView {
  readonly key: string;
  readonly owner: string;
  readonly reason: string;
  /** The first day in force (the record's UTC day). */
  readonly from: string;
  readonly expires: string;
  /** The day a revocation recorded (in force no more from that day). */
  readonly revokedOn?: string;
  readonly revokedBy?: string;
  readonly recordedBy: string;
  /** In force on the exception's last day (its last failing day when open at the end). */
  readonly inForceAtEnd: boolean;
  /**
   * When in force at the end: the first day of the unbroken run of applicable acceptances (renewals and
   * overlapping ones chain) that reaches the end day; the SLA verdict is `accepted` only when it is no later
   * than the due day.
   */
  readonly coveredSince?: string;
}

/**
 * One interval during which a (check, resource) of an account failed. Unknown days (expected, but no
 * complete verified run could judge the resource) inside it are never taken as passing.
 */
export interface ExceptionInterval {
  /** Stable: SHA-256 of account, collector, check, resource and the first failing day, first 16 hex digits. */
  readonly id: string;
  readonly account: string;
  readonly collector: string;
  readonly check: string;
  readonly resource: string;
  readonly severity: Severity | 'unknown';
  readonly criteria: readonly string[];
  /** The first failing run in the period. */
  readonly firstFail: Boundary;
  /** True when that run is the period's first judgement of the resource: it may have failed before. */
  readonly startedBeforeObserved: boolean;
  readonly lastFail: Boundary;
  /** The first later run that judged it passing, or showed (completely) that it no longer exists. */
  readonly resolved?: Boundary & { readonly how: 'passed' | 'gone' };
  readonly openAtEnd: boolean;
  /** Days with a verified FAIL of it. */
  readonly failingDays: number;
  /** Expected days from the first failure to the resolution (or the period's end) no run could judge. */
  readonly unknownDays: readonly string[];
  /**
   * Days from the first failing day to the resolving run's day (or to the day after the period's end when
   * open): an unknown day counts as failing.
   */
  readonly durationDays: number;
  readonly sla: {
    readonly days?: number;
    /** firstFail.date + days. */
    readonly due?: string;
    readonly verdict: SlaVerdict;
  };
  readonly acceptance?: AcceptanceView;
  readonly state: 'remediated' | 'open' | 'accepted';
}

export interface ControlResult {
  /** A Trust Services Criterion, e.g. `CC6.1`. */
  readonly control: string;
  /** Collectors in scope with a check supporting it. */
  readonly collectors: readonly string[];
  readonly days: number;
  /** Days on which no collector of the control left a gap (a missing or ERROR-only expected run). */
  readonly daysCovered: number;
  readonly uncoveredDays: readonly string[];
  /**
   * Covered days on which some run of those collectors could judge only part of its scope (incomplete:
   * a region or API it could not read), so a failure there may be unseen.
   */
  readonly incompleteDays: readonly string[];
  /** Days on which a verified run recorded a FAIL of a check supporting the control. */
  readonly daysWithFailure: number;
  readonly exceptions: number;
  readonly remediatedWithinSla: number;
  readonly breached: number;
  readonly accepted: number;
  readonly open: number;
  /** One line an auditor can check against the exceptions and the calendar. */
  readonly statement: string;
}

export interface PeriodReport {
  readonly from: string;
  readonly to: string;
  readonly sla: SlaPolicy;
  readonly controls: readonly ControlResult[];
  /** Sorted by severity, then account, check, resource, first failing day. */
  readonly exceptions: readonly ExceptionInterval[];
  /** Every verified acceptance and revocation of the period, for the auditor to see in full. */
  readonly acceptances: readonly AcceptanceRecord[];
  /** Runs the report was computed from (for the OSCAL observations). */
  readonly runs: readonly VerifiedRun[];
}
