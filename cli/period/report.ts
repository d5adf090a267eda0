import { createHash } from 'node:crypto';
import { SEVERITIES, type Severity } from '../../lambdas/collectors/check-catalogue';
import { evidenceKind } from '../../lambdas/collectors/registry';
import { parseEvidenceKey } from '../../lambdas/evidence/keys';
import { resourceMatches, type AcceptanceRecord } from '../../lambdas/evidence/risk-acceptance';
import { addDays, dayDistance, eachDay, isDay } from './days';
import { counted } from '../package/day-status';
import type {
  AcceptanceView,
  Boundary,
  ControlResult,
  ExceptionInterval,
  PeriodInput,
  PeriodReport,
  SlaVerdict,
  VerifiedRun,
} from './model';

/**
 * The Type II period report, computed from the verified runs of a period (`buildPeriodReport`). Pure and
 * deterministic: the same input gives the same report, byte for byte once serialised; the clock is never
 * read. The rules, which an auditor can check against the envelopes the report links to:
 *
 * Scope. Only runs of the collectors and accounts in scope, dated (their key's UTC day) within the period,
 * enter. Acceptance and revocation records recorded (their key's UTC day) after the period's last day are
 * ignored.
 *
 * Counted runs. For one account, collector and day, the runs of each scope (the key's folder: one region,
 * `global` or `multi-region`) are reduced to one: the latest by key, unless it is ERROR and an earlier run
 * of that scope and day is not, in which case the latest non-ERROR run counts (a failed retry does not
 * erase evidence; the same rule as the calendar, cli/package/day-status.ts).
 *
 * Observations. For each account, collector, check and resource that some counted run of the period FAILs,
 * each day of the period is observed:
 * - `fail` when any counted run of the day has a FAIL finding for it (a FAIL in one region and a PASS in
 *   another is a FAIL);
 * - else `pass` when any counted run has another finding for it (PASS, WARN or INFO: only FAIL makes an
 *   exception);
 * - else, the resource being absent from every counted run: `gone` when every counted run of the day is
 *   complete and the regions in which the resource was last judged each have a counted run that day (a
 *   complete run that no longer lists it shows it no longer exists, or no longer has that check);
 *   `unknown` when some counted run is ERROR or incomplete (the resource may be in what it could not read)
 *   or the region that last judged it did not run;
 * - a day with no run at all: `unknown` when the collector was expected that day, else not observed (a
 *   weekly collector's days between runs are neither judged nor unknown).
 *
 * Exceptions. An interval starts at a `fail` observation when none is open; it continues through `fail`,
 * `unknown` and unobserved days (an unknown day is never taken as passing) and ends at the first later
 * `pass` or `gone` observation, which is its resolution (that run's key and SHA-256 prove it). An interval
 * never resolved is open at the period's end. `failingDays` counts its `fail` observations; `unknownDays`
 * lists its `unknown` days. `durationDays` is the number of days from the first failing day to the
 * resolving run's day, or to the day after the period's end when open (unknown days count as failing).
 * `startedBeforeObserved` is true when the period holds no observation of the resource (`pass`, `gone` or
 * `fail`) before its first failure: the failure may have begun before the period, and its duration and SLA
 * judgement are then a lower bound, counted from the first observed failure. A check or resource that
 * first appears mid-period after complete runs that did not list it was observed `gone` before, so it did
 * not start before it was observed. The id is the first 16 hex digits of SHA-256 over
 * `account\ncollector\ncheck\nresource\nfirstFailingDay`.
 *
 * Remediation SLA. The check's severity (catalogue; `unknown` when not in it) gives the SLA days (the
 * policy's; none for a severity without one) and the due day, first failing day + days. Verdict, in this
 * order: `breached` when an acceptance is in force on the exception's end day but was recorded after the
 * due day (accepting a risk late does not undo the breach); `accepted` when an acceptance is in force on
 * the exception's end day; `none` without an SLA;
 * resolved: `within` when durationDays <= days (remediated on the due day is within), else `breached`;
 * open: `breached` when durationDays > days (still failing on the due day), else `open-within`.
 *
 * Acceptances. An acceptance applies to an exception when it is of the same account and check, its
 * resource pattern matches the resource (`*`, `?`), and it was recorded by the period's end. It is in force
 * on day d when its record's day <= d <= its expiry and no revocation of the same account and check, naming
 * the acceptance's own pattern or one that matches the resource, recorded after it, was recorded on a day
 * <= d (from its day, no longer in force). The
 * exception's end day is the day before its resolution when resolved (its last failing or unknown day), else
 * the period's last day. The acceptance shown is the latest recorded one in force on the end day, else the
 * latest recorded one in force on any day from the first failing day to the end day; `inForceAtEnd` says
 * whether it is in force on the end day. `coveredSince` is the first day of the unbroken run of applicable
 * acceptances in force that reaches the end day (a renewal recorded before the previous one lapsed
 * continues it): the exception was accepted in time when that day is no later than the due day. State:
 * `accepted` when in force at the end, else `remediated` when resolved, else `open`. An expired or revoked
 * acceptance leaves the exception judged against its SLA, and is still shown.
 *
 * Controls. Each criterion supported by a check of a collector in scope (the collector's catalogue, and any
 * check its runs emitted), in Trust Services order (CC, A, C, PI, P; numerically within: CC6.1 < CC6.10).
 * Its collectors: those in scope with a check supporting it. A day is uncovered when, for some account in
 * scope, one of those collectors was expected and left no non-ERROR run. A day has a failure when a counted
 * run of those collectors recorded a FAIL of a supporting check. Exceptions count those of supporting
 * checks: `remediatedWithinSla` (verdict within), `breached` (past SLA, remediated or open), `accepted`,
 * `open` (open, not past any SLA); the statement also names those remediated without an SLA.
 *
 * Sorting. Exceptions by severity (critical first, unknown last), account, check, resource, first failing
 * day, collector. Acceptance records by recording time, then key; runs by key.
 */

