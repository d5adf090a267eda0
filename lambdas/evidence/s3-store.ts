import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { hexToBase64 } from './canonical-json';
import type { EvidenceObject, EvidenceStore, StoredObject } from './store';
import { EvidenceExistsError, EvidenceWriteError } from './store';

/**
 * Writes evidence to the Object Lock bucket. Each PutObject:
 * - sends our own SHA-256 as `x-amz-checksum-sha256`, so S3 rejects a body that changed on the way, stores
 *   the digest, and returns it later from HeadObject/GetObjectAttributes for auditors;
 * - sends `If-None-Match: *`, so an existing key is never replaced (S3 answers 412);
 * - relies on the bucket's default retention and SSE-KMS key, so no per-request setting can weaken them.
 */
export class S3Store implements EvidenceStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  get description(): string {
    return `s3://${this.bucket}`;
  }

  async put(object: EvidenceObject): Promise<StoredObject> {
    const checksum = hexToBase64(object.sha256);
    let response;
    try {
      response = await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: object.key,
          Body: object.body,
          ContentType: object.contentType,
          ChecksumAlgorithm: 'SHA256',
          ChecksumSHA256: checksum,
          IfNoneMatch: '*',
          Metadata: { sha256: object.sha256 },
        }),
      );
    } catch (err) {
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number }; message?: string };
      const status = e.$metadata?.httpStatusCode;
      if (status === 412 || e.name === 'PreconditionFailed') throw new EvidenceExistsError(object.key);
      throw new EvidenceWriteError(
        object.key,
        `${e.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${e.message}`,
      );
    }
    if (response.ChecksumSHA256 !== undefined && response.ChecksumSHA256 !== checksum) {
      throw new EvidenceWriteError(
        object.key,
        `S3 stored checksum ${response.ChecksumSHA256}, expected ${checksum}`,
      );
    }
    return {
      key: object.key,
      sha256: object.sha256,
      location: `s3://${this.bucket}/${object.key}`,
      ...(response.VersionId ? { versionId: response.VersionId } : {}),
    };
  }
}
