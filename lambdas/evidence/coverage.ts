/**
 * Coverage: which runs a collector's schedule promised in a period, and which of them left evidence. Pure
 * (no SDK, no clock, no I/O) so that the CLI `pull` and a watchdog Lambda judge gaps with one
 * implementation.
 *
 * A schedule is an EventBridge Scheduler expression in a time zone. Evidence keys are dated in UTC, so each
 * expected run is mapped from its local wall-clock time to the UTC date its evidence lands under: a
 * `cron(30 0 * * ? *)` in Europe/Paris runs at 22:30 or 23:30 UTC the previous day.
 */
import { runOutcome, type RunStatus, type ScheduleRef } from './envelope';
import { messageOf } from '../aws/aws-error';

export type CellStatus = 'present' | 'missing' | 'failed' | 'partial' | 'not-expected';

/**
 * One envelope found in the evidence: its collector (or any row id the caller chooses), UTC date, and its
 * run's status and completeness as `runOutcome` reads them.
 */
export interface FoundEnvelope {
  readonly collector: string;
  readonly date: string;
  readonly status: RunStatus;
  /**
   * Whether the run judged its whole scope (no error entry). Absent: read from the status alone, as
   * `runOutcome` reads a summary without it (PASS and FAIL complete, PARTIAL and ERROR not).
   */
  readonly complete?: boolean;
}

export interface CoverageInput {
  /** Inclusive UTC dates, YYYY-MM-DD. */
  readonly from: string;
  readonly to: string;
  /** One entry per row of the calendar (collector id). Envelopes of collectors not listed are ignored. */
  readonly schedules: Readonly<Record<string, ScheduleRef>>;
  /** Rows with no schedule (event-driven collectors): what was found is shown, nothing is expected. */
  readonly unscheduled?: readonly string[];
  readonly envelopes: readonly FoundEnvelope[];
  /**
   * Organization mode (lambdas/evidence/account-scope.ts): whether this account owed a run of `collector`
   * dated `date`, given whether the schedule promised one. Absent: the schedule alone decides.
   */
  readonly expectedWhen?: (collector: string, date: string, scheduled: boolean) => boolean;
}

export interface CoverageCell {
  readonly collector: string;
  readonly date: string;
  /** Whether the schedule promised a run whose evidence is dated this UTC day. */
  readonly expected: boolean;
  readonly status: CellStatus;
  readonly runs: number;
}

export interface CoverageReport {
  readonly days: readonly string[];
  readonly collectors: readonly string[];
  readonly cells: readonly CoverageCell[];
  /** Expected days with no evidence (`missing`) or only ERROR envelopes (`failed`). */
  readonly gaps: readonly CoverageCell[];
  /** Schedules that could not be understood; their rows only show what was found. */
  readonly problems: readonly { readonly collector: string; readonly message: string }[];
}

const DAY_MS = 86_400_000;

/** Every UTC date from `from` to `to` inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const start = parseDate(from);
  const end = parseDate(to);
  if (end < start) throw new Error(`the period ends (${to}) before it starts (${from})`);
  const days: string[] = [];
  for (let t = start; t <= end; t += DAY_MS) days.push(isoDate(t));
  return days;
}

function parseDate(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (Number.isNaN(t) || isoDate(t) !== date) throw new Error(`date must be YYYY-MM-DD, got "${date}"`);
  return t;
}

function isoDate(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

// ---- time zones -------------------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's offset from UTC at `instant`, in ms (positive east of Greenwich). */
function offsetMs(timeZone: string, instant: number): number {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!);
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The UTC instant of a local wall-clock time (a time skipped by DST lands one offset later). */
export function zonedTimeToUtc(localWall: number, timeZone: string): number {
  let t = localWall - offsetMs(timeZone, localWall);
  const second = offsetMs(timeZone, t);
  if (localWall - second !== t) t = localWall - second;
  return t;
}

// ---- cron -------------------------------------------------------------------------------------------

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
/** EventBridge numbers days of the week 1 (SUN) to 7 (SAT). */
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function value(token: string, names: readonly string[], offset: number, max?: number): number {
  const i = names.indexOf(token.toUpperCase());
  if (i >= 0) return i + offset;
  if (!/^\d+$/.test(token)) throw new Error(`"${token}" is not a number or name`);
  const n = Number(token);
  if (max !== undefined && (n < offset || n > max)) throw new Error(`"${token}" is outside ${offset}-${max}`);
  return n;
}

