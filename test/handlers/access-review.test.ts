import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GenerateCredentialReportCommand,
  GetAccountAuthorizationDetailsCommand,
  GetCredentialReportCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import {
  handler,
  organizationSettings,
  parseOrganizationReviewEvent,
} from '../../lambdas/handlers/access-review';
import {
  ACCOUNT_RUN_SOURCE,
  ORGANIZATION_ENV,
  ORGANIZATION_REVIEW_SOURCE,
} from '../../lambdas/organization/contract';

const iam = mockClient(IAMClient);
const s3 = mockClient(S3Client);
const ses = mockClient(SESv2Client);
const sts = mockClient(STSClient);
const CSV = readFileSync(join(__dirname, '..', 'fixtures', 'credential-report.csv'));
const context = {
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:Soc2Evidence-access-review',
  awsRequestId: '11111111-2222-3333-4444-555555555555',
  functionName: 'Soc2Evidence-access-review',
  getRemainingTimeInMillis: () => 600_000,
} as unknown as Context;

const putKeys = () => s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key!);

beforeEach(() => {
  iam.reset();
  s3.reset();
  ses.reset();
  sts.reset();
  sts.on(AssumeRoleCommand).resolves({
    Credentials: {
      AccessKeyId: 'ASIAEXAMPLE',
      SecretAccessKey: 'example-not-a-secret',
      SessionToken: 'example-session',
      Expiration: new Date(Date.now() + 3_600_000),
    },
  });
  delete process.env.MEMBER_ROLE_NAME; // single-account mode unless a test says otherwise
  process.env.EVIDENCE_BUCKET = 'evidence-bucket';
  process.env.COLLECTOR_SETTINGS = JSON.stringify({
    regions: ['us-east-1'],
    inactiveAfterDays: 90,
    concurrency: 4,
  });
  process.env.SCHEDULE_EXPRESSION = 'cron(0 7 1 1,4,7,10 ? *)';
  process.env.SCHEDULE_TIME_ZONE = 'UTC';
  process.env.SENDER_EMAIL = 'review@example.com';
  process.env.SECURITY_EMAIL = 'security@example.com';
  delete process.env[ORGANIZATION_ENV];
  iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
  iam.on(GetCredentialReportCommand).resolves({ Content: CSV, GeneratedTime: new Date() });
  iam
    .on(GetAccountAuthorizationDetailsCommand)
    .resolves({ UserDetailList: [], RoleDetailList: [], GroupDetailList: [], Policies: [] });
  s3.on(PutObjectCommand).resolves({});
  s3.on(ListObjectsV2Command).resolves({ Contents: [] });
  ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

describe('access-review handler dispatch', () => {
  it('refuses a scheduled invocation in organization mode, where the state machine runs the review', async () => {
    process.env.MEMBER_ROLE_NAME = 'soc2-evidence-member';
    await expect(handler({}, context)).rejects.toThrow('access-review runs in organization mode');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('a scheduled invocation freezes the population and emails it, as before', async () => {
    const out = (await handler({}, context)) as { messageId?: string };
    expect(out.messageId).toBe('ses-1');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(putKeys().some((k) => k.includes('/access-review-email/'))).toBe(true);
  });

  it('an AccountRunEvent freezes only that account population as access-review evidence, with no email', async () => {
    process.env.MEMBER_ROLE_NAME = 'soc2-evidence-member';
    const out = (await handler(
      {
        source: ACCOUNT_RUN_SOURCE,
        collector: 'access-review',
        account: '222222222222',
        execution: 'exec-1',
      },
      context,
    )) as { account: string; key: string };
    expect(out.account).toBe('222222222222');
    expect(out.key).toMatch(/^evidence\/\d{4}\/\d{2}\/\d{2}\/access-review\/222222222222\/global\//);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
    expect(putKeys().every((k) => k.includes('/access-review/222222222222/'))).toBe(true);
    // The population is read with the member role's session in that account, never the hub's own.
    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn)).toEqual([
      'arn:aws:iam::222222222222:role/soc2-evidence-member',
    ]);
  });

  it('an OrganizationReviewEvent runs the organization review: with nothing read, it records the population and sends nothing', async () => {
    process.env[ORGANIZATION_ENV] = JSON.stringify({
      id: 'o-abcdefghij',
      organizationalUnits: ['r-abcd'],
      excludeAccounts: [],
      memberRoleName: 'soc2-evidence-member',
    });
    const out = (await handler(
      { source: ORGANIZATION_REVIEW_SOURCE, execution: 'exec-1', accounts: ['111111111111', '123456789012'] },
      context,
    ).catch((e: Error) => e)) as Error;
    // No account population and no Identity Center configured: nothing to review, recorded then thrown.
    expect(out).toBeInstanceOf(Error);
    expect(out.message).toMatch(/read no account population and no Identity Center instance/);
    expect(putKeys().some((k) => k.includes('/access-review-organization/123456789012/global/'))).toBe(true);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('rejects a malformed organization review event with a one-line error naming the field', () => {
    expect(() =>
      parseOrganizationReviewEvent({ source: ORGANIZATION_REVIEW_SOURCE, execution: 'x', accounts: ['12'] }),
    ).toThrow('organization review event: accounts must be a list of 12-digit account ids, got ["12"]');
    expect(() => organizationSettings({ [ORGANIZATION_ENV]: '{' })).toThrow(ORGANIZATION_ENV);
    expect(organizationSettings({})).toBeUndefined();
  });
});
