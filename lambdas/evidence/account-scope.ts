/**
 * Organization mode's expected accounts: from the period's signed account lists (lambdas/organization/
 * contract.ts), which accounts each collector's run owed evidence for on each UTC day, and each account's
 * scope history. Pure (no SDK, no clock, no I/O), so pull, verify and the watchdog judge it with one
 * implementation.
 *
 * The hub writes a list at the start of every fanned-out run: a list of `collector` dated D says the run of
 * D fanned out to its in-scope accounts, so each of them owes an envelope of `collector` dated D. A day with
 * no list of a collector while its schedule promised a run is a gap of its own (the run never fanned out, or
 * its list was withheld): its accounts are taken as the nearest list of that collector said (the day before,
 * else the day after), so withholding a list cannot make the accounts' gaps disappear.
 *
 * With no account list at all (single-account mode) nothing here applies and coverage is judged by the
 * schedule alone, exactly as before organization mode.
 */
import {
  ACCOUNT_IN_SCOPE_CHECK,
  ACCOUNT_OUT_OF_SCOPE_CHECK,
  ACCOUNTS_KIND,
  type AccountListDetail,
} from '../organization/contract';
import type { Envelope } from './envelope';
import { parseEvidenceKey } from './keys';

/** One account as one list met it. */
export interface ListedAccount {
  readonly account: string;
  readonly inScope: boolean;
  readonly name?: string;
  readonly ouPath?: string;
  /** Why it was not fanned out to (out of scope only): `excluded`, `suspended`, ... */
  readonly reason?: string;
}

/** What coverage reads of one account-list envelope. */
export interface AccountList {
  readonly key: string;
  /** The hub: the list's account segment. */
  readonly hub: string;
  /** UTC date of the list's key. */
  readonly date: string;
  /** The collector whose run the list fanned out (`policy.collector`). */
  readonly collector: string;
  readonly accounts: readonly ListedAccount[];
}

const ACCOUNT_ID = /^\d{12}$/;

/**
 * The account list an envelope is, or a one-line reason it is not one (a key of another kind, a policy with
 * no collector, a finding whose resource is not an account id).
 */
export function readAccountList(key: string, envelope: Envelope): AccountList | string {
  const parsed = parseEvidenceKey(key);
  if (!parsed || parsed.source !== undefined || parsed.collector !== ACCOUNTS_KIND)
    return `${key}: not an ${ACCOUNTS_KIND} envelope key`;
  const collector = (envelope.policy as { collector?: unknown } | undefined)?.collector;
  if (typeof collector !== 'string' || collector === '')
    return `${key}: policy.collector must be the id of the collector whose run the list fanned out, got ${JSON.stringify(collector) ?? 'nothing'}`;
  const accounts: ListedAccount[] = [];
  for (const f of envelope.findings ?? []) {
    if (f.check !== ACCOUNT_IN_SCOPE_CHECK && f.check !== ACCOUNT_OUT_OF_SCOPE_CHECK) continue;
    if (!ACCOUNT_ID.test(f.resource))
      return `${key}: a ${f.check} finding's resource must be a 12-digit account id, got ${JSON.stringify(f.resource)}`;
    const d = (f.detail ?? {}) as Partial<AccountListDetail>;
    accounts.push({
      account: f.resource,
      inScope: f.check === ACCOUNT_IN_SCOPE_CHECK,
      ...(typeof d.name === 'string' ? { name: d.name } : {}),
      ...(typeof d.ouPath === 'string' ? { ouPath: d.ouPath } : {}),
      ...(f.check === ACCOUNT_OUT_OF_SCOPE_CHECK
        ? { reason: typeof d.reason === 'string' ? d.reason : (d.state ?? 'out of scope').toLowerCase() }
        : {}),
    });
  }
  return { key, hub: parsed.account, date: parsed.date, collector, accounts };
}

/** One account's scope over the period, as the lists say it. */
export interface ScopeHistory {
  readonly account: string;
  /** From the latest list that named it. */
  readonly name?: string;
  readonly ouPath?: string;
  /** First and last UTC day a list had it in scope (absent: never in scope). */
  readonly firstInScope?: string;
  readonly lastInScope?: string;
  /** Days some list had it out of scope (and none in scope), each with the reason. */
  readonly outOfScope: readonly { readonly date: string; readonly reason: string }[];
  /**
   * What changed, in date order: `joined 2026-10-12` (in scope after a list without it, or out of scope),
   * `left 2026-11-03` (out of scope or absent after being in scope), and each out-of-scope reason once
   * (`excluded`, `suspended`, ...).
   */
  readonly changes: readonly string[];
}

export interface AccountScope {
  /** Whether the period holds any account list: false is single-account mode. */
  readonly organization: boolean;
  /** Accounts that wrote the lists. */
  readonly hubs: readonly string[];
  /** Every account any list met, sorted. */
  readonly accounts: readonly string[];
  readonly history: ReadonlyMap<string, ScopeHistory>;
  /** collector → date → in-scope accounts (the union over that day's lists of the collector). */
  readonly lists: ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>;
}

export const SINGLE_ACCOUNT: AccountScope = {
  organization: false,
  hubs: [],
  accounts: [],
  history: new Map(),
  lists: new Map(),
};

