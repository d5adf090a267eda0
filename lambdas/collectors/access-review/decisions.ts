import { parseCsv } from '../../readers/credential-report/csv';
import type { Population } from './population';

export type Decision = 'keep' | 'remove' | 'modify';

export interface DecisionRow {
  /** A user name, or `role/<name>` for a role. */
  readonly principal: string;
  readonly arn: string;
  readonly decision: Decision;
  readonly justification: string;
  readonly selfReview: boolean;
}

export class DecisionsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `the decisions file has ${problems.length} problem(s); nothing was written:\n  - ${problems.join('\n  - ')}`,
    );
    this.name = 'DecisionsError';
  }
}

const DECISIONS: ReadonlySet<string> = new Set(['keep', 'remove', 'modify']);

/**
 * Pure: checks a reviewer's decisions CSV (columns user, decision, justification) against the frozen
 * population. Every user needs exactly one row; roles may be decided as `role/<name>`. The reviewer's own
 * row is a self-review: it is allowed, flagged, and must say why. Throws DecisionsError listing every problem.
 */
export function validateDecisions(csv: string, population: Population, reviewer: string): DecisionRow[] {
  // A leading apostrophe is the formula guard the review CSV adds; a reviewer editing that file keeps it.
  const unguard = (v: string) => (/^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v).trim();
  const [header, ...rows] = parseCsv(csv.replace(/^\uFEFF/, ''));
  const problems: string[] = [];
  const columns = (header ?? []).map((h) => h.trim().toLowerCase());
  const col = (name: string) => columns.indexOf(name);
  const missingColumns = ['user', 'decision', 'justification'].filter((c) => col(c) < 0);
  if (missingColumns.length > 0)
    throw new DecisionsError([`missing column(s): ${missingColumns.join(', ')}`]);

  const principals = new Map<string, string>();
  for (const u of population.users) principals.set(u.name, u.arn);
  for (const r of population.roles) principals.set(`role/${r.name}`, r.arn);
  const seen = new Set<string>();
  const out: DecisionRow[] = [];
  rows.forEach((cells, i) => {
    const line = i + 2;
    const principal = unguard(cells[col('user')] ?? '');
    const decision = (cells[col('decision')] ?? '').trim().toLowerCase();
    const justification = (cells[col('justification')] ?? '').trim();
    const arn = principals.get(principal);
    if (!arn) {
      problems.push(`line ${line}: ${JSON.stringify(principal)} is not in the review population`);
      return;
    }
    if (seen.has(principal))
      problems.push(`line ${line}: ${JSON.stringify(principal)} is decided more than once`);
    seen.add(principal);
    if (!DECISIONS.has(decision)) {
      problems.push(
        `line ${line}: decision for ${JSON.stringify(principal)} must be keep, remove or modify, got ${JSON.stringify(decision)}`,
      );
    }
    const selfReview = principal.toLowerCase() === reviewer.trim().toLowerCase();
    if (selfReview && !justification) {
      problems.push(
        `line ${line}: ${JSON.stringify(principal)} is the reviewer's own access (a self-review) and needs a justification`,
      );
    }
    out.push({ principal, arn, decision: decision as Decision, justification, selfReview });
  });
  for (const u of population.users) {
    if (!seen.has(u.name)) problems.push(`user ${JSON.stringify(u.name)} has no decision`);
  }
  if (problems.length > 0) throw new DecisionsError(problems);
  return out;
}
