import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  IAMClient,
  ListVirtualMFADevicesCommand,
} from '@aws-sdk/client-iam';
import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambdas/handlers/iam-mfa';
import type { Envelope } from '../../lambdas/evidence/envelope';
import { ACCOUNT_RUN_SOURCE, MEMBER_ROLE_ENV } from '../../lambdas/organization/contract';
import { expectValidEnvelope } from '../helpers/envelope-schema';
import { lambdaContext } from './producer-lambda';

const iam = mockClient(IAMClient);
const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const sts = mockClient(STSClient);
const CSV = readFileSync(join(__dirname, '..', 'fixtures', 'credential-report.csv'));
const HUB = '123456789012';
const MEMBER = '111111111111';
const SIGNING_KEY = `arn:aws:kms:us-east-1:${HUB}:key/iam-mfa-signing`;
const context = lambdaContext(HUB, 'Soc2Evidence-iam-mfa', '11111111-2222-3333-4444-555555555555', 600_000);
const SESSION = {
  AccessKeyId: 'ASIAIOSFODNN7EXAMPLE',
  SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY',
  SessionToken: 'FwoGZXIvYXdzEXAMPLEtoken',
  Expiration: new Date(Date.now() + 3_600_000),
};
const runEvent = (extra: Record<string, unknown> = {}) => ({
  source: ACCOUNT_RUN_SOURCE,
  collector: 'iam-mfa',
  account: MEMBER,
  execution: `arn:aws:states:us-east-1:${HUB}:execution:Soc2Evidence-iam-mfa:run-1`,
  ...extra,
});

type Sent = { thisValue: { config: { credentials: () => Promise<{ accessKeyId: string }> } } };
const keyOf = async (call: unknown) => (await (call as Sent).thisValue.config.credentials()).accessKeyId;
const envelopes = () =>
  s3
    .commandCalls(PutObjectCommand)
    .map((c) => c.args[0].input)
    .filter((p) => String(p.Key).endsWith('.json') && !String(p.Key).includes('--'))
    .map((p) => JSON.parse(Buffer.from(p.Body as Uint8Array).toString()) as Envelope);
let logs: string[];

beforeEach(() => {
  for (const m of [iam, s3, kms, sts]) m.reset();
  process.env.EVIDENCE_BUCKET = 'evidence-bucket';
  process.env.SIGNING_KEY_ARN = SIGNING_KEY;
  process.env.COLLECTOR_SETTINGS = JSON.stringify({ regions: ['us-east-1'], inactiveAfterDays: 90 });
  process.env.SCHEDULE_EXPRESSION = 'cron(0 6 * * ? *)';
  process.env.SCHEDULE_TIME_ZONE = 'UTC';
  process.env[MEMBER_ROLE_ENV] = 'soc2-evidence-member';
  iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
  iam.on(GetCredentialReportCommand).resolves({ Content: CSV, GeneratedTime: new Date() });
  iam.on(ListVirtualMFADevicesCommand).resolves({ VirtualMFADevices: [], IsTruncated: false });
  s3.on(PutObjectCommand).callsFake((input: { ChecksumSHA256: string }) => ({
    ChecksumSHA256: input.ChecksumSHA256,
    VersionId: 'v1',
  }));
  kms.on(SignCommand).resolves({ Signature: new Uint8Array(70).fill(7), KeyId: SIGNING_KEY });
  sts.on(AssumeRoleCommand).resolves({ Credentials: SESSION });
  logs = [];
  jest.spyOn(console, 'log').mockImplementation((line: string) => void logs.push(line));
});

afterEach(() => {
  jest.restoreAllMocks();
  delete process.env.SIGNING_KEY_ARN;
  delete process.env[MEMBER_ROLE_ENV];
});

