import { collectorById, COLLECTOR_IDS } from '../../lambdas/collectors/registry';
import { computeCoverage, type FoundEnvelope } from '../../lambdas/evidence/coverage';
import type { ScheduleRef } from '../../lambdas/evidence/envelope';
import { DEFAULT_CRON } from '../../lib/config';
import type { AccountCoverage } from '../package/index-html';
import { provesRun, runOutcomeOf, type CoverageSection, type RunRecord } from '../package/manifest';
import type { PullOptions } from './options';

/** The options coverage reads: the period and the filters. */
export type CoverageOptions = Pick<PullOptions, 'from' | 'to' | 'collector' | 'account'>;

type Schedules = Record<string, ScheduleRef & { source: 'envelope' | 'default' }>;

/**
 * Each registry collector's schedule as its latest envelope recorded it, else the configuration's default.
 * Only registry collectors run on a schedule; callers must pass no other id.
 */
function schedulesFor(collectors: readonly string[], envelopes: readonly RunRecord[]): Schedules {
  const out: Schedules = {};
  for (const id of collectors) {
    const latest = envelopes.filter((e) => e.collector === id && e.schedule).pop();
    if (latest?.schedule) out[id] = { ...latest.schedule, source: 'envelope' };
    else {
      const frequency = collectorById(id)?.frequency ?? 'daily';
      out[id] = { expression: DEFAULT_CRON[frequency], timeZone: 'UTC', source: 'default' };
    }
  }
  return out;
}

/** Coverage of one account (`*` when the period holds no envelope at all). */
function accountCoverage(
  options: CoverageOptions,
  account: string,
  envelopes: readonly RunRecord[],
): { section: CoverageSection; report: AccountCoverage } {
  const mine = envelopes.filter((e) => account === '*' || e.account === account);
  const collectors = options.collector?.length
    ? [...options.collector]
    : [...new Set([...mine.map((e) => e.collector!), ...COLLECTOR_IDS])].sort();
  // Event-driven evidence (attestations, review emails, the coverage watchdog's own) has no promised day.
  const unscheduled = collectors.filter((id) => !collectorById(id));
  const schedules = schedulesFor(
    collectors.filter((id) => collectorById(id)),
    mine,
  );
  const found: FoundEnvelope[] = mine.map((e) => ({
    collector: e.collector!,
    date: e.date!,
    ...runOutcomeOf(e),
  }));
  const report = computeCoverage({
    from: options.from,
    to: options.to,
    schedules,
    unscheduled,
    envelopes: found,
  });
  const section: CoverageSection = {
    account,
    schedules,
    gaps: report.gaps.map((g) => ({ collector: g.collector, date: g.date, status: g.status })),
    partial: report.cells
      .filter((c) => c.status === 'partial')
      .map((c) => ({ collector: c.collector, date: c.date })),
    ...(unscheduled.length ? { unscheduled } : {}),
    problems: report.problems.map((p) => `${p.collector}: ${p.message}`),
  };
  return { section, report: { account, report } };
}

/**
 * Coverage of the period per account, judged by the same `computeCoverage` as the watchdog. An envelope of
 * a day no digest seals (custody `unsealed`) proves no run: only the chain says what a day held, so its
 * expected runs are gaps until the day is sealed and pulled again.
 */
export function coverageFor(
  options: CoverageOptions,
  objects: readonly RunRecord[],
): { sections: CoverageSection[]; reports: AccountCoverage[] } {
  // Only the period's: the risk acceptances pull looks back for (before --from) are no runs of the period.
  const envelopes = objects.filter(
    (o) =>
      provesRun(o) &&
      o.checks.custody !== 'unsealed' &&
      o.date !== undefined &&
      o.date >= options.from &&
      o.date <= options.to,
  );
  const accounts = options.account
    ? [options.account]
    : [...new Set(envelopes.map((e) => e.account!))].sort();
  if (accounts.length === 0) accounts.push('*');
  const each = accounts.map((account) => accountCoverage(options, account, envelopes));
  return { sections: each.map((e) => e.section), reports: each.map((e) => e.report) };
}
