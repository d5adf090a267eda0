import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';

/**
 * Reading evidence back (the access review's decisions are checked against the frozen population). Kept
 * apart from the write-only stores, which the collectors use and which must never need read access.
 */
export interface EvidenceReader {
  get(key: string): Promise<Buffer>;
  /** Every key under `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
}

export function directoryReader(root: string): EvidenceReader {
  const base = resolve(root);
  const pathOf = (key: string) => {
    const path = join(base, ...key.split('/'));
    if (!path.startsWith(base + sep)) throw new Error(`evidence key ${key} leaves the directory`);
    return path;
  };
  return {
    get: (key) => readFile(pathOf(key)),
    async list(prefix) {
      const start = pathOf(prefix.replace(/\/?$/, '/x')).replace(/[\\/]x$/, '');
      let entries: string[];
      try {
        entries = (await readdir(start, { recursive: true, withFileTypes: true }))
          .filter((e) => e.isFile())
          .map((e) => join(e.parentPath, e.name));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw err;
      }
      return entries.map((p) => relative(base, p).split(sep).join('/')).sort();
    },
  };
}

export function s3Reader(s3: S3Client, bucket: string): EvidenceReader {
  return {
    async get(key) {
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!out.Body) throw new Error(`s3://${bucket}/${key} has no body`);
      return Buffer.from(await out.Body.transformToByteArray());
    },
    async list(prefix) {
      const keys: string[] = [];
      for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
        for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
      }
      return keys.sort();
    },
  };
}
