import { readAwsError } from '../../lambdas/aws/aws-error';
import { sha256Hex } from '../../lambdas/evidence/canonical-json';
import { pathUnder } from '../../lambdas/evidence/key-path';
import type { BucketReader, ObjectFacts } from '../../lambdas/evidence/read-store';
import { SIGNATURE_METADATA, SIGNING_KEY_METADATA } from '../../lambdas/evidence/signer';
import type { FetchedObject } from '../package/manifest';
import { writeAtomic } from '../package/write-package';
import type { Listed } from './list';

export const failed = (key: string, downloadError: string, versionId?: string): FetchedObject => ({
  key,
  bytes: 0,
  sha256: '',
  ...(versionId ? { versionId } : {}),
  objectLock: {},
  downloadError,
});

/**
 * The record of one object: the bytes' own SHA-256 and size (computed here, from the file) beside what S3
 * returned for the version, as returned (never corrected): the checks compare them later.
 */
export function fetchedOf(key: string, facts: ObjectFacts, sha256: string, bytes: number): FetchedObject {
  const meta = facts.metadata;
  return {
    key,
    bytes,
    sha256,
    ...(facts.etag ? { etag: facts.etag } : {}),
    ...(facts.versionId ? { versionId: facts.versionId } : {}),
    ...(facts.lastModified ? { lastModified: facts.lastModified.toISOString() } : {}),
    ...(facts.checksumSha256 ? { s3ChecksumSha256: facts.checksumSha256 } : {}),
    ...(meta.sha256 ? { metadataSha256: meta.sha256 } : {}),
    ...(meta[SIGNATURE_METADATA] ? { signature: meta[SIGNATURE_METADATA] } : {}),
    ...(meta[SIGNING_KEY_METADATA] ? { signingKey: meta[SIGNING_KEY_METADATA] } : {}),
    objectLock: {
      ...(facts.objectLock.mode ? { mode: facts.objectLock.mode } : {}),
      ...(facts.objectLock.retainUntil ? { retainUntil: facts.objectLock.retainUntil.toISOString() } : {}),
      ...(facts.objectLock.legalHold ? { legalHold: facts.objectLock.legalHold } : {}),
    },
  };
}

/**
 * Downloads the listed version into the package and records what S3 returned beside it. A failure is
 * recorded, not thrown: the package names it.
 */
export async function download(reader: BucketReader, root: string, listed: Listed): Promise<FetchedObject> {
  const { key } = listed;
  const path = pathUnder(root, key);
  if (!path) return failed(key, 'the key leaves the output directory');
  if (!listed.versionId) return failed(key, 'the key holds only delete markers: no version to download');
  try {
    const res = await reader.read(key, listed.versionId);
    await writeAtomic(path, res.body);
    return fetchedOf(key, res, sha256Hex(res.body), res.body.byteLength);
  } catch (err) {
    const e = readAwsError(err);
    return failed(key, `${e.code}: ${e.message}`, listed.versionId);
  }
}
