/**
 * The daily sealer: for every account, one signed digest per UTC day listing every evidence object of that
 * day (the original version, its SHA-256 recomputed from the bytes, S3's own LastModified, its producer,
 * signing key and signature), chained to the account's previous digest (design.md, "Chain of custody").
 *
 * Each run continues every chain from its latest digest and seals the days that have ended (at least
 * SEAL_DELAY_MS ago), oldest first, at most `maxDays` per run: a sealer that was down catches up over its
 * next runs, and a day is never skipped, because a chain may only move one day at a time. Digests are
 * written with If-None-Match, so one is never replaced: an existing digest means the day is sealed, and it
 * is read back (its original version) to continue the chain.
 */
import type { KeyObject } from 'node:crypto';
import { mapWithConcurrency } from '../aws/concurrency';
import { messageOf } from '../aws/aws-error';
import { sha256Hex } from '../evidence/canonical-json';
import {
  DIGEST_PREFIX,
  digestBytes,
  digestKey,
  digestSha256,
  parseDigestKey,
  SEAL_DELAY_MS,
  type Digest,
} from '../evidence/digest';
import { dayPrefix, EVIDENCE_PREFIX } from '../evidence/keys';
import type { BucketReader, KeyVersions } from '../evidence/read-store';
import { SIGNATURE_METADATA, SIGNING_KEY_METADATA, verifySignature } from '../evidence/signer';
import { EvidenceExistsError, type EvidenceStore } from '../evidence/store';
import {
  accountsToSeal,
  addDays,
  buildDigest,
  chooseOriginal,
  daysToSeal,
  lastSealableDay,
  versionsToRead,
  type SeenKey,
} from './day-digest';

/** About two months: a sealer down for a month catches up in one run, within the Lambda time limit. */
export const DEFAULT_MAX_DAYS = 62;
/** Object reads in flight at once while sealing a day. */
export const SEAL_READ_CONCURRENCY = 8;

export interface SealOptions {
  /** The bucket: ListObjectVersions (with and without a delimiter) and GetObject by version id. */
  readonly reader: BucketReader;
  /** Where digests are written: the signed S3Store in production (the sealer's own key). */
  readonly store: EvidenceStore;
  /** The sealer's own account: always sealed, and the home of keys outside the evidence layout. */
  readonly account: string;
  readonly now: Date;
  readonly runId: string;
  /** Days sealed per run at most; the rest wait for the next run. @default DEFAULT_MAX_DAYS */
  readonly maxDays?: number;
  /**
   * The sealer's public key: an existing digest the chain continues from must carry a signature that
   * verifies with it, or the run reports it. Without it those signatures are not checked (and the result
   * says so).
   */
  readonly publicKey?: KeyObject;
  /** Epoch ms after which no further day is started (the Lambda time limit less a reserve). */
  readonly deadline?: number;
}

export interface SealedDigest {
  readonly key: string;
  readonly account: string;
  readonly date: string;
  /** SHA-256 of the digest's bytes: what the next digest of the account links to. */
  readonly sha256: string;
  readonly objects: number;
  readonly late: number;
  readonly otherVersions: number;
  readonly versionId?: string;
  /** The key already held a digest (an earlier or concurrent run): it was read back, not written. */
  readonly alreadySealed: boolean;
}

export interface SealResult {
  /** Every digest written (or found already written) this run, in date then account order. */
  readonly sealed: readonly SealedDigest[];
  /** The days this run sealed, oldest first. */
  readonly days: readonly string[];
  /** Sealable days left for the next run (over `maxDays`, or the deadline came first). */
  readonly remainingDays: number;
  /**
   * What the sealer found wrong and could not fix: digests dated after the last sealable day, keys under
   * `digests/` outside the layout, a chain continued from a digest whose signature does not verify.
   */
  readonly problems: readonly string[];
  /** Whether existing digests' signatures were checked (a public key was given). */
  readonly signaturesChecked: boolean;
}

interface ChainLink {
  readonly key: string;
  readonly sha256: string;
  readonly date: string;
}

