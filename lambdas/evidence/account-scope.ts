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
 * A list is complete when it is neither ERROR nor PARTIAL and records no error: only then is it the exact
 * set of accounts owed. An ERROR list (the organization could not be read: the run fanned out to none) counts
 * as no list for what is expected, and its day is a gap of the fan-out. A PARTIAL list (an OU refused, an
 * account in an unknown state) expects its in-scope accounts plus those the nearest complete list had in
 * scope, less the accounts it names out of scope, and its day is a gap too: the run did not reach the
 * accounts it could not read. When a day has several lists of a collector, a complete one wins.
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
import { runOutcome, type Envelope } from './envelope';
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
  /**
   * `complete`: neither ERROR nor PARTIAL and no error entry, the exact set owed. `ERROR`: an ERROR list
   * (nothing listed). `PARTIAL`: any other list with errors, or read PARTIAL from its summary.
   */
  readonly state: ListState;
}

/** What a list is worth to coverage: see AccountList.state. */
export type ListState = 'complete' | 'ERROR' | 'PARTIAL';

/** A list's state from its envelope's summary and errors (a status this release does not know is ERROR). */
export function listState(envelope: Pick<Envelope, 'summary' | 'errors'>): ListState {
  const { status, complete } = runOutcome(envelope.summary ?? {});
  if (status === 'ERROR') return 'ERROR';
  const errors = Array.isArray(envelope.errors) ? envelope.errors.length : 0;
  return complete && status !== 'PARTIAL' && errors === 0 ? 'complete' : 'PARTIAL';
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
  return { key, hub: parsed.account, date: parsed.date, collector, accounts, state: listState(envelope) };
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
  /**
   * collector → date → the accounts that day's run fanned out to: the union of the in-scope accounts of the
   * day's complete lists of the collector, else of its PARTIAL ones. A day with only ERROR lists has none.
   */
  readonly lists: ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>;
  /** collector → date → the day's failure, for a day whose lists of the collector are none complete. */
  readonly incomplete: ReadonlyMap<string, ReadonlyMap<string, IncompleteDay>>;
}

/** A day whose lists of a collector are none complete. */
export interface IncompleteDay {
  /** PARTIAL when some list of the day is, else ERROR. */
  readonly state: 'ERROR' | 'PARTIAL';
  /** The accounts the day's PARTIAL lists name out of scope (read, and judged not owed). */
  readonly outOfScope: ReadonlySet<string>;
}

export const SINGLE_ACCOUNT: AccountScope = {
  organization: false,
  hubs: [],
  accounts: [],
  history: new Map(),
  lists: new Map(),
  incomplete: new Map(),
};

