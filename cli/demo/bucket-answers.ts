import { hexToBase64 } from '../../lambdas/evidence/canonical-json';
import { SIGNATURE_METADATA, SIGNING_KEY_METADATA } from '../../lambdas/evidence/signer';
import type { EvidenceBucket, HeldObject } from './evidence-bucket';
import type { Answers } from './offline-clients';

/** ListObjectVersions returns at most this many entries per page (S3's own limit). */
export const S3_PAGE = 1000;

export interface BucketAnswerOptions {
  /** Entries per ListObjectVersions page, to exercise paging with few objects. @default S3_PAGE */
  readonly pageSize?: number;
}

interface VersionEntry {
  readonly Key: string;
  readonly VersionId: string;
  readonly IsLatest: boolean;
  readonly deleteMarker: boolean;
  readonly lastModified?: Date;
  readonly held?: HeldObject;
}

/** A key's versions newest first, as S3 lists them: a latest delete marker or overwrite before the stored one. */
function versionsOf(Key: string, held: HeldObject): VersionEntry[] {
  const others = (held.otherVersions ?? []).map((v) => ({
    Key,
    VersionId: v.versionId,
    IsLatest: v.isLatest,
    deleteMarker: v.deleteMarker,
    ...(v.lastModified ? { lastModified: v.lastModified } : {}),
  }));
  const stored = {
    Key,
    VersionId: held.versionId,
    IsLatest: !others.some((v) => v.IsLatest),
    deleteMarker: false,
    ...(held.lastModified ? { lastModified: held.lastModified } : {}),
    held,
  };
  return [...others.filter((v) => v.IsLatest), stored, ...others.filter((v) => !v.IsLatest)];
}

/** The Versions of a ListObjectVersions answer: the entries that are not delete markers. */
function versionRows(bucket: EvidenceBucket, entries: readonly VersionEntry[]) {
  return entries
    .filter((v) => !v.deleteMarker)
    .map(({ Key, VersionId, IsLatest, lastModified, held }) => ({
      Key,
      VersionId,
      IsLatest,
      ...(lastModified ? { LastModified: lastModified } : {}),
      // An earlier version's bytes are not kept: its size and ETag are the stored one's.
      Size: (held ?? bucket.objects.get(Key)!).body.byteLength,
      ...(held ? { ETag: held.etag } : {}),
    }));
}

