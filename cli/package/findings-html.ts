import { SEVERITIES, type CheckSpec } from '../../lambdas/collectors/check-catalogue';
import { checkById, checksOfKinds } from '../../lambdas/collectors/registry';
import type { ExtractedFinding, PackageFindings } from './findings';
import { esc, href } from './html';
import type { ManifestObject } from './manifest';

/**
 * The findings view of index.html: per check (sorted by severity), every resource that failed or warned
 * within the period, with its first and last day and how many days; and per control, its checks and how
 * many resources each failed. Everything from envelopes is escaped.
 */

/** One (check, account, resource, status) across the period. */
interface Row {
  readonly check: string;
  readonly account: string;
  readonly resource: string;
  readonly status: 'FAIL' | 'WARN';
  readonly collector: string;
  readonly dates: Set<string>;
  first: string;
  last: string;
  /** The envelope of the last day, and its detail. */
  lastKey: string;
  lastDetail?: string;
}

function rowsOf(findings: readonly ExtractedFinding[]): Row[] {
  const rows = new Map<string, Row>();
  for (const f of findings) {
    const id = JSON.stringify([f.check, f.account, f.resource, f.status]);
    const row = rows.get(id);
    if (!row) {
      rows.set(id, {
        check: f.check,
        account: f.account,
        resource: f.resource,
        status: f.status,
        collector: f.collector,
        dates: new Set([f.date]),
        first: f.date,
        last: f.date,
        lastKey: f.key,
        ...(f.detail !== undefined ? { lastDetail: f.detail } : {}),
      });
      continue;
    }
    row.dates.add(f.date);
    if (f.date < row.first) row.first = f.date;
    if (f.date > row.last || (f.date === row.last && f.key > row.lastKey)) {
      row.last = f.date;
      row.lastKey = f.key;
      row.lastDetail = f.detail;
    }
  }
  return [...rows.values()];
}

/** Days on which each collector left a verified, completed run, per account: what "of N days" counts. */
function runDays(envelopes: readonly ManifestObject[]): Map<string, Set<string>> {
  const days = new Map<string, Set<string>>();
  for (const e of envelopes) {
    if (e.problems.length > 0 || !e.collector || !e.date || !e.status || e.status === 'ERROR') continue;
    const k = `${e.collector}\n${e.account ?? ''}`;
    days.set(k, (days.get(k) ?? new Set()).add(e.date));
  }
  return days;
}

const rank = (spec: CheckSpec | undefined) => (spec ? SEVERITIES.indexOf(spec.severity) : SEVERITIES.length);

function checkTable(rows: readonly Row[], runs: Map<string, Set<string>>): string {
  const body = rows
    .map((r) => {
      const ran = runs.get(`${r.collector}\n${r.account}`);
      const lastRun = ran ? [...ran].sort().at(-1) : undefined;
      const open = lastRun !== undefined && r.last === lastRun;
      const of = ran ? ` of ${ran.size}` : '';
      return (
        `<tr><td class="res"><code>${esc(r.resource)}</code></td><td>${esc(r.account)}</td>` +
        `<td class="${r.status === 'FAIL' ? 'bad' : 'warn'}">${r.status === 'FAIL' ? '✗ FAIL' : '⚠ WARN'}</td>` +
        `<td class="day">${esc(r.first)}</td><td class="day">${esc(r.last)}${open ? ' <span class="open">still open</span>' : ''}</td>` +
        `<td>${esc(r.dates.size)}${esc(of)}</td><td class="detail">${esc(r.lastDetail ?? '')}</td>` +
        `<td><a href="${href(r.lastKey)}">envelope</a></td></tr>`
      );
    })
    .join('\n');
  return (
    '<table class="findings"><colgroup><col class="c-res"><col class="c-acc"><col class="c-st"><col class="c-day"><col class="c-last"><col class="c-n"><col class="c-detail"><col class="c-link"></colgroup>' +
    '<tr><th>Resource</th><th>Account</th><th>Status</th><th>First day</th><th>Last day</th>' +
    `<th>Days (of runs)</th><th>Detail on the last day</th><th>Evidence</th></tr>\n${body}</table>`
  );
}

