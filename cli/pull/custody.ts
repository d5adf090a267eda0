import { digestKey, isLate, type Digest, type DigestEntry } from '../../lambdas/evidence/digest';
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

/** Why the signature S3 gives differs from the one sealed with the object, or undefined when they agree. */
function signatureChange(o: ManifestObject, key: string, entry: DigestEntry): string | undefined {
  if (o.signature === entry.signature) return undefined;
  if (entry.signature === undefined)
    return `the object carries a signature, but ${key} sealed none: it was unsigned when its day was sealed, and only the sealed signature counts`;
  return `the object's signature differs from the one ${key} sealed${o.signature ? '' : ' (it now carries none)'}: only the sealed signature counts`;
}

/**
 * Marks every evidence object `sealed`, `late` (one problem, whatever the reasons) or `unsealed`, from the
 * usable digests among `objects`. A sealed object whose bytes or signature differ from the digest's record
 * gets that problem too: the sealer hashed the bytes and recorded the signature it read. An object of a day
 * no usable digest seals is judged late against S3's own LastModified (a late one proves no run); an
 * unsealed one proves no run either (coverage.ts), until the day is sealed.
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
    if (!digest) {
      if (o.lastModified === undefined || !isLate(parsed.date, o.lastModified))
        return { ...o, checks: { ...o.checks, custody: 'unsealed' } };
      const late = `late: written ${o.lastModified}, after its day ${parsed.date} ended, and no digest seals that day: it proves no run`;
      return { ...o, checks: { ...o.checks, custody: 'late' }, problems: [...o.problems, late] };
    }
    const entry = digest.objects.find((e) => e.key === o.key);
    const late = lateReason(o, key, digest, entry);
    const problems = [...o.problems];
    if (late) problems.push(`late: ${late}`);
    else if (entry) {
      if (entry.sha256 !== o.sha256)
        problems.push(`SHA-256 of the bytes ${o.sha256} differs from the record of ${key}: ${entry.sha256}`);
      const changed = signatureChange(o, key, entry);
      if (changed) problems.push(changed);
    }
    return { ...o, checks: { ...o.checks, custody: late ? 'late' : 'sealed' }, problems };
  });
}
