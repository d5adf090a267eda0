import { SEVERITIES } from '../../lambdas/collectors/check-catalogue';
import type { AcceptanceRecord } from '../../lambdas/evidence/risk-acceptance';
import { esc, href } from '../package/html';
import type {
  AcceptanceView,
  Boundary,
  ControlResult,
  ExceptionInterval,
  PeriodReport,
  SlaVerdict,
} from './model';

/**
 * The period report's section of the auditor's index.html: per control, then the SLA breaches, then every
 * exception with links to the envelopes that prove its boundaries, then every acceptance and revocation in
 * full. An HTML fragment (no scripts, relative links into the package); every value from evidence or from a
 * person is escaped. Statuses carry a symbol as well as a colour, so they read without colour.
 * `PERIOD_CSS` is appended to the page's stylesheet (it reuses .ok .bad .warn .muted .sev .sev-*).
 */

export const PERIOD_CSS = `
#period-report table.period-controls td.n{text-align:right;white-space:nowrap}
#period-report table.period-controls td.statement{max-width:620px;font-size:13px}
#period-report table.exceptions{width:100%;max-width:1360px;table-layout:fixed}
#period-report table.exceptions td{overflow-wrap:anywhere}#period-report td.day{white-space:nowrap}
#period-report table.exceptions col.c-sev{width:5.5em}#period-report table.exceptions col.c-check{width:9em}
#period-report table.exceptions col.c-acc{width:9.5em}#period-report table.exceptions col.c-day{width:7.5em}
#period-report table.exceptions col.c-n{width:7em}#period-report table.exceptions col.c-sla{width:9.5em}
#period-report table.exceptions col.c-accept{width:16em}#period-report td.day .note{white-space:normal}
#period-report table.records td{overflow-wrap:anywhere}#period-report td.acct{white-space:nowrap}
.accepted{color:#0969da;font-weight:600}.note{font-size:12px;color:#57606a}
`;

/** Colour-blind safe: each verdict has its own symbol and words as well as its colour. */
const VERDICT: Record<SlaVerdict, { readonly cls: string; readonly text: string }> = {
  within: { cls: 'ok', text: '✓ within SLA' },
  breached: { cls: 'bad', text: '✗ past SLA' },
  'open-within': { cls: 'warn', text: '◷ open, not yet due' },
  accepted: { cls: 'accepted', text: '⚑ accepted' },
  none: { cls: 'muted', text: '– no SLA' },
};

