import { mkdir, writeFile, chmod } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isAwsError, messageOf } from '../aws/aws-error';
import { sha256Hex } from './canonical-json';
import { pathUnder } from './key-path';
import type { EvidenceObject, EvidenceStore, StoredObject } from './store';
import { EvidenceExistsError, EvidenceWriteError } from './store';

/** The same key layout as the bucket, under a local directory. Files are created exclusively and left
 * read-only, the nearest a file system comes to Object Lock. */
export class DirectoryStore implements EvidenceStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  get description(): string {
    return `directory ${this.root}`;
  }

  async put(object: EvidenceObject): Promise<StoredObject> {
    if (sha256Hex(object.body) !== object.sha256) {
      throw new EvidenceWriteError(object.key, 'the body does not match its SHA-256');
    }
    const path = pathUnder(this.root, object.key);
    if (!path) throw new EvidenceWriteError(object.key, 'the key leaves the directory');
    await mkdir(dirname(path), { recursive: true });
    try {
      await writeFile(path, object.body, { flag: 'wx' });
    } catch (err) {
      if (isAwsError(err, 'EEXIST')) throw new EvidenceExistsError(object.key);
      throw new EvidenceWriteError(object.key, messageOf(err));
    }
    await chmod(path, 0o444);
    return { key: object.key, sha256: object.sha256, location: path };
  }
}
