import { createHash } from 'node:crypto';
import type { Signer } from '../../lambdas/evidence/signer';
import type { EvidenceObject, EvidenceStore, StoredObject } from '../../lambdas/evidence/store';
import { EvidenceExistsError } from '../../lambdas/evidence/store';

const DAY_MS = 86_400_000;

export type LockMode = 'COMPLIANCE' | 'GOVERNANCE';

/** Another version or delete marker of a key, as an overwrite or a delete leaves it. */
export interface OtherVersion {
  readonly versionId: string;
  readonly deleteMarker: boolean;
  readonly isLatest: boolean;
  /** S3's LastModified of that version or marker, when the model is told it. */
  readonly lastModified?: Date;
}

/** One key as the bucket holds it: the bytes and what S3 keeps beside them. */
export interface HeldObject {
  readonly body: Buffer;
  readonly contentType: string;
  /** Hex SHA-256 given at write time: S3's stored checksum and `x-amz-meta-sha256` both come from it. */
  readonly sha256: string;
  readonly etag: string;
  readonly versionId: string;
  readonly lastModified?: Date;
  readonly signature?: string;
  readonly signingKey?: string;
  readonly retention?: { readonly mode: LockMode; readonly until: Date };
  /** Newest first, as S3 lists them. */
  readonly otherVersions?: readonly OtherVersion[];
}

export interface EvidenceBucketOptions {
  /** Signs each put: one key, or the key of the producer that writes `key` (undefined: left unsigned). */
  readonly signer: Signer | ((key: string) => Signer | undefined);
  /** The bucket's default retention: a number of days after each write, or one fixed date. */
  readonly retention:
    { readonly mode: LockMode; readonly days: number } | { readonly mode: LockMode; readonly until: Date };
  /** The time each write is stamped with; without it objects carry no LastModified. */
  readonly now?: () => Date;
  /** @default `v1`, `v2`... */
  readonly versionId?: () => string;
  /** Where the bytes are also written, for people to browse (the demo's DirectoryStore). */
  readonly files?: EvidenceStore;
}

/**
 * The evidence bucket as S3Store and KMS leave it, in memory: every put is signed and gets a version id,
 * an ETag, S3's checksum and the bucket's default retention. It is the one stand-in for the bucket (the
 * demo, the pull benchmark and the pull/verify tests); `bucketAnswers` serves it to the SDK. The tamper
 * tests change it behind S3's back through `alter`, `copy` and `addVersions`, which keep its key index
 * right, so `objects` is read-only.
 */
export class EvidenceBucket implements EvidenceStore {
  private readonly held = new Map<string, HeldObject>();
  private sorted: string[] | undefined;
  private count = 0;

  constructor(private readonly options: EvidenceBucketOptions) {}

  get description(): string {
    return this.options.files?.description ?? 'memory';
  }

  get objects(): ReadonlyMap<string, HeldObject> {
    return this.held;
  }

  get size(): number {
    return this.held.size;
  }

  /** Every key, sorted: listings binary-search it, so a bucket of many thousand objects lists quickly. */
  sortedKeys(): readonly string[] {
    this.sorted ??= [...this.held.keys()].sort();
    return this.sorted;
  }

  async put(object: EvidenceObject): Promise<StoredObject> {
    if (this.held.has(object.key)) throw new EvidenceExistsError(object.key);
    const stored = await this.options.files?.put(object);
    const { signer } = this.options;
    const chosen = typeof signer === 'function' ? signer(object.key) : signer;
    const signed = chosen ? await chosen.sign(object.body, object.sha256) : undefined;
    const at = this.options.now?.();
    const { retention } = this.options;
    this.set(object.key, {
      body: Buffer.from(object.body),
      contentType: object.contentType,
      sha256: object.sha256,
      etag: `"${createHash('md5').update(object.body).digest('hex')}"`,
      versionId: this.options.versionId?.() ?? `v${++this.count}`,
      ...(at ? { lastModified: at } : {}),
      ...(signed ? { signature: signed.signature, signingKey: signed.keyId } : {}),
      retention: {
        mode: retention.mode,
        until:
          'until' in retention
            ? retention.until
            : new Date((at ?? new Date()).getTime() + retention.days * DAY_MS),
      },
    });
    return stored ?? { key: object.key, sha256: object.sha256, location: `memory:${object.key}` };
  }

  /** Changes what S3 holds for `key` as an attacker or a misconfiguration would (bytes, signature, lock). */
  alter(key: string, change: (held: HeldObject) => HeldObject): void {
    const held = this.held.get(key);
    if (!held) throw new Error(`no object ${key}`);
    this.set(key, change(held));
  }

  /** S3 CopyObject: the copy keeps the metadata (signature included) under a new key and version. */
  copy(from: string, to: string, versionId: string): void {
    const held = this.held.get(from);
    if (!held) throw new Error(`no object ${from}`);
    this.set(to, { ...held, versionId });
  }

  /** Versions and delete markers beside the stored one: an overwrite or a delete. */
  addVersions(key: string, versions: readonly OtherVersion[]): void {
    this.alter(key, (held) => ({ ...held, otherVersions: [...(held.otherVersions ?? []), ...versions] }));
  }

  private set(key: string, held: HeldObject): void {
    if (!this.held.has(key)) this.sorted = undefined;
    this.held.set(key, held);
  }
}
