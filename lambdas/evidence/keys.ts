/**
 * The evidence key layout, a contract with auditors:
 *
 *   evidence/YYYY/MM/DD/<collector>/<account>/<region>/<HHmmss>Z-<runId>.json      the envelope
 *   evidence/YYYY/MM/DD/<collector>/<account>/<region>/<HHmmss>Z-<runId>--<name>   its raw sources
 *
 * Dates are UTC, so a day, a month or a quarter is a plain prefix (`aws s3 sync` works with no other
 * tool) and Athena partition projection can read it. Sources sit beside their envelope and share its
 * stem, so one listing of a folder shows both.
 */
export const EVIDENCE_PREFIX = 'evidence/';

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
const SOURCE_NAME = /^[a-z0-9][a-z0-9.-]*$/;

export interface EvidenceKeyParts {
  readonly collectedAt: Date;
  readonly collector: string;
  readonly account: string;
  readonly region: string;
  readonly runId: string;
}

export interface ParsedEvidenceKey extends Omit<EvidenceKeyParts, 'collectedAt'> {
  readonly date: string; // YYYY-MM-DD
  readonly time: string; // HHmmss
  /** `undefined` for the envelope, the source name for a raw source. */
  readonly source?: string;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function checkSegment(name: string, value: string, pattern = SEGMENT): void {
  if (!pattern.test(value) || value.includes('--')) {
    throw new Error(
      `evidence key ${name} must match ${pattern.source} without "--", got ${JSON.stringify(value)}`,
    );
  }
}

/** The folder of one collector's evidence for one day, account and region (ends with `/`). */
export function evidenceFolder(parts: Omit<EvidenceKeyParts, 'runId'>): string {
  checkSegment('collector', parts.collector);
  checkSegment('account', parts.account);
  checkSegment('region', parts.region);
  const t = parts.collectedAt;
  if (Number.isNaN(t.getTime())) throw new Error('evidence key collectedAt is not a valid date');
  return `${EVIDENCE_PREFIX}${t.getUTCFullYear()}/${pad(t.getUTCMonth() + 1)}/${pad(t.getUTCDate())}/${parts.collector}/${parts.account}/${parts.region}/`;
}

function stem(parts: EvidenceKeyParts): string {
  checkSegment('runId', parts.runId, RUN_ID);
  const t = parts.collectedAt;
  return `${evidenceFolder(parts)}${pad(t.getUTCHours())}${pad(t.getUTCMinutes())}${pad(t.getUTCSeconds())}Z-${parts.runId}`;
}

export function envelopeKey(parts: EvidenceKeyParts): string {
  return `${stem(parts)}.json`;
}

/** A raw source's key: `name` is lowercase, e.g. `credential-report.csv`. */
export function sourceKey(parts: EvidenceKeyParts, name: string): string {
  checkSegment('source name', name, SOURCE_NAME);
  return `${stem(parts)}--${name}`;
}

/** The prefix holding every collector's evidence for one UTC day. */
export function dayPrefix(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
    throw new Error(`date must be YYYY-MM-DD, got ${JSON.stringify(date)}`);
  return `${EVIDENCE_PREFIX}${date.replace(/-/g, '/')}/`;
}

const KEY =
  /^evidence\/(\d{4})\/(\d{2})\/(\d{2})\/([A-Za-z0-9][A-Za-z0-9._-]*)\/([A-Za-z0-9][A-Za-z0-9._-]*)\/([A-Za-z0-9][A-Za-z0-9._-]*)\/(\d{6})Z-([A-Za-z0-9][A-Za-z0-9-]*?)(?:\.json|--([a-z0-9][a-z0-9.-]*))$/;

/** Parses a key of this layout, or returns undefined for anything else. */
export function parseEvidenceKey(key: string): ParsedEvidenceKey | undefined {
  const m = KEY.exec(key);
  if (!m) return undefined;
  const [, y, mo, d, collector, account, region, time, runId, source] = m as unknown as string[];
  return {
    date: `${y}-${mo}-${d}`,
    collector: collector!,
    account: account!,
    region: region!,
    time: time!,
    runId: runId!,
    ...(source === undefined ? {} : { source }),
  };
}
