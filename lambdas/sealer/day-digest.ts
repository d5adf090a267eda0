/**
 * The pure half of the sealer: which version of a key is the evidence, which accounts a day is sealed for,
 * and the digest built from what was listed and read. No SDK and no clock here; `seal.ts` does the I/O.
 */
import { producerOfKind } from '../collectors/kinds';
import { DIGEST_SCHEMA_VERSION, isLate, type Digest, type DigestEntry } from '../evidence/digest';
import { parseEvidenceKey } from '../evidence/keys';
import type { KeyVersions, ObjectVersion } from '../evidence/read-store';
import { PRODUCER } from '../producer';

const DAY_MS = 86_400_000;

/** The UTC day `date` plus `days`, YYYY-MM-DD. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The last UTC day that ended at least `delayMs` before `now`: the newest day that may be sealed. */
export function lastSealableDay(now: Date, delayMs: number): string {
  const t = now.getTime() - delayMs;
  return addDays(new Date(t - (t % DAY_MS)).toISOString().slice(0, 10), -1);
}

/** The days from `from` to `to` inclusive, in order, at most `max` of them (the oldest first). */
export function daysToSeal(from: string, to: string, max: number): string[] {
  const out: string[] = [];
  for (let d = from; d <= to && out.length < max; d = addDays(d, 1)) out.push(d);
  return out;
}

export interface ChosenVersions {
  /** The version the evidence is: the oldest that is not a delete marker (evidence is written once). */
  readonly original?: ObjectVersion;
  /** Every other version and delete marker of the key: each one is an overwrite or a deletion. */
  readonly others: readonly ObjectVersion[];
}

/**
 * The original version of a key. S3 lists a key's versions newest first; when every candidate carries
 * LastModified the oldest by it wins (ties: the later listed), otherwise the last listed.
 */
export function chooseOriginal(versions: readonly ObjectVersion[]): ChosenVersions {
  const candidates = versions.filter((v) => !v.deleteMarker);
  let original: ObjectVersion | undefined = candidates.at(-1);
  if (candidates.every((v) => v.lastModified !== undefined)) {
    for (const v of candidates)
      if (original && Date.parse(v.lastModified!) <= Date.parse(original.lastModified!)) original = v;
  }
  return { ...(original ? { original } : {}), others: versions.filter((v) => v !== original) };
}

/** What the sealer read of a key's original version: the bytes' own digest, never S3's metadata. */
export interface OriginalRead {
  readonly versionId: string;
  readonly sha256: string;
  readonly bytes: number;
  /** S3's LastModified of the version, ISO 8601. */
  readonly lastModified: string;
  /** The `signing-key` metadata as written; absent when unsigned. */
  readonly signingKey?: string;
  /** The `signature` metadata as written (base64); absent when unsigned. Sealed with the object. */
  readonly signature?: string;
}

/** One key of a day as the sealer saw it. */
export interface SeenKey {
  readonly key: string;
  /** Absent when the key holds only delete markers. */
  readonly original?: OriginalRead;
  readonly others: readonly ObjectVersion[];
}

/** The account whose digest lists `key`: its account segment, or the sealer's own for a stray key. */
export function accountOfSeenKey(key: string, ownAccount: string): string {
  return parseEvidenceKey(key)?.account ?? ownAccount;
}

/** The key's versions (listed) as the pure input the rest works from, before any read. */
export function versionsToRead(listed: readonly KeyVersions[]): { key: string; chosen: ChosenVersions }[] {
  return listed.map((k) => ({ key: k.key, chosen: chooseOriginal(k.versions) }));
}

/**
 * The accounts a day is sealed for: the sealer's own, every account with an object that day, and every
 * account that already has a chain (so a quiet day still gets its empty digest and the chain stays daily),
 * less those whose chain already covers the day.
 */
export function accountsToSeal(
  date: string,
  ownAccount: string,
  seen: readonly SeenKey[],
  chainedThrough: ReadonlyMap<string, string>,
): string[] {
  const accounts = new Set([ownAccount, ...chainedThrough.keys()]);
  for (const k of seen) accounts.add(accountOfSeenKey(k.key, ownAccount));
  return [...accounts].filter((a) => (chainedThrough.get(a) ?? '') < date).sort();
}

export interface DigestInput {
  readonly date: string;
  readonly account: string;
  readonly ownAccount: string;
  /** Every key of the day (all accounts): the digest takes its own account's. */
  readonly seen: readonly SeenKey[];
  readonly previous: Digest['previous'];
  readonly sealedAt: Date;
  readonly runId: string;
}

function entryOf(date: string, key: string, read: OriginalRead): DigestEntry {
  const producer = producerOfKind(parseEvidenceKey(key)?.collector);
  return {
    key,
    versionId: read.versionId,
    sha256: read.sha256,
    bytes: read.bytes,
    lastModified: read.lastModified,
    ...(producer ? { producer } : {}),
    ...(read.signingKey ? { signingKey: read.signingKey } : {}),
    ...(read.signature ? { signature: read.signature } : {}),
    ...(isLate(date, read.lastModified) ? { late: true as const } : {}),
  };
}

/** One account's digest of one day, from what was listed and read. */
export function buildDigest(input: DigestInput): Digest {
  const mine = input.seen
    .filter((k) => accountOfSeenKey(k.key, input.ownAccount) === input.account)
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    schemaVersion: DIGEST_SCHEMA_VERSION,
    kind: 'soc2-evidence-digest',
    account: input.account,
    date: input.date,
    sealedAt: input.sealedAt.toISOString(),
    producer: { name: PRODUCER.name, version: PRODUCER.version, runId: input.runId },
    objects: mine.flatMap((k) => (k.original ? [entryOf(input.date, k.key, k.original)] : [])),
    otherVersions: mine.flatMap((k) =>
      k.others.map((v) => ({
        key: k.key,
        versionId: v.versionId,
        deleteMarker: v.deleteMarker,
        ...(v.lastModified ? { lastModified: v.lastModified } : {}),
      })),
    ),
    previous: input.previous,
  };
}
