import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import {
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
  type ListObjectVersionsCommandInput,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { sha256Hex } from '../../lambdas/evidence/canonical-json';
import { SEAL_DELAY_MS, type Digest } from '../../lambdas/evidence/digest';
import { dayPrefix } from '../../lambdas/evidence/keys';
import { LocalSigner } from '../../lambdas/evidence/signer';
import { handler } from '../../lambdas/handlers/sealer';
import { lastSealableDay } from '../../lambdas/sealer/day-digest';
import { lambdaContext, setUnscheduledProducerEnv } from './producer-lambda';

const ACCOUNT = '123456789012';
const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/sealer';
const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const context = lambdaContext(ACCOUNT, 'Soc2Evidence-sealer', 'req-1', 600_000);
const saved = { ...process.env };

beforeEach(() => {
  s3.reset();
  kms.reset();
  // The sealer records no schedule: it must run without one.
  setUnscheduledProducerEnv(KEY_ARN);
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});

afterEach(() => {
  process.env = { ...saved };
  jest.restoreAllMocks();
});

/** The bucket accepts each digest, and KMS gives the sealer's public key and signs with it. */
function mockDigestWrites(signer: LocalSigner) {
  s3.on(PutObjectCommand).callsFake((input: { ChecksumSHA256: string }) => ({
    ChecksumSHA256: input.ChecksumSHA256,
    VersionId: 'd1',
  }));
  kms.on(GetPublicKeyCommand).resolves({
    PublicKey: signer.publicKey.export({ type: 'spki', format: 'der' }),
  });
  kms.on(SignCommand).resolves({ Signature: new Uint8Array(70).fill(7), KeyId: KEY_ARN });
}

describe('sealer handler', () => {
  it('seals the last ended day with a digest signed by its own key and prints the heartbeat', async () => {
    const signer = LocalSigner.generate(KEY_ARN);
    const day = lastSealableDay(new Date(), SEAL_DELAY_MS);
    const key = `${dayPrefix(day)}iam-mfa/${ACCOUNT}/global/060000Z-run-1.json`;
    const body = Buffer.from('{"summary":{}}');
    s3.on(ListObjectVersionsCommand).callsFake((input: ListObjectVersionsCommandInput) => {
      const [y, m, d] = day.split('-');
      if (input.Delimiter === '/') {
        const next: Record<string, string> = {
          'evidence/': `evidence/${y}/`,
          [`evidence/${y}/`]: `evidence/${y}/${m}/`,
          [`evidence/${y}/${m}/`]: `evidence/${y}/${m}/${d}/`,
        };
        const folder = next[input.Prefix!];
        return { IsTruncated: false, CommonPrefixes: folder ? [{ Prefix: folder }] : [] };
      }
      if (input.Prefix === dayPrefix(day))
        return {
          IsTruncated: false,
          Versions: [
            { Key: key, VersionId: 'v1', IsLatest: true, LastModified: new Date(`${day}T06:00:05Z`) },
          ],
        };
      return { IsTruncated: false };
    });
    s3.on(GetObjectCommand, { Key: key, VersionId: 'v1' }).resolves({
      Body: { transformToByteArray: () => Promise.resolve(new Uint8Array(body)) } as never,
      VersionId: 'v1',
      Metadata: { 'signing-key': 'arn:aws:kms:us-east-1:123456789012:key/iam-mfa', signature: 'c2ln' },
    });
    mockDigestWrites(signer);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);

    const result = await handler({}, context);

    const digestKey = `digests/${day.replace(/-/g, '/')}/${ACCOUNT}.json`;
    expect(result).toMatchObject({ producer: 'sealer', days: [day], digests: 1, keys: [digestKey] });
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts).toHaveLength(1);
    expect(puts[0]).toMatchObject({
      Bucket: 'evidence-bucket',
      Key: digestKey,
      IfNoneMatch: '*',
      Metadata: expect.objectContaining({ signature: expect.any(String), 'signing-key': KEY_ARN }),
    });
    const digest = JSON.parse(Buffer.from(puts[0]!.Body as Uint8Array).toString()) as Digest;
    expect(digest.objects).toEqual([
      {
        key,
        versionId: 'v1',
        sha256: sha256Hex(body),
        bytes: body.byteLength,
        lastModified: `${day}T06:00:05.000Z`,
        producer: 'iam-mfa',
        signingKey: 'arn:aws:kms:us-east-1:123456789012:key/iam-mfa',
        signature: 'c2ln',
      },
    ]);
    expect(kms.commandCalls(SignCommand)[0]!.args[0].input.KeyId).toBe(KEY_ARN);
    expect(kms.commandCalls(GetPublicKeyCommand)[0]!.args[0].input.KeyId).toBe(KEY_ARN);
    const lines = log.mock.calls.map((c) => JSON.parse(String(c[0])) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({
        Producer: 'sealer',
        Heartbeat: 1,
        digests: 1,
        _aws: expect.objectContaining({
          CloudWatchMetrics: [
            {
              Namespace: 'Soc2Evidence',
              Dimensions: [['Producer']],
              Metrics: [{ Name: 'Heartbeat', Unit: 'Count' }],
            },
          ],
        }),
      }),
    ]);
  });

  it('refuses to seal without its signing key, and prints no heartbeat', async () => {
    delete process.env.SIGNING_KEY_ARN;
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    await expect(handler({}, context)).rejects.toThrow('environment variable SIGNING_KEY_ARN is not set');
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(log).not.toHaveBeenCalled();
  });

  it('fails without a heartbeat when a digest cannot be written', async () => {
    s3.on(ListObjectVersionsCommand).resolves({ IsTruncated: false });
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    kms.on(GetPublicKeyCommand).resolves({
      PublicKey: LocalSigner.generate().publicKey.export({ type: 'spki', format: 'der' }),
    });
    kms.on(SignCommand).resolves({ Signature: new Uint8Array(70).fill(7), KeyId: KEY_ARN });
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    await expect(handler({}, context)).rejects.toThrow('was not written: AccessDenied');
    expect(log).not.toHaveBeenCalled();
  });

  it('seals what it can, then fails naming each custody problem, without a heartbeat', async () => {
    const signer = LocalSigner.generate(KEY_ARN);
    const day = lastSealableDay(new Date(), SEAL_DELAY_MS);
    // A digest no run could have written yet: planted ahead of the chain, so it cannot be replaced.
    const planted = `digests/2999/01/01/${ACCOUNT}.json`;
    s3.on(ListObjectVersionsCommand).callsFake((input: ListObjectVersionsCommandInput) =>
      input.Prefix === 'digests/' && input.Delimiter === undefined
        ? {
            IsTruncated: false,
            Versions: [{ Key: planted, VersionId: 'p1', IsLatest: true, LastModified: new Date() }],
          }
        : { IsTruncated: false },
    );
    mockDigestWrites(signer);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);

    await expect(handler({}, context)).rejects.toThrow(
      `the sealer sealed 1 digest(s) but found 1 chain of custody problem(s): digest ${planted} is dated after the last day that can be sealed (${day})`,
    );
    // The day was sealed all the same: the error is for the alarm, not a reason to stop the chain.
    expect(s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key)).toEqual([
      `digests/${day.replace(/-/g, '/')}/${ACCOUNT}.json`,
    ]);
    expect(log).not.toHaveBeenCalled();
  });
});
