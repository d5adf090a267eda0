import { csvCell } from '../../lambdas/collectors/access-review/render';
import type { ExceptionInterval, PeriodReport } from './model';

/**
 * exceptions.csv of the auditor package: one row per exception of the period report, in the report's order
 * (most severe first). The columns are a contract (an auditor's spreadsheet reads them by name): each
 * boundary is a day and the evidence key that proves it, so a sample can be traced to its envelope.
 *
 * RFC 4180: every cell quoted, quotes doubled, CRLF line ends, a trailing line end. Resources and reasons
 * come from evidence and from people, so a cell starting with = + - @ tab or CR is defused with a leading
 * apostrophe (`csvCell`, shared with the access review's CSV).
 */

export const EXCEPTIONS_CSV_COLUMNS = [
  'id',
  'account',
  'severity',
  'check',
  'criteria',
  'resource',
  'state',
  'first_failing_day',
  'first_failing_evidence',
  'started_before_observed',
  'last_failing_day',
  'last_failing_evidence',
  'resolved_day',
  'resolved_how',
  'resolved_evidence',
  'open_at_end',
  'failing_days',
  'unknown_days',
  'duration_days',
  'sla_days',
  'sla_due',
  'sla_verdict',
  'accepted_owner',
  'accepted_reason',
  'accepted_from',
  'accepted_expires',
  'acceptance_in_force_at_end',
  'acceptance_evidence',
  'accepted_recorded_by',
  'acceptance_revoked_on',
  'acceptance_revoked_by',
] as const;

type Column = (typeof EXCEPTIONS_CSV_COLUMNS)[number];

const yesNo = (v: boolean) => (v ? 'yes' : 'no');

function row(e: ExceptionInterval): Record<Column, string> {
  const a = e.acceptance;
  return {
    id: e.id,
    account: e.account,
    severity: e.severity,
    check: e.check,
    criteria: e.criteria.join(' '),
    resource: e.resource,
    state: e.state,
    first_failing_day: e.firstFail.date,
    first_failing_evidence: e.firstFail.key,
    started_before_observed: yesNo(e.startedBeforeObserved),
    last_failing_day: e.lastFail.date,
    last_failing_evidence: e.lastFail.key,
    resolved_day: e.resolved?.date ?? '',
    resolved_how: e.resolved?.how ?? '',
    resolved_evidence: e.resolved?.key ?? '',
    open_at_end: yesNo(e.openAtEnd),
    failing_days: String(e.failingDays),
    unknown_days: String(e.unknownDays.length),
    duration_days: String(e.durationDays),
    sla_days: e.sla.days === undefined ? '' : String(e.sla.days),
    sla_due: e.sla.due ?? '',
    sla_verdict: e.sla.verdict,
    accepted_owner: a?.owner ?? '',
    accepted_reason: a?.reason ?? '',
    accepted_from: a?.from ?? '',
    accepted_expires: a?.expires ?? '',
    acceptance_in_force_at_end: a ? yesNo(a.inForceAtEnd) : '',
    acceptance_evidence: a?.key ?? '',
    accepted_recorded_by: a?.recordedBy ?? '',
    acceptance_revoked_on: a?.revokedOn ?? '',
    acceptance_revoked_by: a?.revokedBy ?? '',
  };
}

/** The CSV text: a header row, then one row per exception. */
export function exceptionsCsv(report: PeriodReport): string {
  const lines = [
    EXCEPTIONS_CSV_COLUMNS.map(csvCell).join(','),
    ...report.exceptions.map((e) => {
      const r = row(e);
      return EXCEPTIONS_CSV_COLUMNS.map((c) => csvCell(r[c])).join(',');
    }),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
