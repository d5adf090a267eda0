import { existsSync } from 'node:fs';
import { appendFile, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex } from '../../lambdas/evidence/canonical-json';
import { pathUnder } from '../../lambdas/evidence/key-path';
import { MANIFEST_FILE, PROGRESS_FILE, type FetchedObject, type Manifest } from '../package/manifest';
import type { Listed } from './list';

/**
 * What an earlier pull into the same directory already fetched: the manifest of a finished pull and the
 * progress lines of an interrupted one, so a resumed pull downloads only what changed or is missing.
 */
export class ResumeLog {
  private constructor(
    private readonly root: string,
    private readonly previous: ReadonlyMap<string, FetchedObject>,
  ) {}

  static async open(root: string): Promise<ResumeLog> {
    return new ResumeLog(root, await previousRecords(root));
  }

  /** The earlier record of `listed`, when the file on disk is still exactly that version's bytes. */
  async reusable(listed: Listed): Promise<FetchedObject | undefined> {
    const prev = this.previous.get(listed.key);
    if (!prev || prev.downloadError || prev.bytes !== listed.size) return undefined;
    if (listed.etag && prev.etag && listed.etag !== prev.etag) return undefined;
    if (listed.versionId && prev.versionId !== listed.versionId) return undefined;
    const path = pathUnder(this.root, listed.key);
    if (!path || !existsSync(path)) return undefined;
    return sha256Hex(await readFile(path)) === prev.sha256 ? prev : undefined;
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