/** A collector's declared check ids; the default reads the registry (tests inject their own). */
export type ChecksOf = (collector: string) => readonly string[];

export const registryChecksOf: ChecksOf = (collector) => Object.keys(evidenceKind(collector)?.checks ?? {});

type Observation =
  | {
      readonly kind: 'fail' | 'pass' | 'gone';
      readonly run: VerifiedRun;
      readonly regions: readonly string[];
    }
  | { readonly kind: 'unknown' };

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The counted run of each scope (key folder) of one day, sorted by key. */
function countedRuns(runs: readonly VerifiedRun[]): VerifiedRun[] {
  const byScope = new Map<string, VerifiedRun[]>();
  for (const r of runs) {
    const scope = r.key.slice(0, r.key.lastIndexOf('/'));
    byScope.set(scope, [...(byScope.get(scope) ?? []), r]);
  }
  return [...byScope.values()].map(counted).sort((a, b) => cmp(a.key, b.key));
}

const isComplete = (r: VerifiedRun) => r.complete && r.status !== 'ERROR';

const boundary = (r: VerifiedRun): Boundary => ({ date: r.date, key: r.key, sha256: r.sha256 });

/** One account's, collector's and day's counted runs, indexed once. */
interface Day {
  /** Counted runs, sorted by key. */
  readonly runs: readonly VerifiedRun[];
  /** Check → resource → what the counted runs said of it. */
  readonly items: ReadonlyMap<string, ReadonlyMap<string, Said>>;
  /** Checks that some counted run FAILed. */
  readonly failingChecks: ReadonlySet<string>;
  /** Every counted run complete (none ERROR or incomplete). */
  readonly complete: boolean;
  /** Some counted run is not ERROR. */
  readonly judged: boolean;
  readonly regions: ReadonlySet<string>;
}

