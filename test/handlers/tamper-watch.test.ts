import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import type { Envelope } from '../../lambdas/evidence/envelope';
import { handler } from '../../lambdas/handlers/tamper-watch';
import { expectValidEnvelope } from '../helpers/envelope-schema';
import { ACCOUNT, scheduleKeyDeletion } from '../tamper-watch/events';
import { lambdaContext, setUnscheduledProducerEnv } from './producer-lambda';

const SIGNING_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/tamper-watch`;
const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const context = lambdaContext(ACCOUNT, 'Soc2Evidence-tamper-watch', 'req-7', 60_000);
const saved = { ...process.env };

beforeEach(() => {
  s3.reset();
  kms.reset();
  setUnscheduledProducerEnv(SIGNING_KEY); // event-driven: no schedule
  s3.on(PutObjectCommand).callsFake((input: { ChecksumSHA256: string }) => ({
    ChecksumSHA256: input.ChecksumSHA256,
    VersionId: 'v1',
  }));
  kms.on(SignCommand).resolves({ Signature: new Uint8Array(70).fill(7), KeyId: SIGNING_KEY });
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});

afterEach(() => {
  process.env = { ...saved };
  jest.restoreAllMocks();
});

function metricLines(log: jest.SpyInstance) {
  return log.mock.calls.map((c) => JSON.parse(String(c[0])) as Record<string, unknown>);
}

describe('tamper-watch handler', () => {
  it('writes the event and one signed FAIL envelope, and prints TamperEvents = 1', async () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const result = await handler(scheduleKeyDeletion, context);

    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => p.Key)).toEqual([expect.stringMatching(/--cloudtrail-event\.json$/), result.key]);
    for (const put of puts) {
      expect(put).toMatchObject({
        Bucket: 'evidence-bucket',
        IfNoneMatch: '*',
        Metadata: expect.objectContaining({ signature: expect.any(String), 'signing-key': SIGNING_KEY }),
      });
      expect(put.Key).toMatch(/^evidence\/\d{4}\/\d{2}\/\d{2}\/tamper-watch\/123456789012\/us-east-1\//);
    }
    expect(kms.commandCalls(SignCommand).map((c) => c.args[0].input.KeyId)).toEqual([
      SIGNING_KEY,
      SIGNING_KEY,
    ]);
    const envelope = JSON.parse(Buffer.from(puts[1]!.Body as Uint8Array).toString()) as Envelope;
    expectValidEnvelope(envelope);
    expect(envelope.producer.invocationId).toBe('req-7');
    expect(envelope.findings[0]).toMatchObject({ check: 'protected-resource-changed', status: 'FAIL' });
    expect(result.status).toBe('FAIL');
    expect(metricLines(log)).toEqual([
      expect.objectContaining({
        TamperEvents: 1,
        Producer: 'tamper-watch',
        _aws: expect.objectContaining({
          CloudWatchMetrics: [
            expect.objectContaining({ Metrics: [{ Name: 'TamperEvents', Unit: 'Count' }] }),
          ],
        }),
      }),
    ]);
  });

  it('records a malformed event too, and still counts it', async () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const result = await handler({ unexpected: true }, context);
    expect(result.status).toBe('ERROR');
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(2);
    expect(metricLines(log)).toEqual([expect.objectContaining({ TamperEvents: 1 })]);
  });

  it('fails the invocation when the evidence cannot be written, so Lambda retries the event', async () => {
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    await expect(handler(scheduleKeyDeletion, context)).rejects.toThrow('was not written: AccessDenied');
    expect(log).not.toHaveBeenCalled();
  });

  it('an event delivered twice (by two rules) is recorded once: the second finds its record and is not a failure', async () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const written = new Set<string>();
    s3.on(PutObjectCommand).callsFake((input: { Key: string; ChecksumSHA256: string }) => {
      if (written.has(input.Key))
        throw Object.assign(new Error('At least one of the pre-conditions you specified did not hold'), {
          name: 'PreconditionFailed',
          $metadata: { httpStatusCode: 412 },
        });
      written.add(input.Key);
      return { ChecksumSHA256: input.ChecksumSHA256, VersionId: 'v1' };
    });
    jest.useFakeTimers({
      now: new Date('2026-11-30T10:00:00.100Z'),
      doNotFake: ['nextTick', 'setImmediate'],
    });
    try {
      const first = await handler(scheduleKeyDeletion, context);
      const second = await handler(scheduleKeyDeletion, context);
      expect(first).toMatchObject({ status: 'FAIL' });
      expect(second).toEqual({ collector: 'tamper-watch', alreadyRecorded: true });
    } finally {
      jest.useRealTimers();
    }
    expect(written.size).toBe(2);
    expect(metricLines(log).filter((m) => m.TamperEvents === 1)).toHaveLength(1);
  });

  it('any other refusal still fails the invocation', async () => {
    s3.on(PutObjectCommand).rejects(
      Object.assign(new Error('slow down'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } }),
    );
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    await expect(handler(scheduleKeyDeletion, context)).rejects.toThrow();
  });
});
