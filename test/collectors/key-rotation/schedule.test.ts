import {
  lastFiringDay,
  parseSchedule,
  type RotationSchedule,
} from '../../../lambdas/collectors/key-rotation/schedule';

const DAY = 86_400_000;

function cron(expression: string): Extract<RotationSchedule, { kind: 'cron' }> {
  const s = parseSchedule({ ScheduleExpression: expression });
  if (s?.kind !== 'cron') throw new Error(`${expression} did not parse as cron: ${JSON.stringify(s)}`);
  return s;
}

const last = (expression: string, notAfter: string) =>
  lastFiringDay(cron(expression), new Date(notAfter))?.toISOString().slice(0, 10);

describe('parseSchedule', () => {
  it('reads intervals: AutomaticallyAfterDays, rate(N days) and rate(N hours)', () => {
    expect(parseSchedule({ AutomaticallyAfterDays: 30 })).toEqual({
      kind: 'interval',
      expression: 'every 30 days',
      intervalMs: 30 * DAY,
    });
    expect(parseSchedule({ ScheduleExpression: 'rate(10 days)' })).toMatchObject({ intervalMs: 10 * DAY });
    expect(parseSchedule({ ScheduleExpression: 'rate(1 day)' })).toMatchObject({ intervalMs: DAY });
    expect(parseSchedule({ ScheduleExpression: 'rate(4 hours)' })).toMatchObject({
      intervalMs: 4 * 3_600_000,
    });
    // The expression wins over AutomaticallyAfterDays when both are present.
    expect(parseSchedule({ AutomaticallyAfterDays: 90, ScheduleExpression: 'rate(7 days)' })).toMatchObject({
      intervalMs: 7 * DAY,
    });
  });

  it('is undefined without a schedule, and unknown for what it cannot read', () => {
    expect(parseSchedule({})).toBeUndefined();
    expect(parseSchedule({ AutomaticallyAfterDays: 0 })).toBeUndefined();
    expect(parseSchedule({ ScheduleExpression: 'every tuesday' })).toMatchObject({ kind: 'unknown' });
    expect(parseSchedule({ ScheduleExpression: 'cron(0 4 * * *)' })).toMatchObject({ kind: 'unknown' });
    expect(parseSchedule({ ScheduleExpression: 'cron(0 4 15W * ? *)' })).toMatchObject({
      kind: 'unknown',
      why: 'day-of-month "15W"',
    });
    expect(parseSchedule({ ScheduleExpression: 'cron(0 4 1 * MON *)' })).toMatchObject({
      kind: 'unknown',
      why: 'one of day-of-month and day-of-week must be ?',
    });
    expect(parseSchedule({ ScheduleExpression: 'cron(0 4 32 * ? *)' })).toMatchObject({ kind: 'unknown' });
  });
});

describe('lastFiringDay', () => {
  // 2026-11-23 is a Monday.
  it('finds the last day of a day-of-month schedule, counting the day itself', () => {
    expect(last('cron(0 4 1 * ? *)', '2026-11-23T06:00:00Z')).toBe('2026-11-01');
    expect(last('cron(0 4 1 * ? *)', '2026-11-01T00:00:00Z')).toBe('2026-11-01');
    expect(last('cron(0 4 1,15 * ? *)', '2026-11-23T06:00:00Z')).toBe('2026-11-15');
    expect(last('cron(0 4 */10 * ? *)', '2026-11-23T06:00:00Z')).toBe('2026-11-21');
    expect(last('cron(0 4 31 * ? *)', '2026-11-23T06:00:00Z')).toBe('2026-10-31');
    expect(last('cron(0 4 L * ? *)', '2026-11-23T06:00:00Z')).toBe('2026-10-31');
    expect(last('cron(0 4 L * ? *)', '2024-03-10T00:00:00Z')).toBe('2024-02-29');
  });

  it('reads day-of-week (1 = SUN), names, nth and last weekday of the month', () => {
    expect(last('cron(0 4 ? * MON *)', '2026-11-22T06:00:00Z')).toBe('2026-11-16');
    expect(last('cron(0 4 ? * 2 *)', '2026-11-22T06:00:00Z')).toBe('2026-11-16');
    expect(last('cron(0 4 ? * SUN *)', '2026-11-23T06:00:00Z')).toBe('2026-11-22');
    expect(last('cron(0 4 ? * MON-FRI *)', '2026-11-22T06:00:00Z')).toBe('2026-11-20');
    // The first Tuesday of November 2026 is the 3rd; of October the 6th.
    expect(last('cron(0 4 ? * TUE#1 *)', '2026-11-23T06:00:00Z')).toBe('2026-11-03');
    expect(last('cron(0 4 ? * 3#1 *)', '2026-11-02T06:00:00Z')).toBe('2026-10-06');
    // The last Friday of October 2026 is the 30th.
    expect(last('cron(0 4 ? * 6L *)', '2026-11-23T06:00:00Z')).toBe('2026-10-30');
  });

  it('honours months and years, and finds nothing for a schedule that never fired', () => {
    expect(last('cron(0 0 1 JAN,JUL ? *)', '2026-11-23T06:00:00Z')).toBe('2026-07-01');
    expect(last('cron(0 0 1 1 ? 2025)', '2026-11-23T06:00:00Z')).toBe('2025-01-01');
    expect(last('cron(0 0 1 1 ? 2030)', '2026-11-23T06:00:00Z')).toBeUndefined();
  });
});