interface Said {
  /** The first counted run (by key) that FAILed it, or that judged it otherwise. */
  fail?: VerifiedRun;
  pass?: VerifiedRun;
  /** The regions of the counted runs that listed it. */
  readonly regions: string[];
}

function dayOf(all: readonly VerifiedRun[]): Day {
  const runs = countedRuns(all);
  const items = new Map<string, Map<string, Said>>();
  const failingChecks = new Set<string>();
  for (const r of runs)
    for (const f of r.findings) {
      let ofCheck = items.get(f.check);
      if (!ofCheck) items.set(f.check, (ofCheck = new Map()));
      let said = ofCheck.get(f.resource);
      if (!said) ofCheck.set(f.resource, (said = { regions: [] }));
      if (!said.regions.includes(r.region)) said.regions.push(r.region);
      if (f.status === 'FAIL') {
        said.fail ??= r;
        failingChecks.add(f.check);
      } else said.pass ??= r;
    }
  return {
    runs,
    items,
    failingChecks,
    complete: runs.every(isComplete),
    judged: runs.some((r) => r.status !== 'ERROR'),
    regions: new Set(runs.map((r) => r.region)),
  };
}

function observe(
  day: Day | undefined,
  expected: boolean,
  check: string,
  resource: string,
  lastRegions: readonly string[],
): Observation | undefined {
  if (!day) return expected ? { kind: 'unknown' } : undefined;
  const said = day.items.get(check)?.get(resource);
  if (said?.fail) return { kind: 'fail', run: said.fail, regions: said.regions };
  if (said?.pass) return { kind: 'pass', run: said.pass, regions: said.regions };
  if (!day.complete) return { kind: 'unknown' };
  if (lastRegions.some((g) => !day.regions.has(g))) return { kind: 'unknown' };
  const proof = day.runs.find((r) => lastRegions.includes(r.region)) ?? day.runs[0]!;
  return { kind: 'gone', run: proof, regions: lastRegions };
}

const sha16 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);

/** The UTC day an acceptance or revocation was recorded: its key's day (its first day in force). */
export function recordDay(a: AcceptanceRecord): string {
  return parseEvidenceKey(a.key)?.date ?? a.recordedAt.slice(0, 10);
}

/** Recording order: recordedAt, then key. */
const byRecorded = (a: AcceptanceRecord, b: AcceptanceRecord) =>
  cmp(a.recordedAt, b.recordedAt) || cmp(a.key, b.key);

interface Acceptances {
  /** The acceptance shown for an exception of `account`, `check`, `resource` from `start` to `end`. */
  view(
    account: string,
    check: string,
    resource: string,
    start: string,
    end: string,
  ): AcceptanceView | undefined;
}

