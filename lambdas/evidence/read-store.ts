import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  paginateListObjectsV2,
  type GetObjectCommandOutput,
  type HeadObjectCommandOutput,
  type ListObjectVersionsCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { isAwsError } from '../aws/aws-error';
import { pathUnder } from './key-path';

/**
 * The one way evidence is read back: the access review (decisions against the frozen population), the
 * coverage watchdog (the status of each envelope) and the auditor's `pull` (every version, with its
 * metadata). Kept apart from the write-only stores, which the collectors use and which must never need
 * read access.
 *
 * Each method is one IAM action, so a role is granted exactly what its caller uses: `list` is
 * s3:ListBucket, `get`/`getText`/`read` are s3:GetObject (s3:GetObjectVersion with a version id), and only
 * `listVersions` and `listFolders` need s3:ListBucketVersions, which the watchdog and access-review roles
 * do not hold.
 */
export interface EvidenceReader {
  get(key: string): Promise<Buffer>;
  /** The body as UTF-8 text (envelopes are JSON). */
  getText(key: string): Promise<string>;
  /** Every key under `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
}

/** One version or delete marker of a key, as ListObjectVersions shows it. */
export interface ObjectVersion {
  readonly versionId: string;
  readonly deleteMarker: boolean;
  readonly isLatest: boolean;
  readonly lastModified?: string;
  readonly size: number;
  readonly etag?: string;
}

export interface KeyVersions {
  readonly key: string;
  /** As each ListObjectVersions page returns them: its versions, then its delete markers. */
  readonly versions: readonly ObjectVersion[];
}

/** What S3 keeps beside an object's bytes, as HeadObject (or GetObject) returns it. */
export interface ObjectFacts {
  /** Content-Length of the version. */
  readonly bytes?: number;
  readonly etag?: string;
  readonly versionId?: string;
  readonly lastModified?: Date;
  /** Base64 SHA-256 S3 stored at write time (`x-amz-checksum-sha256`). */
  readonly checksumSha256?: string;
  /** User metadata (`x-amz-meta-*`), names without the prefix. */
  readonly metadata: Readonly<Record<string, string>>;
  readonly objectLock: { readonly mode?: string; readonly retainUntil?: Date; readonly legalHold?: string };
}

/** An object's bytes and what S3 keeps beside them. */
export interface ObjectRead extends ObjectFacts {
  readonly body: Uint8Array;
}

/** The bucket itself: what the auditor's pull needs on top of plain reading. */
export interface BucketReader extends EvidenceReader {
  /**
   * Every version and delete marker under `prefix`, grouped by key in listing order. ListObjectsV2 would
   * show only current versions, hiding an overwrite (the old version behind the new one) or a deletion.
   */
  listVersions(prefix: string): Promise<KeyVersions[]>;
  /** One version (the current one without `versionId`) with S3's checksum, metadata and Object Lock. */
  read(key: string, versionId?: string): Promise<ObjectRead>;
  /**
   * One version's facts without its bytes (HeadObject: the same s3:GetObject / s3:GetObjectVersion action as
   * `read`): what a resumed pull re-reads for a file it already holds.
   */
  head(key: string, versionId?: string): Promise<ObjectFacts>;
  /**
   * The folders directly under `prefix` (which ends with `/`), sorted, each ending with `/`: the common
   * prefixes of ListObjectVersions with the delimiter `/`, so a folder whose every key was deleted (only
   * delete markers left) is still seen. Same action as `listVersions` (s3:ListBucketVersions).
   */
  listFolders(prefix: string): Promise<string[]>;
}

export function directoryReader(root: string): EvidenceReader {
  const base = resolve(root);
  const pathOf = (key: string) => {
    const path = pathUnder(base, key);
    if (!path) throw new Error(`evidence key ${key} leaves the directory`);
    return path;
  };
  return {
    // async, so a bad key rejects like a failed read rather than throwing at the call.
    get: async (key) => readFile(pathOf(key)),
    getText: async (key) => readFile(pathOf(key), 'utf8'),
    async list(prefix) {
      const start = pathOf(prefix.replace(/\/?$/, '/x')).replace(/[\\/]x$/, '');
      let entries: string[];
      try {
        entries = (await readdir(start, { recursive: true, withFileTypes: true }))
          .filter((e) => e.isFile())
          .map((e) => join(e.parentPath, e.name));
      } catch (err) {
        if (isAwsError(err, 'ENOENT')) return [];
        throw err;
      }
      return entries.map((p) => relative(base, p).split(sep).join('/')).sort();
    },
  };
}

export function s3Reader(s3: S3Client, bucket: string): BucketReader {
  const getObject = async (key: string, extra: { VersionId?: string; ChecksumMode?: 'ENABLED' } = {}) => {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...extra }));
    if (!out.Body) throw new Error(`s3://${bucket}/${key} has no body`);
    return out as GetObjectCommandOutput & { Body: NonNullable<GetObjectCommandOutput['Body']> };
  };
  return {
    async get(key) {
      return Buffer.from(await (await getObject(key)).Body.transformToByteArray());
    },
    async getText(key) {
      return (await getObject(key)).Body.transformToString();
    },
    async list(prefix) {
      const keys: string[] = [];
      for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
        for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
      }
      return keys.sort();
    },
    listVersions: (prefix) => listVersions(s3, bucket, prefix),
    listFolders: (prefix) => listFolders(s3, bucket, prefix),
    async read(key, versionId) {
      // By version id: what was listed is what is checked, even if the key changes meanwhile.
      const res = await getObject(key, {
        ...(versionId ? { VersionId: versionId } : {}),
        ChecksumMode: 'ENABLED',
      });
      return { body: await res.Body.transformToByteArray(), ...factsOf(res) };
    },
    async head(key, versionId) {
      const res = await s3.send(
        new HeadObjectCommand({
          Bucket: bucket,
          Key: key,
          ...(versionId ? { VersionId: versionId } : {}),
          ChecksumMode: 'ENABLED',
        }),
      );
      return factsOf(res);
    },
  };
}

