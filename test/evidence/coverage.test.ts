import { computeCoverage, daysBetween, expectedRunDays } from '../../lambdas/evidence/coverage';

const days = (expression: string, timeZone: string, from: string, to: string) => {
  const r = expectedRunDays({ expression, timeZone }, from, to);
  if (!(r instanceof Set)) throw new Error('expected a set of days');
  return [...r].sort();
};

describe('expectedRunDays', () => {
  it.each<[string, string, string, string, string[]]>([
    ['daily at 06:00 UTC', 'cron(0 6 * * ? *)', 'UTC', '2026-01-30', ['2026-01-30', '2026-01-31']],
    ['rate(1 day)', 'rate(1 day)', 'UTC', '2026-01-30', ['2026-01-30', '2026-01-31']],
    ['rate(6 hours)', 'rate(6 hours)', 'UTC', '2026-01-30', ['2026-01-30', '2026-01-31']],
    // 00:30 in Paris (UTC+1 in winter) is 23:30 UTC the day before: the run for Jan 1 lands on Dec 31.
    [
      'Paris 00:30 shifts to the previous UTC day',
      'cron(30 0 * * ? *)',
      'Europe/Paris',
      '2026-01-30',
      ['2026-01-30', '2026-01-31'],
    ],
  ])('%s', (_name, expression, tz, from, expected) => {
    expect(days(expression, tz, from, '2026-01-31')).toEqual(expected);
  });

  it('maps a run shortly after local midnight to the previous UTC date, including across a month', () => {
    // Feb 1 00:30 Paris = Jan 31 23:30 UTC and Mar 1 = Feb 28; the run of Jan 1 lands on Dec 31, outside.
    expect(days('cron(30 0 1 * ? *)', 'Europe/Paris', '2026-01-01', '2026-02-28')).toEqual([
      '2026-01-31',
      '2026-02-28',
    ]);
    // West of UTC, a late evening run lands on the next UTC day.
    expect(days('cron(0 20 1 * ? *)', 'America/New_York', '2026-01-01', '2026-02-28')).toEqual([
      '2026-01-02',
      '2026-02-02',
    ]);
  });

  it('follows summer time: Monday 01:30 in Paris is 00:30 UTC the same day in winter, 23:30 UTC on Sunday in summer', () => {
    expect(days('cron(30 1 ? * MON *)', 'Europe/Paris', '2026-03-23', '2026-03-31')).toEqual([
      '2026-03-23',
      '2026-03-29',
    ]);
  });

  it('weekly on Monday', () => {
    expect(days('cron(0 6 ? * MON *)', 'UTC', '2026-01-01', '2026-01-31')).toEqual([
      '2026-01-05',
      '2026-01-12',
      '2026-01-19',
      '2026-01-26',
    ]);
    expect(days('cron(0 6 ? * 2 *)', 'UTC', '2026-01-01', '2026-01-10')).toEqual(['2026-01-05']);
  });

  it('quarterly on the first of Jan, Apr, Jul, Oct', () => {
    expect(days('cron(0 9 1 1,4,7,10 ? *)', 'UTC', '2026-01-01', '2026-12-31')).toEqual([
      '2026-01-01',
      '2026-04-01',
      '2026-07-01',
      '2026-10-01',
    ]);
    // At 01:00 in Tokyo (UTC+9) each quarterly run lands on the last day of the previous quarter in UTC:
    // the run of 2027-01-01 is evidence dated 2026-12-31, the run of 2026-01-01 falls before the period.
    expect(days('cron(0 1 1 1,4,7,10 ? *)', 'Asia/Tokyo', '2026-01-01', '2026-12-31')).toEqual([
      '2026-03-31',
      '2026-06-30',
      '2026-09-30',
      '2026-12-31',
    ]);
  });

  it('supports L, nth weekday and month names', () => {
    expect(days('cron(0 6 L * ? *)', 'UTC', '2026-02-01', '2026-03-31')).toEqual([
      '2026-02-28',
      '2026-03-31',
    ]);
    expect(days('cron(0 6 ? JAN-FEB MON#1 *)', 'UTC', '2026-01-01', '2026-03-31')).toEqual([
      '2026-01-05',
      '2026-02-02',
    ]);
  });

  it('returns the period length for rate(N days)', () => {
    expect(
      expectedRunDays({ expression: 'rate(7 days)', timeZone: 'UTC' }, '2026-01-01', '2026-01-31'),
    ).toEqual({ everyDays: 7 });
  });

  it('refuses what it cannot read', () => {
    expect(() =>
      expectedRunDays({ expression: 'every day', timeZone: 'UTC' }, '2026-01-01', '2026-01-02'),
    ).toThrow(/neither cron/);
    expect(() => daysBetween('2026-02-01', '2026-01-01')).toThrow(/before it starts/);
    expect(() => daysBetween('2026-02-30', '2026-03-01')).toThrow(/YYYY-MM-DD/);
  });
});