function acceptancesOf(records: readonly AcceptanceRecord[]): Acceptances {
  const revokes = records.filter((r) => r.action === 'revoke');
  /**
   * The first revocation of `a` for `resource`: same account and check, recorded after it, naming the
   * acceptance's own pattern or a pattern that matches the resource (revoking `user/alice` ends an
   * acceptance of `user/*` for alice alone; revoking `user/*` ends every acceptance of a user).
   */
  const revocationOf = (a: AcceptanceRecord, resource: string) =>
    revokes
      .filter(
        (r) =>
          r.account === a.account &&
          r.check === a.check &&
          (r.resource === a.resource || resourceMatches(r.resource, resource)) &&
          byRecorded(a, r) < 0,
      )
      .sort((x, y) => cmp(recordDay(x), recordDay(y)) || byRecorded(x, y))[0];
  return {
    view(account, check, resource, start, end) {
      const candidates = records
        .filter(
          (a) =>
            a.action === 'accept' &&
            a.account === account &&
            a.check === check &&
            resourceMatches(a.resource, resource),
        )
        .map((a) => {
          const from = recordDay(a);
          const expires = a.expires ?? from;
          const revoke = revocationOf(a, resource);
          const revokedOn = revoke ? recordDay(revoke) : undefined;
          /** The last day in force. */
          const until = [expires, ...(revokedOn ? [addDays(revokedOn, -1)] : [])].sort(cmp)[0]!;
          return { a, from, expires, revoke, revokedOn, until };
        })
        .filter((c) => {
          const lo = c.from > start ? c.from : start;
          const hi = c.until < end ? c.until : end;
          return lo <= hi;
        })
        .sort((x, y) => byRecorded(x.a, y.a));
      const inForce = (c: (typeof candidates)[number], day: string) => c.from <= day && day <= c.until;
      // The latest recorded acceptance in force on the end day; else the latest in force on any day.
      const shown = candidates.filter((c) => inForce(c, end)).at(-1) ?? candidates.at(-1);
      if (!shown) return undefined;
      // The first day of the unbroken run of acceptances in force that reaches the end day (renewals
      // and overlapping acceptances chain): whether the exception was accepted by its SLA due day.
      let coveredSince: string | undefined = candidates.some((c) => inForce(c, end)) ? end : undefined;
      for (let moved = coveredSince !== undefined; moved;) {
        moved = false;
        for (const c of candidates)
          if (c.from < coveredSince! && c.until >= addDays(coveredSince!, -1)) {
            coveredSince = c.from;
            moved = true;
          }
      }
      return {
        key: shown.a.key,
        owner: shown.a.owner,
        reason: shown.a.reason,
        from: shown.from,
        expires: shown.expires,
        ...(shown.revoke && shown.revokedOn
          ? { revokedOn: shown.revokedOn, revokedBy: shown.revoke.recordedBy.arn }
          : {}),
        recordedBy: shown.a.recordedBy.arn,
        inForceAtEnd: inForce(shown, end),
        ...(coveredSince !== undefined ? { coveredSince } : {}),
      };
    },
  };
}

/** Trust Services order: CC, A, C, PI, P, then anything else; numeric parts compared as numbers. */
export function compareCriteria(a: string, b: string): number {
  const SERIES = ['CC', 'A', 'C', 'PI', 'P'];
  const parse = (c: string) => {
    const m = /^([A-Z]+)(.*)$/.exec(c);
    const series = m?.[1] ?? '';
    const rank = SERIES.indexOf(series);
    const nums = (m?.[2] ?? c)
      .split(/[^0-9]+/)
      .filter(Boolean)
      .map(Number);
    return { rank: rank < 0 ? SERIES.length : rank, series, nums };
  };
  const x = parse(a);
  const y = parse(b);
  if (x.rank !== y.rank) return x.rank - y.rank;
  if (x.series !== y.series) return cmp(x.series, y.series);
  for (let i = 0; i < Math.max(x.nums.length, y.nums.length); i++) {
    const d = (x.nums[i] ?? -1) - (y.nums[i] ?? -1);
    if (d !== 0) return d;
  }
  return cmp(a, b);
}

const severityRank = (s: Severity | 'unknown') =>
  s === 'unknown' ? SEVERITIES.length : SEVERITIES.indexOf(s);