interface ReadDigest extends ChainLink {
  readonly problem?: string;
}

/** Reads a digest's original version and checks its signature; the chain links to these bytes. */
async function readDigest(
  reader: BucketReader,
  versions: KeyVersions,
  date: string,
  publicKey: KeyObject | undefined,
): Promise<ReadDigest | undefined> {
  const { original, others } = chooseOriginal(versions.versions);
  if (!original) return undefined;
  const read = await reader.read(versions.key, original.versionId);
  const link = { key: versions.key, sha256: sha256Hex(read.body), date };
  const problems: string[] = [];
  if (others.length > 0)
    problems.push(`digest ${versions.key} holds ${others.length} other version(s) or delete marker(s)`);
  if (publicKey) {
    const signature = read.metadata[SIGNATURE_METADATA];
    if (!signature) problems.push(`digest ${versions.key} carries no signature`);
    else if (!verifySignature(read.body, signature, publicKey))
      problems.push(
        `digest ${versions.key} is not signed by the sealer's key (signing-key ${read.metadata[SIGNING_KEY_METADATA] ?? 'absent'})`,
      );
  }
  return problems.length ? { ...link, problem: problems.join('; ') } : link;
}

/** Every account's latest digest, ignoring (and reporting) those no run could have written yet. */
async function latestDigests(
  reader: BucketReader,
  lastDay: string,
  publicKey: KeyObject | undefined,
  problems: string[],
): Promise<Map<string, ChainLink>> {
  const latest = new Map<string, { versions: KeyVersions; date: string }>();
  for (const versions of await reader.listVersions(DIGEST_PREFIX)) {
    const parsed = parseDigestKey(versions.key);
    if (!parsed) {
      problems.push(`${versions.key} is under ${DIGEST_PREFIX} but is not a digest key`);
      continue;
    }
    if (parsed.date > lastDay) {
      problems.push(`digest ${versions.key} is dated after the last day that can be sealed (${lastDay})`);
      continue;
    }
    if (!versions.versions.some((v) => !v.deleteMarker)) continue;
    const seen = latest.get(parsed.account);
    if (!seen || seen.date < parsed.date) latest.set(parsed.account, { versions, date: parsed.date });
  }
  const chains = new Map<string, ChainLink>();
  for (const [account, { versions, date }] of latest) {
    const link = await readDigest(reader, versions, date, publicKey);
    if (!link) continue;
    if (link.problem)
      problems.push(`the chain of ${account} continues from a doubtful digest: ${link.problem}`);
    chains.set(account, { key: link.key, sha256: link.sha256, date: link.date });
  }
  return chains;
}

