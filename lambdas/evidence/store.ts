/** One interface for every place evidence is written: S3 in production, a directory for local runs. */
export interface EvidenceObject {
  readonly key: string;
  readonly body: Uint8Array;
  readonly contentType: string;
  /** Hex SHA-256 of `body`, computed once by the caller and checked by the store. */
  readonly sha256: string;
}

export interface StoredObject {
  readonly key: string;
  readonly sha256: string;
  /** Where it landed, for people: `s3://bucket/key` or a file path. */
  readonly location: string;
  readonly versionId?: string;
}

export interface EvidenceStore {
  /** Writes a new object. Throws EvidenceExistsError when the key exists; never overwrites. */
  put(object: EvidenceObject): Promise<StoredObject>;
  readonly description: string;
}

export class EvidenceExistsError extends Error {
  constructor(readonly key: string) {
    super(`evidence object ${key} already exists; evidence is never overwritten`);
    this.name = 'EvidenceExistsError';
  }
}

export class EvidenceWriteError extends Error {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`evidence object ${key} was not written: ${reason}`);
    this.name = 'EvidenceWriteError';
  }
}