/** The first index of sorted `keys` not below `from`. */
function lowerBound(keys: readonly string[], from: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One page of ListObjectVersions: after KeyMarker (and VersionIdMarker within it), under Prefix. */
function versionPage(bucket: EvidenceBucket, input: Record<string, unknown>, pageSize: number) {
  const prefix = typeof input.Prefix === 'string' ? input.Prefix : '';
  const keyMarker = typeof input.KeyMarker === 'string' ? input.KeyMarker : '';
  const versionIdMarker = typeof input.VersionIdMarker === 'string' ? input.VersionIdMarker : '';
  const max = typeof input.MaxKeys === 'number' ? Math.min(input.MaxKeys, pageSize) : pageSize;
  const keys = bucket.sortedKeys();
  const page: VersionEntry[] = [];
  let truncated = false;
  for (let i = lowerBound(keys, keyMarker > prefix ? keyMarker : prefix); i < keys.length; i++) {
    const key = keys[i]!;
    if (!key.startsWith(prefix)) break;
    let versions = versionsOf(key, bucket.objects.get(key)!);
    if (key === keyMarker) {
      // Without a version marker, KeyMarker itself was listed in full.
      if (!versionIdMarker) continue;
      versions = versions.slice(versions.findIndex((v) => v.VersionId === versionIdMarker) + 1);
    }
    if (page.length + versions.length > max) {
      page.push(...versions.slice(0, max - page.length));
      truncated = true;
      break;
    }
    page.push(...versions);
    // A full page with keys left under the prefix is truncated too.
    if (page.length === max) {
      truncated = i + 1 < keys.length && keys[i + 1]!.startsWith(prefix);
      break;
    }
  }
  const last = page[page.length - 1];
  return {
    Versions: versionRows(bucket, page),
    DeleteMarkers: page
      .filter((v) => v.deleteMarker)
      .map(({ Key, VersionId, IsLatest, lastModified }) => ({
        Key,
        VersionId,
        IsLatest,
        ...(lastModified ? { LastModified: lastModified } : {}),
      })),
    IsTruncated: truncated,
    ...(truncated && last ? { NextKeyMarker: last.Key, NextVersionIdMarker: last.VersionId } : {}),
  };
}

/**
 * One page of ListObjectVersions with a Delimiter: keys with the delimiter after the prefix are rolled up
 * into CommonPrefixes (one entry each, as S3 counts them), the others listed with their versions. A page
 * ends between entries; NextKeyMarker is the last common prefix or key.
 */
function folderPage(bucket: EvidenceBucket, input: Record<string, unknown>, pageSize: number) {
  const prefix = typeof input.Prefix === 'string' ? input.Prefix : '';
  const delimiter = String(input.Delimiter);
  const keyMarker = typeof input.KeyMarker === 'string' ? input.KeyMarker : '';
  const max = typeof input.MaxKeys === 'number' ? Math.min(input.MaxKeys, pageSize) : pageSize;
  const keys = bucket.sortedKeys();
  const folders: string[] = [];
  const direct: VersionEntry[] = [];
  let entries = 0;
  let last = '';
  let truncated = false;
  for (let i = lowerBound(keys, keyMarker > prefix ? keyMarker : prefix); i < keys.length; i++) {
    const key = keys[i]!;
    if (!key.startsWith(prefix)) break;
    if (keyMarker && (key <= keyMarker || (keyMarker.endsWith(delimiter) && key.startsWith(keyMarker))))
      continue;
    const cut = key.indexOf(delimiter, prefix.length);
    const folder = cut >= 0 ? key.slice(0, cut + delimiter.length) : undefined;
    if (folder !== undefined && folder === folders.at(-1)) continue;
    if (entries === max) {
      truncated = true;
      break;
    }
    entries++;
    if (folder !== undefined) {
      folders.push(folder);
      last = folder;
    } else {
      direct.push(...versionsOf(key, bucket.objects.get(key)!));
      last = key;
    }
  }
  return {
    CommonPrefixes: folders.map((Prefix) => ({ Prefix })),
    Versions: versionRows(bucket, direct),
    DeleteMarkers: direct
      .filter((v) => v.deleteMarker)
      .map(({ Key, VersionId, IsLatest }) => ({ Key, VersionId, IsLatest })),
    IsTruncated: truncated,
    ...(truncated ? { NextKeyMarker: last } : {}),
  };
}

function noSuchKey(): Error {
  return Object.assign(new Error('The specified key does not exist.'), {
    name: 'NoSuchKey',
    $fault: 'client',
    $metadata: { httpStatusCode: 404 },
  });
}

/** The stored version `input` names (Key, optional VersionId); earlier versions' bytes are not kept. */
function heldFor(bucket: EvidenceBucket, input: Record<string, unknown>): HeldObject {
  const held = typeof input.Key === 'string' ? bucket.objects.get(input.Key) : undefined;
  if (!held || (input.VersionId !== undefined && input.VersionId !== held.versionId)) throw noSuchKey();
  return held;
}

/** GetObject of the stored version, with what S3 returns beside the bytes. */
function getObject(bucket: EvidenceBucket, input: Record<string, unknown>) {
  const held = heldFor(bucket, input);
  const body = held.body;
  return {
    // The two stream helpers readers use; the answer skips the SDK's body deserialiser.
    Body: {
      transformToByteArray: () => Promise.resolve(new Uint8Array(body)),
      transformToString: (encoding?: BufferEncoding) => Promise.resolve(body.toString(encoding)),
    },
    ...headObject(bucket, input),
  };
}

/** HeadObject: what GetObject returns beside the bytes, without them. */
function headObject(bucket: EvidenceBucket, input: Record<string, unknown>) {
  const held = heldFor(bucket, input);
  const body = held.body;
  return {
    ContentLength: body.byteLength,
    ContentType: held.contentType,
    ETag: held.etag,
    VersionId: held.versionId,
    ...(held.lastModified ? { LastModified: held.lastModified } : {}),
    ...(input.ChecksumMode === 'ENABLED' ? { ChecksumSHA256: hexToBase64(held.sha256) } : {}),
    Metadata: {
      sha256: held.sha256,
      ...(held.signature ? { [SIGNATURE_METADATA]: held.signature } : {}),
      ...(held.signingKey ? { [SIGNING_KEY_METADATA]: held.signingKey } : {}),
    },
    ...(held.retention
      ? { ObjectLockMode: held.retention.mode, ObjectLockRetainUntilDate: held.retention.until }
      : {}),
  };
}

/**
 * The bucket's S3 answers, in the SDK's output shapes, for OfflineClientFactory. This is the one adapter
 * between the bucket model and the SDK, for the demo, the benchmark and the tests alike. It answers below
 * the SDK's retry middleware, so the real client, retry strategy and pagination run above it (the
 * benchmark's throttling is recovered by them); an aws-sdk-client-mock stub would replace `send` and test
 * none of that. Tests inspect calls by wrapping these answers.
 */
export function bucketAnswers(bucket: EvidenceBucket, options: BucketAnswerOptions = {}): Answers {
  const pageSize = options.pageSize ?? S3_PAGE;
  return {
    'S3:ListObjectVersions': (input) =>
      typeof input.Delimiter === 'string' && input.Delimiter
        ? folderPage(bucket, input, pageSize)
        : versionPage(bucket, input, pageSize),
    'S3:ListObjectsV2': (input) => currentPage(bucket, input, pageSize),
    'S3:GetObject': (input) => getObject(bucket, input),
    'S3:HeadObject': (input) => headObject(bucket, input),
  };
}

/**
 * ListObjectsV2: the current keys under `Prefix`, in key order, a page at a time (the token is the last key
 * of the page, as S3's opaque token stands for where to go on). The access review reads its own evidence
 * back this way (lambdas/evidence/read-store.ts).
 */
function currentPage(bucket: EvidenceBucket, input: Record<string, unknown>, pageSize: number) {
  const prefix = typeof input.Prefix === 'string' ? input.Prefix : '';
  const after = typeof input.ContinuationToken === 'string' ? input.ContinuationToken : '';
  const max = Math.min(pageSize, typeof input.MaxKeys === 'number' ? input.MaxKeys : pageSize);
  const keys = bucket.sortedKeys().filter((k) => k.startsWith(prefix) && k > after);
  const page = keys.slice(0, max);
  const truncated = keys.length > page.length;
  return {
    Contents: page.map((Key) => ({ Key, Size: bucket.objects.get(Key)!.body.byteLength })),
    KeyCount: page.length,
    IsTruncated: truncated,
    ...(truncated ? { NextContinuationToken: page[page.length - 1] } : {}),
  };
}