/** Expands `*`, lists, ranges and steps into the set of values within [min, max]. */
function expand(field: string, min: number, max: number, names: readonly string[] = []): Set<number> {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`bad step in "${part}"`);
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') [lo, hi] = [min, max];
    else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      [lo, hi] = [value(a, names, min), value(b, names, min)];
    } else {
      lo = value(range, names, min);
      hi = stepText === undefined ? lo : max;
    }
    if (lo < min || hi > max || lo > hi) throw new Error(`"${part}" is outside ${min}-${max}`);
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

type DayTest = (year: number, month: number, day: number) => boolean;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function weekday(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

function dayOfMonthTest(field: string): DayTest {
  if (field === '?' || field === '*') return () => true;
  if (field === 'L') return (y, m, d) => d === daysInMonth(y, m);
  const nearest = /^(L|\d{1,2})W$/.exec(field);
  if (nearest) {
    if (nearest[1] !== 'L') value(nearest[1]!, [], 1, 31);
    return (y, m, d) => {
      const last = daysInMonth(y, m);
      const target = nearest[1] === 'L' ? last : Math.min(Number(nearest[1]), last);
      const wd = weekday(y, m, target);
      let run = target;
      if (wd === 7) run = target === 1 ? 3 : target - 1;
      else if (wd === 1) run = target === last ? target - 2 : target + 1;
      return d === run;
    };
  }
  const days = expand(field, 1, 31);
  return (_y, _m, d) => days.has(d);
}

function dayOfWeekTest(field: string): DayTest {
  if (field === '?' || field === '*') return () => true;
  const nth = /^(\w{1,3})#([1-5])$/.exec(field);
  if (nth) {
    const wd = value(nth[1]!, WEEKDAYS, 1, 7);
    return (y, m, d) => weekday(y, m, d) === wd && Math.ceil(d / 7) === Number(nth[2]);
  }
  const last = /^(\w{1,3})?L$/.exec(field);
  if (last) {
    const wd = last[1] === undefined ? 7 : value(last[1], WEEKDAYS, 1, 7);
    return (y, m, d) => weekday(y, m, d) === wd && d + 7 > daysInMonth(y, m);
  }
  const days = expand(field, 1, 7, WEEKDAYS);
  return (y, m, d) => days.has(weekday(y, m, d));
}

interface Cron {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly matchesDay: DayTest;
}

/** Runs one field's parser; its error names the field, as config validation shows it. */
function inField<T>(name: string, field: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new Error(`the ${name} field "${field}" is not valid: ${messageOf(err)}`);
  }
}

/**
 * Why the body of a `cron(...)` cannot run as written (a value outside its field's range, such as hour 25),
 * or undefined. Config validation (lib/schedule-expression.ts) uses it, so synth refuses exactly what this
 * file could not compute expected runs for.
 */
export function cronRangeProblem(body: string): string | undefined {
  try {
    parseCron(body);
    return undefined;
  } catch (err) {
    return messageOf(err);
  }
}

function parseCron(body: string): Cron {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) throw new Error(`cron takes 6 fields, found ${fields.length}`);
  const [min = '', hour = '', dom = '', month = '', dow = '', year = ''] = fields;
  const minutes = [...inField('minutes', min, () => expand(min, 0, 59))].sort((a, b) => a - b);
  const hours = [...inField('hours', hour, () => expand(hour, 0, 23))].sort((a, b) => a - b);
  const months = inField('month', month, () => expand(month, 1, 12, MONTHS));
  const years =
    year === '*'
      ? undefined
      : inField('year', year, () => expand(year.replace(/^(\d{4})\/(\d+)$/, '$1-2199/$2'), 1970, 2199));
  const domTest = inField('day-of-month', dom, () => dayOfMonthTest(dom));
  const dowTest = inField('day-of-week', dow, () => dayOfWeekTest(dow));
  return {
    minutes,
    hours,
    matchesDay: (y, m, d) =>
      (years === undefined || years.has(y)) && months.has(m) && domTest(y, m, d) && dowTest(y, m, d),
  };
}

/**
 * The UTC dates in [from, to] on which a schedule runs, or `{ everyDays: N }` for `rate(N days)` with N > 1,
 * whose phase depends on when the schedule was created (not recorded), so only the longest gap can be
 * judged. Throws on an expression it cannot read.
 */