function validate(input: PeriodInput): void {
  if (!isDay(input.from))
    throw new Error(`period from must be a day YYYY-MM-DD, got ${JSON.stringify(input.from)}`);
  if (!isDay(input.to))
    throw new Error(`period to must be a day YYYY-MM-DD, got ${JSON.stringify(input.to)}`);
  if (input.to < input.from)
    throw new Error(`period to (${input.to}) must not be before from (${input.from})`);
  for (const [severity, days] of Object.entries(input.sla))
    if (days !== undefined && !(Number.isInteger(days) && days >= 0))
      throw new Error(`sla.${severity} must be a whole number of days >= 0, got ${JSON.stringify(days)}`);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function statementOf(c: Omit<ControlResult, 'statement'>, remediatedNoSla: number): string {
  const shown = c.uncoveredDays.slice(0, 5).join(', ');
  const more = c.uncoveredDays.length > 5 ? ` and ${c.uncoveredDays.length - 5} more` : '';
  const uncovered = c.uncoveredDays.length > 0 ? ` (not covered: ${shown}${more})` : '';
  const incomplete =
    c.incompleteDays.length > 0
      ? `, ${plural(c.incompleteDays.length, 'day')} of them judged incompletely (${c.incompleteDays.slice(0, 5).join(', ')}${c.incompleteDays.length > 5 ? ` and ${c.incompleteDays.length - 5} more` : ''})`
      : '';
  const failures = c.daysWithFailure > 0 ? `failures on ${plural(c.daysWithFailure, 'day')}` : 'no failures';
  const parts = [
    c.remediatedWithinSla > 0 ? `${c.remediatedWithinSla} remediated within SLA` : '',
    remediatedNoSla > 0 ? `${remediatedNoSla} remediated (no SLA)` : '',
    c.breached > 0 ? `${c.breached} past SLA` : '',
    c.accepted > 0 ? `${c.accepted} accepted` : '',
    c.open > 0 ? `${c.open} open` : '',
  ].filter(Boolean);
  const exceptions =
    c.exceptions > 0 ? `${plural(c.exceptions, 'exception')}: ${parts.join(', ')}` : 'no exceptions';
  return `${c.control}: ${c.daysCovered} of ${plural(c.days, 'day')} covered by verified evidence${uncovered}${incomplete}; ${failures}; ${exceptions}.`;
}

/** The period report of `input` (see the module comment for every rule). */
export function buildPeriodReport(input: PeriodInput, checksOf: ChecksOf = registryChecksOf): PeriodReport {
  validate(input);
  const days = eachDay(input.from, input.to);
  const accounts = [...new Set(input.accounts)].sort(cmp);
  const collectors = [...new Set(input.collectors)].sort(cmp);
  const inScope = new Set(accounts.flatMap((a) => collectors.map((c) => `${a}\n${c}`)));
  const runs = input.runs
    .filter((r) => inScope.has(`${r.account}\n${r.collector}`) && r.date >= input.from && r.date <= input.to)
    .sort((a, b) => cmp(a.key, b.key));

  // account\ncollector → day → its counted runs, indexed.
  const dayRuns = new Map<string, Map<string, Day>>();
  {
    const all = new Map<string, Map<string, VerifiedRun[]>>();
    for (const r of runs) {
      const k = `${r.account}\n${r.collector}`;
      const byDay = all.get(k) ?? new Map<string, VerifiedRun[]>();
      byDay.set(r.date, [...(byDay.get(r.date) ?? []), r]);
      all.set(k, byDay);
    }
    for (const [k, byDay] of all) dayRuns.set(k, new Map([...byDay].map(([d, list]) => [d, dayOf(list)])));
  }

  const acceptanceRecords = input.acceptances.filter((a) => recordDay(a) <= input.to).sort(byRecorded);
  const acceptances = acceptancesOf(acceptanceRecords);

  const exceptions: ExceptionInterval[] = [];
  for (const [k, byDay] of [...dayRuns].sort(([a], [b]) => cmp(a, b))) {
    const [account, collector] = k.split('\n') as [string, string];
    const failing = new Set<string>();
    for (const day of byDay.values())
      for (const [check, ofCheck] of day.items)
        for (const [resource, said] of ofCheck) if (said.fail) failing.add(JSON.stringify([check, resource]));
    const items = [...failing].sort(cmp).map((item) => JSON.parse(item) as [string, string]);
    for (const t of trace(input, days, byDay, account, collector, items))
      exceptions.push(...judge(input, account, collector, t, acceptances));
  }
  exceptions.sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      cmp(a.account, b.account) ||
      cmp(a.check, b.check) ||
      cmp(a.resource, b.resource) ||
      cmp(a.firstFail.date, b.firstFail.date) ||
      cmp(a.collector, b.collector),
  );

  return {
    from: input.from,
    to: input.to,
    sla: input.sla,
    controls: controlsOf(input, days, accounts, collectors, dayRuns, exceptions, checksOf),
    exceptions,
    acceptances: acceptanceRecords,
    runs,
  };
}