const isDate = (d: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(d) && new Date(`${d}T00:00:00.000Z`).toISOString().startsWith(d);

/**
 * The earliest day with evidence, found by walking the folders `evidence/YYYY/`, `MM/`, `DD/` (three short
 * listings) rather than listing every key.
 */
export async function earliestEvidenceDay(reader: BucketReader): Promise<string | undefined> {
  const segment = (folder: string) => folder.slice(0, -1).split('/').at(-1) ?? '';
  for (const year of await reader.listFolders(EVIDENCE_PREFIX)) {
    if (!/^\d{4}$/.test(segment(year))) continue;
    for (const month of await reader.listFolders(year)) {
      if (!/^\d{2}$/.test(segment(month))) continue;
      for (const day of await reader.listFolders(month)) {
        const date = `${segment(year)}-${segment(month)}-${segment(day)}`;
        if (isDate(date)) return date;
      }
    }
  }
  return undefined;
}

/** Lists one day with every version and reads each key's original version. */
async function seeDay(reader: BucketReader, date: string): Promise<SeenKey[]> {
  const listed = versionsToRead(await reader.listVersions(dayPrefix(date)));
  return mapWithConcurrency(listed, SEAL_READ_CONCURRENCY, async ({ key, chosen }): Promise<SeenKey> => {
    const { original, others } = chosen;
    if (!original) return { key, others };
    let read;
    try {
      read = await reader.read(key, original.versionId);
    } catch (err) {
      // A listed version that cannot be read leaves the day unsealable: fail loudly, seal it next run.
      throw new Error(`cannot read ${key} version ${original.versionId} to seal ${date}: ${messageOf(err)}`);
    }
    const lastModified = original.lastModified ?? read.lastModified?.toISOString();
    if (!lastModified) throw new Error(`S3 gave no LastModified for ${key} version ${original.versionId}`);
    const signingKey = read.metadata[SIGNING_KEY_METADATA];
    const signature = read.metadata[SIGNATURE_METADATA];
    return {
      key,
      original: {
        versionId: read.versionId ?? original.versionId,
        sha256: sha256Hex(read.body),
        bytes: read.body.byteLength,
        lastModified,
        ...(signingKey ? { signingKey } : {}),
        ...(signature ? { signature } : {}),
      },
      others,
    };
  });
}

/** Writes one digest; an existing one is read back and the chain continues from it. */
async function writeDigest(options: SealOptions, digest: Digest, problems: string[]): Promise<SealedDigest> {
  const key = digestKey(digest.date, digest.account);
  const body = digestBytes(digest);
  const counts = {
    key,
    account: digest.account,
    date: digest.date,
    objects: digest.objects.length,
    late: digest.objects.filter((o) => o.late).length,
    otherVersions: digest.otherVersions.length,
  };
  try {
    const stored = await options.store.put({
      key,
      body,
      contentType: 'application/json',
      sha256: digestSha256(digest),
    });
    return {
      ...counts,
      sha256: stored.sha256,
      ...(stored.versionId ? { versionId: stored.versionId } : {}),
      alreadySealed: false,
    };
  } catch (err) {
    if (!(err instanceof EvidenceExistsError)) throw err;
  }
  const versions = (await options.reader.listVersions(key)).find((k) => k.key === key);
  const existing = versions && (await readDigest(options.reader, versions, digest.date, options.publicKey));
  if (!existing) throw new Error(`digest ${key} exists but no version of it can be read`);
  if (existing.problem) problems.push(existing.problem);
  // What this run would have written is not what was found: the counts describe the day as seen now.
  return { ...counts, sha256: existing.sha256, alreadySealed: true };
}

/** Seals every ended, unsealed day of every account, oldest first, at most `maxDays` days per run. */
export async function sealDays(options: SealOptions): Promise<SealResult> {
  const maxDays = options.maxDays ?? DEFAULT_MAX_DAYS;
  if (!Number.isInteger(maxDays) || maxDays < 1) throw new Error(`maxDays must be a positive integer`);
  const problems: string[] = [];
  const lastDay = lastSealableDay(options.now, SEAL_DELAY_MS);
  const chains = await latestDigests(options.reader, lastDay, options.publicKey, problems);

  let first: string;
  if (chains.size > 0) first = addDays([...chains.values()].map((c) => c.date).sort()[0]!, 1);
  else first = (await earliestEvidenceDay(options.reader)) ?? lastDay;
  const days = daysToSeal(first, lastDay, maxDays);

  const sealed: SealedDigest[] = [];
  const done: string[] = [];
  for (const date of days) {
    if (options.deadline !== undefined && Date.now() > options.deadline) break;
    const seen = await seeDay(options.reader, date);
    const chainedThrough = new Map([...chains].map(([a, c]) => [a, c.date]));
    for (const account of accountsToSeal(date, options.account, seen, chainedThrough)) {
      const digest = buildDigest({
        date,
        account,
        ownAccount: options.account,
        seen,
        previous: chains.get(account) ?? null,
        sealedAt: options.now,
        runId: options.runId,
      });
      const written = await writeDigest(options, digest, problems);
      sealed.push(written);
      chains.set(account, { key: written.key, sha256: written.sha256, date });
    }
    done.push(date);
  }
  const sealable = first <= lastDay ? daysToSeal(first, lastDay, Number.MAX_SAFE_INTEGER).length : 0;
  return {
    sealed,
    days: done,
    remainingDays: sealable - done.length,
    problems,
    signaturesChecked: options.publicKey !== undefined,
  };
}
