import { exceptionBreakdown, EXCEPTIONS_FILE, OSCAL_FILE, type Manifest } from '../package/manifest';
import { slaText } from '../period/sla-option';
import { listGapText, type ListGap } from '../../lambdas/evidence/account-scope';

/**
 * The lines `pull` prints: notes, each object's problems (each distinct problem of an object once), each
 * warning once with the number of objects it concerns, schedule problems (once, however many accounts share
 * them), gaps and partial days, the period report's counts, then one summary line, which the demo and scripts read. The summary counts
 * objects with problems, not problems: an object with three problems is one.
 */
export function reportLines(
  manifest: Manifest,
  notes: readonly string[],
  root: string,
  reused: number,
): string[] {
  const lines = notes.map((note) => `note: ${note}`);
  const { objects, coverage, summary } = manifest;
  for (const o of objects) for (const p of new Set(o.problems)) lines.push(`problem ${o.key}: ${p}`);
  const warned = new Map<string, number>();
  for (const o of objects) for (const w of new Set(o.warnings ?? [])) warned.set(w, (warned.get(w) ?? 0) + 1);
  for (const [w, n] of warned) lines.push(`warning: ${n} object(s): ${w}`);
  const schedule = new Set(coverage.flatMap((s) => s.problems.map((p) => `schedule ${p}`)));
  lines.push(...schedule);
  for (const s of coverage) {
    for (const g of s.gaps) lines.push(`gap ${g.collector} account ${s.account} ${g.date}: ${g.status}`);
    for (const p of s.partial) lines.push(`partial ${p.collector} account ${s.account} ${p.date}`);
  }
  for (const m of manifest.accountLists?.missing ?? []) lines.push(accountListGapLine(m));
  const r = manifest.periodReport;
  lines.push(
    `period report (SLA ${slaText(r.sla)}): ${exceptionBreakdown(r)}: ${EXCEPTIONS_FILE}, ${OSCAL_FILE}`,
  );
  const late = objects.filter((o) => o.checks.custody === 'late').length;
  const digests = objects.filter((o) => o.kind === 'digest').length;
  lines.push(
    `pulled ${objects.length} objects (${objects.length - reused} downloaded, ${reused} already present, ` +
      `${digests} daily digests) into ${root}: ` +
      `${summary.integrityProblems} with integrity problems${late ? ` (${late} late)` : ''}, ${summary.gaps} gaps`,
  );
  return lines;
}

/** A day whose scheduled run left no account list (organization mode): said the same by pull and verify. */
export function accountListGapLine(m: ListGap): string {
  return `gap ${m.collector} account list ${m.date}: ${listGapText(m)}`;
}