export function expectedRunDays(
  schedule: ScheduleRef,
  from: string,
  to: string,
): Set<string> | { readonly everyDays: number } {
  const period = daysBetween(from, to);
  const rate = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(schedule.expression);
  if (rate) {
    const n = Number(rate[1]);
    const unit = rate[2]!.replace(/s$/, '');
    const everyDays = unit === 'day' ? n : unit === 'hour' ? n / 24 : n / 1440;
    if (everyDays <= 1) return new Set(period);
    if (!Number.isInteger(everyDays)) throw new Error(`${schedule.expression} does not repeat on whole days`);
    return { everyDays };
  }
  const cron = /^cron\((.*)\)$/.exec(schedule.expression);
  if (!cron) throw new Error(`"${schedule.expression}" is neither cron(...) nor rate(...)`);
  const spec = parseCron(cron[1]!);
  formatter(schedule.timeZone); // throws RangeError on an unknown zone before any work
  const first = parseDate(from);
  const last = parseDate(to);
  const days = new Set<string>();
  // A local day can map to the UTC day before or after it: look one day beyond each end.
  for (let t = first - DAY_MS; t <= last + DAY_MS; t += DAY_MS) {
    const d = new Date(t);
    const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
    if (!spec.matchesDay(y, m, day)) continue;
    // Runs within one local day are in time order, so the first and last minute of each hour cover
    // every UTC date that day's runs can land on.
    const minuteEnds = [spec.minutes[0]!, spec.minutes[spec.minutes.length - 1]!];
    for (const hour of spec.hours) {
      for (const minute of minuteEnds) {
        const utc = zonedTimeToUtc(t + hour * 3_600_000 + minute * 60_000, schedule.timeZone);
        if (utc >= first && utc < last + DAY_MS) days.add(isoDate(utc));
      }
    }
  }
  return days;
}

// ---- coverage -----------------------------------------------------------------------------------------

/**
 * A day with several runs counts as its best. Coverage asks whether the scope was fully judged, not what
 * the judgement was: the day is `present` when some run completed (PASS or FAIL with no error entry),
 * `failed` when every run was ERROR (nothing judged), and otherwise `partial`, an incomplete FAIL included
 * (the calendar still shows it as a failure: cli/package/day-status.ts).
 */
function dayStatus(runs: readonly FoundEnvelope[]): CellStatus {
  const outcomes = runs.map(runOutcome);
  if (outcomes.some((o) => o.complete)) return 'present';
  if (outcomes.every((o) => o.status === 'ERROR')) return 'failed';
  return 'partial';
}

export function computeCoverage(input: CoverageInput): CoverageReport {
  const days = daysBetween(input.from, input.to);
  const collectors = [...new Set([...Object.keys(input.schedules), ...(input.unscheduled ?? [])])].sort();
  const found = new Map<string, FoundEnvelope[]>();
  for (const e of input.envelopes) {
    const k = `${e.collector}\n${e.date}`;
    const list = found.get(k);
    if (list) list.push(e);
    else found.set(k, [e]);
  }
  const cells: CoverageCell[] = [];
  const problems: { collector: string; message: string }[] = [];
  for (const collector of collectors) {
    const schedule = input.schedules[collector];
    let expected: Set<string> | { readonly everyDays: number } | undefined;
    if (schedule) {
      try {
        expected = expectedRunDays(schedule, input.from, input.to);
      } catch (err) {
        problems.push({
          collector,
          message: `cannot compute expected runs of "${schedule.expression}" in ${schedule.timeZone}: ${messageOf(err)}`,
        });
      }
    }
    let sinceLast = 0;
    for (const date of days) {
      const runs = found.get(`${collector}\n${date}`) ?? [];
      let isExpected: boolean;
      if (expected instanceof Set) isExpected = expected.has(date);
      else if (expected) {
        sinceLast = runs.length > 0 ? 0 : sinceLast + 1;
        isExpected = sinceLast >= expected.everyDays;
        if (isExpected) sinceLast = 0;
      } else isExpected = false;
      if (input.expectedWhen) isExpected = input.expectedWhen(collector, date, isExpected);
      const status: CellStatus = runs.length > 0 ? dayStatus(runs) : isExpected ? 'missing' : 'not-expected';
      cells.push({ collector, date, expected: isExpected, status, runs: runs.length });
    }
  }
  const gaps = cells.filter((c) => c.expected && (c.status === 'missing' || c.status === 'failed'));
  return { days, collectors, cells, gaps, problems };
}
