import type { CoverageReport, CellStatus } from '../../lambdas/evidence/coverage';
import { exceptionBreakdown, type Manifest, type ManifestObject, type PeriodReportSummary } from './manifest';
import { checksOfKinds } from '../../lambdas/collectors/registry';
import { daySummaries, type DayResult, type DaySummary } from './day-status';
import { failingSummary, findingsSection } from './findings-html';
import { NO_FINDINGS, type PackageFindings } from './findings';
import { esc, href } from './html';
import { listGapText } from '../../lambdas/evidence/account-scope';
import type { PeriodReport } from '../period/model';
import { PERIOD_CSS, periodReportHtml } from '../period/period-html';

/**
 * One self-contained page for the auditor: a calendar of each collector's result by day (day-status.ts),
 * the findings per check and per control (findings-html.ts), every problem and gap, and a link to every
 * object (folded). Inline CSS, no scripts, relative links: it works offline
 * from the package directory.
 */
export interface AccountCoverage {
  readonly account: string;
  readonly report: CoverageReport;
}

const CSS = `
body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1b1f24}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d0d7de}
h3{font-size:15px;margin:16px 0 6px}
.muted{color:#57606a}table{border-collapse:collapse;margin:6px 0}
th,td{border:1px solid #d0d7de;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
table.cal td,table.cal th{padding:0;text-align:center;vertical-align:middle;min-width:24px;height:22px;font-size:11px}
table.cal th.row{padding:0 8px;text-align:left;white-space:nowrap;font-size:12px}
table.cal th.wd{font-weight:400;color:#57606a;height:16px}table.cal th.we{background:#eaeef2}
table.cal td a{display:block;width:100%;height:22px;line-height:22px;text-decoration:none;color:inherit}
.s-pass{background:#009e73;color:#fff}.s-fail{background:#d55e00;color:#fff;font-weight:700}
.s-partial{background:#f0e442;color:#1b1f24}.s-error{background:#cc79a7;color:#1b1f24;font-weight:700}
.s-fail.incomplete{background:linear-gradient(135deg,#d55e00 60%,#f0e442 60%)}
.s-missing{background:#1b1f24;color:#fff}.s-not-expected{background:#f6f8fa;color:#8c959f}
span.key.s-not-expected{border:1px solid #d0d7de}
table.cal td.extra{outline:2px dashed #0072b2;outline-offset:-3px}
ul.legend{list-style:none;padding:0;margin:6px 0;columns:2;max-width:1100px}ul.legend li{margin:2px 0}
.key{display:inline-block;min-width:26px;text-align:center;padding:1px 4px;border-radius:3px;font-size:12px}
span.key.extra{outline:2px dashed #0072b2;outline-offset:-3px}p.rule{max-width:1000px}
h4{font-size:14px;margin:14px 0 4px}.sev{display:inline-block;padding:0 6px;border-radius:3px;border:1px solid #d0d7de;font-size:12px}
table.findings{width:100%;max-width:1360px;table-layout:fixed}table.findings td{overflow-wrap:anywhere}
table.findings td.detail{font-size:12px;color:#57606a}table.findings td.day{white-space:nowrap}
col.c-res{width:30%}col.c-acc{width:9.5em}col.c-st{width:5.5em}col.c-day{width:6.5em}col.c-last{width:11em}
col.c-n{width:7.5em}col.c-link{width:6.5em}
.open{background:#ffebe9;color:#a40e26;border-radius:3px;padding:0 4px;font-size:12px;white-space:nowrap}
table.per-control th.control{vertical-align:top;white-space:nowrap}
.ok{color:#1a7f37}.bad{color:#cf222e;font-weight:600}.warn{color:#9a6700;font-weight:600}
code{font-size:12px}.summary td{min-width:70px}
.verdict{padding:8px 12px;border-radius:4px;margin:6px 0;max-width:900px}
.verdict.ok{background:#dafbe1;border:1px solid #4ac26b}.verdict.bad{background:#ffebe9;border:1px solid #ff8182}
details p{max-width:760px;margin:4px 0}summary{cursor:pointer}
.sev-critical,.sev-high{color:#cf222e;font-weight:600}.sev-medium{color:#9a6700}.sev-unknown{color:#8250df}
table.objects td{white-space:nowrap}table.objects td:first-child{white-space:normal;overflow-wrap:anywhere}
`;

