import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { hexToBase64 } from './canonical-json';
import { SIGNATURE_METADATA, SIGNING_KEY_METADATA, type Signer } from './signer';
import type { EvidenceObject, EvidenceStore, StoredObject } from './store';
import { EvidenceExistsError, EvidenceWriteError } from './store';
import { readAwsError } from '../aws/aws-error';

/**
 * Writes evidence to the Object Lock bucket. Each PutObject:
 * - sends our own SHA-256 as `x-amz-checksum-sha256`, so S3 rejects a body that changed on the way, stores
 *   the digest, and returns it later from HeadObject/GetObjectAttributes for auditors;
 * - sends `If-None-Match: *`, so an existing key is never replaced (S3 answers 412);
 * - relies on the bucket's default retention and SSE-KMS key, so no per-request setting can weaken them;
 * - with a signer, carries `x-amz-meta-signature` (base64 DER ECDSA over the SHA-256) and
 *   `x-amz-meta-signing-key`, so anyone with the public key can prove which key wrote it.
 */
export class S3Store implements EvidenceStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly signer?: Signer,
  ) {}

  get description(): string {
    return `s3://${this.bucket}`;
  }

  async put(object: EvidenceObject): Promise<StoredObject> {
    const checksum = hexToBase64(object.sha256);
    const signed = this.signer ? await this.signer.sign(object.body, object.sha256) : undefined;
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
          Metadata: {
            sha256: object.sha256,
            ...(signed
              ? { [SIGNATURE_METADATA]: signed.signature, [SIGNING_KEY_METADATA]: signed.keyId }
              : {}),
          },
        }),
      );
    } catch (err) {
      const e = readAwsError(err);
      const status = e.httpStatus;
      if (status === 412 || e.code === 'PreconditionFailed') throw new EvidenceExistsError(object.key);
      throw new EvidenceWriteError(object.key, `${e.code}${status ? ` (HTTP ${status})` : ''}: ${e.message}`);
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
