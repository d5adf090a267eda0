import { parseCsv } from '../../readers/credential-report/csv';
import { DecisionsError, type Decision } from './decisions';
import type { OrganizationPopulation, OrganizationRow } from './organization-population';

export interface OrganizationDecisionRow {
  /** The row id (organization-population.ts `OrganizationRow.id`). */
  readonly id: string;
  readonly account: string;
  readonly principal: string;
  readonly permission: string;
  readonly decision: Decision;
  readonly justification: string;
  readonly selfReview: boolean;
}

const DECISIONS: ReadonlySet<string> = new Set(['keep', 'remove', 'modify']);
/** Undoes the CSV's formula guard (render.ts `csvCell`). */
const unguard = (v: string) => (/^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v).trim();
const describe = (r: OrganizationRow) =>
  r.type === 'account-not-read'
    ? `account ${r.account} (not read)`
    : `${r.principal} in ${r.account}${r.type === 'identity-center-user' ? ` (${r.permission})` : ''}`;

/**
 * Pure: checks a reviewer's decisions on the organization review's CSV against its frozen population. Rows
 * are matched by `id`; every row the population marks `decisionRequired` (admin-equivalent or undecidable
 * access, IAM users) needs exactly one decision of keep, remove or modify, other rows may have one. The
 * reviewer's own rows (their user name) are self-reviews: allowed, flagged, and they must say why. A
 * spreadsheet's BOM, CRLF, quoting, blank rows, extra columns and any header or decision case are fine.
 * Throws DecisionsError listing every problem.
 */
export function validateOrganizationDecisions(
  csv: string,
  population: OrganizationPopulation,
  reviewer: string,
): OrganizationDecisionRow[] {
  const [header, ...rows] = parseCsv(csv.replace(/^\uFEFF/, ''));
  const columns = (header ?? []).map((h) => unguard(h).toLowerCase());
  const col = (name: string) => columns.indexOf(name);
  const missing = ['id', 'decision', 'justification'].filter((c) => col(c) < 0);
  if (missing.length > 0) throw new DecisionsError([`missing column(s): ${missing.join(', ')}`]);
  const cell = (cells: readonly string[], name: string) => unguard(cells[col(name)] ?? '');

  const byId = new Map(population.rows.map((r) => [r.id, r]));
  const me = reviewer.trim().toLowerCase();
  const problems: string[] = [];
  const seen = new Set<string>();
  const out: OrganizationDecisionRow[] = [];
  rows.forEach((cells, i) => {
    const line = i + 2;
    if (cells.every((c) => c.trim() === '')) return;
    const id = cell(cells, 'id');
    const row = byId.get(id);
    if (!row) {
      problems.push(`line ${line}: ${JSON.stringify(id)} is not in the review population`);
      return;
    }
    const decision = cell(cells, 'decision').toLowerCase();
    const justification = cell(cells, 'justification');
    if (!decision && !justification && !row.decisionRequired) return; // left undecided, as allowed
    if (seen.has(id)) problems.push(`line ${line}: ${describe(row)} is decided more than once`);
    seen.add(id);
    if (!DECISIONS.has(decision))
      problems.push(
        decision
          ? `line ${line}: decision for ${describe(row)} must be keep, remove or modify, got ${JSON.stringify(decision)}`
          : `line ${line}: ${describe(row)} has no decision (keep, remove or modify)`,
      );
    const selfReview = row.principal !== '' && row.principal.toLowerCase() === me;
    if (selfReview && !justification)
      problems.push(
        `line ${line}: ${describe(row)} is the reviewer's own access (a self-review) and needs a justification`,
      );
    out.push({
      id,
      account: row.account,
      principal: row.principal,
      permission: row.permission,
      decision: decision as Decision,
      justification,
      selfReview,
    });
  });
  for (const r of population.rows)
    if (r.decisionRequired && !seen.has(r.id))
      problems.push(`row ${JSON.stringify(r.id)} (${describe(r)}, admin: ${r.admin}) has no decision`);
  if (problems.length > 0) throw new DecisionsError(problems);
  return out;
}