/** What a calendar cell shows: the day's result when it has runs, else whether a run was expected. */
type CellView = DayResult | 'missing' | 'not-expected';

/** Colour-blind safe: every status has its own symbol as well as its own colour (Okabe-Ito hues). */
const CELL: Record<CellView, { readonly symbol: string; readonly meaning: string }> = {
  pass: { symbol: '✓', meaning: 'pass: every counted run passed' },
  fail: { symbol: '✗', meaning: 'fail: a counted run found a failing resource (see Findings)' },
  partial: {
    symbol: '◐',
    meaning:
      'partial: a counted run could judge only part of its scope, or one scope errored while another completed',
  },
  error: { symbol: '!', meaning: 'error: every run errored, nothing was judged (a gap when expected)' },
  missing: { symbol: '∅', meaning: 'missing: a run was expected and left no evidence (a gap)' },
  'not-expected': { symbol: '', meaning: 'not expected: the schedule promised no run that day' },
};
/** Added to a fail cell whose counted runs did not all read their whole scope (DaySummary.complete). */
const INCOMPLETE_MARK = CELL.partial.symbol;

/** Two letters, so a weekly schedule's column is easy to spot. */
const WEEKDAY = ['Su', 'Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa'];

function monthsOf(days: readonly string[]): string[] {
  return [...new Set(days.map((d) => d.slice(0, 7)))];
}

function viewOf(status: CellStatus, summary: DaySummary | undefined): CellView {
  if (summary) return summary.result;
  if (status === 'missing' || status === 'not-expected') return status;
  // Coverage saw a run that the page's envelopes do not hold: say nothing was judged.
  return 'error';
}

function runsText(summary: DaySummary | undefined): string {
  if (!summary) return '0 runs';
  const parts = Object.entries(summary.runs).map(([s, n]) => `${n} ${s}`);
  const total = Object.values(summary.runs).reduce((a, b) => a + b, 0);
  return `${total} run(s): ${parts.join(', ')}`;
}

function calendar(cov: AccountCoverage, envelopes: readonly ManifestObject[]): string {
  const days = daySummaries(envelopes, cov.account);
  const cells = new Map(cov.report.cells.map((c) => [`${c.collector}\n${c.date}`, c]));
  return monthsOf(cov.report.days)
    .map((month) => {
      const monthDays = cov.report.days.filter((d) => d.startsWith(month));
      const head = monthDays.map((d) => `<th>${esc(Number(d.slice(8)))}</th>`).join('');
      const weekdays = monthDays
        .map((d) => {
          const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
          return `<th class="wd${wd === 0 || wd === 6 ? ' we' : ''}">${esc(WEEKDAY[wd] ?? '')}</th>`;
        })
        .join('');
      const rows = cov.report.collectors
        .map((collector) => {
          const tds = monthDays
            .map((date) => {
              const cell = cells.get(`${collector}\n${date}`);
              if (!cell) return '<td></td>';
              const summary = days.get(`${collector}\n${date}`);
              const view = viewOf(cell.status, summary);
              const unscheduled = cell.runs > 0 && !cell.expected;
              const incomplete = view === 'fail' && summary?.complete === false;
              const cls = `s-${view}${incomplete ? ' incomplete' : ''}${unscheduled ? ' extra' : ''}`;
              const title =
                `${collector} ${date}: ${view}${incomplete ? ' (incomplete)' : ''}` +
                `${cell.expected ? ' (expected)' : unscheduled ? ' (run on an unscheduled day)' : ''}, ${runsText(summary)}`;
              const label = esc(
                `${CELL[view].symbol}${incomplete ? INCOMPLETE_MARK : ''}${unscheduled ? '+' : ''}`,
              );
              const inner = summary ? `<a href="${href(summary.key)}">${label}</a>` : label;
              return `<td class="${cls}" title="${esc(title)}">${inner}</td>`;
            })
            .join('');
          return `<tr><th class="row">${esc(collector)}</th>${tds}</tr>`;
        })
        .join('\n');
      return `<h4>${esc(month)}</h4><table class="cal"><tr><th class="row">collector</th>${head}</tr>\n<tr><th class="row wd"></th>${weekdays}</tr>\n${rows}</table>`;
    })
    .join('\n');
}

