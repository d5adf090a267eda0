import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import type { HttpRequest, HttpResponse } from '@smithy/types';
import { Readable } from 'node:stream';
import { sha256Base64, sha256Hex } from '../../lambdas/evidence/canonical-json';
import { DirectoryStore } from '../../lambdas/evidence/directory-store';
import { S3Store } from '../../lambdas/evidence/s3-store';
import { EvidenceExistsError, EvidenceWriteError } from '../../lambdas/evidence/store';

const body = Buffer.from('{"schemaVersion":1}');
const object = {
  key: 'evidence/2026/11/23/iam-mfa/123456789012/global/060003Z-run.json',
  body,
  contentType: 'application/json',
  sha256: sha256Hex(body),
};

/** A request handler that records what would go on the wire and answers like S3 would. */
function wire(status: number, headers: Record<string, string> = {}, responseBody = '') {
  const requests: HttpRequest[] = [];
  const handler = {
    handle: async (request: HttpRequest): Promise<{ response: HttpResponse }> => {
      requests.push(request);
      return { response: { statusCode: status, headers, body: Readable.from([Buffer.from(responseBody)]) } };
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
  };
  const s3 = new S3Client({ region: 'us-east-1', requestHandler: handler, maxAttempts: 1 });
  return { s3, requests };
}

describe('S3Store', () => {
  it('sends x-amz-checksum-sha256 and If-None-Match: * on the wire', async () => {
    const { s3, requests } = wire(200, {
      'x-amz-checksum-sha256': sha256Base64(body),
      'x-amz-version-id': 'v1',
    });
    const stored = await new S3Store(s3, 'evidence-bucket').put(object);
    const headers = requests[0]!.headers;
    expect(requests[0]!.method).toBe('PUT');
    expect(headers['x-amz-checksum-sha256']).toBe(sha256Base64(body));
    expect(headers['if-none-match']).toBe('*');
    expect(headers['x-amz-meta-sha256']).toBe(object.sha256);
    expect(headers['content-type']).toBe('application/json');
    expect(stored).toEqual({
      key: object.key,
      sha256: object.sha256,
      location: `s3://evidence-bucket/${object.key}`,
      versionId: 'v1',
    });
  });

  it('refuses to overwrite: a 412 from S3 is EvidenceExistsError', async () => {
    const { s3 } = wire(
      412,
      {},
      '<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>',
    );
    await expect(new S3Store(s3, 'evidence-bucket').put(object)).rejects.toBeInstanceOf(EvidenceExistsError);
  });

  it('fails loudly when S3 refuses the write', async () => {
    const { s3 } = wire(403, {}, '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>');
    await expect(new S3Store(s3, 'evidence-bucket').put(object)).rejects.toThrow(
      /evidence object .* was not written: AccessDenied \(HTTP 403\): Access Denied/,
    );
  });

  it('fails when S3 reports a different stored checksum', async () => {
    const { s3 } = wire(200, { 'x-amz-checksum-sha256': sha256Base64('other') });
    await expect(new S3Store(s3, 'evidence-bucket').put(object)).rejects.toBeInstanceOf(EvidenceWriteError);
  });
});

describe('DirectoryStore', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'soc2-store-'));

  it('writes the bucket layout and leaves files read-only', async () => {
    const root = dir();
    const stored = await new DirectoryStore(root).put(object);
    expect(stored.location).toBe(join(root, ...object.key.split('/')));
    expect(readFileSync(stored.location)).toEqual(body);
    expect(statSync(stored.location).mode & 0o222).toBe(0);
  });

  it('never overwrites an existing object', async () => {
    const store = new DirectoryStore(dir());
    await store.put(object);
    await expect(
      store.put({ ...object, body: Buffer.from('changed'), sha256: sha256Hex('changed') }),
    ).rejects.toBeInstanceOf(EvidenceExistsError);
  });

  it('refuses a body that does not match its digest', async () => {
    await expect(new DirectoryStore(dir()).put({ ...object, sha256: sha256Hex('x') })).rejects.toThrow(
      'does not match its SHA-256',
    );
  });
});