function byCheck(rows: readonly Row[], runs: Map<string, Set<string>>): string {
  const groups = new Map<string, Row[]>();
  for (const r of rows) groups.set(r.check, [...(groups.get(r.check) ?? []), r]);
  return [...groups]
    .map(([check, list]) => ({ check, list, spec: checkById(check)?.spec }))
    .sort((a, b) => rank(a.spec) - rank(b.spec) || a.check.localeCompare(b.check))
    .map(({ check, list, spec }) => {
      const severity = spec?.severity ?? 'unknown';
      const failing = new Set(
        list.filter((r) => r.status === 'FAIL').map((r) => `${r.account}\n${r.resource}`),
      );
      const warning = new Set(
        list.filter((r) => r.status === 'WARN').map((r) => `${r.account}\n${r.resource}`),
      );
      const counts = [
        failing.size ? `${failing.size} resource(s) failing` : '',
        warning.size ? `${warning.size} warning` : '',
      ]
        .filter(Boolean)
        .join(', ');
      const sorted = [...list].sort(
        (a, b) =>
          (a.status === b.status ? 0 : a.status === 'FAIL' ? -1 : 1) ||
          b.last.localeCompare(a.last) ||
          b.dates.size - a.dates.size ||
          a.resource.localeCompare(b.resource),
      );
      return (
        `<h4><span class="sev sev-${esc(severity)}">${esc(severity)}</span> <code>${esc(check)}</code> ` +
        `${esc(spec?.title ?? '(not in this version’s check catalogue)')} <span class="muted">· ${esc(counts)}` +
        `${spec ? ` · ${esc(spec.criteria.join(', '))}` : ''}</span></h4>\n${checkTable(sorted, runs)}`
      );
    })
    .join('\n');
}

function perControl(rows: readonly Row[], envelopes: readonly ManifestObject[]): string {
  const checks = checksOfKinds(envelopes.map((o) => o.collector));
  const count = (check: string, status: 'FAIL' | 'WARN') =>
    new Set(
      rows.filter((r) => r.check === check && r.status === status).map((r) => `${r.account}\n${r.resource}`),
    ).size;
  const controls = new Map<string, typeof checks>();
  for (const c of checks)
    for (const control of c.spec.criteria) controls.set(control, [...(controls.get(control) ?? []), c]);
  if (controls.size === 0) return '<p class="muted">No envelope in this package.</p>';
  const body = [...controls]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([control, list]) => {
      const sorted = [...list].sort((a, b) => rank(a.spec) - rank(b.spec) || a.id.localeCompare(b.id));
      const failingResources = new Set(
        rows
          .filter((r) => r.status === 'FAIL' && list.some((c) => c.id === r.check))
          .map((r) => `${r.account}\n${r.resource}`),
      ).size;
      return sorted
        .map((c, i) => {
          const fail = count(c.id, 'FAIL');
          const warn = count(c.id, 'WARN');
          const head =
            i === 0
              ? `<th rowspan="${sorted.length}" class="control">${esc(control)}<br><span class="${failingResources ? 'bad' : 'ok'}">${esc(failingResources)} resource(s) failing</span></th>`
              : '';
          return (
            `<tr>${head}<td><code>${esc(c.id)}</code> ${esc(c.spec.title)}</td><td class="sev-${esc(c.spec.severity)}">${esc(c.spec.severity)}</td>` +
            `<td class="${fail ? 'bad' : 'ok'}">${fail ? `✗ ${esc(fail)}` : '✓ 0'}</td><td class="${warn ? 'warn' : 'muted'}">${esc(warn)}</td></tr>`
          );
        })
        .join('\n');
    })
    .join('\n');
  return `<table class="per-control"><tr><th>Control</th><th>Check</th><th>Severity</th><th>Resources failing</th><th>Resources warned</th></tr>\n${body}</table>`;
}

/** A resource counted once per check it failed. */
export function failingSummary(findings: PackageFindings): { resources: number; checks: number } {
  const fails = findings.findings.filter((f) => f.status === 'FAIL');
  return {
    resources: new Set(fails.map((f) => JSON.stringify([f.check, f.account, f.resource]))).size,
    checks: new Set(fails.map((f) => f.check)).size,
  };
}

export function findingsSection(findings: PackageFindings, envelopes: readonly ManifestObject[]): string {
  const rows = rowsOf(findings.findings);
  const runs = runDays(envelopes);
  const skipped = findings.unverifiedEnvelopes
    ? `<p class="warn">The findings of ${esc(findings.unverifiedEnvelopes)} envelope(s) that failed an integrity check are not shown: see Integrity problems.</p>`
    : '';
  const checks = rows.length
    ? byCheck(rows, runs)
    : '<p class="ok">No check failed or warned about any resource in this period.</p>';
  return (
    '<section id="findings"><h2>Findings</h2>' +
    '<p class="muted">Every resource that a check failed (✗) or warned about (⚠) on at least one day of the period, ' +
    'read from the envelopes that passed every integrity check. Days counts the days with such a finding, of the days ' +
    'the collector completed a run for that account; <span class="open">still open</span> marks a resource that ' +
    'still failed on the last day its collector ran. The detail and the link are from the last such day.</p>' +
    `${skipped}<h3>Per check, most severe first</h3>${checks}<h3>Per control</h3>` +
    '<p class="muted">Each Trust Services criterion, the checks in this package that support it, and how many resources each ' +
    'failed or warned about within the period.</p>' +
    `${perControl(rows, envelopes)}</section>`
  );
}