function legend(): string {
  const items = (Object.keys(CELL) as CellView[])
    .map(
      (v) =>
        `<li><span class="key s-${v}">${esc(CELL[v].symbol || '\u00a0')}</span> ${esc(CELL[v].meaning)}</li>`,
    )
    .join('');
  return (
    `<ul class="legend">${items}` +
    `<li><span class="key s-fail incomplete">${esc(CELL.fail.symbol + INCOMPLETE_MARK)}</span> fail, incomplete: a counted run found a failing resource, and a counted run could not read part of its scope (see its errors)</li>` +
    `<li><span class="key s-pass extra">✓+</span> a run on a day its schedule did not promise (any status, with a dashed border and +)</li></ul>` +
    '<p class="muted rule">How a day with several runs is summarised: for each scope the collector covers (its account and region, ' +
    '<code>global</code> or <code>multi-region</code>), the day counts the latest run, or the latest run that completed ' +
    'when a later retry errored; the cell shows the worst of those counted runs (fail, then partial, then pass), and ' +
    'error only when every run errored. Each cell links to the envelope that decided it; hover for the count of runs by status.</p>'
  );
}

/**
 * Organization mode only: one row per account the period's account lists met (and any other account with
 * evidence), with its name, OU path, scope changes, collector-days covered of those expected, and gaps.
 */
function accountTable(manifest: Manifest): string {
  const rows = manifest.coverage
    .map((s) => {
      const scope = s.scope;
      const changes = scope?.changes.length ? scope.changes.join('; ') : 'in scope throughout';
      const inScope = scope?.firstInScope ? `${scope.firstInScope} to ${scope.lastInScope}` : 'never';
      return (
        `<tr><td><a href="#account-${esc(s.account)}"><code>${esc(s.account)}</code></a></td><td>${esc(scope?.name ?? '')}</td>` +
        `<td>${esc(scope?.ouPath ?? '')}</td><td>${esc(inScope)}</td><td>${esc(changes)}</td>` +
        `<td>${esc(scope?.covered ?? 0)} / ${esc(scope?.expected ?? 0)}</td>` +
        `<td class="${s.gaps.length ? 'bad' : 'ok'}">${esc(s.gaps.length)}</td></tr>`
      );
    })
    .join('\n');
  const lists = manifest.accountLists!;
  const missing = lists.missing.length
    ? `<p class="bad">${esc(lists.missing.length)} run(s) left no complete account list (none, ERROR or PARTIAL): see Gaps.</p>`
    : '';
  return (
    `<h3>Accounts</h3><p class="muted">Organization mode: ${esc(lists.lists)} signed account list(s) of hub ${esc(lists.hubs.join(', '))} say which accounts each run owed evidence for. ` +
    "An account owes a collector's evidence on a day when that day's list had it in scope; a day out of scope is not expected, never a gap. " +
    'Covered counts collector-days with evidence among those expected.</p>' +
    `<table class="summary"><tr><th>Account</th><th>Name</th><th>OU path</th><th>In scope</th><th>Scope changes</th><th>Covered / expected</th><th>Gaps</th></tr>\n${rows}</table>${missing}`
  );
}

