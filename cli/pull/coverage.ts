import { collectorById, COLLECTOR_IDS } from '../../lambdas/collectors/registry';
import {
  accountScope,
  expectedWhenFor,
  missingLists,
  readAccountList,
  SINGLE_ACCOUNT,
  type AccountList,
  type AccountScope,
} from '../../lambdas/evidence/account-scope';
import { computeCoverage, expectedRunDays, type FoundEnvelope } from '../../lambdas/evidence/coverage';
import type { Envelope, ScheduleRef } from '../../lambdas/evidence/envelope';
import { ACCOUNTS_KIND } from '../../lambdas/organization/contract';
import { DEFAULT_CRON } from '../../lib/config';
import type { AccountCoverage } from '../package/index-html';
import {
  provesRun,
  runOutcomeOf,
  type AccountListCoverage,
  type AccountScopeSummary,
  type CoverageSection,
  type RunRecord,
} from '../package/manifest';
import { accountFilterOf, type PullOptions } from './options';

/** The options coverage reads: the period and the filters. */
export type CoverageOptions = Pick<PullOptions, 'from' | 'to' | 'collector' | 'account' | 'accounts'>;

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

/** The collectors a section shows: the filter's, else every registry collector and every kind found. */
function rowsOf(options: CoverageOptions, envelopes: readonly RunRecord[]): string[] {
  return options.collector?.length
    ? [...options.collector]
    : [...new Set([...envelopes.map((e) => e.collector!), ...COLLECTOR_IDS])].sort();
}

/** Coverage of one account (`*` when the period holds no envelope at all). */
function accountCoverage(
  options: CoverageOptions,
  account: string,
  envelopes: readonly RunRecord[],
  scope: AccountScope,
): { section: CoverageSection; report: AccountCoverage } {
  const mine = envelopes.filter((e) => account === '*' || e.account === account);
  const collectors = rowsOf(options, mine);
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
  const expectedWhen = expectedWhenFor(scope, account);
  const report = computeCoverage({
    from: options.from,
    to: options.to,
    schedules,
    unscheduled,
    envelopes: found,
    ...(expectedWhen ? { expectedWhen } : {}),
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
    ...(scope.organization ? { scope: scopeSummary(scope, account, report.cells) } : {}),
  };
  return { section, report: { account, report } };
}

function scopeSummary(
  scope: AccountScope,
  account: string,
  cells: readonly { readonly expected: boolean; readonly status: string }[],
): AccountScopeSummary {
  const h = scope.history.get(account);
  const expected = cells.filter((c) => c.expected);
  return {
    ...(h?.name !== undefined ? { name: h.name } : {}),
    ...(h?.ouPath !== undefined ? { ouPath: h.ouPath } : {}),
    changes: h ? [...h.changes] : ['never listed'],
    ...(h?.firstInScope ? { firstInScope: h.firstInScope, lastInScope: h.lastInScope! } : {}),
    expected: expected.length,
    covered: expected.filter((c) => c.status === 'present' || c.status === 'partial').length,
  };
}

/** Organization mode: the lists of the period and the scheduled days whose run left none. */
function listCoverage(
  options: CoverageOptions,
  envelopes: readonly RunRecord[],
  lists: readonly AccountList[],
  scope: AccountScope,
): AccountListCoverage {
  const scheduled = new Map<string, Set<string>>();
  const registered = rowsOf(options, envelopes).filter((id) => collectorById(id));
  for (const [id, schedule] of Object.entries(schedulesFor(registered, envelopes))) {
    try {
      const days = expectedRunDays(schedule, options.from, options.to);
      // rate(N days) has no recorded phase: its lists are not judged (the schedule problem is said per account).
      if (days instanceof Set) scheduled.set(id, days);
    } catch {
      // an unreadable schedule: said per account as a schedule problem
    }
  }
  return {
    hubs: scope.hubs,
    lists: lists.filter((l) => l.date >= options.from && l.date <= options.to).length,
    missing: missingLists(scope, scheduled),
  };
}

/** Whether a record proves a run of the period: what coverage counts (account lists included). */
function countsIn(o: RunRecord, options: Pick<CoverageOptions, 'from' | 'to'>): boolean {
  return (
    provesRun(o) &&
    o.checks.custody !== 'unsealed' &&
    o.date !== undefined &&
    o.date >= options.from &&
    o.date <= options.to
  );
}

/**
 * The account lists among `objects` that prove a run of the period (sealed, signed, under their own key),
 * read from their envelopes. A list whose body is not one (no policy.collector, a resource that is no
 * account id) does not count: its day shows as missing a list.
 */
export function accountListsOf(
  options: Pick<CoverageOptions, 'from' | 'to'>,
  objects: readonly (RunRecord & { readonly key: string })[],
  envelopeOf: (key: string) => Envelope | undefined,
): AccountList[] {
  const lists: AccountList[] = [];
  for (const o of objects) {
    if (o.collector !== ACCOUNTS_KIND || !countsIn(o, options)) continue;
    const envelope = envelopeOf(o.key);
    const list = envelope ? readAccountList(o.key, envelope) : undefined;
    if (list && typeof list !== 'string') lists.push(list);
  }
  return lists;
}

export interface PeriodCoverage {
  readonly sections: CoverageSection[];
  readonly reports: AccountCoverage[];
  /** Organization mode only: the account lists and the days missing one. */
  readonly accountLists?: AccountListCoverage;
  /** Every section's gaps and every missing account list. */
  readonly gaps: number;
}

/**
 * Coverage of the period per account, judged by the same `computeCoverage` as the watchdog. An envelope of
 * a day no digest seals (custody `unsealed`) proves no run: only the chain says what a day held, so its
 * expected runs are gaps until the day is sealed and pulled again.
 *
 * Organization mode (`lists`: the account lists among the runs, lambdas/evidence/account-scope.ts): an
 * account owes a collector's evidence on the days a list had it in scope; every account a list met gets a
 * section, evidence or not. With no list, the schedule alone decides, exactly as in single-account mode.
 */
export function coverageFor(
  options: CoverageOptions,
  objects: readonly RunRecord[],
  lists: readonly AccountList[] = [],
): PeriodCoverage {
  // Only the period's: the risk acceptances pull looks back for (before --from) are no runs of the period.
  const envelopes = objects.filter((o) => countsIn(o, options));
  const scope = lists.length > 0 ? accountScope(lists, options.from, options.to) : SINGLE_ACCOUNT;
  const filter = accountFilterOf(options);
  const accounts = filter
    ? [...filter]
    : [...new Set([...envelopes.map((e) => e.account!), ...scope.accounts])].sort();
  if (accounts.length === 0) accounts.push('*');
  const each = accounts.map((account) => accountCoverage(options, account, envelopes, scope));
  const sections = each.map((e) => e.section);
  const accountLists = scope.organization ? listCoverage(options, envelopes, lists, scope) : undefined;
  return {
    sections,
    reports: each.map((e) => e.report),
    ...(accountLists ? { accountLists } : {}),
    gaps: sections.reduce((n, s) => n + s.gaps.length, 0) + (accountLists?.missing.length ?? 0),
  };
}