/** The fields GetObject and HeadObject share, as ObjectFacts. */
function factsOf(res: HeadObjectCommandOutput | GetObjectCommandOutput): ObjectFacts {
  return {
    ...(res.ContentLength !== undefined ? { bytes: res.ContentLength } : {}),
    ...(res.ETag ? { etag: res.ETag } : {}),
    ...(res.VersionId ? { versionId: res.VersionId } : {}),
    ...(res.LastModified ? { lastModified: res.LastModified } : {}),
    ...(res.ChecksumSHA256 ? { checksumSha256: res.ChecksumSHA256 } : {}),
    metadata: res.Metadata ?? {},
    objectLock: {
      ...(res.ObjectLockMode ? { mode: res.ObjectLockMode } : {}),
      ...(res.ObjectLockRetainUntilDate ? { retainUntil: res.ObjectLockRetainUntilDate } : {}),
      ...(res.ObjectLockLegalHoldStatus ? { legalHold: res.ObjectLockLegalHoldStatus } : {}),
    },
  };
}

interface ListedEntry {
  readonly Key?: string;
  readonly VersionId?: string;
  readonly IsLatest?: boolean;
  readonly LastModified?: Date;
  readonly Size?: number;
  readonly ETag?: string;
}

/** Every page of ListObjectVersions, following KeyMarker and VersionIdMarker (a key may straddle pages). */
async function listVersions(s3: S3Client, bucket: string, prefix: string): Promise<KeyVersions[]> {
  const byKey = new Map<string, ObjectVersion[]>();
  // A delete marker is an entry without Size or ETag: one shape records both kinds.
  const add = (entry: ListedEntry, deleteMarker: boolean) => {
    if (!entry.Key) return;
    const version: ObjectVersion = {
      versionId: entry.VersionId ?? 'null',
      deleteMarker,
      isLatest: entry.IsLatest === true,
      ...(entry.LastModified ? { lastModified: entry.LastModified.toISOString() } : {}),
      size: entry.Size ?? 0,
      ...(entry.ETag ? { etag: entry.ETag } : {}),
    };
    const list = byKey.get(entry.Key);
    if (list) list.push(version);
    else byKey.set(entry.Key, [version]);
  };
  for await (const page of versionPages(s3, bucket, prefix)) {
    for (const v of page.Versions ?? []) add(v, false);
    for (const d of page.DeleteMarkers ?? []) add(d, true);
  }
  return [...byKey].map(([key, versions]) => ({ key, versions }));
}

/**
 * Every page of ListObjectVersions with the delimiter `/`: the common prefixes. A server that ignores the
 * delimiter (the offline bucket model) returns the keys themselves; their first segment below `prefix` gives
 * the same folders, at the cost of a full listing.
 */
async function listFolders(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const folders = new Set<string>();
  const folderOf = (key: string | undefined) => {
    if (!key?.startsWith(prefix)) return;
    const slash = key.indexOf('/', prefix.length);
    if (slash >= 0) folders.add(key.slice(0, slash + 1));
  };
  for await (const page of versionPages(s3, bucket, prefix, '/')) {
    for (const p of page.CommonPrefixes ?? []) folderOf(p.Prefix);
    for (const v of page.Versions ?? []) folderOf(v.Key);
    for (const d of page.DeleteMarkers ?? []) folderOf(d.Key);
  }
  return [...folders].sort();
}

/** Every page of ListObjectVersions under `prefix`, following the key and version markers. */
async function* versionPages(
  s3: S3Client,
  bucket: string,
  prefix: string,
  delimiter?: string,
): AsyncGenerator<ListObjectVersionsCommandOutput> {
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        Prefix: prefix,
        ...(delimiter ? { Delimiter: delimiter } : {}),
        ...(keyMarker ? { KeyMarker: keyMarker } : {}),
        ...(versionIdMarker ? { VersionIdMarker: versionIdMarker } : {}),
      }),
    );
    yield page;
    if (page.IsTruncated && !page.NextKeyMarker)
      throw new Error(`the listing of ${prefix} is truncated but gives no NextKeyMarker`);
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker);
}