function controlSummary(manifest: Manifest, coverage: readonly AccountCoverage[]): string {
  interface Row {
    collectors: Set<string>;
    envelopes: number;
    statuses: Record<string, number>;
    expected: number;
    gaps: number;
    accounts: Set<string>;
  }
  const rows = new Map<string, Row>();
  const collectorControls = new Map<string, Set<string>>();
  for (const o of manifest.objects) {
    if (o.kind !== 'envelope' || !o.collector) continue;
    for (const control of o.controls ?? []) {
      const row = rows.get(control) ?? {
        collectors: new Set(),
        envelopes: 0,
        statuses: {},
        expected: 0,
        gaps: 0,
        accounts: new Set(),
      };
      row.collectors.add(o.collector);
      row.envelopes++;
      if (o.status) row.statuses[o.status] = (row.statuses[o.status] ?? 0) + 1;
      rows.set(control, row);
      const set = collectorControls.get(o.collector) ?? new Set();
      set.add(control);
      collectorControls.set(o.collector, set);
    }
  }
  for (const cov of coverage) {
    for (const cell of cov.report.cells) {
      for (const control of collectorControls.get(cell.collector) ?? []) {
        const row = rows.get(control)!;
        if (cell.expected) row.expected++;
        if (cell.expected && (cell.status === 'missing' || cell.status === 'failed')) {
          row.gaps++;
          row.accounts.add(cov.account);
        }
      }
    }
  }
  if (rows.size === 0) return '<p class="muted">No envelopes in this period.</p>';
  // With several accounts (organization mode), which of them left the control's gaps.
  const perAccount = manifest.accountLists !== undefined;
  const body = [...rows.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([control, r]) =>
        `<tr><td><b>${esc(control)}</b></td><td>${esc([...r.collectors].sort().join(', '))}</td><td>${r.envelopes}</td>` +
        ['PASS', 'FAIL', 'PARTIAL', 'ERROR'].map((s) => `<td>${esc(r.statuses[s] ?? 0)}</td>`).join('') +
        `<td>${esc(r.expected)}</td><td class="${r.gaps ? 'bad' : 'ok'}">${esc(r.gaps)}</td>` +
        (perAccount ? `<td>${esc([...r.accounts].sort().join(', '))}</td>` : '') +
        '</tr>',
    )
    .join('\n');
  return `<table class="summary"><tr><th>Control</th><th>Collectors</th><th>Envelopes</th><th>PASS</th><th>FAIL</th><th>PARTIAL</th><th>ERROR</th><th>Expected runs</th><th>Gaps</th>${perAccount ? '<th>Accounts with gaps</th>' : ''}</tr>\n${body}</table>`;
}

