import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Answers } from './offline-clients';
import { hexToBase64 } from '../../lambdas/evidence/canonical-json';
import { SIGNATURE_METADATA, SIGNING_KEY_METADATA, type Signer } from '../../lambdas/evidence/signer';
import type { EvidenceObject, EvidenceStore, StoredObject } from '../../lambdas/evidence/store';

const DAY_MS = 86_400_000;
/** ListObjectVersions returns at most this many versions per page (S3's own limit). */
const PAGE = 1000;

interface Held {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly contentType: string;
  readonly etag: string;
  readonly versionId: string;
  readonly lastModified: Date;
  readonly signature: string;
  readonly signingKey: string;
  readonly retainUntil: Date;
}

export interface OfflineBucketOptions {
  readonly signer: Signer;
  readonly retention: { readonly mode: 'COMPLIANCE' | 'GOVERNANCE'; readonly days: number };
  /** The time each write is stamped with (the demo moves it day by day). */
  readonly now: () => Date;
}

/**
 * The demo's stand-in for the evidence bucket. Writes go to a DirectoryStore (the files the user browses);
 * what S3 would add to each object (signature metadata, Object Lock retention, checksum, version id) is kept
 * beside it, and `answers()` serves the listings and GetObject from both, so the real `pull` can build a
 * package from the demo's evidence without an AWS account. Only objects written through this instance are
 * listed: leftovers of earlier demo runs carry no signature and would read as tampered.
 */
export class OfflineBucket implements EvidenceStore {
  private readonly held = new Map<string, Held>();

  constructor(
    private readonly files: EvidenceStore,
    private readonly options: OfflineBucketOptions,
  ) {}

  get description(): string {
    return this.files.description;
  }

  get size(): number {
    return this.held.size;
  }

  async put(object: EvidenceObject): Promise<StoredObject> {
    const stored = await this.files.put(object);
    const signed = await this.options.signer.sign(object.body, object.sha256);
    const at = this.options.now();
    this.held.set(object.key, {
      path: stored.location,
      bytes: object.body.byteLength,
      sha256: object.sha256,
      contentType: object.contentType,
      etag: `"${createHash('md5').update(object.body).digest('hex')}"`,
      versionId: randomBytes(24).toString('base64url'),
      lastModified: at,
      signature: signed.signature,
      signingKey: signed.keyId,
      retainUntil: new Date(at.getTime() + this.options.retention.days * DAY_MS),
    });
    return stored;
  }

  /** S3 answers for OfflineClientFactory, in the SDK's output shapes. */
  answers(): Answers {
    return {
      // One version per key and no delete markers: evidence is written once and never replaced.
      'S3:ListObjectVersions': (input) => {
        const prefix = typeof input.Prefix === 'string' ? input.Prefix : '';
        const after = typeof input.KeyMarker === 'string' ? input.KeyMarker : '';
        const keys = [...this.held.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
        const max = typeof input.MaxKeys === 'number' ? Math.min(input.MaxKeys, PAGE) : PAGE;
        const page = keys.slice(0, max);
        const more = keys.length > max;
        return {
          Versions: page.map((Key) => {
            const o = this.held.get(Key)!;
            return {
              Key,
              VersionId: o.versionId,
              IsLatest: true,
              LastModified: o.lastModified,
              Size: o.bytes,
              ETag: o.etag,
            };
          }),
          DeleteMarkers: [],
          IsTruncated: more,
          ...(more
            ? {
                NextKeyMarker: page[page.length - 1],
                NextVersionIdMarker: this.held.get(page[page.length - 1]!)!.versionId,
              }
            : {}),
        };
      },
      'S3:GetObject': async (input) => {
        const found = typeof input.Key === 'string' ? this.held.get(input.Key) : undefined;
        const o =
          found && (input.VersionId === undefined || input.VersionId === found.versionId) ? found : undefined;
        if (!o) {
          throw Object.assign(new Error('The specified key does not exist.'), {
            name: 'NoSuchKey',
            $fault: 'client',
            $metadata: { httpStatusCode: 404 },
          });
        }
        const body = new Uint8Array(await readFile(o.path));
        return {
          // The two stream helpers pull uses; the offline answer skips the SDK's body deserialiser.
          Body: {
            transformToByteArray: async () => body,
            transformToString: async (encoding?: BufferEncoding) => Buffer.from(body).toString(encoding),
          },
          ContentLength: body.byteLength,
          ContentType: o.contentType,
          ETag: o.etag,
          VersionId: o.versionId,
          LastModified: o.lastModified,
          ...(input.ChecksumMode === 'ENABLED' ? { ChecksumSHA256: hexToBase64(o.sha256) } : {}),
          Metadata: {
            sha256: o.sha256,
            [SIGNATURE_METADATA]: o.signature,
            [SIGNING_KEY_METADATA]: o.signingKey,
          },
          ObjectLockMode: this.options.retention.mode,
          ObjectLockRetainUntilDate: o.retainUntil,
        };
      },
    };
  }
}
