/**
 * Secrets Manager rotation schedules (`RotationRules`), read well enough to say when a rotation was due.
 * `AutomaticallyAfterDays` and `rate(N days|hours)` are intervals: a rotation is due that long after the
 * last one. `cron(...)` schedules (six fields, UTC: minutes hours day-of-month month day-of-week year) fire on
 * calendar days: a rotation is due on each day the expression matches. Day-of-week numbers run 1 (SUN) to 7
 * (SAT), as in every AWS cron expression. Forms this module cannot read exactly (`W`, `L-n`, `LW`) are
 * reported as not understood, so the finding WARNs instead of guessing.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export type RotationSchedule =
  | { readonly kind: 'interval'; readonly expression: string; readonly intervalMs: number }
  | { readonly kind: 'cron'; readonly expression: string; readonly firesOn: (day: Date) => boolean }
  | { readonly kind: 'unknown'; readonly expression: string; readonly why: string };

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

class Unsupported extends Error {}

/** The values a cron field allows, within [lo, hi]; names map to their 1-based position. */
function values(field: string, lo: number, hi: number, names: readonly string[] = []): Set<number> {
  const num = (text: string): number => {
    const named = names.indexOf(text.toUpperCase());
    const n = named >= 0 ? named + 1 : /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(n >= lo && n <= hi)) throw new Unsupported(`${JSON.stringify(text)} is not in ${lo}-${hi}`);
    return n;
  };
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Unsupported(`bad step in ${JSON.stringify(part)}`);
    let from: number;
    let to: number;
    if (range === '*') [from, to] = [lo, hi];
    else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      [from, to] = [num(a), num(b)];
    } else {
      from = num(range);
      to = stepText === undefined ? from : hi;
    }
    if (from > to) throw new Unsupported(`range ${JSON.stringify(range)} runs backwards`);
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

const daysInMonth = (y: number, m0: number) => new Date(Date.UTC(y, m0 + 1, 0)).getUTCDate();

/** Whether `day` (any time on it, UTC) is a day the six-field cron expression fires on. */
function cronDayMatcher(fields: readonly string[]): (day: Date) => boolean {
  const [, , dom = '', month = '', dow = '', year = '*'] = fields;
  if (dom !== '?' && dow !== '?') throw new Unsupported('one of day-of-month and day-of-week must be ?');
  const months = values(month, 1, 12, MONTHS);
  const years = year === '*' ? null : values(year, 1970, 2199);
  let dayMatch: (d: Date) => boolean;
  if (dow === '?') {
    if (dom === 'L') dayMatch = (d) => d.getUTCDate() === daysInMonth(d.getUTCFullYear(), d.getUTCMonth());
    else if (/[LW]/i.test(dom)) throw new Unsupported(`day-of-month ${JSON.stringify(dom)}`);
    else {
      const doms = values(dom, 1, 31);
      dayMatch = (d) => doms.has(d.getUTCDate());
    }
  } else {
    const nth = /^(\w+)#([1-5])$/.exec(dow);
    const last = /^(\w+)L$/i.exec(dow);
    if (nth) {
      const wd = values(nth[1]!, 1, 7, WEEKDAYS);
      const k = Number(nth[2]);
      dayMatch = (d) => wd.has(d.getUTCDay() + 1) && Math.ceil(d.getUTCDate() / 7) === k;
    } else if (last) {
      const wd = values(last[1]!, 1, 7, WEEKDAYS);
      dayMatch = (d) =>
        wd.has(d.getUTCDay() + 1) && d.getUTCDate() + 7 > daysInMonth(d.getUTCFullYear(), d.getUTCMonth());
    } else if (/[L#W]/i.test(dow)) throw new Unsupported(`day-of-week ${JSON.stringify(dow)}`);
    else {
      const wds = values(dow, 1, 7, WEEKDAYS);
      dayMatch = (d) => wds.has(d.getUTCDay() + 1);
    }
  }
  return (d) =>
    months.has(d.getUTCMonth() + 1) && (years === null || years.has(d.getUTCFullYear())) && dayMatch(d);
}

/** The schedule of a secret's `RotationRules`; undefined when the rules name none. */
export function parseSchedule(rules: {
  readonly AutomaticallyAfterDays?: number;
  readonly ScheduleExpression?: string;
}): RotationSchedule | undefined {
  const expression = rules.ScheduleExpression?.trim();
  if (!expression) {
    const days = rules.AutomaticallyAfterDays;
    return days && days > 0
      ? { kind: 'interval', expression: `every ${days} days`, intervalMs: days * DAY_MS }
      : undefined;
  }
  const rate = /^rate\(\s*(\d+)\s+(days?|hours?)\s*\)$/i.exec(expression);
  if (rate) {
    const n = Number(rate[1]);
    const unit = rate[2]!.toLowerCase().startsWith('day') ? DAY_MS : HOUR_MS;
    if (n > 0) return { kind: 'interval', expression, intervalMs: n * unit };
  }
  const cron = /^cron\((.*)\)$/i.exec(expression);
  if (cron) {
    const fields = cron[1]!.trim().split(/\s+/);
    if (fields.length === 6) {
      try {
        return { kind: 'cron', expression, firesOn: cronDayMatcher(fields) };
      } catch (err) {
        if (!(err instanceof Unsupported)) throw err;
        return { kind: 'unknown', expression, why: err.message };
      }
    }
  }
  return { kind: 'unknown', expression, why: 'not a rate() or six-field cron() expression' };
}

/** How far back to look for a cron schedule's last firing: five years covers yearly and leap-day schedules. */
export const CRON_LOOKBACK_DAYS = 5 * 366;

/** The start (00:00 UTC) of the latest day at or before `notAfter` on which `schedule` fires; undefined when
 * it fires on none of the previous CRON_LOOKBACK_DAYS days. */
export function lastFiringDay(
  schedule: Extract<RotationSchedule, { kind: 'cron' }>,
  notAfter: Date,
): Date | undefined {
  const start = Math.floor(notAfter.getTime() / DAY_MS) * DAY_MS;
  for (let i = 0; i < CRON_LOOKBACK_DAYS; i++) {
    const day = new Date(start - i * DAY_MS);
    if (schedule.firesOn(day)) return day;
  }
  return undefined;
}