/** Catalogue prose, escaped, with its `inline code` shown as code. */
const prose = (text: string) => esc(text).replace(/`([^`]+)`/g, '<code>$1</code>');

/** What each check found in the package judges, from the catalogue beside the code that emits it. */
function checkGlossary(envelopes: readonly ManifestObject[]): string {
  const checks = checksOfKinds(envelopes.map((o) => o.collector));
  if (checks.length === 0) return '<p class="muted">No envelope in this package.</p>';
  const rows = checks
    .map(
      (c) =>
        `<tr><td><code>${esc(c.id)}</code></td><td>${esc(c.kinds.join(', '))}</td><td class="sev-${esc(c.spec.severity)}">${esc(c.spec.severity)}</td><td>${esc(c.spec.criteria.join(', '))}</td>` +
        `<td><details><summary>${esc(c.spec.title)}</summary><p>${prose(c.spec.description)}</p><p><b>Remediation:</b> ${prose(c.spec.remediation)}</p></details></td></tr>`,
    )
    .join('\n');
  return `<table><tr><th>Check</th><th>Collector</th><th>Severity</th><th>Criteria</th><th>What it judges</th></tr>\n${rows}</table>`;
}

function objectTable(objects: readonly ManifestObject[]): string {
  const rows = objects
    .map((o) => {
      const c = o.checks;
      const lock = o.objectLock.mode
        ? `${o.objectLock.mode} until ${o.objectLock.retainUntil?.slice(0, 10) ?? '?'}`
        : 'none';
      const version = o.versionId ?? '';
      return (
        `<tr><td><a href="${href(o.key)}"><code>${esc(o.key)}</code></a></td><td>${esc(o.kind)}${o.status ? ` ${esc(o.status)}` : ''}</td>` +
        `<td><code title="${esc(o.sha256)}">${esc(String(o.sha256).slice(0, 12))}…</code></td>` +
        `<td class="${c.digest === 'ok' ? 'ok' : 'bad'}">${esc(c.digest)}</td>` +
        `<td class="${c.signature === 'valid' ? 'ok' : 'bad'}">${esc(c.signature)}</td>` +
        `<td class="${c.retention === 'ok' ? '' : c.retention === 'governance' ? 'warn' : 'bad'}" title="${esc(o.objectLock.retainUntil ?? '')}">${esc(lock)}</td>` +
        `<td><code title="${esc(version)}">${esc(version.length > 12 ? `${version.slice(0, 12)}…` : version)}</code></td></tr>`
      );
    })
    .join('\n');
  return `<table class="objects"><tr><th>Object</th><th>Kind</th><th>SHA-256</th><th>Digest</th><th>Signature</th><th>Object Lock</th><th>Version</th></tr>\n${rows}</table>`;
}

/** Weaknesses that are not failures, e.g. GOVERNANCE retention: grouped, since they usually apply to all. */
function warningList(objects: readonly ManifestObject[]): string {
  const byWarning = new Map<string, string[]>();
  for (const o of objects) {
    for (const w of o.warnings ?? []) byWarning.set(w, [...(byWarning.get(w) ?? []), o.key]);
  }
  if (byWarning.size === 0) return '';
  const items = [...byWarning]
    .map(
      ([w, keys]) =>
        `<li class="warn">${esc(w)} (${esc(keys.length)} object(s), e.g. <code>${esc(keys[0] ?? '')}</code>)</li>`,
    )
    .join('');
  return `<h2>Warnings</h2><p class="muted">Not integrity failures, but weaker than the recommended configuration.</p><ul>${items}</ul>`;
}

const digestCount = (manifest: Manifest) => manifest.objects.filter((o) => o.kind === 'digest').length;

/** The period report's one-line verdict, from the manifest's counts: bad when any exception is past its SLA. */
function periodVerdict(summary: PeriodReportSummary): string {
  if (summary.exceptions === 0)
    return '<p class="verdict ok">No exception in the period: no check failed on any resource in a verified run.</p>';
  return `<p class="verdict ${summary.slaBreaches > 0 ? 'bad' : 'ok'}">Period report: ${esc(exceptionBreakdown(summary))}: see <a href="#period-report">Period report</a>.</p>`;
}

function verdict(manifest: Manifest, findings: PackageFindings): string {
  const { objects, integrityProblems, gaps } = manifest.summary;
  const integrity =
    integrityProblems === 0
      ? `<p class="verdict ok">All ${esc(objects)} objects passed every check: SHA-256, their producer's signature, Object Lock retention${digestCount(manifest) > 0 ? ` and ${esc(digestCount(manifest))} signed daily digests, chained` : ''}.</p>`
      : `<p class="verdict bad">${esc(integrityProblems)} of ${esc(objects)} objects failed a check: see Integrity problems.</p>`;
  const coverage =
    gaps === 0
      ? '<p class="verdict ok">Every expected run left evidence.</p>'
      : `<p class="verdict bad">${esc(gaps)} expected run(s) left no evidence, or only an ERROR: see Gaps.</p>`;
  const failing = failingSummary(findings);
  const result =
    failing.resources === 0
      ? '<p class="verdict ok">No check failed on any resource in the verified envelopes.</p>'
      : `<p class="verdict bad">${esc(failing.resources)} resource(s) failed ${esc(failing.checks)} check(s) within the period: see <a href="#findings">Findings</a>.</p>`;
  return integrity + coverage + result;
}

