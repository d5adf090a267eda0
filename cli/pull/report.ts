import type { Manifest } from '../package/manifest';

/**
 * The lines `pull` prints: notes, each integrity problem, each warning once with its count, schedule
 * problems, gaps and partial days, then one summary line, which the demo and scripts read.
 */
export function reportLines(
  manifest: Manifest,
  notes: readonly string[],
  root: string,
  reused: number,
): string[] {
  const lines = notes.map((note) => `note: ${note}`);
  const { objects, coverage, summary } = manifest;
  for (const o of objects) for (const p of o.problems) lines.push(`problem ${o.key}: ${p}`);
  const warned = new Map<string, number>();
  for (const o of objects) for (const w of o.warnings ?? []) warned.set(w, (warned.get(w) ?? 0) + 1);
  for (const [w, n] of warned) lines.push(`warning: ${n} object(s): ${w}`);
  for (const s of coverage) {
    for (const p of s.problems) lines.push(`schedule ${p}`);
    for (const g of s.gaps) lines.push(`gap ${g.collector} account ${s.account} ${g.date}: ${g.status}`);
    for (const p of s.partial) lines.push(`partial ${p.collector} account ${s.account} ${p.date}`);
  }
  lines.push(
    `pulled ${objects.length} objects (${objects.length - reused} downloaded, ${reused} already present) into ${root}: ` +
      `${summary.integrityProblems} with integrity problems, ${summary.gaps} gaps`,
  );
  return lines;
}
