import type { CoverageReport, CellStatus } from '../../lambdas/evidence/coverage';
import type { Manifest, ManifestObject } from './manifest';
import { declaredChecks, EVIDENCE_KINDS } from '../../lambdas/collectors/registry';

/**
 * One self-contained page for the auditor: a calendar of collectors by day, a per-control summary, every
 * problem and gap, and a link to every object. Inline CSS, no scripts, relative links: it works offline
 * from the package directory.
 */
export interface AccountCoverage {
  readonly account: string;
  readonly report: CoverageReport;
}

/** Every value inserted into the page goes through this: envelope fields are attacker-controlled. */
const esc = (v: unknown) =>
  String(v).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** Keys are restricted to safe characters, but encode each segment anyway. */
const href = (key: string) => esc(key.split('/').map(encodeURIComponent).join('/'));

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
.present{background:#2da44e;color:#fff}.missing{background:#cf222e;color:#fff}
.failed{background:#8c1d18;color:#fff}.partial{background:#d4a72c;color:#1b1f24}
.not-expected{background:#f6f8fa;color:#8c959f}.extra{background:#8fd4a3}
.legend span{display:inline-block;padding:2px 8px;margin-right:6px;border-radius:3px}
.ok{color:#1a7f37}.bad{color:#cf222e;font-weight:600}.warn{color:#9a6700;font-weight:600}
code{font-size:12px}.summary td{min-width:70px}
.verdict{padding:8px 12px;border-radius:4px;margin:6px 0;max-width:900px}
.verdict.ok{background:#dafbe1;border:1px solid #4ac26b}.verdict.bad{background:#ffebe9;border:1px solid #ff8182}
details p{max-width:760px;margin:4px 0}summary{cursor:pointer}
.sev-critical,.sev-high{color:#cf222e;font-weight:600}.sev-medium{color:#9a6700}
table.objects td{white-space:nowrap}table.objects td:first-child{white-space:normal;overflow-wrap:anywhere}
`;

const LABEL: Record<CellStatus, string> = {
  present: '✓',
  missing: '✗',
  failed: '!',
  partial: '~',
  'not-expected': '',
};

/** Two letters, so a weekly schedule's column is easy to spot. */
const WEEKDAY = ['Su', 'Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa'];

function monthsOf(days: readonly string[]): string[] {
  return [...new Set(days.map((d) => d.slice(0, 7)))];
}

function calendar(cov: AccountCoverage, envelopes: readonly ManifestObject[]): string {
  const firstEnvelope = new Map<string, string>();
  for (const e of envelopes) {
    if (e.account !== cov.account && cov.account !== '*') continue;
    const k = `${e.collector}\n${e.date}`;
    if (!firstEnvelope.has(k)) firstEnvelope.set(k, e.key);
  }
  const cells = new Map(cov.report.cells.map((c) => [`${c.collector}\n${c.date}`, c]));
  return monthsOf(cov.report.days)
    .map((month) => {
      const days = cov.report.days.filter((d) => d.startsWith(month));
      const head = days.map((d) => `<th>${esc(Number(d.slice(8)))}</th>`).join('');
      const weekdays = days
        .map((d) => {
          const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
          return `<th class="wd${wd === 0 || wd === 6 ? ' we' : ''}">${esc(WEEKDAY[wd] ?? '')}</th>`;
        })
        .join('');
      const rows = cov.report.collectors
        .map((collector) => {
          const tds = days
            .map((date) => {
              const cell = cells.get(`${collector}\n${date}`);
              if (!cell) return '<td></td>';
              const cls = cell.status === 'present' && !cell.expected ? 'present extra' : esc(cell.status);
              const title = `${collector} ${date}: ${cell.status}${cell.expected ? ' (expected)' : ''}, ${cell.runs} run(s)`;
              const link = firstEnvelope.get(`${collector}\n${date}`);
              const label = esc(LABEL[cell.status] ?? '');
              const inner = link ? `<a href="${href(link)}">${label}</a>` : label;
              return `<td class="${cls}" title="${esc(title)}">${inner}</td>`;
            })
            .join('');
          return `<tr><th class="row">${esc(collector)}</th>${tds}</tr>`;
        })
        .join('\n');
      return `<h3>${esc(month)}</h3><table class="cal"><tr><th class="row">collector</th>${head}</tr>\n<tr><th class="row wd"></th>${weekdays}</tr>\n${rows}</table>`;
    })
    .join('\n');
}

function controlSummary(manifest: Manifest, coverage: readonly AccountCoverage[]): string {
  interface Row {
    collectors: Set<string>;
    envelopes: number;
    statuses: Record<string, number>;
    expected: number;
    gaps: number;
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
        if (cell.expected && (cell.status === 'missing' || cell.status === 'failed')) row.gaps++;
      }
    }
  }
  if (rows.size === 0) return '<p class="muted">No envelopes in this period.</p>';
  const body = [...rows.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([control, r]) =>
        `<tr><td><b>${esc(control)}</b></td><td>${esc([...r.collectors].sort().join(', '))}</td><td>${r.envelopes}</td>` +
        ['PASS', 'FAIL', 'PARTIAL', 'ERROR'].map((s) => `<td>${esc(r.statuses[s] ?? 0)}</td>`).join('') +
        `<td>${esc(r.expected)}</td><td class="${r.gaps ? 'bad' : 'ok'}">${esc(r.gaps)}</td></tr>`,
    )
    .join('\n');
  return `<table class="summary"><tr><th>Control</th><th>Collectors</th><th>Envelopes</th><th>PASS</th><th>FAIL</th><th>PARTIAL</th><th>ERROR</th><th>Expected runs</th><th>Gaps</th></tr>\n${body}</table>`;
}

/** Catalogue prose, escaped, with its `inline code` shown as code. */
const prose = (text: string) => esc(text).replace(/`([^`]+)`/g, '<code>$1</code>');

/** What each check found in the package judges, from the catalogue beside the code that emits it. */
function checkGlossary(envelopes: readonly ManifestObject[]): string {
  const present = new Set(envelopes.map((o) => o.collector));
  const checks = declaredChecks(EVIDENCE_KINDS.filter((k) => present.has(k.id)));
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

function verdict(manifest: Manifest): string {
  const { objects, integrityProblems, gaps } = manifest.summary;
  const integrity =
    integrityProblems === 0
      ? `<p class="verdict ok">All ${esc(objects)} objects passed every check: SHA-256, signature and Object Lock retention.</p>`
      : `<p class="verdict bad">${esc(integrityProblems)} of ${esc(objects)} objects failed a check: see Integrity problems.</p>`;
  const coverage =
    gaps === 0
      ? '<p class="verdict ok">Every expected run left evidence.</p>'
      : `<p class="verdict bad">${esc(gaps)} expected run(s) left no evidence, or only an ERROR: see Gaps.</p>`;
  return integrity + coverage;
}

export function renderIndexHtml(manifest: Manifest, coverage: readonly AccountCoverage[]): string {
  const envelopes = manifest.objects.filter((o) => o.kind === 'envelope');
  const problems = manifest.objects.filter((o) => o.problems.length > 0);
  const gaps = coverage.flatMap((c) => c.report.gaps.map((g) => ({ account: c.account, ...g })));
  const legend = (['present', 'missing', 'failed', 'partial', 'not-expected'] as const)
    .map((s) => `<span class="${s}">${LABEL[s] || '·'} ${s}</span>`)
    .join('');
  const sections = coverage
    .map((c) => {
      const notes = c.report.problems.map((p) => `<li>${esc(p.collector)}: ${esc(p.message)}</li>`).join('');
      return `<h3>Account ${esc(c.account)}</h3>${notes ? `<ul>${notes}</ul>` : ''}${calendar(c, envelopes)}`;
    })
    .join('\n');
  const gapList = gaps.length
    ? `<ul>${gaps.map((g) => `<li class="bad">${esc(g.collector)} · account ${esc(g.account)} · ${esc(g.date)}: ${esc(g.status)}</li>`).join('')}</ul>`
    : '<p class="ok">Every expected run left evidence.</p>';
  const problemList = problems.length
    ? `<ul>${problems.map((o) => `<li><a href="${href(o.key)}"><code>${esc(o.key)}</code></a><ul>${o.problems.map((p) => `<li class="bad">${esc(p)}</li>`).join('')}</ul></li>`).join('')}</ul>`
    : '<p class="ok">Every object passed every check.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SOC 2 evidence ${esc(manifest.period.from)} to ${esc(manifest.period.to)}</title>
<style>${CSS}</style></head><body>
<h1>SOC 2 evidence, ${esc(manifest.period.from)} to ${esc(manifest.period.to)}</h1>
<p class="muted">Bucket <code>${esc(manifest.bucket)}</code> · pulled ${esc(manifest.generatedAt)} by ${esc(manifest.producer.name)} ${esc(manifest.producer.version)} · ${esc(manifest.summary.objects)} objects · ${esc(manifest.summary.integrityProblems)} with problems · ${esc(manifest.summary.gaps)} gaps. Dates are UTC.</p>
${verdict(manifest)}
<h2>Coverage</h2><p class="legend">${legend}<span class="present extra">✓ run on an unscheduled day</span></p>
<p class="muted">A cell shows whether a run left evidence, not whether its checks passed (see Per control); each links to that day's envelope.</p>
${sections}
<h2>Gaps</h2>${gapList}
<h2>Per control</h2><p class="muted">Runs by status: FAIL means the run completed and at least one check failed; ERROR means it could not read its source.</p>${controlSummary(manifest, coverage)}
<h2>Checks</h2><p class="muted">What each check in this package judges: the text declared beside the code that emits it (the same as docs/CONTROLS.md of this version). Open a row for the description and the remediation.</p>${checkGlossary(envelopes)}
<h2>Integrity problems</h2>${problemList}${warningList(manifest.objects)}
<h2>All objects</h2>${objectTable(manifest.objects)}
<p class="muted">Check this package with <code>sha256sum -c SHA256SUMS</code> or <code>soc2-evidence verify .</code>; see docs/AUDITOR.md.</p>
</body></html>
`;
}
