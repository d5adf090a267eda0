import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  IAMClient,
  ListVirtualMFADevicesCommand,
} from '@aws-sdk/client-iam';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambdas/handlers/iam-mfa';
import { accountFromArn, metricsLine } from '../../lambdas/runtime/lambda-runtime';
import type { Envelope } from '../../lambdas/evidence/envelope';
import { expectValidEnvelope } from '../helpers/envelope-schema';

const iam = mockClient(IAMClient);
const s3 = mockClient(S3Client);
const CSV = readFileSync(join(__dirname, '..', 'fixtures', 'credential-report.csv'));
const context = {
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:Soc2Evidence-iam-mfa',
  awsRequestId: '11111111-2222-3333-4444-555555555555',
  functionName: 'Soc2Evidence-iam-mfa',
  functionVersion: '$LATEST',
  memoryLimitInMB: '512',
  getRemainingTimeInMillis: () => 600_000,
} as unknown as Context;

beforeEach(() => {
  iam.reset();
  s3.reset();
  process.env.EVIDENCE_BUCKET = 'evidence-bucket';
  process.env.COLLECTOR_SETTINGS = JSON.stringify({ regions: ['us-east-1'], inactiveAfterDays: 90 });
  process.env.SCHEDULE_EXPRESSION = 'cron(0 6 * * ? *)';
  process.env.SCHEDULE_TIME_ZONE = 'Europe/Paris';
  iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
  iam.on(GetCredentialReportCommand).resolves({ Content: CSV, GeneratedTime: new Date() });
  iam.on(ListVirtualMFADevicesCommand).resolves({ VirtualMFADevices: [], IsTruncated: false });
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(() => jest.restoreAllMocks());

describe('iam-mfa handler', () => {
  it('writes the raw report, then the envelope, with a conditional checksummed put, and returns a summary', async () => {
    s3.on(PutObjectCommand).callsFake((input: { ChecksumSHA256: string }) => ({
      ChecksumSHA256: input.ChecksumSHA256,
      VersionId: 'v1',
    }));
    const result = await handler({}, context);
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => p.Key)).toEqual([expect.stringMatching(/--credential-report\.csv$/), result.key]);
    for (const put of puts) {
      expect(put).toMatchObject({ Bucket: 'evidence-bucket', IfNoneMatch: '*', ChecksumAlgorithm: 'SHA256' });
      expect(put.Key).toMatch(/^evidence\/\d{4}\/\d{2}\/\d{2}\/iam-mfa\/123456789012\/global\//);
    }
    const envelope = JSON.parse(Buffer.from(puts[1]!.Body as Uint8Array).toString()) as Envelope;
    expectValidEnvelope(envelope);
    expect(envelope.producer.invocationId).toBe(context.awsRequestId);
    expect(envelope.schedule).toEqual({ expression: 'cron(0 6 * * ? *)', timeZone: 'Europe/Paris' });
    expect(result.summary.status).toBe('FAIL');
  });

  it('fails the invocation when the evidence write is refused, so Lambda retries and the alarm fires', async () => {
    s3.on(PutObjectCommand).rejects(
      Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }),
    );
    await expect(handler({}, context)).rejects.toThrow(
      'was not written: AccessDenied (HTTP 403): Access Denied',
    );
  });

  it('names a missing environment variable', async () => {
    delete process.env.EVIDENCE_BUCKET;
    await expect(handler({}, context)).rejects.toThrow('environment variable EVIDENCE_BUCKET is not set');
  });
});

describe('runtime helpers', () => {
  it('reads the account from the function ARN', () => {
    expect(accountFromArn(context.invokedFunctionArn)).toBe('123456789012');
    expect(() => accountFromArn('arn:aws:lambda:us-east-1::function:x')).toThrow('cannot read an account id');
  });

  it('emits one EMF line with the run figures', () => {
    const line = JSON.parse(
      metricsLine(
        'iam-mfa',
        { status: 'FAIL', evaluated: 5, passed: 3, failed: 2, warnings: 0, info: 0, figures: {} },
        1,
        1234,
        new Date(0),
      ),
    );
    expect(line._aws.CloudWatchMetrics[0].Namespace).toBe('Soc2Evidence');
    expect(line).toMatchObject({
      Collector: 'iam-mfa',
      ResourcesEvaluated: 5,
      FindingsFailed: 2,
      CollectionErrors: 1,
      DurationMs: 1234,
    });
  });
});