interface Open {
  firstFail: Boundary;
  startedBeforeObserved: boolean;
  lastFail: Boundary;
  failingDays: number;
  unknownDays: string[];
}

/** One (check, resource) followed through the period: its intervals so far. */
interface Trace {
  readonly check: string;
  readonly resource: string;
  readonly closed: { open: Open; resolved?: Boundary & { how: 'passed' | 'gone' } }[];
  open?: Open;
  observedBefore: boolean;
  lastRegions: readonly string[];
}

/** Walks the days once for every (check, resource) of one account and collector (day by day, for locality). */
function trace(
  input: PeriodInput,
  days: readonly string[],
  byDay: ReadonlyMap<string, Day>,
  account: string,
  collector: string,
  items: readonly (readonly [string, string])[],
): Trace[] {
  const traces: Trace[] = items.map(([check, resource]) => ({
    check,
    resource,
    closed: [],
    observedBefore: false,
    lastRegions: [],
  }));
  for (const day of days) {
    const runs = byDay.get(day);
    const expected = runs ? true : input.expected(account, collector, day);
    for (const t of traces) {
      const o = observe(runs, expected, t.check, t.resource, t.lastRegions);
      if (!o) continue;
      if (o.kind === 'unknown') {
        t.open?.unknownDays.push(day);
        continue;
      }
      if (o.kind !== 'gone') t.lastRegions = o.regions;
      if (o.kind === 'fail') {
        const b = boundary(o.run);
        t.open ??= {
          firstFail: b,
          startedBeforeObserved: !t.observedBefore,
          lastFail: b,
          failingDays: 0,
          unknownDays: [],
        };
        t.open.lastFail = b;
        t.open.failingDays++;
      } else if (t.open) {
        t.closed.push({
          open: t.open,
          resolved: { ...boundary(o.run), how: o.kind === 'pass' ? 'passed' : 'gone' },
        });
        delete t.open;
      }
      t.observedBefore = true;
    }
  }
  for (const t of traces) if (t.open) t.closed.push({ open: t.open });
  return traces;
}

/** The exception intervals of one trace, judged against the SLA and the acceptances. */
function judge(
  input: PeriodInput,
  account: string,
  collector: string,
  { check, resource, closed }: Trace,
  acceptances: Acceptances,
): ExceptionInterval[] {
  const spec = input.checkSpec(check);
  const severity: Severity | 'unknown' = spec?.severity ?? 'unknown';
  const slaDays = severity === 'unknown' ? undefined : input.sla[severity];
  return closed.map(({ open: o, resolved }) => {
    const first = o.firstFail.date;
    const durationDays = dayDistance(first, resolved ? resolved.date : addDays(input.to, 1));
    const endDay = resolved ? addDays(resolved.date, -1) : input.to;
    const acceptance = acceptances.view(account, check, resource, first, endDay);
    // An acceptance recorded after the due day does not undo the breach: the exception was past its SLA,
    // unaccepted, on the due day. It is accepted now (its state), and past its SLA (its verdict).
    const acceptedLate =
      acceptance?.inForceAtEnd === true &&
      slaDays !== undefined &&
      (acceptance.coveredSince ?? acceptance.from) > addDays(first, slaDays);
    let verdict: SlaVerdict;
    if (acceptedLate) verdict = 'breached';
    else if (acceptance?.inForceAtEnd) verdict = 'accepted';
    else if (slaDays === undefined) verdict = 'none';
    else if (resolved) verdict = durationDays <= slaDays ? 'within' : 'breached';
    else verdict = durationDays > slaDays ? 'breached' : 'open-within';
    return {
      id: sha16(`${account}\n${collector}\n${check}\n${resource}\n${first}`),
      account,
      collector,
      check,
      resource,
      severity,
      criteria: [...(spec?.criteria ?? [])],
      firstFail: o.firstFail,
      startedBeforeObserved: o.startedBeforeObserved,
      lastFail: o.lastFail,
      ...(resolved ? { resolved } : {}),
      openAtEnd: !resolved,
      failingDays: o.failingDays,
      unknownDays: o.unknownDays,
      durationDays,
      sla: {
        ...(slaDays !== undefined ? { days: slaDays, due: addDays(first, slaDays) } : {}),
        verdict,
      },
      ...(acceptance ? { acceptance } : {}),
      state: acceptance?.inForceAtEnd ? 'accepted' : resolved ? 'remediated' : 'open',
    };
  });
}