const STATE: Record<ExceptionInterval['state'], string> = {
  remediated: '<span class="ok">✓ remediated</span>',
  open: '<span class="bad">✗ open</span>',
  accepted: '<span class="accepted">⚑ accepted</span>',
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const dayLink = (b: Boundary, title: string) =>
  `<a href="${href(b.key)}" title="${esc(`${title}: ${b.key} (SHA-256 ${b.sha256})`)}">${esc(b.date)}</a>`;

function policyText(report: PeriodReport): string {
  const set = SEVERITIES.flatMap((s) => {
    const days = report.sla[s];
    return days === undefined ? [] : [`${s} ${plural(days, 'day')}`];
  });
  return set.length > 0
    ? `Remediation SLA: ${set.join(', ')}; other severities have none.`
    : 'No remediation SLA is configured.';
}

function controlsTable(controls: readonly ControlResult[]): string {
  if (controls.length === 0) return '<p class="muted">No collector in scope supports a control.</p>';
  const n = (v: number, cls: string) => `<td class="n ${v > 0 ? cls : 'muted'}">${esc(v)}</td>`;
  const rows = controls.map(
    (c) =>
      `<tr><th class="control">${esc(c.control)}</th>` +
      `<td class="n ${c.daysCovered === c.days ? 'ok' : 'bad'}">${c.daysCovered === c.days ? '✓' : '✗'} ${esc(c.daysCovered)} of ${esc(c.days)}</td>` +
      `<td class="n ${c.daysWithFailure > 0 ? 'bad' : 'ok'}">${esc(c.daysWithFailure)}</td>` +
      `<td class="n">${esc(c.exceptions)}</td>${n(c.remediatedWithinSla, 'ok')}${n(c.breached, 'bad')}` +
      `${n(c.accepted, 'accepted')}${n(c.open, 'warn')}<td class="statement">${esc(c.statement)}</td></tr>`,
  );
  return (
    '<table class="period-controls"><tr><th>Control</th><th>Days covered</th><th>Days with failure</th><th>Exceptions</th>' +
    '<th>Within SLA</th><th>Past SLA</th><th>Accepted</th><th>Open</th><th>Statement</th></tr>\n' +
    `${rows.join('\n')}</table>`
  );
}

function breachesList(exceptions: readonly ExceptionInterval[]): string {
  const breaches = exceptions.filter((e) => e.sla.verdict === 'breached');
  if (breaches.length === 0) return '<p class="ok">✓ No exception is past its remediation SLA.</p>';
  const items = breaches.map((e) => {
    const how = e.resolved
      ? `remediated ${esc(e.resolved.date)} after ${esc(plural(e.durationDays, 'day'))}`
      : `still open at the period's end, ${esc(plural(e.durationDays, 'day'))}`;
    return (
      `<li><span class="bad">✗</span> <span class="sev sev-${esc(e.severity)}">${esc(e.severity)}</span> ` +
      `<code>${esc(e.check)}</code> on <code>${esc(e.resource)}</code> (account ${esc(e.account)}): failing from ` +
      `${dayLink(e.firstFail, 'first failing run')}, due ${esc(e.sla.due ?? '')} (${esc(plural(e.sla.days ?? 0, 'day'))}), ${how}` +
      `${e.acceptance ? `; its acceptance ${revoked(e.acceptance) ? 'was revoked' : 'expired'}` : ''}.</li>`
    );
  });
  return `<p class="bad">✗ ${esc(plural(breaches.length, 'exception'))} past its remediation SLA:</p><ul class="breaches">${items.join('\n')}</ul>`;
}

/** Not in force at the exception's end: revoked when the revocation came before the expiry. */
const revoked = (a: AcceptanceView) => a.revokedOn !== undefined && a.revokedOn <= a.expires;

function acceptanceCell(e: ExceptionInterval): string {
  const a = e.acceptance;
  if (!a) return '<span class="muted">none</span>';
  const status = a.inForceAtEnd
    ? '<span class="accepted">⚑ in force</span>'
    : revoked(a)
      ? `<span class="bad">✗ revoked ${esc(a.revokedOn)}</span>${a.revokedBy ? ` <span class="note">by ${esc(a.revokedBy)}</span>` : ''}`
      : `<span class="bad">✗ expired</span>`;
  return (
    `${status}<br>${esc(a.owner)}: ${esc(a.reason)}<br><span class="note">from ${esc(a.from)} until ${esc(a.expires)}, ` +
    `recorded by ${esc(a.recordedBy)}</span> <a href="${href(a.key)}">record</a>`
  );
}

function exceptionsTable(exceptions: readonly ExceptionInterval[]): string {
  if (exceptions.length === 0) return '<p class="ok">✓ No check failed on any resource in this period.</p>';
  const rows = exceptions.map((e) => {
    const before = e.startedBeforeObserved
      ? '<br><span class="note">failing when first observed: may have begun before</span>'
      : '';
    const resolved = e.resolved
      ? `${dayLink(e.resolved, e.resolved.how === 'passed' ? 'first passing run' : 'first complete run without it')}<br><span class="note">${e.resolved.how === 'passed' ? 'passed' : 'gone'}</span>`
      : '<span class="bad">✗ open</span>';
    const unknown =
      e.unknownDays.length > 0
        ? `<br><span class="warn">? ${esc(plural(e.unknownDays.length, 'unknown day'))}</span><br><span class="note">${esc(e.unknownDays.slice(0, 5).join(', '))}${e.unknownDays.length > 5 ? ` and ${esc(e.unknownDays.length - 5)} more` : ''}</span>`
        : '';
    const v = VERDICT[e.sla.verdict];
    const due =
      e.sla.due !== undefined
        ? `<br><span class="note">due ${esc(e.sla.due)} (${esc(plural(e.sla.days ?? 0, 'day'))})</span>`
        : '';
    return (
      `<tr id="exception-${esc(e.id)}"><td><span class="sev sev-${esc(e.severity)}">${esc(e.severity)}</span></td>` +
      `<td><code>${esc(e.check)}</code><br><span class="note">${esc(e.criteria.join(', '))}</span></td><td class="acct">${esc(e.account)}</td>` +
      `<td><code>${esc(e.resource)}</code><br>${STATE[e.state]}</td>` +
      `<td class="day">${dayLink(e.firstFail, 'first failing run')}${before}</td>` +
      `<td class="day">${dayLink(e.lastFail, 'last failing run')}</td><td class="day">${resolved}</td>` +
      `<td>${esc(e.failingDays)} failing${unknown}</td>` +
      `<td>${e.startedBeforeObserved ? '≥ ' : ''}${esc(plural(e.durationDays, 'day'))}${e.openAtEnd ? '<br><span class="note">to the period’s end</span>' : ''}</td>` +
      `<td class="${v.cls}">${v.text}${due}</td><td>${acceptanceCell(e)}</td></tr>`
    );
  });
  return (
    '<table class="exceptions"><colgroup><col class="c-sev"><col class="c-check"><col class="c-acc"><col class="c-res">' +
    '<col class="c-day"><col class="c-day"><col class="c-day"><col class="c-n"><col class="c-n"><col class="c-sla"><col class="c-accept"></colgroup>' +
    '<tr><th>Severity</th><th>Check</th><th>Account</th><th>Resource</th><th>First failing day</th><th>Last failing day</th>' +
    '<th>Resolved</th><th>Days</th><th>Duration</th><th>SLA</th><th>Acceptance</th></tr>\n' +
    `${rows.join('\n')}</table>`
  );
}

function recordsTable(records: readonly AcceptanceRecord[]): string {
  if (records.length === 0)
    return '<p class="muted">No risk was accepted or revoked up to the period’s end.</p>';
  const rows = records.map((r) => {
    const proof =
      r.recordedBy.proof === 'sts-get-caller-identity'
        ? '<span class="ok">✓ proven by AWS STS</span>'
        : '<span class="warn">⚠ written locally: nothing proves who</span>';
    const action =
      r.action === 'accept' ? '<span class="accepted">⚑ accept</span>' : '<span class="bad">✗ revoke</span>';
    return (
      `<tr><td class="day">${esc(r.recordedAt)}</td><td>${action}</td><td class="acct">${esc(r.account)}</td><td><code>${esc(r.check)}</code></td>` +
      `<td><code>${esc(r.resource)}</code></td><td>${esc(r.owner)}</td><td>${esc(r.reason)}</td>` +
      `<td class="day">${esc(r.expires ?? '')}</td><td>${esc(r.recordedBy.arn)}<br>${proof}</td>` +
      `<td><a href="${href(r.key)}" title="${esc(`SHA-256 ${r.sha256}`)}">record</a></td></tr>`
    );
  });
  return (
    '<table class="records"><tr><th>Recorded</th><th>Action</th><th>Account</th><th>Check</th><th>Resource or pattern</th>' +
    '<th>Owner</th><th>Reason</th><th>Expires</th><th>Recorded by</th><th>Evidence</th></tr>\n' +
    `${rows.join('\n')}</table>`
  );
}

/** The section, for index.html. */
export function periodReportHtml(report: PeriodReport): string {
  return (
    '<section id="period-report"><h2>Period report: controls and exceptions</h2>' +
    `<p class="rule">From ${esc(report.from)} to ${esc(report.to)}, computed from the envelopes that passed every integrity check. ` +
    'An exception is an interval during which a check failed on a resource: it starts at a failing run and ends at the first ' +
    'later run that passed it or, complete, no longer listed it. A day inside it with no run, an ERROR, or an incomplete run ' +
    'that did not list the resource is unknown (?), never passing; a collector’s days without a scheduled run are not observed. ' +
    `Duration counts from the first failing day to the resolving run’s day (to the day after the period when open). ${esc(policyText(report))} ` +
    'An accepted risk (⚑) is a separate signed record: it never changes a finding, and an expired or revoked one leaves the ' +
    'exception judged against its SLA. The same exceptions are in <a href="exceptions.csv">exceptions.csv</a>.</p>' +
    `<h3>Per control</h3>${controlsTable(report.controls)}` +
    `<h3>Remediation SLA breaches</h3>${breachesList(report.exceptions)}` +
    `<h3>Exceptions, most severe first</h3>${exceptionsTable(report.exceptions)}` +
    `<h3>Accepted risks: every acceptance and revocation</h3>${recordsTable(report.acceptances)}</section>`
  );
}
