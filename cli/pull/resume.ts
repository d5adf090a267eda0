import { existsSync } from 'node:fs';
import { appendFile, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex } from '../../lambdas/evidence/canonical-json';
import { pathUnder } from '../../lambdas/evidence/key-path';
import type { BucketReader } from '../../lambdas/evidence/read-store';
import { MANIFEST_FILE, PROGRESS_FILE, type FetchedObject, type Manifest } from '../package/manifest';
import { fetchedOf } from './download';
import type { Listed } from './list';

/**
 * What an earlier pull into the same directory already fetched: the manifest of a finished pull and the
 * progress lines of an interrupted one, so a resumed pull downloads only what changed or is missing.
 *
 * Only the download is saved. The earlier record is a file in a directory anyone may have edited, and the
 * bucket may have changed since (a retention shortened in GOVERNANCE mode, a version added), so nothing it
 * says is trusted: the file is hashed again and the version's S3 facts (checksum, metadata with the
 * signature, Object Lock, version id) are read again with HeadObject.
 */
export class ResumeLog {
  private constructor(
    private readonly root: string,
    private readonly previous: ReadonlyMap<string, FetchedObject>,
  ) {}

  static async open(root: string): Promise<ResumeLog> {
    return new ResumeLog(root, await previousRecords(root));
  }

  /**
   * A fresh record of `listed` from the file already on disk, when an earlier pull downloaded exactly this
   * version there and the file still holds the bytes it recorded; undefined when it must be downloaded.
   */
  async reusable(reader: BucketReader, listed: Listed): Promise<FetchedObject | undefined> {
    const prev = this.previous.get(listed.key);
    if (!prev || prev.downloadError || !listed.versionId || prev.versionId !== listed.versionId)
      return undefined;
    const path = pathUnder(this.root, listed.key);
    if (!path || !existsSync(path)) return undefined;
    const body = await readFile(path);
    const sha256 = sha256Hex(body);
    // A file that is not what was downloaded is downloaded again, not blamed on the bucket.
    if (sha256 !== prev.sha256 || body.byteLength !== listed.size) return undefined;
    try {
      return fetchedOf(listed.key, await reader.head(listed.key, listed.versionId), sha256, body.byteLength);
    } catch {
      // Downloaded again, which records its own failure if the version cannot be read either.
      return undefined;
    }
  }

  /** Records a download as soon as it lands, so an interruption loses at most the objects in flight. */
  async record(fetched: FetchedObject): Promise<void> {
    await appendFile(join(this.root, PROGRESS_FILE), `${JSON.stringify(fetched)}\n`);
  }

  /** The package is complete: its manifest now says what the progress lines said. */
  async close(): Promise<void> {
    await rm(join(this.root, PROGRESS_FILE), { force: true });
  }
}

async function previousRecords(root: string): Promise<Map<string, FetchedObject>> {
  const records = new Map<string, FetchedObject>();
  const manifestPath = join(root, MANIFEST_FILE);
  if (existsSync(manifestPath)) {
    try {
      const m = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
      for (const o of m.objects ?? []) records.set(o.key, o);
    } catch {
      // An unreadable manifest just means everything is downloaded again.
    }
  }
  const progressPath = join(root, PROGRESS_FILE);
  if (existsSync(progressPath)) {
    for (const line of (await readFile(progressPath, 'utf8')).split('\n')) {
      try {
        if (line) {
          const o = JSON.parse(line) as FetchedObject;
          records.set(o.key, o);
        }
      } catch {
        // A line cut short by an interruption.
      }
    }
  }
  return records;
}
