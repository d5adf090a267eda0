import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { ClientFactory } from '../../lambdas/aws/client-factory';
import { partitionFromArn, prepareAccountRun, roleSessionName } from '../../lambdas/organization/account-run';
import { ACCOUNT_RUN_SOURCE, type AccountRunEvent } from '../../lambdas/organization/contract';

const sts = mockClient(STSClient);
const NOW = new Date('2026-03-02T06:00:00Z');
const EVENT: AccountRunEvent = {
  source: ACCOUNT_RUN_SOURCE,
  collector: 'iam-mfa',
  account: '111111111111',
  execution: 'arn:aws:states:us-east-1:123456789012:execution:Soc2Evidence-iam-mfa:run-1',
};
const CREDENTIALS = {
  AccessKeyId: 'ASIAIOSFODNN7EXAMPLE',
  SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY',
  SessionToken: 'FwoGZXIvYXdzEXAMPLEtoken',
  Expiration: new Date('2026-03-02T07:00:00Z'),
};
const hub = () => ({
  clients: new ClientFactory(),
  partition: 'aws-us-gov',
  memberRoleName: 'soc2-evidence-member',
  now: () => NOW,
});

beforeEach(() => sts.reset());

describe('prepareAccountRun', () => {
  it("assumes the member role with the hub's STS client and returns a new factory on its session", async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: CREDENTIALS });
    const h = hub();
    const run = await prepareAccountRun(EVENT, h);
    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input)).toEqual([
      {
        RoleArn: 'arn:aws-us-gov:iam::111111111111:role/soc2-evidence-member',
        RoleSessionName: 'soc2-evidence-iam-mfa',
        DurationSeconds: 3600,
      },
    ]);
    expect(run.account).toBe('111111111111');
    expect(run.unavailable).toBeUndefined();
    expect(run.clients).not.toBe(h.clients);
    // The call was made by the hub's own STS client (so the hub's factory counts it and its settings apply).
    expect(sts.commandCalls(AssumeRoleCommand)[0]!.thisValue).toBe(h.clients.get(STSClient));
    await expect(run.clients.get(S3Client, 'eu-west-1').config.credentials()).resolves.toMatchObject({
      accessKeyId: CREDENTIALS.AccessKeyId,
      secretAccessKey: CREDENTIALS.SecretAccessKey,
      sessionToken: CREDENTIALS.SessionToken,
      expiration: CREDENTIALS.Expiration,
    });
    // The hub's own clients (store, signer) keep the function's credentials.
    await expect(h.clients.get(S3Client).config.credentials()).resolves.toMatchObject({
      accessKeyId: process.env.AWS_ACCESS_KEY_ID,
    });
  });

  it('records a refused AssumeRole as the account being unavailable, without throwing', async () => {
    sts
      .on(AssumeRoleCommand)
      .rejects(
        Object.assign(
          new Error(
            'User: arn:aws:sts::123456789012:assumed-role/Soc2Evidence-iam-mfa/x is not authorized to perform: sts:AssumeRole on resource: arn:aws-us-gov:iam::111111111111:role/soc2-evidence-member',
          ),
          { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } },
        ),
      );
    const run = await prepareAccountRun(EVENT, hub());
    expect(run.unavailable).toEqual({
      region: 'global',
      api: 'sts:AssumeRole',
      code: 'AccessDenied',
      message: expect.stringContaining(
        'on resource: arn:aws-us-gov:iam::111111111111:role/soc2-evidence-member',
      ),
    });
    // Nothing may be read with the hub's own credentials in the member's name.
    expect(() => run.clients.get(S3Client)).toThrow('account 111111111111 is unavailable');
  });

  it('names the role when the error does not, and refuses an answer without usable credentials', async () => {
    sts.on(AssumeRoleCommand).rejectsOnce(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const first = await prepareAccountRun(EVENT, hub());
    expect(first.unavailable).toEqual({
      region: 'global',
      api: 'sts:AssumeRole',
      code: 'ECONNRESET',
      message: 'arn:aws-us-gov:iam::111111111111:role/soc2-evidence-member: socket hang up',
    });
    sts.on(AssumeRoleCommand).resolves({});
    expect((await prepareAccountRun(EVENT, hub())).unavailable).toMatchObject({ code: 'NoCredentials' });
    sts
      .on(AssumeRoleCommand)
      .resolves({ Credentials: { ...CREDENTIALS, Expiration: new Date(NOW.getTime() - 1) } });
    expect((await prepareAccountRun(EVENT, hub())).unavailable).toMatchObject({ code: 'ExpiredCredentials' });
  });

  it("turns Step Functions' recorded failure into the error entry, without assuming any role", async () => {
    const cause = JSON.stringify({
      errorMessage: 'Task timed out after 900.00 seconds',
      errorType: 'Sandbox.Timedout',
    });
    const run = await prepareAccountRun(
      { ...EVENT, failure: { error: 'Sandbox.Timedout', cause: `  ${cause}${' '.repeat(10)}` } },
      hub(),
    );
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(run.unavailable).toEqual({
      region: 'global',
      api: 'states:RunCollector',
      code: 'Sandbox.Timedout',
      message: cause,
    });
    const long = await prepareAccountRun(
      { ...EVENT, failure: { error: 'States.TaskFailed', cause: 'x'.repeat(5000) } },
      hub(),
    );
    expect(long.unavailable?.message).toHaveLength(1000);
    const empty = await prepareAccountRun(
      { ...EVENT, failure: { error: 'Lambda.ServiceException', cause: '' } },
      hub(),
    );
    expect(empty.unavailable?.message).toBe(
      'the run of iam-mfa failed outside the function, with no cause given',
    );
  });
});

describe('names', () => {
  it('reads the partition from the function ARN', () => {
    expect(partitionFromArn('arn:aws:lambda:us-east-1:123456789012:function:f')).toBe('aws');
    expect(partitionFromArn('arn:aws-cn:lambda:cn-north-1:123456789012:function:f')).toBe('aws-cn');
    expect(partitionFromArn('arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f')).toBe(
      'aws-us-gov',
    );
    expect(() => partitionFromArn('function:f')).toThrow('cannot read a partition');
    expect(() => partitionFromArn('arn::lambda:us-east-1:123456789012:function:f')).toThrow(
      'cannot read a partition',
    );
  });

  it('makes a valid role session name of at most 64 characters', () => {
    expect(roleSessionName('iam-mfa')).toBe('soc2-evidence-iam-mfa');
    expect(roleSessionName('a b/c')).toBe('soc2-evidence-a-b-c');
    const long = roleSessionName('x'.repeat(100));
    expect(long).toHaveLength(64);
    expect(long).toMatch(/^[\w+=,.@-]{2,64}$/);
  });
});
