import type { RunStatus } from '../../lambdas/evidence/envelope';
import { provesRun, runStatusOf, type ManifestObject } from './manifest';

/**
 * What a collector's runs on one UTC day concluded, for the calendar of index.html. Coverage (the gaps)
 * asks whether a run left evidence; this asks what the evidence says.
 *
 * The rule, stated in the page's legend: a collector covers one or more scopes (an account and region, or
 * `global`, or `multi-region`). For each scope, the day counts that scope's latest run, unless that run
 * ERRORed after an earlier run of the same day completed, in which case the latest completed run counts (a
 * failed retry does not erase evidence). The day is then the worst of its scopes:
 * - `error` when every counted run is ERROR (nothing judged: also a gap when the day was expected),
 * - `fail` when any counted run is FAIL,
 * - `partial` when any counted run is PARTIAL, or ERROR while another scope completed,
 * - `pass` when every counted run is PASS.
 */
export type DayResult = 'pass' | 'fail' | 'partial' | 'error';

export interface DaySummary {
  readonly result: DayResult;
  /** The envelope of the counted run that decided the result (the one the calendar links to). */
  readonly key: string;
  /** Every run of the day, by status, counted or not. */
  readonly runs: Readonly<Partial<Record<RunStatus, number>>>;
}

const RANK: Record<RunStatus, number> = { PASS: 0, PARTIAL: 1, ERROR: 2, FAIL: 3 };

interface Run {
  readonly key: string;
  readonly status: RunStatus;
}

function counted(runs: readonly Run[]): Run {
  const sorted = [...runs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const completed = sorted.filter((r) => r.status !== 'ERROR');
  return (completed.length > 0 ? completed : sorted).at(-1)!;
}

export function summariseDay(runs: readonly Run[]): DaySummary {
  const byScope = new Map<string, Run[]>();
  // Keys of one scope differ only in their last segment (HHmmssZ-runId.json), so they sort by time.
  for (const r of runs) {
    const scope = r.key.slice(0, r.key.lastIndexOf('/'));
    byScope.set(scope, [...(byScope.get(scope) ?? []), r]);
  }
  const chosen = [...byScope.values()].map(counted);
  const worst = chosen.reduce((a, b) => (RANK[b.status] > RANK[a.status] ? b : a));
  let result: DayResult;
  if (chosen.every((r) => r.status === 'ERROR')) result = 'error';
  else if (worst.status === 'FAIL') result = 'fail';
  else if (worst.status === 'PASS') result = 'pass';
  else result = 'partial';
  const tally: Partial<Record<RunStatus, number>> = {};
  for (const r of runs) tally[r.status] = (tally[r.status] ?? 0) + 1;
  return { result, key: worst.key, runs: tally };
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
    runs.set(k, [...(runs.get(k) ?? []), { key: e.key, status: runStatusOf(e) }]);
  }
  return new Map([...runs].map(([k, list]) => [k, summariseDay(list)]));
}
