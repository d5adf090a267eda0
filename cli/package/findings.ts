import type { Envelope } from '../../lambdas/evidence/envelope';
import type { ManifestObject } from './manifest';

/**
 * The FAIL and WARN findings of the package's verified envelopes, one row per finding, for the auditor
 * page's findings view. PASS and INFO findings are left in the envelopes: this is what someone has to act
 * on, kept small. Not part of manifest.json: the envelopes themselves are the evidence, this is a view.
 */
export interface ExtractedFinding {
  readonly check: string;
  readonly resource: string;
  readonly status: 'FAIL' | 'WARN';
  /** The envelope's UTC date (its key's day). */
  readonly date: string;
  /** The envelope that recorded it. */
  readonly key: string;
  readonly collector: string;
  readonly account: string;
  /** The finding's detail, flattened and cut short: which port, which key, how many days idle. */
  readonly detail?: string;
}

export interface PackageFindings {
  readonly findings: readonly ExtractedFinding[];
  /** Envelopes whose findings are not shown because they failed an integrity check (or did not parse). */
  readonly unverifiedEnvelopes: number;
}

export const NO_FINDINGS: PackageFindings = { findings: [], unverifiedEnvelopes: 0 };

const DETAIL_CHARS = 200;

const isScalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** `path: value` for each scalar, a list of scalars joined by spaces, nested values two levels deep. */
function flatten(value: unknown, path: string, depth: number, out: string[]): void {
  if (isScalar(value)) out.push(`${path}: ${String(value)}`);
  else if (Array.isArray(value) && value.every(isScalar)) out.push(`${path}: ${value.join(' ')}`);
  else if (depth < 2 && typeof value === 'object' && value !== null) {
    const entries = Array.isArray(value) ? value.map((v) => ['', v] as const) : Object.entries(value);
    for (const [k, v] of entries) flatten(v, k ? `${path}.${k}` : path, depth + 1, out);
  }
}

/** The detail's fields as `key: value` pairs (nested ones dotted), at most DETAIL_CHARS characters. */
function detailText(detail: unknown): string | undefined {
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return undefined;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(detail as Record<string, unknown>)) flatten(v, k, 0, parts);
  const text = parts.join(', ');
  if (text === '') return undefined;
  return text.length > DETAIL_CHARS ? `${text.slice(0, DETAIL_CHARS - 1)}…` : text;
}

/** The FAIL and WARN findings of one envelope (fields read defensively: the envelope is data). */
function findingsOf(object: ManifestObject, envelope: Envelope | undefined): ExtractedFinding[] {
  if (!envelope || !Array.isArray(envelope.findings) || !object.collector || !object.date) return [];
  const out: ExtractedFinding[] = [];
  for (const f of envelope.findings as readonly unknown[]) {
    if (typeof f !== 'object' || f === null) continue;
    const { check, resource, status, detail } = f as Record<string, unknown>;
    if (status !== 'FAIL' && status !== 'WARN') continue;
    const text = detailText(detail);
    out.push({
      check: String(check),
      resource: String(resource),
      status,
      date: object.date,
      key: object.key,
      collector: object.collector,
      account: object.account ?? '',
      ...(text ? { detail: text } : {}),
    });
  }
  return out;
}

/**
 * Findings of the envelopes that passed every integrity check; the others are counted, not shown (the
 * page lists their problems). `parsed` is each envelope's parsed body, by key.
 */
export function extractFindings(
  objects: readonly ManifestObject[],
  parsed: ReadonlyMap<string, Envelope | undefined>,
): PackageFindings {
  const findings: ExtractedFinding[] = [];
  let unverifiedEnvelopes = 0;
  for (const o of objects) {
    if (o.kind !== 'envelope') continue;
    const envelope = parsed.get(o.key);
    if (o.problems.length > 0 || !envelope) {
      unverifiedEnvelopes++;
      continue;
    }
    findings.push(...findingsOf(o, envelope));
  }
  return { findings, unverifiedEnvelopes };
}
