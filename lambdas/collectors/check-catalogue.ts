/**
 * A check catalogue: every check a producer of evidence can emit, declared as data. The controls matrix
 * (`soc2-evidence controls`, docs/CONTROLS.md), the auditor index and the README's collector table are
 * generated from these declarations, and `Finding.check` is typed from them, so emitting a check that is
 * not declared here fails to compile.
 */

/** How much a FAIL of the check matters to an auditor and to the team that fixes it. */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export interface CheckSpec {
  /** A short noun phrase, e.g. "Console users have MFA". */
  readonly title: string;
  /** One paragraph: what passes, what fails (and warns), and why an auditor cares. */
  readonly description: string;
  /** The Trust Services Criteria the check supports, e.g. `CC6.1`. */
  readonly criteria: readonly string[];
  readonly severity: Severity;
  /** What to do about a FAIL, in one or two sentences. */
  readonly remediation: string;
}

/** Check id to its declaration. Ids are a contract: they appear in every envelope's findings. */
export type CheckCatalogue<Id extends string = string> = { readonly [K in Id]: CheckSpec };

/** Declares a catalogue and keeps its literal ids, so `keyof typeof` the result is the check id union. */
export function defineChecks<Id extends string>(checks: CheckCatalogue<Id>): CheckCatalogue<Id> {
  return checks;
}

/** The catalogue's ids in declaration order. */
export function checkIds<Id extends string>(catalogue: CheckCatalogue<Id>): Id[] {
  return Object.keys(catalogue) as Id[];
}