describe('a collector handler invoked for one member account (organization mode)', () => {
  it("reads the member account with the member role's session and writes to the hub's bucket with the hub's signer", async () => {
    const result = await handler(runEvent(), context);

    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input)).toEqual([
      {
        RoleArn: `arn:aws:iam::${MEMBER}:role/soc2-evidence-member`,
        RoleSessionName: 'soc2-evidence-iam-mfa',
        DurationSeconds: 3600,
      },
    ]);
    const reads = iam.calls();
    expect(reads.length).toBeGreaterThan(0);
    for (const call of reads) expect(await keyOf(call)).toBe(SESSION.AccessKeyId);
    // The store and the signer are the hub's: the function's own credentials, not the member's.
    for (const call of [...s3.calls(), ...kms.calls(), ...sts.calls()])
      expect(await keyOf(call)).toBe(process.env.AWS_ACCESS_KEY_ID);
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    for (const put of puts) {
      expect(put.Bucket).toBe('evidence-bucket');
      expect(put.Key).toMatch(new RegExp(`^evidence/\\d{4}/\\d{2}/\\d{2}/iam-mfa/${MEMBER}/global/`));
    }
    expect(kms.commandCalls(SignCommand)).toHaveLength(puts.length);
    const [envelope] = envelopes();
    expectValidEnvelope(envelope);
    expect(envelope).toMatchObject({ account: MEMBER, collector: 'iam-mfa' });
    expect(result).toEqual({
      collector: 'iam-mfa',
      account: MEMBER,
      key: puts.at(-1)!.Key,
      summary: envelope!.summary,
    });
    // Metric dimensions stay per collector: no Account dimension (each value would be a billed metric).
    const emf = logs.map(
      (l) => JSON.parse(l) as { _aws: { CloudWatchMetrics: { Dimensions: string[][] }[] } },
    );
    expect(emf.map((m) => m._aws.CloudWatchMetrics[0]!.Dimensions)).toEqual([[['Collector']]]);
    expect(emf[0]).not.toHaveProperty('Account');
    expect(emf[0]).toMatchObject({
      account: MEMBER,
      execution: runEvent().execution,
      ApiCalls: expect.any(Number),
    });
  });

  it('writes an ERROR envelope for the member account when its role cannot be assumed, and gathers nothing', async () => {
    sts.on(AssumeRoleCommand).rejects(
      Object.assign(
        new Error(
          `not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${MEMBER}:role/soc2-evidence-member`,
        ),
        {
          name: 'AccessDenied',
          $metadata: { httpStatusCode: 403 },
        },
      ),
    );
    const result = await handler(runEvent(), context);
    expect(iam.calls()).toHaveLength(0);
    const [envelope] = envelopes();
    expectValidEnvelope(envelope);
    expect(envelope).toMatchObject({
      account: MEMBER,
      findings: [],
      sources: [],
      summary: { status: 'ERROR' },
    });
    expect(envelope!.errors).toEqual([
      expect.objectContaining({ region: 'global', api: 'sts:AssumeRole', code: 'AccessDenied' }),
    ]);
    expect(result).toMatchObject({ account: MEMBER, summary: { status: 'ERROR' } });
  });

  it("records Step Functions' failure as the account's ERROR envelope, without assuming the role", async () => {
    const failure = {
      error: 'Sandbox.Timedout',
      cause: '{"errorMessage":"Task timed out after 900.00 seconds"}',
    };
    const result = await handler(runEvent({ failure }), context);
    expect(sts.calls()).toHaveLength(0);
    expect(iam.calls()).toHaveLength(0);
    const [envelope] = envelopes();
    expectValidEnvelope(envelope);
    expect(envelope!.errors).toEqual([
      { region: 'global', api: 'states:RunCollector', code: 'Sandbox.Timedout', message: failure.cause },
    ]);
    expect(result).toMatchObject({ account: MEMBER, summary: { status: 'ERROR' } });
  });

  it("refuses another collector's event, a malformed event and a missing member role name, writing nothing", async () => {
    await expect(handler(runEvent({ collector: 'backups' }), context)).rejects.toThrow(
      'organization run event: collector must be "iam-mfa" (this function\'s collector), got "backups"',
    );
    await expect(handler(runEvent({ account: '1111' }), context)).rejects.toThrow(
      'organization run event: account must be a 12-digit account id, got "1111"',
    );
    delete process.env[MEMBER_ROLE_ENV];
    await expect(handler(runEvent(), context)).rejects.toThrow(
      `environment variable ${MEMBER_ROLE_ENV} is not set: an organization run of iam-mfa needs the member role's name`,
    );
    expect(s3.calls()).toHaveLength(0);
    expect(sts.calls()).toHaveLength(0);
    // A failure recorded by Step Functions needs no role: it is still written.
    const recorded = await handler(runEvent({ failure: { error: 'States.Timeout', cause: '' } }), context);
    expect(recorded).toMatchObject({ account: MEMBER, summary: { status: 'ERROR' } });
  });

  it('refuses a run of the hub itself in organization mode, saying how to run instead', async () => {
    await expect(
      handler({ source: 'soc2-evidence.schedule', collector: 'iam-mfa' }, context),
    ).rejects.toThrow(
      'iam-mfa runs in organization mode: invoke it with an account (soc2-evidence run iam-mfa --account <12-digit id>)',
    );
    expect(sts.calls()).toHaveLength(0);
    expect(iam.calls()).toHaveLength(0);
  });

  it("keeps the scheduled run as it was: the function's own account and credentials, no AssumeRole", async () => {
    delete process.env.MEMBER_ROLE_NAME; // single-account mode: the stack sets no member role
    const result = await handler({ source: 'soc2-evidence.schedule', collector: 'iam-mfa' }, context);
    expect(sts.calls()).toHaveLength(0);
    for (const call of iam.calls()) expect(await keyOf(call)).toBe(process.env.AWS_ACCESS_KEY_ID);
    expect(result.account).toBe(HUB);
    expect(result.key).toMatch(new RegExp(`/iam-mfa/${HUB}/global/`));
  });
});
