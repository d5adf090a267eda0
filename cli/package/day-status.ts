import { runOutcome, type RunOutcome, type RunStatus } from '../../lambdas/evidence/envelope';
import { provesRun, runOutcomeOf, type ManifestObject } from './manifest';

/**
 * What a collector's runs on one UTC day concluded, for the calendar of index.html. Coverage (the gaps)
 * asks whether a run left evidence; this asks what the evidence says.
 *
 * The rule, stated in the page's legend: a collector covers one or more scopes (an account and region, or
 * `global`, or `multi-region`). For each scope, the day counts that scope's latest run, unless that run
 * ERRORed after an earlier run of the same day completed, in which case the latest completed run counts (a
 * failed retry does not erase evidence). The day is then the worst of its scopes:
 * - `error` when every counted run is ERROR (nothing judged: also a gap when the day was expected),
 * - `fail` when any counted run is FAIL, complete or not: a failed check is never shown as less,
 * - `partial` when any counted run is PARTIAL, or ERROR while another scope completed,
 * - `pass` when every counted run is PASS and complete.
 * `complete` says whether every counted run read its whole scope, so a `fail` day whose evidence is
 * incomplete still says so (coverage, which asks whether the scope was judged, counts it `partial`).
 */
export type DayResult = 'pass' | 'fail' | 'partial' | 'error';

export interface DaySummary {
  readonly result: DayResult;
  /** False when a counted run recorded an error entry (or is PARTIAL or ERROR): part of a scope not judged. */
  readonly complete: boolean;
  /** The envelope of the counted run that decided the result (the one the calendar links to). */
  readonly key: string;
  /** Every run of the day, by status, counted or not. */
  readonly runs: Readonly<Partial<Record<RunStatus, number>>>;
}

const RANK: Record<RunStatus, number> = { PASS: 0, PARTIAL: 1, ERROR: 2, FAIL: 3 };

interface Run {
  readonly key: string;
  /** As `runOutcome` reads the envelope. */
  readonly status: RunStatus;
  /** Absent: read from the status alone, as `runOutcome` does (PASS and FAIL complete). */
  readonly complete?: boolean;
}

type Judged = { readonly key: string } & RunOutcome;

/** An incomplete PASS (never written by `summarise`) judged only part of its scope: it counts as PARTIAL. */
const shown = (r: Judged): RunStatus => (r.status === 'PASS' && !r.complete ? 'PARTIAL' : r.status);

/**
 * The run of one scope and day that counts: the latest by key, unless it is ERROR and an earlier one of the
 * day is not (a failed retry does not erase evidence). The period report counts runs by the same rule.
 */
export function counted<R extends { readonly key: string; readonly status: RunStatus }>(
  runs: readonly R[],
): R {
  const sorted = [...runs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const completed = sorted.filter((r) => r.status !== 'ERROR');
  return (completed.length > 0 ? completed : sorted).at(-1)!;
}

export function summariseDay(given: readonly Run[]): DaySummary {
  const runs: Judged[] = given.map((r) => ({ key: r.key, ...runOutcome(r) }));
  const byScope = new Map<string, Judged[]>();
  // Keys of one scope differ only in their last segment (HHmmssZ-runId.json), so they sort by time.
  for (const r of runs) {
    const scope = r.key.slice(0, r.key.lastIndexOf('/'));
    byScope.set(scope, [...(byScope.get(scope) ?? []), r]);
  }
  const chosen = [...byScope.values()].map(counted);
  const worst = chosen.reduce((a, b) => (RANK[shown(b)] > RANK[shown(a)] ? b : a));
  let result: DayResult;
  if (chosen.every((r) => r.status === 'ERROR')) result = 'error';
  else if (worst.status === 'FAIL') result = 'fail';
  else if (shown(worst) === 'PASS') result = 'pass';
  else result = 'partial';
  const tally: Partial<Record<RunStatus, number>> = {};
  for (const r of runs) tally[r.status] = (tally[r.status] ?? 0) + 1;
  return { result, complete: chosen.every((r) => r.complete), key: worst.key, runs: tally };
}

/**
 * Each collector-day of one account (`*`: every account) → its summary. Envelopes stored under another
 * run's key are left out, as coverage leaves them out.
 */
export function daySummaries(envelopes: readonly ManifestObject[], account: string): Map<string, DaySummary> {
  const runs = new Map<string, Run[]>();
  for (const e of envelopes) {
    if (!provesRun(e)) continue;
    if (account !== '*' && e.account !== account) continue;
    const k = `${e.collector}\n${e.date}`;
    runs.set(k, [...(runs.get(k) ?? []), { key: e.key, ...runOutcomeOf(e) }]);
  }
  return new Map([...runs].map(([k, list]) => [k, summariseDay(list)]));
}
