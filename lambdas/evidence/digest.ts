import { canonicalBytes, sha256Hex } from './canonical-json';

/**
 * Daily digests: the chain of custody of the evidence bucket, in the manner of CloudTrail log file
 * integrity validation. Once a UTC day has ended, the sealer writes, per account,
 *
 *   digests/YYYY/MM/DD/<account>.json
 *
 * listing every evidence object under that day's prefix (key, version, SHA-256, S3's own LastModified,
 * producer), the previous digest of the same account (key and SHA-256), and signed by the sealer's own key.
 * An object that is not in its day's digest, or whose LastModified lies outside its key's day, is late:
 * it proves no run. A digest missing from the chain is an integrity failure.
 */
export const DIGEST_PREFIX = 'digests/';
export const DIGEST_SCHEMA_VERSION = 1 as const;

/**
 * How long after its key's day an object may still be written and count as on time: a run that starts just
 * before midnight UTC (its key's time) finishes within the longest Lambda timeout.
 */
export const LATE_TOLERANCE_MS = 15 * 60_000;

/** The sealer seals a day no earlier than this long after the day ends (runs that straddle midnight land). */
export const SEAL_DELAY_MS = 20 * 60_000;

export interface DigestEntry {
  readonly key: string;
  /** S3 version id of the version listed (the original: evidence is written once). */
  readonly versionId?: string;
  /** Hex SHA-256 of the object's bytes, computed by the sealer from what it read. */
  readonly sha256: string;
  readonly bytes: number;
  /** S3's server-side LastModified of the version, ISO 8601: the writer cannot set it. */
  readonly lastModified: string;
  /** The producer whose kind the key names (`undefined` for a key outside the evidence layout). */
  readonly producer?: string;
  /** The signing key the object's metadata names, as written (`undefined`: unsigned). */
  readonly signingKey?: string;
  /**
   * The object's signature (`x-amz-meta-signature`) as the sealer read it, base64. Sealed with the object,
   * it is the one `verify` judges: a signature offered later (in a package's manifest) proves nothing.
   * Absent: the object carried none when its day was sealed (or the digest predates this field), so as far
   * as the chain proves, it is unsigned.
   */
  readonly signature?: string;
  /** LastModified outside the key's day (plus LATE_TOLERANCE_MS): written after its day. */
  readonly late?: true;
}

export interface Digest {
  readonly schemaVersion: typeof DIGEST_SCHEMA_VERSION;
  readonly kind: 'soc2-evidence-digest';
  readonly account: string;
  /** The UTC day sealed, YYYY-MM-DD. */
  readonly date: string;
  readonly sealedAt: string;
  readonly producer: { readonly name: string; readonly version: string; readonly runId: string };
  /** Every object under the day's prefix for this account, sorted by key. */
  readonly objects: readonly DigestEntry[];
  /** Other versions and delete markers seen on the day's keys (evidence is written once: each is a finding). */
  readonly otherVersions: readonly {
    readonly key: string;
    readonly versionId: string;
    readonly deleteMarker: boolean;
    readonly lastModified?: string;
  }[];
  /** The previous digest of this account, or null for the first of the chain. */
  readonly previous: { readonly key: string; readonly sha256: string; readonly date: string } | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ACCOUNT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function digestKey(date: string, account: string): string {
  if (!DATE.test(date)) throw new Error(`digest date must be YYYY-MM-DD, got ${JSON.stringify(date)}`);
  if (!ACCOUNT.test(account))
    throw new Error(`digest account must be a key segment, got ${JSON.stringify(account)}`);
  return `${DIGEST_PREFIX}${date.replace(/-/g, '/')}/${account}.json`;
}

const DIGEST_KEY = /^digests\/(\d{4})\/(\d{2})\/(\d{2})\/([A-Za-z0-9][A-Za-z0-9._-]*)\.json$/;

export function parseDigestKey(key: string): { date: string; account: string } | undefined {
  const m = DIGEST_KEY.exec(key);
  if (!m) return undefined;
  return { date: `${m[1]}-${m[2]}-${m[3]}`, account: m[4]! };
}

/** Whether `lastModified` is outside the day `date` (UTC), allowing LATE_TOLERANCE_MS after its end. */
export function isLate(date: string, lastModified: string): boolean {
  const start = Date.parse(`${date}T00:00:00.000Z`);
  const t = Date.parse(lastModified);
  if (Number.isNaN(t)) return true;
  return t < start || t >= start + 86_400_000 + LATE_TOLERANCE_MS;
}

/** The digest's bytes as stored and signed: canonical JSON, so anyone can recompute its SHA-256. */
export function digestBytes(digest: Digest): Uint8Array {
  return canonicalBytes(digest);
}

export function digestSha256(digest: Digest): string {
  return sha256Hex(digestBytes(digest));
}
