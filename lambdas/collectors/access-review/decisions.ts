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

/** Undoes the review CSV's formula guard (render.ts `csvCell`): IAM names never start with an apostrophe. */
const unguard = (v: string) => (/^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v).trim();

/**
 * Pure: checks a reviewer's decisions CSV against the frozen population. The CSV is the one attached to the
 * review email, filled in (rows matched by `arn`; `type` and `name` when the arn cell is empty), or a
 * hand-made one with columns user, decision, justification (roles as `role/<name>`). As a spreadsheet saves
 * it: a UTF-8 BOM, CRLF, quoted cells, blank rows, extra columns and any header or decision case are fine.
 * Every user needs exactly one decision; a role row may be left undecided. The reviewer's own row is a
 * self-review: allowed, flagged, and it must say why. Throws DecisionsError listing every problem.
 */
export function validateDecisions(csv: string, population: Population, reviewer: string): DecisionRow[] {
  const [header, ...rows] = parseCsv(csv.replace(/^\uFEFF/, ''));
  const problems: string[] = [];
  const columns = (header ?? []).map((h) => unguard(h).toLowerCase());
  const col = (name: string) => columns.indexOf(name);
  const byArn = col('arn') >= 0;
  const named = col('user') >= 0 || (col('name') >= 0 && col('type') >= 0);
  const missingColumns = [
    ...(byArn || named ? [] : ['arn (or user)']),
    ...['decision', 'justification'].filter((c) => col(c) < 0),
  ];
  if (missingColumns.length > 0)
    throw new DecisionsError([`missing column(s): ${missingColumns.join(', ')}`]);

  const users = new Set(population.users.map((u) => u.arn));
  const principals = new Map<string, string>(); // principal name -> arn
  const arns = new Map<string, string>(); // arn -> principal name
  for (const u of population.users) principals.set(u.name, u.arn);
  for (const r of population.roles) principals.set(`role/${r.name}`, r.arn);
  for (const [name, arn] of principals) arns.set(arn, name);
  const cell = (cells: readonly string[], name: string) =>
    col(name) < 0 ? '' : unguard(cells[col(name)] ?? '');
  /** The principal a row names, in the order: arn, user (`role/<name>` for a role), type and name. */
  const lookup = (cells: readonly string[]): { arn?: string; said: string } => {
    const arn = cell(cells, 'arn');
    if (arn) return { ...(arns.has(arn) ? { arn } : {}), said: arn };
    const user = cell(cells, 'user');
    const name = cell(cells, 'name');
    const said = user || (cell(cells, 'type').toLowerCase() === 'role' ? `role/${name}` : name);
    const found = principals.get(said);
    return { ...(found ? { arn: found } : {}), said };
  };

  const seen = new Set<string>();
  const out: DecisionRow[] = [];
  rows.forEach((cells, i) => {
    const line = i + 2;
    // A spreadsheet saves the rows it has formatted but left empty as a line of commas.
    if (cells.every((c) => c.trim() === '')) return;
    const { arn, said } = lookup(cells);
    const decision = cell(cells, 'decision').toLowerCase();
    const justification = cell(cells, 'justification');
    if (!arn) {
      problems.push(`line ${line}: ${JSON.stringify(said)} is not in the review population`);
      return;
    }
    const principal = arns.get(arn)!;
    if (!decision && !users.has(arn) && !justification) return; // a role left undecided
    if (seen.has(arn)) problems.push(`line ${line}: ${JSON.stringify(principal)} is decided more than once`);
    seen.add(arn);
    if (!DECISIONS.has(decision)) {
      problems.push(
        decision
          ? `line ${line}: decision for ${JSON.stringify(principal)} must be keep, remove or modify, got ${JSON.stringify(decision)}`
          : `line ${line}: ${JSON.stringify(principal)} has no decision (keep, remove or modify)`,
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
    if (!seen.has(u.arn)) problems.push(`user ${JSON.stringify(u.name)} has no decision`);
  }
  if (problems.length > 0) throw new DecisionsError(problems);
  return out;
}