export function renderIndexHtml(
  manifest: Manifest,
  coverage: readonly AccountCoverage[],
  findings: PackageFindings = NO_FINDINGS,
  period?: PeriodReport,
): string {
  const envelopes = manifest.objects.filter((o) => o.kind === 'envelope');
  const problems = manifest.objects.filter((o) => o.problems.length > 0);
  const gaps = coverage.flatMap((c) => c.report.gaps.map((g) => ({ account: c.account, ...g })));
  const org = manifest.accountLists !== undefined;
  const scopeOf = new Map(manifest.coverage.map((s) => [s.account, s.scope]));
  const sections = coverage
    .map((c) => {
      const notes = c.report.problems.map((p) => `<li>${esc(p.collector)}: ${esc(p.message)}</li>`).join('');
      const scope = scopeOf.get(c.account);
      const heading = org
        ? `<h3 id="account-${esc(c.account)}">Account ${esc(c.account)}${scope?.name ? ` · ${esc(scope.name)}` : ''}</h3>` +
          `<p class="muted">${esc([scope?.ouPath, scope?.changes.join('; '), 'a blank cell is a day it was not in scope or not scheduled'].filter(Boolean).join(' · '))}</p>`
        : `<h3>Account ${esc(c.account)}</h3>`;
      return `${heading}${notes ? `<ul>${notes}</ul>` : ''}${calendar(c, envelopes)}`;
    })
    .join('\n');
  const missingLists = (manifest.accountLists?.missing ?? []).map(
    (m) =>
      `<li class="bad">${esc(m.collector)} · account list · ${esc(m.date)}: ${esc(m.status ? listGapText(m) : 'missing (the run left no account list; the accounts of its nearest list are expected)')}</li>`,
  );
  const gapList =
    gaps.length || missingLists.length
      ? `<ul>${gaps.map((g) => `<li class="bad">${esc(g.collector)} · account ${esc(g.account)} · ${esc(g.date)}: ${esc(g.status)}</li>`).join('')}${missingLists.join('')}</ul>`
      : '<p class="ok">Every expected run left evidence.</p>';
  const problemList = problems.length
    ? `<ul>${problems.map((o) => `<li><a href="${href(o.key)}"><code>${esc(o.key)}</code></a><ul>${o.problems.map((p) => `<li class="bad">${esc(p)}</li>`).join('')}</ul></li>`).join('')}</ul>`
    : '<p class="ok">Every object passed every check.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SOC 2 evidence ${esc(manifest.period.from)} to ${esc(manifest.period.to)}</title>
<style>${CSS}${period ? PERIOD_CSS : ''}</style></head><body>
<h1>SOC 2 evidence, ${esc(manifest.period.from)} to ${esc(manifest.period.to)}</h1>
<p class="muted">Bucket <code>${esc(manifest.bucket)}</code> · pulled ${esc(manifest.generatedAt)} by ${esc(manifest.producer.name)} ${esc(manifest.producer.version)} · signatures judged against ${esc(manifest.trust.source)} · ${esc(manifest.summary.objects)} objects · ${esc(manifest.summary.integrityProblems)} with problems · ${esc(manifest.summary.gaps)} gaps. Dates are UTC.</p>
${verdict(manifest, findings)}${period ? periodVerdict(manifest.periodReport) : ''}
<section id="coverage"><h2>Coverage and results</h2><p class="muted">One row per collector, one cell per UTC day: what that day's runs concluded, by colour and by symbol.</p>
${legend()}
${org ? `${accountTable(manifest)}\n` : ''}${sections}</section>
${period ? periodReportHtml(period) : ''}
${findingsSection(findings, envelopes)}
<h2>Gaps</h2>${gapList}
<h2>Runs per control</h2><p class="muted">Runs by status: FAIL means at least one check failed, whether or not the run read everything; PARTIAL means it could not read everything and nothing it judged failed; ERROR means it could not read its source.</p>${controlSummary(manifest, coverage)}
<h2>Checks</h2><p class="muted">What each check in this package judges: the text declared beside the code that emits it (the same as docs/CONTROLS.md of this version). Open a row for the description and the remediation.</p>${checkGlossary(envelopes)}
<h2>Integrity problems</h2>${problemList}${warningList(manifest.objects)}
<h2>All objects</h2><details><summary>Every object in the package with its digest, signature, Object Lock and version (${esc(manifest.objects.length)} objects)</summary>${objectTable(manifest.objects)}</details>
<p class="muted">Check this package with <code>sha256sum -c SHA256SUMS</code> or <code>soc2-evidence verify .</code>; see docs/AUDITOR.md.</p>
</body></html>
`;
}
