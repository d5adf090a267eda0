import type { ExceptionInterval, PeriodReport } from './model';
import { slaText } from './sla-option';

/** At most this many exceptions per list in the terminal; exceptions.csv has every one. */
const SHOWN = 20;

function exceptionLine(e: ExceptionInterval): string {
  const end = e.resolved
    ? `${e.resolved.how === 'gone' ? 'gone' : 'passing'} from ${e.resolved.date}`
    : 'still open';
  const since = e.startedBeforeObserved ? `since at least ${e.firstFail.date}` : `from ${e.firstFail.date}`;
  const sla =
    e.sla.days !== undefined ? `; SLA ${e.sla.days} days, due ${e.sla.due ?? '?'}: ${e.sla.verdict}` : '';
  const accepted = e.acceptance
    ? `; accepted by ${e.acceptance.owner} until ${e.acceptance.expires}${e.acceptance.inForceAtEnd ? '' : ' (no longer in force)'}`
    : '';
  const unknown = e.unknownDays.length > 0 ? `, ${e.unknownDays.length} unknown day(s)` : '';
  return `  ${e.severity} ${e.check} account ${e.account} ${e.resource}: failing ${since}, ${end} (${e.durationDays} days${unknown})${sla}${accepted}`;
}

function listed(title: string, list: readonly ExceptionInterval[]): string[] {
  if (list.length === 0) return [];
  const more = list.length > SHOWN ? [`  … and ${list.length - SHOWN} more in exceptions.csv`] : [];
  return [`${title} (${list.length}):`, ...list.slice(0, SHOWN).map(exceptionLine), ...more];
}

/**
 * The period report as `soc2-evidence report` prints it: one statement per control, then the exceptions
 * someone has to act on (past SLA first, then open, then accepted) and where the full report is.
 */
export function periodReportLines(report: PeriodReport, files: readonly string[]): string[] {
  const breached = report.exceptions.filter((e) => e.sla.verdict === 'breached');
  const open = report.exceptions.filter((e) => e.state === 'open' && e.sla.verdict !== 'breached');
  const accepted = report.exceptions.filter((e) => e.state === 'accepted');
  return [
    `Period report ${report.from} to ${report.to} (remediation SLA ${slaText(report.sla)}), from ${report.runs.length} verified runs:`,
    ...report.controls.map((c) => `  ${c.statement}`),
    ...listed('Past their remediation SLA', breached),
    ...listed('Open, within SLA', open),
    ...listed('Accepted risks in force', accepted),
    `Full report: ${files.join(', ')}`,
  ];
}
