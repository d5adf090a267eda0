import { controlSatisfied } from '../../../cli/period/oscal';
import { createHash } from 'node:crypto';
import { checksOfKinds, checkById } from '../../../lambdas/collectors/registry';
import { addDays } from '../../../cli/period/days';
import type { ExceptionInterval, PeriodInput } from '../../../cli/period/model';
import { buildPeriodReport, compareCriteria } from '../../../cli/period/report';
import {
  ACCOUNT,
  ALICE,
  BOB,
  FROM,
  OTHER_ACCOUNT,
  TO,
  checksOf,
  decision,
  input,
  run,
  sequence,
} from './period-fixture';

const day = (n: number) => addDays(FROM, n - 1); // day(1) is the period's first day

function exceptionsOf(over: Partial<PeriodInput>): ExceptionInterval[] {
  return [...buildPeriodReport(input(over), checksOf).exceptions];
}

function only(over: Partial<PeriodInput>): ExceptionInterval {
  const list = exceptionsOf(over);
  expect(list).toHaveLength(1);
  return list[0]!;
}

describe('exception intervals over hand-built day sequences', () => {
  test('fail-pass-fail: two intervals, the first resolved by the passing run, the second open at the end', () => {
    const runs = sequence('FFPPFFFFFFFFFF');
    const [first, second] = exceptionsOf({ runs });
    expect(first).toMatchObject({
      firstFail: { date: day(1), key: runs[0]!.key, sha256: runs[0]!.sha256 },
      lastFail: { date: day(2), key: runs[1]!.key },
      resolved: { date: day(3), key: runs[2]!.key, sha256: runs[2]!.sha256, how: 'passed' },
      openAtEnd: false,
      failingDays: 2,
      durationDays: 2,
      unknownDays: [],
      startedBeforeObserved: true,
      state: 'remediated',
    });
    expect(second).toMatchObject({
      firstFail: { date: day(5), key: runs[4]!.key },
      lastFail: { date: day(14), key: runs[13]!.key },
      openAtEnd: true,
      failingDays: 10,
      durationDays: 10, // to the day after the period's end
      startedBeforeObserved: false,
      state: 'open',
    });
    expect(second!.resolved).toBeUndefined();
  });

  test('a missing expected day inside a failure is unknown, never passing', () => {
    const e = only({ runs: sequence('PFF.FP') });
    expect(e.firstFail.date).toBe(day(2));
    expect(e.unknownDays).toEqual([day(4)]);
    expect(e.failingDays).toBe(3);
    expect(e.resolved).toMatchObject({ date: day(6), how: 'passed' });
    expect(e.durationDays).toBe(4);
  });

  test('an ERROR run inside a failure is unknown', () => {
    const e = only({ runs: sequence('PFEEFP') });
    expect(e.unknownDays).toEqual([day(3), day(4)]);
    expect(e.resolved?.date).toBe(day(6));
    expect(e.failingDays).toBe(2);
  });

  test('an incomplete run that does not list the resource is unknown, not gone', () => {
    const e = only({ runs: sequence('PFIP') });
    expect(e.unknownDays).toEqual([day(3)]);
    expect(e.resolved).toMatchObject({ date: day(4), how: 'passed' });
  });

  test('an incomplete run that lists the resource failing is a failing day', () => {
    const runs = [
      ...sequence('PF'),
      run({ date: day(3), status: 'FAIL', complete: false, findings: [['mfa', ALICE, 'FAIL']] }),
    ];
    const e = only({ runs, to: day(3) });
    expect(e.failingDays).toBe(2);
    expect(e.lastFail.key).toBe(runs[2]!.key);
    expect(e.unknownDays).toEqual([]);
  });

  test('a resource that disappears from a complete run is resolved as gone', () => {
    const runs = sequence('PFFG');
    const e = only({ runs, to: day(4) });
    expect(e.resolved).toEqual({ date: day(4), key: runs[3]!.key, sha256: runs[3]!.sha256, how: 'gone' });
    expect(e.openAtEnd).toBe(false);
    expect(e.state).toBe('remediated');
  });

  test('WARN and INFO after a failure resolve it (only FAIL makes an exception)', () => {
    expect(only({ runs: sequence('FW') }).resolved).toMatchObject({ date: day(2), how: 'passed' });
  });

  test('a check that first appears mid-period after complete runs did not start before it was observed', () => {
    const e = only({ runs: sequence('GGGFFP') });
    expect(e.firstFail.date).toBe(day(4));
    expect(e.startedBeforeObserved).toBe(false);
    // A collector that emitted nothing of that check at all before.
    const none = [
      run({ date: day(1), findings: [['keys', BOB, 'PASS']] }),
      run({ date: day(2), findings: [['mfa', ALICE, 'FAIL']] }),
    ];
    expect(only({ runs: none }).startedBeforeObserved).toBe(false);
  });

  test('a period that starts inside a failure: startedBeforeObserved', () => {
    expect(only({ runs: sequence('FFP') }).startedBeforeObserved).toBe(true);
    // Only unknown days before the first failure: nothing was observed, it may have been failing.
    const e = only({ runs: sequence('.EIFP') });
    expect(e.startedBeforeObserved).toBe(true);
    expect(e.unknownDays).toEqual([]); // unknown days before the interval are not its own
  });

  test('a weekly collector: the days between its runs are not observed, and not unknown', () => {
    // 2026-11-02, 09 and 16 are Mondays; the period runs to the 16th.
    const weekly: PeriodInput['expected'] = (_a, _c, d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 1;
    const runs = [
      ...sequence('F', { collector: 'weekly', from: '2026-11-02' }),
      ...sequence('F', { collector: 'weekly', from: '2026-11-09' }),
      ...sequence('P', { collector: 'weekly', from: '2026-11-16' }),
    ];
    const e = only({ runs, collectors: ['weekly'], expected: weekly, to: '2026-11-16' });
    expect(e).toMatchObject({ failingDays: 2, unknownDays: [], durationDays: 14, openAtEnd: false });
    expect(e.lastFail.date).toBe('2026-11-09');
    // A missed Monday inside the failure is unknown.
    const missed = only({
      runs: [runs[0]!, runs[2]!],
      collectors: ['weekly'],
      expected: weekly,
      to: '2026-11-16',
    });
    expect(missed.unknownDays).toEqual(['2026-11-09']);
    expect(missed.failingDays).toBe(1);
  });

  test('two regions: FAIL in one and PASS in the other is FAIL', () => {
    const runs = [
      run({ date: day(1), region: 'us-east-1', findings: [['mfa', ALICE, 'FAIL']] }),
      run({ date: day(1), region: 'eu-west-1', findings: [['mfa', ALICE, 'PASS']] }),
      run({ date: day(2), region: 'eu-west-1', findings: [['mfa', ALICE, 'PASS']] }),
      run({ date: day(2), region: 'us-east-1', findings: [['mfa', ALICE, 'PASS']] }),
    ];
    const e = only({ runs, to: day(2) });
    expect(e.firstFail.key).toBe(runs[0]!.key);
    expect(e.resolved).toMatchObject({ date: day(2), how: 'passed' });
  });

  test('gone needs the region that last judged the resource to have run', () => {
    const runs = [
      run({ date: day(1), region: 'us-east-1', findings: [['mfa', ALICE, 'FAIL']] }),
      run({ date: day(1), region: 'eu-west-1', findings: [['mfa', BOB, 'PASS']] }),
      run({ date: day(2), region: 'eu-west-1', findings: [['mfa', BOB, 'PASS']] }),
      run({ date: day(3), region: 'eu-west-1', findings: [['mfa', BOB, 'PASS']] }),
      run({ date: day(3), region: 'us-east-1', findings: [['mfa', BOB, 'PASS']] }),
    ];
    const e = only({ runs, to: day(3) });
    expect(e.unknownDays).toEqual([day(2)]);
    expect(e.resolved).toMatchObject({ date: day(3), how: 'gone', key: runs[4]!.key });
  });

  test('several runs on a day: the latest counts, and a later ERROR does not erase an earlier run', () => {
    const laterPass = [
      run({ date: day(1), findings: [['mfa', ALICE, 'PASS']] }),
      run({ date: day(2), time: '060000', findings: [['mfa', ALICE, 'FAIL']] }),
      run({ date: day(2), time: '120000', findings: [['mfa', ALICE, 'PASS']] }),
    ];
    expect(exceptionsOf({ runs: laterPass, to: day(2) })).toEqual([]);

    const laterError = [
      run({ date: day(1), findings: [['mfa', ALICE, 'FAIL']] }),
      run({ date: day(2), time: '060000', findings: [['mfa', ALICE, 'PASS']] }),
      run({ date: day(2), time: '120000', status: 'ERROR', complete: false }),
    ];
    const e = only({ runs: laterError, to: day(2) });
    expect(e.resolved).toMatchObject({ date: day(2), key: laterError[1]!.key });
    expect(e.unknownDays).toEqual([]);

    const failThenError = [
      run({ date: day(1), findings: [['mfa', ALICE, 'FAIL']] }),
      run({ date: day(2), time: '060000', findings: [['mfa', ALICE, 'FAIL']] }),
      run({ date: day(2), time: '120000', status: 'ERROR', complete: false }),
    ];
    expect(only({ runs: failThenError, to: day(2) })).toMatchObject({ failingDays: 2, unknownDays: [] });
  });

  test('a superseded earlier FAIL of the day makes no exception', () => {
    const runs = [
      run({ date: day(1), time: '060000', findings: [['mfa', ALICE, 'FAIL']] }),
      run({ date: day(1), time: '070000', findings: [['mfa', ALICE, 'PASS']] }),
    ];
    expect(exceptionsOf({ runs, to: day(1) })).toEqual([]);
  });

  test('runs outside the period, of other collectors or other accounts are left out', () => {
    const runs = [
      ...sequence('F', { from: addDays(FROM, -1) }),
      ...sequence('F', { collector: 'network', check: 'open-port' }),
      ...sequence('F', { account: OTHER_ACCOUNT }),
    ];
    const report = buildPeriodReport(input({ runs }), checksOf);
    expect(report.exceptions).toEqual([]);
    expect(report.runs).toEqual([]);
  });

  test('two collectors emitting the same check on the same resource give one interval each, with its own id', () => {
    // As iam-mfa and inactive-users both emit root-access-keys: observations are per collector (each
    // collector's evidence proves its own boundaries), so the id names the collector.
    const runs = [...sequence('FP'), ...sequence('FP', { collector: 'weekly' })];
    const list = exceptionsOf({ runs, collectors: ['iam-mfa', 'weekly'] });
    expect(list.map((e) => e.collector)).toEqual(['iam-mfa', 'weekly']);
    expect(list[0]!.id).not.toBe(list[1]!.id);
  });

  test('the id is the first 16 hex of SHA-256 over account, collector, check, resource and the first failing day', () => {
    const e = only({ runs: sequence('PF') });
    const expected = createHash('sha256')
      .update(`${ACCOUNT}\n${e.collector}\nmfa\n${ALICE}\n${day(2)}`)
      .digest('hex')
      .slice(0, 16);
    expect(e.id).toBe(expected);
  });

  test('deterministic: runs and acceptances in any order give the same bytes', () => {
    const runs = [
      ...sequence('PFF.FPFFGG'),
      ...sequence('FFFFFFFFFFFFFF', { resource: BOB, check: 'keys', region: 'us-east-1' }),
      ...sequence('FFEP', { check: 'tags', region: 'eu-west-1' }),
    ];
    const acceptances = [decision({ day: day(3) }), decision({ day: day(4), check: 'keys', resource: '*' })];
    const a = JSON.stringify(buildPeriodReport(input({ runs, acceptances }), checksOf));
    const b = JSON.stringify(
      buildPeriodReport(
        input({ runs: [...runs].reverse(), acceptances: [...acceptances].reverse() }),
        checksOf,
      ),
    );
    expect(a).toBe(b);
  });

  test('exceptions sort by severity (unknown last), then account, check, resource, first failing day', () => {
    const runs = [
      ...sequence('F', { check: 'not-in-catalogue', region: 'us-east-1' }),
      ...sequence('F', { check: 'tags', region: 'us-east-2' }),
      ...sequence('F', { check: 'keys', resource: BOB, region: 'us-west-1' }),
      ...sequence('F', { check: 'keys', resource: ALICE, region: 'us-west-2' }),
      ...sequence('PF', { check: 'mfa', account: OTHER_ACCOUNT }),
      ...sequence('F', { check: 'mfa' }),
    ];
    const list = exceptionsOf({ runs, accounts: [OTHER_ACCOUNT, ACCOUNT] });
    expect(list.map((e) => [e.severity, e.account, e.check, e.resource])).toEqual([
      ['critical', ACCOUNT, 'mfa', ALICE],
      ['critical', OTHER_ACCOUNT, 'mfa', ALICE],
      ['high', ACCOUNT, 'keys', ALICE],
      ['high', ACCOUNT, 'keys', BOB],
      ['low', ACCOUNT, 'tags', ALICE],
      ['unknown', ACCOUNT, 'not-in-catalogue', ALICE],
    ]);
  });

  test('rejects a malformed period', () => {
    expect(() => buildPeriodReport(input({ from: '2026-11-31' }), checksOf)).toThrow(
      /period from must be a day/,
    );
    expect(() => buildPeriodReport(input({ to: '2026-10-01' }), checksOf)).toThrow(/must not be before from/);
    expect(() => buildPeriodReport(input({ sla: { critical: -1 } }), checksOf)).toThrow(/sla.critical/);
  });
});

describe('remediation SLA', () => {
  const critical = (pattern: string, to = TO) => only({ runs: sequence(pattern), to });

  test('remediated exactly on the due day is within; one day later is breached', () => {
    const onDue = critical('FFFFFFFP'); // fails day 1, passes day 8 = day 1 + 7
    expect(onDue.sla).toEqual({ days: 7, due: day(8), verdict: 'within' });
    expect(onDue.durationDays).toBe(7);
    const late = critical('FFFFFFFFP');
    expect(late.sla).toEqual({ days: 7, due: day(8), verdict: 'breached' });
    expect(late.durationDays).toBe(8);
  });

  test('open at the end: not yet due is open-within, still failing on the due day is breached', () => {
    expect(critical('FFFFFFF', day(7)).sla.verdict).toBe('open-within');
    expect(critical('FFFFFFFF', day(8)).sla.verdict).toBe('breached');
    expect(critical('FFFFFFFF', day(8)).durationDays).toBe(8);
  });

  test('unknown days count towards the duration', () => {
    expect(critical('FE.EEEEFP').sla.verdict).toBe('breached');
  });

  test('no SLA for a severity without one, nor for a check outside the catalogue', () => {
    const low = only({ runs: sequence('F', { check: 'tags' }) });
    expect(low.severity).toBe('low');
    expect(low.sla).toEqual({ verdict: 'none' });
    const unknown = only({ runs: sequence('F', { check: 'not-in-catalogue' }) });
    expect(unknown).toMatchObject({ severity: 'unknown', criteria: [], sla: { verdict: 'none' } });
  });

  test('the policy is configurable per severity', () => {
    const e = only({ runs: sequence('FFFP', { check: 'backup' }), sla: { medium: 2 } });
    expect(e.sla).toEqual({ days: 2, due: day(3), verdict: 'breached' });
    const within = only({ runs: sequence('FFFP', { check: 'backup' }), sla: { medium: 3 } });
    expect(within.sla.verdict).toBe('within');
  });
});

describe('accepted risks', () => {
  const failing = sequence('FFFFFFFFFFFFFF'); // failing the whole period, open at the end, past its 7 days

  test('an acceptance in force at the end: accepted, with its owner, reason and expiry', () => {
    const a = decision({ day: day(3), expires: '2026-12-31' });
    const e = only({ runs: failing, acceptances: [a] });
    expect(e.state).toBe('accepted');
    expect(e.sla.verdict).toBe('accepted');
    expect(e.acceptance).toEqual({
      key: a.key,
      owner: a.owner,
      reason: a.reason,
      from: day(3),
      expires: '2026-12-31',
      recordedBy: a.recordedBy.arn,
      inForceAtEnd: true,
      coveredSince: day(3),
    });
  });

  test('a renewal recorded before the first acceptance lapsed keeps it accepted in time; a later, shorter one does not hide one still in force', () => {
    // Critical, SLA 3 days: due on day 4. Accepted on day 2 until day 10, renewed on day 9 to the end.
    const first = decision({ day: day(2), expires: day(10) });
    const renewal = decision({ day: day(9), expires: '2026-12-31' });
    const renewed = only({ runs: failing, acceptances: [first, renewal], sla: { critical: 3 } });
    expect(renewed.acceptance).toMatchObject({ key: renewal.key, inForceAtEnd: true, coveredSince: day(2) });
    expect([renewed.state, renewed.sla.verdict]).toEqual(['accepted', 'accepted']);
    // A gap between them: the renewal on day 12 comes after the first lapsed on day 10, past the due day.
    const lapsed = only({
      runs: failing,
      acceptances: [first, decision({ day: day(12), expires: '2026-12-31' })],
      sla: { critical: 3 },
    });
    expect([lapsed.state, lapsed.sla.verdict, lapsed.acceptance?.coveredSince]).toEqual([
      'accepted',
      'breached',
      day(12),
    ]);
    // A second, shorter acceptance recorded later, expired by the end: the first is still in force.
    const shadow = only({
      runs: failing,
      acceptances: [
        decision({ day: day(2), expires: '2026-12-31' }),
        decision({ day: day(6), expires: day(8) }),
      ],
      sla: { critical: 3 },
    });
    expect([shadow.state, shadow.sla.verdict, shadow.acceptance?.from]).toEqual([
      'accepted',
      'accepted',
      day(2),
    ]);
  });

  test('in force until its expiry day inclusive, an ordinary exception again after it', () => {
    const onLastDay = only({ runs: failing, acceptances: [decision({ day: day(1), expires: TO })] });
    expect(onLastDay.state).toBe('accepted');
    const expired = only({ runs: failing, acceptances: [decision({ day: day(1), expires: day(13) })] });
    expect(expired.state).toBe('open');
    expect(expired.sla.verdict).toBe('breached');
    expect(expired.acceptance).toMatchObject({ expires: day(13), inForceAtEnd: false });
  });

  test('recorded before the period and expired during it: shown, not in force', () => {
    const e = only({ runs: failing, acceptances: [decision({ day: '2026-10-20', expires: day(5) })] });
    expect(e.acceptance).toMatchObject({ from: '2026-10-20', inForceAtEnd: false });
    expect(e.state).toBe('open');
  });

  test('expired before the exception began, recorded after its resolution, or after the period: not shown', () => {
    const runs = sequence('PPPPFFP');
    const before = decision({ day: day(1), expires: day(4) });
    const afterResolution = decision({ day: day(7) });
    const afterPeriod = decision({ day: addDays(TO, 1) });
    const e = only({ runs, acceptances: [before, afterResolution] });
    expect(e.acceptance).toBeUndefined();
    expect(e.sla.verdict).toBe('within');
    const report = buildPeriodReport(input({ runs, acceptances: [afterPeriod, before] }), checksOf);
    expect(report.exceptions[0]!.acceptance).toBeUndefined();
    expect(report.acceptances.map((a) => a.key)).toEqual([before.key]);
  });

  test('a resolved exception whose acceptance is in force on its last failing day is accepted', () => {
    const e = only({ runs: sequence('FFFFFFFFFFP'), acceptances: [decision({ day: day(2) })] });
    expect(e.state).toBe('accepted');
    expect(e.sla.verdict).toBe('accepted');
    expect(e.resolved?.date).toBe(day(11));
    // Expiring the day before the resolution is still in force on the last failing day.
    const e2 = only({
      runs: sequence('FFFFFFFFFFP'),
      acceptances: [decision({ day: day(2), expires: day(10) })],
    });
    expect(e2.state).toBe('accepted');
    const e3 = only({
      runs: sequence('FFFFFFFFFFP'),
      acceptances: [decision({ day: day(2), expires: day(9) })],
    });
    expect(e3).toMatchObject({ state: 'remediated', sla: { verdict: 'breached' } });
  });

  test('revoked: in force no more from the revocation day', () => {
    const a = decision({ day: day(2) });
    const r = decision({ action: 'revoke', day: day(6) });
    const e = only({ runs: failing, acceptances: [a, r] });
    expect(e.acceptance).toMatchObject({
      key: a.key,
      revokedOn: day(6),
      revokedBy: r.recordedBy.arn,
      inForceAtEnd: false,
    });
    expect(e.state).toBe('open');
    expect(e.sla.verdict).toBe('breached');
  });

  test('a revocation of a pattern that does not match the resource, or recorded before the acceptance, does not revoke it', () => {
    const a = decision({ day: day(2), time: '100000' });
    const otherPattern = decision({ action: 'revoke', day: day(3), resource: `${BOB}*` });
    const earlierSameDay = decision({ action: 'revoke', day: day(2), time: '090000' });
    const e = only({ runs: failing, acceptances: [earlierSameDay, a, otherPattern] });
    expect(e.state).toBe('accepted');
    expect(e.acceptance?.revokedOn).toBeUndefined();
  });

  test('revoking one resource ends a pattern acceptance for that resource alone; revoking a pattern ends it for all it matches', () => {
    const wide = decision({ day: day(2), resource: '*' });
    const onlyAlice = decision({ action: 'revoke', day: day(4), resource: ALICE });
    const runs = [...failing, ...sequence('FFFFFFFFFFFFFF', { resource: BOB, region: 'eu-west-1' })];
    const list = exceptionsOf({ runs, acceptances: [wide, onlyAlice] });
    const of = (r: string) => list.find((e) => e.resource === r);
    expect(of(ALICE)?.acceptance).toMatchObject({ revokedOn: day(4), inForceAtEnd: false });
    expect(of(ALICE)?.state).toBe('open');
    expect(of(BOB)?.state).toBe('accepted');
    const all = decision({ action: 'revoke', day: day(5), resource: 'arn:aws:iam::*' });
    expect(
      exceptionsOf({ runs, acceptances: [wide, all] }).map((e) => [e.resource, e.acceptance?.revokedOn]),
    ).toEqual([
      [ALICE, day(5)],
      [BOB, day(5)],
    ]);
  });

  test('an acceptance recorded after the SLA due day does not undo the breach', () => {
    // Failing from day 1, critical with a 3-day SLA: due on day 4, accepted only on day 9.
    const late = decision({ day: day(9) });
    const e = only({ runs: failing, acceptances: [late], sla: { critical: 3 } });
    expect(e.state).toBe('accepted');
    expect(e.sla.verdict).toBe('breached');
    const inTime = decision({ day: day(2) });
    expect(only({ runs: failing, acceptances: [inTime], sla: { critical: 3 } }).sla.verdict).toBe('accepted');
  });

  test('a pattern with * matches; an exact resource, another check or another account does not', () => {
    const pattern = decision({ day: day(1), resource: `arn:aws:iam::${ACCOUNT}:user/*` });
    expect(only({ runs: failing, acceptances: [pattern] }).state).toBe('accepted');
    const q = decision({ day: day(1), resource: `arn:aws:iam::${ACCOUNT}:user/alic?` });
    expect(only({ runs: failing, acceptances: [q] }).state).toBe('accepted');
    const bob = decision({ day: day(1), resource: BOB });
    const otherCheck = decision({ day: day(1), check: 'keys' });
    const otherAccount = decision({ day: day(1), account: OTHER_ACCOUNT, resource: '*' });
    const e = only({ runs: failing, acceptances: [bob, otherCheck, otherAccount] });
    expect(e.acceptance).toBeUndefined();
    expect(e.state).toBe('open');
  });

  test('the latest recorded acceptance in force during the exception is shown', () => {
    const older = decision({ day: day(1), expires: day(20 - 6), owner: 'first@example.com' });
    const newer = decision({ day: day(5), owner: 'second@example.com' });
    expect(only({ runs: failing, acceptances: [newer, older] }).acceptance?.owner).toBe('second@example.com');
  });
});

describe('controls', () => {
  test('coverage and failure days, exception counts and the statement', () => {
    const runs = [
      // mfa (critical): failing days 1-3, passing from day 4 (within SLA).
      ...sequence('FFFPP.PPEPPPPP'),
      // keys (high), another region: open from day 10. The collector left nothing on day 6 and only ERRORs
      // on day 9: neither is covered.
      ...sequence('PPPPP.PPEFFFFF', { check: 'keys', resource: BOB, region: 'eu-west-1' }),
      ...sequence('PPPPPPPPPPPPPP', { collector: 'network', check: 'open-port' }),
    ];
    const report = buildPeriodReport(input({ runs, collectors: ['iam-mfa', 'network'] }), checksOf);
    expect(report.controls.map((c) => c.control)).toEqual(['CC6.1', 'CC6.2', 'CC6.6']);
    const cc61 = report.controls[0]!;
    expect(cc61).toMatchObject({
      collectors: ['iam-mfa'],
      days: 14,
      daysCovered: 12,
      uncoveredDays: [day(6), day(9)],
      daysWithFailure: 8,
      exceptions: 2,
      remediatedWithinSla: 1,
      breached: 0,
      accepted: 0,
      open: 1,
    });
    expect(cc61.statement).toBe(
      `CC6.1: 12 of 14 days covered by verified evidence (not covered: ${day(6)}, ${day(9)}); failures on 8 days; 2 exceptions: 1 remediated within SLA, 1 open.`,
    );
    expect(report.controls[1]!.statement).toBe(
      `CC6.2: 12 of 14 days covered by verified evidence (not covered: ${day(6)}, ${day(9)}); failures on 5 days; 1 exception: 1 open.`,
    );
    expect(report.controls[2]!.statement).toBe(
      'CC6.6: 14 of 14 days covered by verified evidence; no failures; no exceptions.',
    );
  });

  test('past SLA, accepted and remediated without an SLA are counted and named', () => {
    const runs = [
      ...sequence('FFFFFFFFFPPPPP'), // mfa: 9 days, past 7
      ...sequence('FFFFFFFFFFFFFF', { check: 'keys', region: 'eu-west-1' }), // keys: accepted
      ...sequence('FPPPPPPPPPPPPP', { check: 'tags', region: 'us-east-1' }), // low: no SLA
    ];
    const report = buildPeriodReport(
      input({ runs, acceptances: [decision({ day: day(1), check: 'keys' })] }),
      checksOf,
    );
    const cc61 = report.controls.find((c) => c.control === 'CC6.1')!;
    expect(cc61).toMatchObject({ exceptions: 3, remediatedWithinSla: 0, breached: 1, accepted: 1, open: 0 });
    expect(cc61.statement).toBe(
      'CC6.1: 14 of 14 days covered by verified evidence; failures on 14 days; 3 exceptions: 1 remediated (no SLA), 1 past SLA, 1 accepted.',
    );
  });

  test('days judged incompletely are named in the statement and make the OSCAL finding not satisfied', () => {
    // I: an incomplete run (a region could not be read) on days 3 and 4; nothing failed in what it read.
    const report = buildPeriodReport(input({ runs: sequence('PPIIPPPPPPPPPP') }), checksOf);
    const cc61 = report.controls.find((c) => c.control === 'CC6.1')!;
    expect(cc61).toMatchObject({ daysCovered: 14, incompleteDays: [day(3), day(4)], exceptions: 0 });
    expect(cc61.statement).toBe(
      `CC6.1: 14 of 14 days covered by verified evidence, 2 days of them judged incompletely (${day(3)}, ${day(4)}); no failures; no exceptions.`,
    );
    expect(controlSatisfied(cc61, [])).toBe(false);
    const complete = buildPeriodReport(input({ runs: sequence('PPPPPPPPPPPPPP') }), checksOf);
    expect(
      controlSatisfied(
        complete.controls.find((c) => c.control === 'CC6.1')!,
        [],
      ),
    ).toBe(true);
  });

  test('at most five uncovered days are listed; a day is uncovered if any account lacks it', () => {
    const runs = [...sequence('PPPPPPPPPPPPPP'), ...sequence('F.......P.....', { account: OTHER_ACCOUNT })];
    const report = buildPeriodReport(input({ runs, accounts: [ACCOUNT, OTHER_ACCOUNT] }), checksOf);
    const cc61 = report.controls.find((c) => c.control === 'CC6.1')!;
    expect(cc61.uncoveredDays).toHaveLength(12);
    expect(cc61.statement).toBe(
      `CC6.1: 2 of 14 days covered by verified evidence (not covered: ${day(2)}, ${day(3)}, ${day(4)}, ${day(5)}, ${day(6)} and 7 more); failures on 1 day; 1 exception: 1 past SLA.`,
    );
  });

  test('a day not expected is not uncovered', () => {
    const expected: PeriodInput['expected'] = (_a, _c, d) => d !== day(2);
    const report = buildPeriodReport(input({ runs: sequence('P.PPPPPPPPPPPP'), expected }), checksOf);
    expect(report.controls.every((c) => c.daysCovered === 14)).toBe(true);
  });

  test('criteria sort in Trust Services order, numerically', () => {
    expect(
      ['A1.2', 'CC6.10', 'CC7.2', 'CC6.1', 'CC1.1', 'PI1.1', 'C1.1', 'P1.1'].sort(compareCriteria),
    ).toEqual(['CC1.1', 'CC6.1', 'CC6.10', 'CC7.2', 'A1.2', 'C1.1', 'PI1.1', 'P1.1']);
  });

  test('by default a collector’s checks are read from the registry', () => {
    const report = buildPeriodReport(
      input({ collectors: ['iam-mfa'], checkSpec: (c) => checkById(c)?.spec }),
    );
    const expected = [...new Set(checksOfKinds(['iam-mfa']).flatMap((c) => c.spec.criteria))].sort(
      compareCriteria,
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(report.controls.map((c) => c.control)).toEqual(expected);
    expect(report.controls.every((c) => c.uncoveredDays.length === 14)).toBe(true);
  });
});
