import type { EvidenceObject, EvidenceStore, StoredObject } from '../../lambdas/evidence/store';

/** An evidence store that keeps what is put in memory, in order. */
export class MemoryStore implements EvidenceStore {
  readonly objects: EvidenceObject[] = [];
  readonly description = 'memory';
  put(object: EvidenceObject): Promise<StoredObject> {
    this.objects.push(object);
    return Promise.resolve({ key: object.key, sha256: object.sha256, location: `memory:${object.key}` });
  }
}
