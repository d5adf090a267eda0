import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { Readable } from 'node:stream';
import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import type { HttpRequest, HttpResponse } from '@smithy/types';
import { mockClient } from 'aws-sdk-client-mock';
import { createHash } from 'node:crypto';
import { sha256Base64, sha256Hex } from '../../lambdas/evidence/canonical-json';
import { S3Store } from '../../lambdas/evidence/s3-store';
import { KmsSigner, LocalSigner, verifySignature } from '../../lambdas/evidence/signer';

const body = Buffer.from('{"schemaVersion":1,"collector":"iam-mfa"}');
const object = {
  key: 'evidence/2026/11/23/iam-mfa/123456789012/global/060003Z-run.json',
  body,
  contentType: 'application/json',
  sha256: sha256Hex(body),
};

function recordingS3() {
  const requests: HttpRequest[] = [];
  const handler = {
    handle: async (request: HttpRequest): Promise<{ response: HttpResponse }> => {
      requests.push(request);
      return {
        response: {
          statusCode: 200,
          headers: { 'x-amz-checksum-sha256': sha256Base64(body) },
          body: Readable.from([Buffer.alloc(0)]),
        },
      };
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
  };
  return { s3: new S3Client({ region: 'us-east-1', requestHandler: handler, maxAttempts: 1 }), requests };
}

describe('signed evidence writes', () => {
  it('put the signature and key id in the object metadata, and the signature verifies over the bytes', async () => {
    const signer = LocalSigner.generate(
      'arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-0000-4000-8000-000000000001',
    );
    const { s3, requests } = recordingS3();
    await new S3Store(s3, 'evidence-bucket', signer).put(object);
    const headers = requests[0]!.headers;
    expect(headers['x-amz-meta-signing-key']).toBe(signer.keyId);
    expect(verifySignature(body, headers['x-amz-meta-signature']!, signer.publicKey)).toBe(true);
    expect(verifySignature(Buffer.from('tampered'), headers['x-amz-meta-signature']!, signer.publicKey)).toBe(
      false,
    );
  });

  it('asks KMS to sign the SHA-256 digest (not the body) with ECDSA_SHA_256, which openssl verifies over the bytes', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const kms = mockClient(KMSClient);
    // Stand in for KMS: an ECDSA signature over the same message, as `openssl dgst -sha256 -sign` makes.
    kms.on(SignCommand).callsFake(() => ({
      Signature: nodeSign('sha256', body, privateKey),
      KeyId: 'arn:aws:kms:us-east-1:123456789012:key/k',
    }));
    const signature = await new KmsSigner(new KMSClient({}), 'alias/soc2-evidence').sign(body, object.sha256);
    const input = kms.commandCalls(SignCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      KeyId: 'alias/soc2-evidence',
      MessageType: 'DIGEST',
      SigningAlgorithm: 'ECDSA_SHA_256',
    });
    expect(Buffer.from(input.Message!)).toEqual(createHash('sha256').update(body).digest());
    expect(signature.keyId).toBe('arn:aws:kms:us-east-1:123456789012:key/k');
    expect(verifySignature(body, signature.signature, publicKey)).toBe(true);
    kms.restore();
  });
});
