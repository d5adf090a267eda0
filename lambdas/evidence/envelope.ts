/**
 * The evidence envelope, schema version 1 (published as schema/evidence-envelope.v1.json). One envelope is
 * one collector's judgement of one account and region at one moment, with everything an auditor needs to
 * re-check it: the policy it applied, the raw sources it read, each finding, and every error it met.
 */
export const SCHEMA_VERSION = 1 as const;

/**
 * PASS: every check passed and nothing failed to be gathered. FAIL: at least one check failed, whether or
 * not the run was complete (`summary.complete` says). PARTIAL: nothing failed, but some regions or APIs
 * could not be read, so the rest was judged. ERROR: nothing could be judged.
 *
 * Envelopes written before `summary.complete` existed said PARTIAL for any run with an error entry, even
 * when checks failed: read every status through `runOutcome`, which gives such a run FAIL and `complete:
 * false`, so no reader reports an old failed check as less than FAIL.
 */
export type RunStatus = 'PASS' | 'FAIL' | 'PARTIAL' | 'ERROR';

/** A run's status read the same way from old and new envelopes: see RunStatus. */
export interface RunOutcome {
  readonly status: RunStatus;
  /** False when the run recorded any error entry (a region or API it could not read). */
  readonly complete: boolean;
}

/** INFO findings are recorded for the auditor but are not a judgement (e.g. a user with no credentials). */
export type FindingStatus = 'PASS' | 'FAIL' | 'WARN' | 'INFO';

/** One judgement of one resource. `Check` is the producer's catalogue of check ids (`checks.ts` beside its
 * code), so a producer cannot emit a check it has not declared; readers of envelopes use plain `string`. */
export interface Finding<Check extends string = string> {
  readonly resource: string;
  readonly check: Check;
  readonly status: FindingStatus;
  readonly detail: Record<string, unknown>;
}

export interface ErrorEntry {
  readonly region: string;
  readonly api: string;
  readonly code: string;
  readonly message: string;
}

export interface SourceRef {
  readonly name: string;
  readonly api: string;
  readonly key: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly contentType: string;
  readonly generatedAt?: string;
}

export interface Summary {
  readonly status: RunStatus;
  readonly evaluated: number;
  readonly passed: number;
  readonly failed: number;
  readonly warnings: number;
  readonly info: number;
  /**
   * False when the run recorded an error entry: what it judged is in `findings`, what it could not is in
   * `errors`. Absent from envelopes written before this field existed (`runOutcome` reads both).
   */
  readonly complete?: boolean;
  /** Collector-specific figures, e.g. `consoleMfaAdoptionPercent`. */
  readonly figures: Record<string, number>;
}

export interface Producer {
  readonly name: string;
  readonly version: string;
  readonly runId: string;
  /** The Lambda request id, or `cli`: async retries share it, so retried runs are linked by it. */
  readonly invocationId: string;
}

export interface ScheduleRef {
  readonly expression: string;
  readonly timeZone: string;
}

export interface Envelope {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly collector: string;
  readonly controls: readonly string[];
  readonly account: string;
  /** A region code, `global`, or `multi-region` with the covered `regions`. */
  readonly region: string;
  readonly regions?: readonly string[];
  readonly collectedAt: string;
  readonly period?: { readonly from: string; readonly to: string };
  readonly schedule?: ScheduleRef;
  readonly policy: Record<string, unknown>;
  readonly sources: readonly SourceRef[];
  readonly summary: Summary;
  readonly findings: readonly Finding[];
  readonly errors: readonly ErrorEntry[];
  readonly producer: Producer;
}

/**
 * The summary of a run from what it judged and what it could not read. The status never reports a failed
 * check as less than FAIL: FAIL when any finding failed (errors or not), ERROR when errors left nothing
 * judged, PARTIAL when errors left part unjudged and nothing failed, else PASS. `complete` says whether
 * any error entry was recorded, so a FAIL of an incomplete run still says what it could not read.
 */
export function summarise(
  findings: readonly Finding[],
  errors: readonly ErrorEntry[],
  figures: Record<string, number> = {},
): Summary {
  const count = (s: FindingStatus) => findings.filter((f) => f.status === s).length;
  const passed = count('PASS');
  const failed = count('FAIL');
  const warnings = count('WARN');
  const info = count('INFO');
  const evaluated = passed + failed + warnings;
  let status: RunStatus;
  if (failed > 0) status = 'FAIL';
  else if (errors.length > 0) status = findings.length === 0 ? 'ERROR' : 'PARTIAL';
  else status = 'PASS';
  const complete = errors.length === 0;
  return { status, complete, evaluated, passed, failed, warnings, info, figures };
}

/**
 * The status and completeness of a run from its summary, for envelopes of schema version 1 written before
 * and after `complete` existed. An old PARTIAL with failed checks is FAIL and incomplete; an old PARTIAL
 * or ERROR is incomplete; anything not a known status is ERROR (it proves nothing).
 */
export function runOutcome(summary: {
  readonly status?: unknown;
  readonly failed?: unknown;
  readonly complete?: unknown;
}): RunOutcome {
  const known: readonly unknown[] = ['PASS', 'FAIL', 'PARTIAL', 'ERROR'];
  const stated = known.includes(summary.status) ? (summary.status as RunStatus) : 'ERROR';
  const failed = typeof summary.failed === 'number' && summary.failed > 0;
  if (typeof summary.complete === 'boolean') {
    // Written by a release that knows the rule; a FAIL it hid is still read as FAIL.
    const status = stated === 'PARTIAL' && failed ? 'FAIL' : stated;
    return { status, complete: summary.complete && status !== 'ERROR' && status !== 'PARTIAL' };
  }
  if (stated === 'PARTIAL') return { status: failed ? 'FAIL' : 'PARTIAL', complete: false };
  return { status: stated, complete: stated !== 'ERROR' };
}