describe('computeCoverage', () => {
  const schedules = {
    daily: { expression: 'cron(0 6 * * ? *)', timeZone: 'UTC' },
    weekly: { expression: 'cron(0 6 ? * MON *)', timeZone: 'UTC' },
  };

  it('marks present, missing, failed, partial and not-expected days and lists the gaps', () => {
    const report = computeCoverage({
      from: '2026-01-05',
      to: '2026-01-08',
      schedules,
      envelopes: [
        { collector: 'daily', date: '2026-01-05', status: 'PASS' },
        { collector: 'daily', date: '2026-01-06', status: 'ERROR' },
        { collector: 'daily', date: '2026-01-07', status: 'PARTIAL' },
        // A FAIL is evidence of a failing control, not a missing run; a later retry covers the same day.
        { collector: 'weekly', date: '2026-01-05', status: 'ERROR' },
        { collector: 'weekly', date: '2026-01-05', status: 'FAIL' },
        { collector: 'unknown', date: '2026-01-05', status: 'PASS' },
      ],
    });
    const status = (c: string) => report.cells.filter((x) => x.collector === c).map((x) => x.status);
    expect(status('daily')).toEqual(['present', 'failed', 'partial', 'missing']);
    expect(status('weekly')).toEqual(['present', 'not-expected', 'not-expected', 'not-expected']);
    expect(report.collectors).toEqual(['daily', 'weekly']);
    expect(report.gaps.map((g) => `${g.collector} ${g.date} ${g.status}`)).toEqual([
      'daily 2026-01-06 failed',
      'daily 2026-01-08 missing',
    ]);
  });

  it('counts a day present only when some run judged its whole scope', () => {
    const report = computeCoverage({
      from: '2026-01-05',
      to: '2026-01-09',
      schedules: { daily: schedules.daily },
      envelopes: [
        // An incomplete FAIL says a check failed, but not that the scope was fully judged.
        { collector: 'daily', date: '2026-01-05', status: 'FAIL', complete: false },
        // The same, with a complete run on the same day: that run covers the day.
        { collector: 'daily', date: '2026-01-06', status: 'FAIL', complete: false },
        { collector: 'daily', date: '2026-01-06', status: 'PASS', complete: true },
        { collector: 'daily', date: '2026-01-07', status: 'FAIL', complete: true },
        // An incomplete run and an ERROR: something was judged, not everything.
        { collector: 'daily', date: '2026-01-08', status: 'ERROR', complete: false },
        { collector: 'daily', date: '2026-01-08', status: 'PARTIAL', complete: false },
        // ERROR never completes, whatever it claims.
        { collector: 'daily', date: '2026-01-09', status: 'ERROR', complete: true },
      ],
    });
    expect(report.cells.map((c) => `${c.date} ${c.status}`)).toEqual([
      '2026-01-05 partial',
      '2026-01-06 present',
      '2026-01-07 present',
      '2026-01-08 partial',
      '2026-01-09 failed',
    ]);
    expect(report.gaps.map((g) => g.date)).toEqual(['2026-01-09']);
  });

  it('judges rate(N days) by the longest run of days without evidence', () => {
    const report = computeCoverage({
      from: '2026-01-01',
      to: '2026-01-10',
      schedules: { r: { expression: 'rate(3 days)', timeZone: 'UTC' } },
      envelopes: [{ collector: 'r', date: '2026-01-02', status: 'PASS' }],
    });
    expect(report.gaps.map((g) => g.date)).toEqual(['2026-01-05', '2026-01-08']);
  });

  it('reports a schedule it cannot read instead of inventing gaps', () => {
    const report = computeCoverage({
      from: '2026-01-01',
      to: '2026-01-02',
      schedules: { x: { expression: 'cron(0 6 * * ? *)', timeZone: 'Mars/Olympus' } },
      envelopes: [],
    });
    expect(report.gaps).toEqual([]);
    expect(report.problems[0]!.message).toMatch(/Mars\/Olympus/);
  });
});
