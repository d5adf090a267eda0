import { digestKey, type Digest, type DigestEntry } from '../../lambdas/evidence/digest';
import { parseEvidenceKey } from '../../lambdas/evidence/keys';
import type { ManifestObject } from '../package/manifest';

/**
 * Custody: each evidence object against the digest that sealed its day (design.md, "Chain of custody"). A
 * digest counts only when it holds by itself (signed by the sealer's pinned key, canonical, under its own
 * key, bytes matching S3's checksum): anyone can write a file under `digests/`.
 */
function usable(o: ManifestObject): boolean {
  return (
    o.kind === 'digest' &&
    o.checks.signature === 'valid' &&
    o.checks.digestFile === 'ok' &&
    o.checks.digest === 'ok'
  );
}

/** Why `o` is late against its day's digest, or undefined when the digest lists this version on time. */
function lateReason(o: ManifestObject, key: string, digest: Digest, entry: DigestEntry | undefined) {
  if (!entry)
    return `absent from ${key} (sealed ${digest.sealedAt}): written after its day was sealed, it proves no run`;
  if (entry.late)
    return `${key} lists it as written at ${entry.lastModified}, after its day ${digest.date} ended: it proves no run`;
  if (entry.versionId !== undefined && entry.versionId !== o.versionId)
    return `${key} sealed version ${entry.versionId}, the bucket now gives ${o.versionId ?? 'none'}: it proves no run`;
  return undefined;
}

/**
 * Marks every evidence object `sealed`, `late` (one problem, whatever the reasons) or `unsealed`, from the
 * usable digests among `objects`. A sealed object whose bytes differ from the digest's record gets that
 * problem too: the sealer hashed the bytes it read.
 */
export function judgeCustody(
  objects: readonly ManifestObject[],
  digests: ReadonlyMap<string, Digest>,
): ManifestObject[] {
  const byKey = new Map(objects.map((o) => [o.key, o]));
  return objects.map((o) => {
    const parsed = parseEvidenceKey(o.key);
    if (!parsed || o.downloadError) return o;
    const key = digestKey(parsed.date, parsed.account);
    const holder = byKey.get(key);
    const digest = holder && usable(holder) ? digests.get(key) : undefined;
    if (!digest) return { ...o, checks: { ...o.checks, custody: 'unsealed' } };
    const entry = digest.objects.find((e) => e.key === o.key);
    const late = lateReason(o, key, digest, entry);
    const problems = [...o.problems];
    if (late) problems.push(`late: ${late}`);
    else if (entry && entry.sha256 !== o.sha256)
      problems.push(`SHA-256 of the bytes ${o.sha256} differs from the record of ${key}: ${entry.sha256}`);
    return { ...o, checks: { ...o.checks, custody: late ? 'late' : 'sealed' }, problems };
  });
}
