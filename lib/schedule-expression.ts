import { cronRangeProblem } from '../lambdas/evidence/coverage';

/**
 * Checks an EventBridge Scheduler expression: `cron(min hour day-of-month month day-of-week year)` or
 * `rate(N unit)`. Returns a reason when it is not one, so synth fails here instead of at deploy time. The
 * patterns below check each field's form; the ranges (minutes 0-59, hours 0-23, day-of-month 1-31, month
 * 1-12 or JAN-DEC, day-of-week 1-7 or SUN-SAT, year 1970-2199) are checked by the same parser that computes
 * expected runs for coverage (lambdas/evidence/coverage.ts), so the two cannot disagree.
 */
const CRON_FIELDS: ReadonlyArray<{ name: string; pattern: RegExp }> = [
  { name: 'minutes', pattern: /^(\*|\d{1,2}([-/]\d{1,2})?)(,\d{1,2}([-/]\d{1,2})?)*$/ },
  { name: 'hours', pattern: /^(\*|\d{1,2}([-/]\d{1,2})?)(,\d{1,2}([-/]\d{1,2})?)*$/ },
  {
    name: 'day-of-month',
    pattern: /^(\?|\*|L|LW|\d{1,2}W|(\d{1,2}([-/]\d{1,2})?)(,\d{1,2}([-/]\d{1,2})?)*|\*\/\d{1,2})$/,
  },
  {
    name: 'month',
    pattern:
      /^(\*|((\d{1,2}|[A-Z]{3})([-/](\d{1,2}|[A-Z]{3}))?)(,(\d{1,2}|[A-Z]{3})([-/](\d{1,2}|[A-Z]{3}))?)*|\*\/\d{1,2})$/,
  },
  {
    name: 'day-of-week',
    pattern:
      /^(\?|\*|\d[L#]\d?|[A-Z]{3}[L#]?\d?|((\d|[A-Z]{3})(-(\d|[A-Z]{3}))?)(,(\d|[A-Z]{3})(-(\d|[A-Z]{3}))?)*)$/,
  },
  { name: 'year', pattern: /^(\*|\d{4}(-\d{4})?(,\d{4}(-\d{4})?)*|\d{4}\/\d{1,3})$/ },
];

export function scheduleExpressionProblem(expression: string): string | undefined {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const n = Number(rate[1]);
    const unit = rate[2] ?? '';
    if (n < 1) return 'a rate must be at least 1';
    if ((n === 1) !== !unit.endsWith('s'))
      return `use "${n} ${n === 1 ? unit.replace(/s$/, '') : `${unit.replace(/s$/, '')}s`}"`;
    return undefined;
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (!cron) return 'it is neither cron(...) nor rate(...)';
  const fields = (cron[1] ?? '').trim().split(/\s+/);
  if (fields.length !== 6)
    return `cron takes 6 fields (minutes hours day-of-month month day-of-week year), found ${fields.length}`;
  for (const [i, field] of fields.entries()) {
    const spec = CRON_FIELDS[i]!;
    if (!spec.pattern.test(field)) return `the ${spec.name} field "${field}" is not valid`;
  }
  const [, , dom, , dow] = fields;
  if ((dom === '?') === (dow === '?')) return 'exactly one of day-of-month and day-of-week must be "?"';
  return cronRangeProblem(fields.join(' '));
}

/** How many minutes of an hour a valid cron minutes field fires at (`0` → 1, `*\/5` → 12, `0,30` → 2). */
export function minutesPerHour(minutesField: string): number {
  const fired = new Set<number>();
  for (const item of minutesField.split(',')) {
    const [range = '', stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    const [from, to] =
      range === '*'
        ? [0, 59]
        : range.includes('-')
          ? range.split('-').map(Number)
          : [Number(range), stepText === undefined ? Number(range) : 59];
    for (let m = from ?? 0; m <= (to ?? 59) && step > 0; m += step) fired.add(m);
  }
  return fired.size;
}

/**
 * Why a valid expression runs too often, or undefined: at most once an hour. Every run writes evidence that
 * Object Lock keeps for the whole retention period, which nobody can shorten, so a schedule every few minutes
 * would fill the bucket with objects that cannot be removed (and sign, list and seal each one).
 */
export function scheduleFrequencyProblem(expression: string): string | undefined {
  const rate = /^rate\((\d+) minutes?\)$/.exec(expression);
  if (rate && Number(rate[1]) < 60) return `it runs every ${rate[1]} minute(s)`;
  const cron = /^cron\((.*)\)$/.exec(expression);
  const minutes = cron?.[1]?.trim().split(/\s+/)[0];
  if (minutes !== undefined) {
    const n = minutesPerHour(minutes);
    if (n > 1) return `its minutes field "${minutes}" fires ${n} times an hour`;
  }
  return undefined;
}