function controlsOf(
  input: PeriodInput,
  days: readonly string[],
  accounts: readonly string[],
  collectors: readonly string[],
  dayRuns: ReadonlyMap<string, ReadonlyMap<string, Day>>,
  exceptions: readonly ExceptionInterval[],
  checksOf: ChecksOf,
): ControlResult[] {
  const criteriaOf = (check: string) => input.checkSpec(check)?.criteria ?? [];
  // collector → the checks it declares or emitted in the period.
  const checks = new Map<string, Set<string>>(collectors.map((c) => [c, new Set(checksOf(c))]));
  for (const [k, byDay] of dayRuns) {
    const set = checks.get(k.split('\n')[1]!)!;
    for (const day of byDay.values()) for (const r of day.runs) for (const f of r.findings) set.add(f.check);
  }
  const controls = [...new Set([...checks.values()].flatMap((set) => [...set].flatMap(criteriaOf)))].sort(
    compareCriteria,
  );
  return controls.map((control) => {
    const supports = (check: string) => criteriaOf(check).includes(control);
    const supporting = collectors.filter((c) => [...checks.get(c)!].some(supports));
    const uncoveredDays = days.filter((day) =>
      accounts.some((account) =>
        supporting.some(
          (c) => input.expected(account, c, day) && !dayRuns.get(`${account}\n${c}`)?.get(day)?.judged,
        ),
      ),
    );
    const incompleteDays = days.filter(
      (day) =>
        !uncoveredDays.includes(day) &&
        accounts.some((account) =>
          supporting.some((c) => {
            const d = dayRuns.get(`${account}\n${c}`)?.get(day);
            return d !== undefined && d.judged && !d.complete;
          }),
        ),
    );
    const daysWithFailure = days.filter((day) =>
      accounts.some((account) =>
        supporting.some((c) =>
          [...(dayRuns.get(`${account}\n${c}`)?.get(day)?.failingChecks ?? [])].some(supports),
        ),
      ),
    ).length;
    const mine = exceptions.filter((e) => e.criteria.includes(control));
    const count = (p: (e: ExceptionInterval) => boolean) => mine.filter(p).length;
    const result: Omit<ControlResult, 'statement'> = {
      control,
      collectors: supporting,
      days: days.length,
      daysCovered: days.length - uncoveredDays.length,
      uncoveredDays,
      incompleteDays,
      daysWithFailure,
      exceptions: mine.length,
      remediatedWithinSla: count((e) => e.sla.verdict === 'within'),
      breached: count((e) => e.sla.verdict === 'breached'),
      accepted: count((e) => e.sla.verdict === 'accepted'),
      open: count((e) => e.openAtEnd && (e.sla.verdict === 'open-within' || e.sla.verdict === 'none')),
    };
    const remediatedNoSla = count((e) => !e.openAtEnd && e.sla.verdict === 'none');
    return { ...result, statement: statementOf(result, remediatedNoSla) };
  });
}
