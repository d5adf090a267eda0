import { EXCEPTIONS_CSV_COLUMNS, exceptionsCsv } from '../../../cli/period/exceptions-csv';
import { buildPeriodReport } from '../../../cli/period/report';
import { ALICE, BOB, checksOf, decision, input, sequence } from './period-fixture';

/** A strict RFC 4180 reader: quoted cells, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '"') throw new Error(`cell not quoted at ${i}`);
    i++;
    for (;;) {
      if (text[i] === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
      } else if (text[i] === '"') {
        i++;
        break;
      } else if (i >= text.length) throw new Error('unterminated cell');
      else cell += text[i++];
    }
    row.push(cell);
    cell = '';
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else throw new Error(`expected , or CRLF at ${i}`);
  }
  return rows;
}

function records(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

describe('exceptions.csv', () => {
  test('a header of the contract columns, one row per exception, CRLF and a trailing line end', () => {
    const runs = [
      ...sequence('PFFFP'),
      ...sequence('FFFFFFFFFFFFFF', { check: 'keys', resource: BOB, region: 'eu-west-1' }),
    ];
    const acceptance = decision({
      day: '2026-11-02',
      check: 'keys',
      resource: 'arn:aws:iam::*',
      reason: 'legacy, replaced in Q1',
    });
    const report = buildPeriodReport(input({ runs, acceptances: [acceptance] }), checksOf);
    const text = exceptionsCsv(report);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parseCsv(text)[0]).toEqual([...EXCEPTIONS_CSV_COLUMNS]);
    const [mfa, keys] = records(text);
    expect(records(text)).toHaveLength(2);
    const e = report.exceptions[0]!;
    expect(mfa).toEqual({
      id: e.id,
      account: '123456789012',
      severity: 'critical',
      check: 'mfa',
      criteria: 'CC6.1',
      resource: ALICE,
      state: 'remediated',
      first_failing_day: '2026-11-02',
      first_failing_evidence: runs[1]!.key,
      started_before_observed: 'no',
      last_failing_day: '2026-11-04',
      last_failing_evidence: runs[3]!.key,
      resolved_day: '2026-11-05',
      resolved_how: 'passed',
      resolved_evidence: runs[4]!.key,
      open_at_end: 'no',
      failing_days: '3',
      unknown_days: '0',
      duration_days: '3',
      sla_days: '7',
      sla_due: '2026-11-09',
      sla_verdict: 'within',
      accepted_owner: '',
      accepted_reason: '',
      accepted_from: '',
      accepted_expires: '',
      acceptance_in_force_at_end: '',
      acceptance_evidence: '',
      accepted_recorded_by: '',
      acceptance_revoked_on: '',
      acceptance_revoked_by: '',
    });
    expect(keys).toMatchObject({
      check: 'keys',
      criteria: 'CC6.1 CC6.2',
      state: 'accepted',
      started_before_observed: 'yes',
      open_at_end: 'yes',
      resolved_day: '',
      sla_verdict: 'accepted',
      accepted_owner: 'security-lead@example.com',
      accepted_reason: 'legacy, replaced in Q1',
      accepted_from: '2026-11-02',
      accepted_expires: '2026-12-31',
      acceptance_in_force_at_end: 'yes',
      acceptance_evidence: acceptance.key,
      accepted_recorded_by: acceptance.recordedBy.arn,
      acceptance_revoked_on: '',
      acceptance_revoked_by: '',
    });
  });

  test('no exception: the header alone', () => {
    expect(exceptionsCsv(buildPeriodReport(input({ runs: sequence('PPP') }), checksOf))).toBe(
      `${EXCEPTIONS_CSV_COLUMNS.map((c) => `"${c}"`).join(',')}\r\n`,
    );
  });

  test('cells with commas, quotes and newlines survive; formulas are defused', () => {
    const hostile = 'arn:aws:s3:::a,"b"\nc';
    const formula = '=HYPERLINK("http://example.com","x")';
    const runs = [
      ...sequence('F', { resource: hostile }),
      ...sequence('F', { resource: formula, region: 'eu-west-1' }),
    ];
    const acceptances = [
      decision({
        day: '2026-11-01',
        resource: formula,
        reason: '+1 from the CISO',
        owner: '@owner@example.com',
      }),
      decision({ day: '2026-11-01', resource: '*"b"*', reason: '-\tminus' }),
    ];
    const text = exceptionsCsv(buildPeriodReport(input({ runs, acceptances }), checksOf));
    expect(text).toContain('"arn:aws:s3:::a,""b""\nc"');
    const rows = records(text);
    const byResource = new Map(rows.map((r) => [r.resource, r]));
    expect(byResource.get(hostile)).toMatchObject({ accepted_reason: "'-\tminus" });
    const defused = byResource.get(`'${formula}`);
    expect(defused).toMatchObject({
      accepted_reason: "'+1 from the CISO",
      accepted_owner: "'@owner@example.com",
    });
    expect(text).not.toMatch(/(^|,)"[=+@-]/m);
  });
});
