import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GenerateCredentialReportCommand,
  GetAccountPasswordPolicyCommand,
  GetCredentialReportCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import {
  DescribeKeyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListKeysCommand,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { ClientFactory } from '../../../lambdas/aws/client-factory';
import { assessAccessKeyAge } from '../../../lambdas/collectors/key-rotation/access-keys';
import { keyRotation } from '../../../lambdas/collectors/key-rotation/collector';
import { assessKmsKey, type KmsKeyFacts } from '../../../lambdas/collectors/key-rotation/kms';
import { assessSecret, type SecretFacts } from '../../../lambdas/collectors/key-rotation/secrets';
import { passwordPolicy } from '../../../lambdas/collectors/password-policy/collector';
import { parseCredentialReport } from '../../../lambdas/readers/credential-report/parse';
import { memoFrom } from '../../../lambdas/run-collector';
import { DEFAULT_SETTINGS } from '../../../lambdas/settings';
import { awsError, regionOf } from '../../helpers/regional-mock';

const NOW = new Date('2026-11-23T06:00:00Z');
const DAY = 86_400_000;
const FIXTURE = readFileSync(join(__dirname, '..', '..', 'fixtures', 'credential-report.csv'), 'utf8');
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

describe('access-key-age', () => {
  it('judges each active key of the fixture by its creation date, and skips inactive keys', () => {
    const findings = assessAccessKeyAge(parseCredentialReport(FIXTURE), 90, NOW);
    expect(findings.map((f) => [f.detail.user, f.detail.accessKey, f.detail.ageDays, f.status])).toEqual([
      ['alice', 'access_key_1', 326, 'FAIL'],
      ['ci-deploy', 'access_key_1', 1754, 'FAIL'],
    ]);
    expect(findings[0]).toMatchObject({
      resource: 'arn:aws:iam::123456789012:user/alice/access_key_1',
      check: 'access-key-age',
      detail: {
        issued: '2026-01-01T00:00:00.000Z',
        maxAgeDays: 90,
        lastUsed: '2026-11-20T10:00:00.000Z',
        reason: 'created 326 days ago, older than the 90 days allowed',
      },
    });
  });

  const row = (user: string, active: string, rotated: string) =>
    `${user},arn:aws:iam::123456789012:${user === '<root_account>' ? 'root' : `user/${user}`},2020-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,${active},${rotated},N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`;
  const report = (...rows: string[]) => parseCredentialReport([FIXTURE.split('\n')[0], ...rows].join('\n'));

  it('FAILs only past the limit: exactly 90 days PASSes, a millisecond more FAILs', () => {
    const exactly = ago(90).toISOString();
    const older = new Date(ago(90).getTime() - 1).toISOString();
    const findings = assessAccessKeyAge(report(row('a', 'true', exactly), row('b', 'true', older)), 90, NOW);
    expect(findings.map((f) => [f.detail.user, f.status])).toEqual([
      ['a', 'PASS'],
      ['b', 'FAIL'],
    ]);
    expect(findings[0]!.detail.reason).toBe('created 90 days ago, within the 90 days allowed');
    expect(assessAccessKeyAge(report(row('b', 'true', older)), 120, NOW)[0]!.status).toBe('PASS');
  });

  it("judges root's active key and WARNs on an active key without a date", () => {
    const findings = assessAccessKeyAge(
      report(row('<root_account>', 'true', ago(10).toISOString()), row('odd', 'true', 'N/A')),
      90,
      NOW,
    );
    expect(findings.map((f) => [f.resource, f.status])).toEqual([
      ['arn:aws:iam::123456789012:root/access_key_1', 'PASS'],
      ['arn:aws:iam::123456789012:user/odd/access_key_1', 'WARN'],
    ]);
    expect(findings[1]!.detail).toMatchObject({ ageDays: null, issued: 'N/A' });
  });

  it("gives a user's two active keys a resource each, named by slot, so a FAIL and a PASS never share one", () => {
    const two =
      'both,arn:aws:iam::123456789012:user/both,2020-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,' +
      `true,${ago(200).toISOString()},N/A,N/A,N/A,true,${ago(5).toISOString()},N/A,N/A,N/A,false,N/A,false,N/A`;
    const findings = assessAccessKeyAge(report(two), 90, NOW);
    expect(findings.map((f) => [f.resource, f.detail.accessKey, f.status])).toEqual([
      ['arn:aws:iam::123456789012:user/both/access_key_1', 'access_key_1', 'FAIL'],
      ['arn:aws:iam::123456789012:user/both/access_key_2', 'access_key_2', 'PASS'],
    ]);
  });
});

const KEY: KmsKeyFacts = {
  region: 'us-east-1',
  keyId: 'k1',
  arn: 'arn:aws:kms:us-east-1:123456789012:key/k1',
  keySpec: 'SYMMETRIC_DEFAULT',
  keyState: 'Enabled',
  origin: 'AWS_KMS',
};

describe('kms-key-rotation', () => {
  it.each([
    [
      'rotation on',
      { rotation: { enabled: true, periodDays: 365 } },
      'PASS',
      'automatic rotation is on, every 365 days',
    ],
    ['rotation off', { rotation: { enabled: false } }, 'FAIL', 'automatic rotation is off'],
    [
      'a period over 365 days',
      { rotation: { enabled: true, periodDays: 730 } },
      'WARN',
      'automatic rotation is on, every 730 days: longer than 365',
    ],
    [
      'a disabled key with rotation off',
      { keyState: 'Disabled', rotation: { enabled: false } },
      'WARN',
      'automatic rotation is off on a disabled key: it would come back unrotated if re-enabled',
    ],
    [
      'a disabled key with rotation on',
      { keyState: 'Disabled', rotation: { enabled: true } },
      'PASS',
      undefined,
    ],
    [
      'an asymmetric key',
      { keySpec: 'RSA_2048' },
      'INFO',
      'RSA_2048 keys (asymmetric or HMAC) do not support automatic rotation',
    ],
    ['an HMAC key', { keySpec: 'HMAC_256' }, 'INFO', undefined],
    ['imported material', { origin: 'EXTERNAL' }, 'INFO', undefined],
    ['a CloudHSM key store', { origin: 'AWS_CLOUDHSM' }, 'INFO', undefined],
    [
      'a key pending deletion',
      { keyState: 'PendingDeletion', deletionDate: '2026-12-01T00:00:00.000Z' },
      'INFO',
      'pending deletion (deleted on 2026-12-01T00:00:00.000Z): it cannot be used and KMS does not rotate it',
    ],
    [
      'a key being created',
      { keyState: 'Creating' },
      'INFO',
      'key state Creating: the rotation status is not read in this state',
    ],
  ] as const)('%s: %s', (_name, change, status, reason) => {
    const f = assessKmsKey({ ...KEY, ...change });
    expect(f).toMatchObject({ resource: KEY.arn, check: 'kms-key-rotation', status });
    if (reason) expect(f!.detail.reason).toBe(reason);
    expect(f!.detail.rotationApplies).toBe(status !== 'INFO');
  });

  it('gives no finding for a key whose rotation status could not be read', () => {
    expect(assessKmsKey(KEY)).toBeUndefined();
  });
});

const SECRET: SecretFacts = {
  region: 'us-east-1',
  arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:app-AbCdEf',
  name: 'app',
  rotationEnabled: true,
  scheduleExpression: 'rate(30 days)',
  lastRotated: ago(10).toISOString(),
  created: ago(400).toISOString(),
};

describe('secret-rotation', () => {
  const judge = (change: Partial<SecretFacts>) => assessSecret({ ...SECRET, ...change }, NOW);

  it('PASSes within the interval and FAILs past interval + 2 days of grace', () => {
    expect(judge({})).toMatchObject({
      status: 'PASS',
      detail: {
        reason: 'last rotated 10 days ago, within its rotation every 30 days',
        intervalDays: 30,
        graceDays: 2,
      },
    });
    const edge = new Date(NOW.getTime() - 32 * DAY).toISOString();
    expect(judge({ lastRotated: edge }).status).toBe('PASS');
    const late = new Date(NOW.getTime() - 32 * DAY - 1).toISOString();
    expect(judge({ lastRotated: late })).toMatchObject({
      status: 'FAIL',
      detail: { reason: 'last rotated 32 days ago: overdue for a rotation every 30 days since 2026-11-23' },
    });
    expect(
      judge({ scheduleExpression: undefined, automaticallyAfterDays: 45, lastRotated: late }).status,
    ).toBe('PASS');
  });

  it('FAILs rotation off, rotated before or never', () => {
    expect(judge({ rotationEnabled: false, lastRotated: null }).detail.reason).toBe(
      'rotation is not enabled; never rotated',
    );
    expect(judge({ rotationEnabled: false }).status).toBe('FAIL');
  });

  it('ages a never-rotated secret from its creation', () => {
    expect(judge({ lastRotated: null, created: ago(5).toISOString() }).status).toBe('PASS');
    expect(judge({ lastRotated: null })).toMatchObject({
      status: 'FAIL',
      detail: { daysSinceRotation: null },
    });
    expect(judge({ lastRotated: null, created: undefined }).status).toBe('WARN');
  });

  it('judges a cron schedule by the last day it fired, after its window and grace', () => {
    // Monthly on the 1st: due 2026-11-01, judged from 2026-11-04.
    const monthly = { scheduleExpression: 'cron(0 4 1 * ? *)' };
    expect(judge({ ...monthly, lastRotated: '2026-11-01T04:30:00.000Z' })).toMatchObject({
      status: 'PASS',
      detail: { lastScheduledDay: '2026-11-01' },
    });
    expect(judge({ ...monthly, lastRotated: '2026-10-01T04:30:00.000Z' })).toMatchObject({
      status: 'FAIL',
      detail: { reason: 'last rotated 53 days ago: the schedule cron(0 4 1 * ? *) was due on 2026-11-01' },
    });
    // Weekly on Sundays: 2026-11-22 is still inside its window and grace; 2026-11-15 is due.
    const weekly = { scheduleExpression: 'cron(0 4 ? * SUN *)' };
    expect(judge({ ...weekly, lastRotated: '2026-11-15T05:00:00.000Z' }).status).toBe('PASS');
    expect(judge({ ...weekly, lastRotated: '2026-11-14T05:00:00.000Z' }).status).toBe('FAIL');
  });

  it('WARNs on a schedule it cannot read, or none', () => {
    expect(judge({ scheduleExpression: 'cron(0 4 15W * ? *)' })).toMatchObject({ status: 'WARN' });
    expect(judge({ scheduleExpression: 'cron(0 0 1 1 ? 2030)' }).status).toBe('WARN');
    expect(judge({ scheduleExpression: undefined }).detail.reason).toBe(
      'rotation is enabled without a schedule in RotationRules; last rotated 10 days ago',
    );
  });

  it('is INFO for a replica, rotated through its primary', () => {
    expect(judge({ region: 'eu-west-1', primaryRegion: 'us-east-1', rotationEnabled: false })).toMatchObject({
      status: 'INFO',
      detail: { primaryRegion: 'us-east-1' },
    });
    expect(judge({ primaryRegion: 'us-east-1', rotationEnabled: false }).status).toBe('FAIL');
  });
});

describe('key-rotation gather', () => {
  const iam = mockClient(IAMClient);
  const kms = mockClient(KMSClient);
  const sm = mockClient(SecretsManagerClient);
  beforeEach(() => {
    iam.reset();
    kms.reset();
    sm.reset();
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iam.on(GetCredentialReportCommand).resolves({
      Content: new TextEncoder().encode(FIXTURE),
      GeneratedTime: new Date('2026-11-23T05:40:00Z'),
    });
  });
  const settings = { ...DEFAULT_SETTINGS, regions: ['us-east-1', 'eu-west-1'] };
  const ctx = (memo = memoFrom(new Map())) => ({ clients: new ClientFactory(), settings, now: NOW, memo });

  const meta = (id: string, m: Partial<KeyMetadata> = {}): KeyMetadata => ({
    KeyId: id,
    Arn: `arn:aws:kms:us-east-1:123456789012:key/${id}`,
    KeyManager: 'CUSTOMER',
    KeySpec: 'SYMMETRIC_DEFAULT',
    KeyState: 'Enabled',
    Origin: 'AWS_KMS',
    ...m,
  });
  const KEYS: Record<string, KeyMetadata> = {
    managed: meta('managed', { KeyManager: 'AWS' }),
    rotating: meta('rotating'),
    plain: meta('plain'),
    signing: meta('signing', { KeySpec: 'ECC_NIST_P256' }),
    doomed: meta('doomed', { KeyState: 'PendingDeletion' }),
    locked: meta('locked'),
  };

  it('follows truncated pages, keeps customer keys, reads rotation only where it applies, and keeps a region whose KMS is denied', async () => {
    const markers: (string | undefined)[] = [];
    kms.on(ListKeysCommand).callsFake(async (input: { Marker?: string; Limit?: number }, getClient) => {
      if ((await regionOf(getClient)) === 'eu-west-1') throw awsError('AccessDeniedException', 'kms denied');
      // The paginator reuses its input object: record the marker as sent.
      markers.push(input.Marker);
      expect(input.Limit).toBe(1000);
      if (!input.Marker)
        return { Keys: [{ KeyId: 'managed' }, { KeyId: 'rotating' }], Truncated: true, NextMarker: 'm1' };
      if (input.Marker === 'm1') return { Keys: [], Truncated: true, NextMarker: 'm2' };
      return {
        Keys: ['plain', 'signing', 'doomed', 'locked', 'gone'].map((KeyId) => ({ KeyId })),
        Truncated: false,
      };
    });
    kms.on(DescribeKeyCommand).callsFake((input: { KeyId: string }) => {
      if (input.KeyId === 'gone') throw awsError('NotFoundException', 'deleted');
      return { KeyMetadata: KEYS[input.KeyId] };
    });
    kms.on(GetKeyRotationStatusCommand).callsFake((input: { KeyId: string }) => {
      if (input.KeyId === 'locked') throw awsError('AccessDeniedException', 'key policy denies');
      return { KeyRotationEnabled: input.KeyId === 'rotating', RotationPeriodInDays: 365 };
    });
    sm.on(ListSecretsCommand).callsFake(
      async (input: { NextToken?: string; MaxResults?: number }, getClient) => {
        const region = await regionOf(getClient);
        expect(input.MaxResults).toBe(100);
        // An empty page that still carries a token: the next page must be read.
        if (!input.NextToken) return { SecretList: [], NextToken: 't1' };
        return {
          SecretList: [
            {
              ARN: `arn:aws:secretsmanager:${region}:123456789012:secret:db-AbCdEf`,
              Name: 'db',
              RotationEnabled: true,
              RotationRules: { AutomaticallyAfterDays: 30 },
              LastRotatedDate: ago(3),
              CreatedDate: ago(100),
            },
          ],
        };
      },
    );

    const g = await keyRotation.gather(ctx());

    // Whole regions first (readRegions), then the keys that could not be read.
    expect(g.errors).toEqual([
      { region: 'eu-west-1', api: 'kms:ListKeys', code: 'AccessDeniedException', message: 'kms denied' },
      {
        region: 'us-east-1',
        api: 'kms:GetKeyRotationStatus',
        code: 'AccessDeniedException',
        message: 'arn:aws:kms:us-east-1:123456789012:key/locked: key policy denies',
      },
    ]);
    expect(markers).toEqual([undefined, 'm1', 'm2']);
    expect(
      kms
        .commandCalls(GetKeyRotationStatusCommand)
        .map((c) => c.args[0].input.KeyId)
        .sort(),
    ).toEqual(['locked', 'plain', 'rotating']);
    const { findings, figures } = keyRotation.assess(g.facts, settings, NOW);
    const byCheck = (check: string) =>
      findings.filter((f) => f.check === check).map((f) => [f.resource.split('/').pop(), f.status]);
    expect(byCheck('kms-key-rotation')).toEqual([
      ['rotating', 'PASS'],
      ['plain', 'FAIL'],
      ['signing', 'INFO'],
      ['doomed', 'INFO'],
    ]);
    expect(byCheck('secret-rotation')).toEqual([
      ['arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf', 'PASS'],
      ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf', 'PASS'],
    ]);
    expect(findings.filter((f) => f.check === 'secret-rotation').map((f) => f.detail.region)).toEqual([
      'us-east-1',
      'eu-west-1',
    ]);
    expect(findings.filter((f) => f.check === 'access-key-age').map((f) => [f.resource, f.status])).toEqual([
      ['arn:aws:iam::123456789012:user/alice/access_key_1', 'FAIL'],
      ['arn:aws:iam::123456789012:user/ci-deploy/access_key_1', 'FAIL'],
    ]);
    expect(figures).toMatchObject({
      activeAccessKeys: 2,
      accessKeysOverMaxAge: 2,
      customerManagedKmsKeys: 5,
      awsManagedKmsKeys: 1,
      kmsKeysRotationOff: 1,
      kmsKeysRotationNotApplicable: 2,
      secrets: 2,
      secretsFailing: 0,
      reportAgeMinutes: 20,
    });
    expect(g.sources.map((s) => s.name)).toEqual(['credential-report.csv', 'kms-keys.json', 'secrets.json']);
    expect(JSON.parse(Buffer.from(g.sources[2]!.body).toString('utf8')).regions).toHaveLength(2);
  });

  it('keeps KMS findings when Secrets Manager is denied in a region, and the keys when the report fails', async () => {
    iam.on(GenerateCredentialReportCommand).rejects(awsError('AccessDenied', 'no report'));
    kms.on(ListKeysCommand).resolves({ Keys: [{ KeyId: 'plain' }] });
    kms.on(DescribeKeyCommand).resolves({ KeyMetadata: KEYS.plain });
    kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: false });
    sm.on(ListSecretsCommand).callsFake(async (_input, getClient) => {
      if ((await regionOf(getClient)) === 'us-east-1') throw awsError('AccessDeniedException', 'sm denied');
      return { SecretList: [] };
    });
    const g = await keyRotation.gather(ctx());
    expect(g.errors.map((e) => [e.region, e.api, e.code])).toEqual([
      ['global', 'iam:GetCredentialReport', 'AccessDenied'],
      ['us-east-1', 'secretsmanager:ListSecrets', 'AccessDeniedException'],
    ]);
    const { findings, figures } = keyRotation.assess(g.facts, settings, NOW);
    expect(findings.map((f) => [f.check, f.status])).toEqual([
      ['kms-key-rotation', 'FAIL'],
      ['kms-key-rotation', 'FAIL'],
    ]);
    expect(figures.activeAccessKeys).toBeUndefined();
  });

  it('shares one credential report with password-policy in the same run', async () => {
    iam.on(GetAccountPasswordPolicyCommand).resolves({ PasswordPolicy: { MinimumPasswordLength: 14 } });
    kms.on(ListKeysCommand).resolves({ Keys: [] });
    sm.on(ListSecretsCommand).resolves({ SecretList: [] });
    const memo = memoFrom(new Map());
    await passwordPolicy.gather(ctx(memo));
    await keyRotation.gather(ctx(memo));
    expect(iam.commandCalls(GetCredentialReportCommand)).toHaveLength(1);
  });

  it('declares exactly the actions it calls', () => {
    expect([...keyRotation.iamActions].sort()).toEqual([
      'iam:GenerateCredentialReport',
      'iam:GetCredentialReport',
      'kms:DescribeKey',
      'kms:GetKeyRotationStatus',
      'kms:ListKeys',
      'secretsmanager:ListSecrets',
    ]);
  });
});
