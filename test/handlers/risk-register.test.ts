import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import type { Envelope } from '../../lambdas/evidence/envelope';
import { decisionOf } from '../../lambdas/evidence/risk-acceptance';
import { handler } from '../../lambdas/handlers/risk-register';
import { expectValidEnvelope } from '../helpers/envelope-schema';
import { acceptToday, ACCOUNT, CALLER_ARN, signedFor, stsXml } from '../risk-register/fixtures';
import { lambdaContext, setUnscheduledProducerEnv } from './producer-lambda';

const SIGNING_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/risk-register`;
const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const context = lambdaContext(ACCOUNT, 'Soc2Evidence-risk-register', 'req-9', 30_000);
const saved = { ...process.env };
let sts: jest.SpyInstance;

beforeEach(() => {
  s3.reset();
  kms.reset();
  setUnscheduledProducerEnv(SIGNING_KEY); // invoked: no schedule
  s3.on(PutObjectCommand).callsFake((input: { ChecksumSHA256: string }) => ({
    ChecksumSHA256: input.ChecksumSHA256,
    VersionId: 'v1',
  }));
  kms.on(SignCommand).resolves({ Signature: new Uint8Array(70).fill(7), KeyId: SIGNING_KEY });
  sts = jest
    .spyOn(globalThis, 'fetch')
    .mockImplementation(() => Promise.resolve(new Response(stsXml(CALLER_ARN, ACCOUNT), { status: 200 })));
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});

afterEach(() => {
  process.env = { ...saved };
  jest.restoreAllMocks();
});

describe('risk-register handler', () => {
  it('replays the proof to STS and writes one signed risk-acceptance envelope naming the caller', async () => {
    const decision = acceptToday();
    const identity = await signedFor(decision);
    const result = await handler({ decision, identity }, context);
    expect(sts).toHaveBeenCalledTimes(1);
    expect(String(sts.mock.calls[0]![0])).toBe('https://sts.us-east-1.amazonaws.com/');

    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts).toHaveLength(1);
    expect(puts[0]).toMatchObject({
      Bucket: 'evidence-bucket',
      Key: result.key,
      IfNoneMatch: '*',
      Metadata: expect.objectContaining({ signature: expect.any(String), 'signing-key': SIGNING_KEY }),
    });
    expect(result.key).toMatch(/^evidence\/\d{4}\/\d{2}\/\d{2}\/risk-acceptance\/123456789012\/global\//);
    expect(kms.commandCalls(SignCommand).map((c) => c.args[0].input.KeyId)).toEqual([SIGNING_KEY]);
    const envelope = JSON.parse(Buffer.from(puts[0]!.Body as Uint8Array).toString()) as Envelope;
    expectValidEnvelope(envelope);
    expect(envelope.producer.invocationId).toBe('req-9');
    expect(decisionOf(envelope.policy)).toEqual({
      ...decision,
      recordedBy: {
        arn: CALLER_ARN,
        account: ACCOUNT,
        userId: 'AROAEXAMPLEID:alice@example.com',
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        proof: 'sts-get-caller-identity',
      },
    });
    expect(result).toMatchObject({ action: 'accept', recordedBy: { arn: CALLER_ARN } });
  });

  it('throws a one-line refusal and writes nothing when the proof is not bound to the decision', async () => {
    const decision = acceptToday();
    const identity = await signedFor(decision);
    await expect(handler({ decision: { ...decision, resource: '*' }, identity }, context)).rejects.toThrow(
      /^the identity proof was refused: .*is not the SHA-256 of this decision$/,
    );
    expect(sts).not.toHaveBeenCalled();
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(kms.commandCalls(SignCommand)).toHaveLength(0);
  });
});
