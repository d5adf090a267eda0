import { readAwsError } from '../../lambdas/aws/aws-error';
import { sha256Hex } from '../../lambdas/evidence/canonical-json';
import { pathUnder } from '../../lambdas/evidence/key-path';
import type { BucketReader } from '../../lambdas/evidence/read-store';
import { SIGNATURE_METADATA, SIGNING_KEY_METADATA } from '../../lambdas/evidence/signer';
import type { FetchedObject } from '../package/manifest';
import { writeAtomic } from '../package/write-package';
import type { Listed } from './list';

const failed = (key: string, downloadError: string): FetchedObject => ({
  key,
  bytes: 0,
  sha256: '',
  objectLock: {},
  downloadError,
});

/**
 * Downloads the listed version into the package and records what S3 returned beside it, as returned
 * (never corrected): the checks compare it later. A failure is recorded, not thrown: the package names it.
 */
export async function download(reader: BucketReader, root: string, listed: Listed): Promise<FetchedObject> {
  const { key } = listed;
  const path = pathUnder(root, key);
  if (!path) return failed(key, 'the key leaves the output directory');
  try {
    const res = await reader.read(key, listed.versionId);
    await writeAtomic(path, res.body);
    const meta = res.metadata;
    return {
      key,
      bytes: res.body.byteLength,
      sha256: sha256Hex(res.body),
      ...(res.etag ? { etag: res.etag } : {}),
      ...(res.versionId ? { versionId: res.versionId } : {}),
      ...(res.lastModified ? { lastModified: res.lastModified.toISOString() } : {}),
      ...(res.checksumSha256 ? { s3ChecksumSha256: res.checksumSha256 } : {}),
      ...(meta.sha256 ? { metadataSha256: meta.sha256 } : {}),
      ...(meta[SIGNATURE_METADATA] ? { signature: meta[SIGNATURE_METADATA] } : {}),
      ...(meta[SIGNING_KEY_METADATA] ? { signingKey: meta[SIGNING_KEY_METADATA] } : {}),
      objectLock: {
        ...(res.objectLock.mode ? { mode: res.objectLock.mode } : {}),
        ...(res.objectLock.retainUntil ? { retainUntil: res.objectLock.retainUntil.toISOString() } : {}),
        ...(res.objectLock.legalHold ? { legalHold: res.objectLock.legalHold } : {}),
      },
    };
  } catch (err) {
    const e = readAwsError(err);
    return failed(key, `${e.code}: ${e.message}`);
  }
}