/** Builds the scope of a period from its lists (any order; lists outside [from, to] are ignored). */
export function accountScope(lists: readonly AccountList[], from: string, to: string): AccountScope {
  const within = lists.filter((l) => l.date >= from && l.date <= to);
  if (within.length === 0) return SINGLE_ACCOUNT;
  const byCollector = new Map<string, Map<string, Set<string>>>();
  // Per account and date: in scope in some list that day, else the out-of-scope reason.
  const perDay = new Map<string, Map<string, { inScope: boolean; reason?: string }>>();
  const latest = new Map<string, { date: string; name?: string; ouPath?: string }>();
  const listDates = new Set<string>();
  for (const list of [...within].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    listDates.add(list.date);
    const days = byCollector.get(list.collector) ?? new Map<string, Set<string>>();
    byCollector.set(list.collector, days);
    const inScope = days.get(list.date) ?? new Set<string>();
    days.set(list.date, inScope);
    for (const a of list.accounts) {
      if (a.inScope) inScope.add(a.account);
      const mine = perDay.get(a.account) ?? new Map<string, { inScope: boolean; reason?: string }>();
      perDay.set(a.account, mine);
      const seen = mine.get(list.date);
      if (!seen?.inScope)
        mine.set(
          list.date,
          a.inScope ? { inScope: true } : { inScope: false, reason: a.reason ?? 'out of scope' },
        );
      const prev = latest.get(a.account);
      if (!prev || prev.date <= list.date)
        latest.set(a.account, {
          date: list.date,
          ...(a.name !== undefined ? { name: a.name } : {}),
          ...(a.ouPath !== undefined ? { ouPath: a.ouPath } : {}),
        });
    }
  }
  const dates = [...listDates].sort();
  const history = new Map<string, ScopeHistory>();
  for (const [account, days] of perDay) {
    const changes: string[] = [];
    const reasons = new Set<string>();
    const outOfScope: { date: string; reason: string }[] = [];
    let was: boolean | undefined;
    let first: string | undefined;
    let last: string | undefined;
    for (const date of dates) {
      const day = days.get(date);
      const now = day?.inScope ?? false;
      if (day && !day.inScope) {
        outOfScope.push({ date, reason: day.reason! });
        if (!reasons.has(day.reason!)) {
          reasons.add(day.reason!);
          changes.push(day.reason!);
        }
      }
      if (now) {
        first ??= date;
        last = date;
      }
      // The first list day sets the starting state; a change after it is a join or a leave.
      if (was !== undefined && now !== was) changes.push(`${now ? 'joined' : 'left'} ${date}`);
      was = now;
    }
    const l = latest.get(account);
    history.set(account, {
      account,
      ...(l?.name !== undefined ? { name: l.name } : {}),
      ...(l?.ouPath !== undefined ? { ouPath: l.ouPath } : {}),
      ...(first ? { firstInScope: first, lastInScope: last! } : {}),
      outOfScope,
      changes,
    });
  }
  return {
    organization: true,
    hubs: [...new Set(within.map((l) => l.hub))].sort(),
    accounts: [...perDay.keys()].sort(),
    history,
    lists: byCollector,
  };
}

/** The nearest list day of `days` to `date`: the latest before it, else the earliest after it. */
function nearest(
  days: ReadonlyMap<string, ReadonlySet<string>>,
  date: string,
): ReadonlySet<string> | undefined {
  let before: string | undefined;
  let after: string | undefined;
  for (const d of days.keys()) {
    if (d < date && (before === undefined || d > before)) before = d;
    if (d > date && (after === undefined || d < after)) after = d;
  }
  const pick = before ?? after;
  return pick === undefined ? undefined : days.get(pick);
}

/**
 * Which accounts `collector`'s run of `date` owed evidence for. `listed`: a list of that collector and day
 * exists, and `accounts` are its in-scope accounts. Otherwise `accounts` is what the nearest list of the
 * collector (or, with none in the period, of any collector) had in scope: they are expected only on days
 * the schedule promised a run.
 */
export function expectedAccounts(
  scope: AccountScope,
  collector: string,
  date: string,
): { readonly listed: boolean; readonly accounts: ReadonlySet<string> } {
  const days = scope.lists.get(collector);
  const exact = days?.get(date);
  if (exact) return { listed: true, accounts: exact };
  let carried = days ? nearest(days, date) : undefined;
  if (!carried) {
    const all = new Map<string, Set<string>>();
    for (const ds of scope.lists.values())
      for (const [d, accounts] of ds) all.set(d, new Set([...(all.get(d) ?? []), ...accounts]));
    carried = nearest(all, date);
  }
  return { listed: false, accounts: carried ?? new Set() };
}

/**
 * The `expectedWhen` of computeCoverage for one account: in organization mode an account is expected on a
 * day when that day's list of the collector has it in scope, or, with no list that day, when the schedule
 * promised a run and the nearest list had it in scope. Undefined in single-account mode (the schedule
 * alone decides).
 */
export function expectedWhenFor(
  scope: AccountScope,
  account: string,
): ((collector: string, date: string, scheduled: boolean) => boolean) | undefined {
  if (!scope.organization) return undefined;
  return (collector, date, scheduled) => {
    const { listed, accounts } = expectedAccounts(scope, collector, date);
    return accounts.has(account) && (listed || scheduled);
  };
}

/** The days (of `scheduledDays`, per collector) whose run left no account list: gaps of the fan-out. */
export function missingLists(
  scope: AccountScope,
  scheduledDays: ReadonlyMap<string, ReadonlySet<string>>,
): { readonly collector: string; readonly date: string }[] {
  if (!scope.organization) return [];
  const out: { collector: string; date: string }[] = [];
  for (const [collector, days] of [...scheduledDays].sort(([a], [b]) => (a < b ? -1 : 1)))
    for (const date of [...days].sort())
      if (!scope.lists.get(collector)?.has(date)) out.push({ collector, date });
  return out;
}