/** Builds the scope of a period from its lists (any order; lists outside [from, to] are ignored). */
export function accountScope(lists: readonly AccountList[], from: string, to: string): AccountScope {
  const within = lists.filter((l) => l.date >= from && l.date <= to);
  if (within.length === 0) return SINGLE_ACCOUNT;
  // Per collector and day, only the lists that count: the complete ones when the day has any.
  const hasComplete = new Set(
    within.filter((l) => l.state === 'complete').map((l) => `${l.collector}\u0000${l.date}`),
  );
  const counted = within.filter(
    (l) => l.state === 'complete' || !hasComplete.has(`${l.collector}\u0000${l.date}`),
  );
  // The days a complete list says who is out of scope: an account no list of the day names is out then.
  const completeDates = new Set(within.filter((l) => l.state === 'complete').map((l) => l.date));
  const byCollector = new Map<string, Map<string, Set<string>>>();
  const incomplete = new Map<string, Map<string, { state: 'ERROR' | 'PARTIAL'; outOfScope: Set<string> }>>();
  // Per account and date: in scope in some list that day, else the out-of-scope reason.
  const perDay = new Map<string, Map<string, { inScope: boolean; reason?: string }>>();
  const latest = new Map<string, { date: string; name?: string; ouPath?: string }>();
  const listDates = new Set<string>();
  for (const list of [...counted].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    listDates.add(list.date);
    if (list.state !== 'complete') {
      const failed = incomplete.get(list.collector) ?? new Map();
      incomplete.set(list.collector, failed);
      const day = failed.get(list.date) ?? { state: list.state, outOfScope: new Set<string>() };
      if (list.state === 'PARTIAL') day.state = 'PARTIAL';
      for (const a of list.accounts) if (!a.inScope) day.outOfScope.add(a.account);
      failed.set(list.date, day);
    }
    const days = byCollector.get(list.collector) ?? new Map<string, Set<string>>();
    byCollector.set(list.collector, days);
    // An ERROR list fanned out to no account: its day has no entry (mayMatter reads none as none).
    const inScope = days.get(list.date) ?? new Set<string>();
    if (list.state !== 'ERROR' || days.has(list.date)) days.set(list.date, inScope);
    for (const a of list.accounts) {
      if (a.inScope && list.state !== 'ERROR') inScope.add(a.account);
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
      // Not named on a day whose lists are incomplete: not known to have left (its OU may be unread).
      if (!day && !completeDates.has(date)) continue;
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
    incomplete,
  };
}

/** The nearest day of `days` to `date`: the latest before it, else the earliest after it. */
function nearest(
  days: ReadonlyMap<string, ReadonlySet<string>>,
  date: string,
  skip: (day: string) => boolean = () => false,
): ReadonlySet<string> | undefined {
  let before: string | undefined;
  let after: string | undefined;
  for (const d of days.keys()) {
    if (d === date || skip(d)) continue;
    if (d < date && (before === undefined || d > before)) before = d;
    if (d > date && (after === undefined || d < after)) after = d;
  }
  const pick = before ?? after;
  return pick === undefined ? undefined : days.get(pick);
}

/**
 * What the nearest complete list of `collector` (else of any collector) had in scope; with no complete list
 * in the period, the nearest PARTIAL one's, so an incomplete period still expects what was read.
 */
function carried(scope: AccountScope, collector: string, date: string): ReadonlySet<string> {
  const all = new Map<string, Set<string>>();
  for (const ds of scope.lists.values())
    for (const [d, accounts] of ds) all.set(d, new Set([...(all.get(d) ?? []), ...accounts]));
  const anyIncomplete = (d: string) =>
    [...scope.lists.keys()].every((c) => !scope.lists.get(c)?.has(d) || scope.incomplete.get(c)?.has(d));
  const days = scope.lists.get(collector);
  const mineIncomplete = (d: string) => scope.incomplete.get(collector)?.has(d) ?? false;
  return (
    (days && nearest(days, date, mineIncomplete)) ??
    nearest(all, date, anyIncomplete) ??
    (days && nearest(days, date)) ??
    nearest(all, date) ??
    new Set()
  );
}

/**
 * Which accounts `collector`'s run of `date` owed evidence for. `listed`: the run of that day fanned out
 * (a complete or PARTIAL list of that collector and day exists): its accounts are expected whatever the
 * schedule. A complete list: its in-scope accounts. A PARTIAL one (`list: 'PARTIAL'`): its in-scope
 * accounts and those the nearest complete list had in scope, less those it names out of scope. No list, or
 * only ERROR ones (`list: 'ERROR'`): what the nearest complete list (of the collector, else of any
 * collector) had in scope, expected only on days the schedule promised a run.
 */
export function expectedAccounts(
  scope: AccountScope,
  collector: string,
  date: string,
): { readonly listed: boolean; readonly accounts: ReadonlySet<string>; readonly list?: 'ERROR' | 'PARTIAL' } {
  const exact = scope.lists.get(collector)?.get(date);
  const failed = scope.incomplete.get(collector)?.get(date);
  if (exact && !failed) return { listed: true, accounts: exact };
  const near = carried(scope, collector, date);
  if (failed?.state === 'PARTIAL') {
    const accounts = new Set(exact ?? []);
    for (const a of near) if (!failed.outOfScope.has(a)) accounts.add(a);
    return { listed: true, accounts, list: 'PARTIAL' };
  }
  return { listed: false, accounts: near, ...(failed ? { list: failed.state } : {}) };
}

/**
 * The `expectedWhen` of computeCoverage for one account: in organization mode an account is expected on a
 * day when expectedAccounts has it and either that day's run fanned out or the schedule promised a run.
 * Undefined in single-account mode (the schedule alone decides).
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

/** A gap of the fan-out: a day with no account list, or (`status`) only ERROR or PARTIAL ones. */
export interface ListGap {
  readonly collector: string;
  readonly date: string;
  /** Absent: the run left no list. */
  readonly status?: 'ERROR' | 'PARTIAL';
}

/**
 * The gaps of the fan-out for the collectors of `scheduledDays`: each scheduled day with no complete list
 * (none at all, or only ERROR or PARTIAL ones), and each day with only ERROR or PARTIAL lists, scheduled or
 * not (a run that did not reach every account it owed).
 */
export function missingLists(
  scope: AccountScope,
  scheduledDays: ReadonlyMap<string, ReadonlySet<string>>,
): ListGap[] {
  if (!scope.organization) return [];
  const out: ListGap[] = [];
  for (const [collector, days] of [...scheduledDays].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const failed = scope.incomplete.get(collector) ?? new Map<string, IncompleteDay>();
    for (const date of [...new Set([...days, ...failed.keys()])].sort()) {
      const state = failed.get(date)?.state;
      if (state) out.push({ collector, date, status: state });
      else if (!scope.lists.get(collector)?.has(date)) out.push({ collector, date });
    }
  }
  return out;
}

/** How a gap of the fan-out reads, for pull, verify, index.html and the watchdog. */
export function listGapText(gap: Pick<ListGap, 'status'>): string {
  switch (gap.status) {
    case 'ERROR':
      return 'account list failed (ERROR: the organization could not be read, so the run fanned out to no account): the accounts of the nearest complete list are expected';
    case 'PARTIAL':
      return 'account list incomplete (PARTIAL: part of the organization could not be read, so the run did not reach every account): the accounts of the nearest complete list are expected too, less those the list names out of scope';
    default:
      return 'missing (no account list of the run: the accounts its nearest list had in scope are expected)';
  }
}
