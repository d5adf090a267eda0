import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GenerateCredentialReportCommand,
  GetAccountPasswordPolicyCommand,
  GetCredentialReportCommand,
  IAMClient,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { ClientFactory } from '../../../lambdas/aws/client-factory';
import {
  assessPasswordPolicy,
  passwordPolicy,
  reducePolicy,
  type PasswordPolicyFacts,
} from '../../../lambdas/collectors/password-policy/collector';
import { memoFrom } from '../../../lambdas/run-collector';
import { DEFAULT_SETTINGS, type CollectorSettings } from '../../../lambdas/settings';
import { SAMPLE_PASSWORD_POLICY } from '../../../cli/demo/samples/password-policy';
import { awsError } from '../../helpers/regional-mock';

const NOW = new Date('2026-11-23T06:00:00Z');
const FIXTURE = readFileSync(join(__dirname, '..', '..', 'fixtures', 'credential-report.csv'), 'utf8');
const iam = mockClient(IAMClient);
beforeEach(() => iam.reset());

const STRONG = reducePolicy({
  MinimumPasswordLength: 14,
  RequireSymbols: true,
  RequireNumbers: true,
  RequireUppercaseCharacters: true,
  RequireLowercaseCharacters: true,
  PasswordReusePrevention: 24,
});

function judge(facts: PasswordPolicyFacts, min: Partial<CollectorSettings['passwordPolicy']> = {}) {
  const settings = { passwordPolicy: { ...DEFAULT_SETTINGS.passwordPolicy, ...min } };
  return assessPasswordPolicy(facts, settings, NOW);
}

function only(facts: PasswordPolicyFacts, min: Partial<CollectorSettings['passwordPolicy']> = {}) {
  const { findings } = judge(facts, min);
  expect(findings).toHaveLength(1);
  return findings[0]!;
}

function requirement(detail: Record<string, unknown>, name: string) {
  return (detail.requirements as { requirement: string }[]).find((r) => r.requirement === name);
}

describe('assessPasswordPolicy', () => {
  it('PASSes a policy meeting every minimum, recording each requirement', () => {
    const f = only({ policy: STRONG, consoleUsers: ['alice'] });
    expect(f).toMatchObject({
      resource: 'iam:account-password-policy',
      check: 'password-policy',
      status: 'PASS',
    });
    expect(f.detail.reason).toBe('the policy meets every required minimum');
    expect(requirement(f.detail, 'minimumLength')).toEqual({
      requirement: 'minimumLength',
      required: 14,
      actual: 14,
      meets: true,
    });
    expect(requirement(f.detail, 'maxAgeDays')).toEqual({
      requirement: 'maxAgeDays',
      required: null,
      actual: null,
      meets: true,
    });
    expect((f.detail.requirements as unknown[]).length).toBe(7);
  });

  it('FAILs the sample policy (8 characters, no reuse prevention) and lists both shortfalls', () => {
    const f = only({ policy: reducePolicy(SAMPLE_PASSWORD_POLICY), consoleUsers: ['alice', 'bob'] });
    expect(f.status).toBe('FAIL');
    expect(f.detail.reason).toBe(
      'minimum length is 8, required at least 14; password reuse is not prevented, required 24 remembered',
    );
    expect(requirement(f.detail, 'reusePrevention')).toMatchObject({ actual: 0, meets: false });
    expect(judge({ policy: reducePolicy(SAMPLE_PASSWORD_POLICY), consoleUsers: [] }).figures).toMatchObject({
      shortfalls: 2,
      requirementsMet: 5,
      policyPresent: 1,
    });
  });

  it.each([
    ['requireSymbols', 'symbols are not required'],
    ['requireNumbers', 'numbers are not required'],
    ['requireUppercase', 'uppercase letters are not required'],
    ['requireLowercase', 'lowercase letters are not required'],
  ] as const)(
    'FAILs a policy not requiring %s, and PASSes it when that class is not required',
    (cls, why) => {
      const weak = { ...STRONG, [cls]: false };
      expect(only({ policy: weak, consoleUsers: [] })).toMatchObject({
        status: 'FAIL',
        detail: { reason: why },
      });
      expect(only({ policy: weak, consoleUsers: [] }, { [cls]: false }).status).toBe('PASS');
    },
  );

  it('FAILs too few remembered passwords, naming the count', () => {
    const f = only({ policy: { ...STRONG, reusePrevention: 5 }, consoleUsers: [] });
    expect(f.detail.reason).toBe('5 previous passwords are remembered, required at least 24');
  });

  it('judges the maximum age only when one is required', () => {
    expect(only({ policy: STRONG, consoleUsers: [] }, { maxAgeDays: 90 })).toMatchObject({
      status: 'FAIL',
      detail: { reason: 'passwords never expire, required at most 90 days' },
    });
    expect(
      only({ policy: { ...STRONG, maxAgeDays: 180 }, consoleUsers: [] }, { maxAgeDays: 90 }).detail.reason,
    ).toBe('passwords expire after 180 days, required at most 90');
    expect(only({ policy: { ...STRONG, maxAgeDays: 60 }, consoleUsers: [] }, { maxAgeDays: 90 }).status).toBe(
      'PASS',
    );
    expect(only({ policy: { ...STRONG, maxAgeDays: 400 }, consoleUsers: [] }).status).toBe('PASS');
  });

  it('FAILs no policy while console users exist, with what they get instead', () => {
    const f = only({ policy: null, consoleUsers: ['alice', 'bob'] });
    expect(f.status).toBe('FAIL');
    expect(f.detail).toMatchObject({
      policyPresent: false,
      consoleUsers: 2,
      consoleUserNames: ['alice', 'bob'],
      awsDefaultRules: { minimumLength: 8 },
    });
    // Without a policy every required minimum is unmet; only the maximum age, not required, is met.
    const met = (f.detail.requirements as { requirement: string; meets: boolean }[]).filter((r) => r.meets);
    expect(met.map((r) => r.requirement)).toEqual(['maxAgeDays']);
    expect(requirement(f.detail, 'minimumLength')).toMatchObject({ actual: null, meets: false });
  });

  it('names at most 50 console users, only when there is no policy; the count is complete', () => {
    const many = Array.from({ length: 60 }, (_, i) => `user-${i}`);
    const none = only({ policy: null, consoleUsers: many });
    expect(none.detail.consoleUsers).toBe(60);
    expect(none.detail.consoleUserNames).toHaveLength(50);
    expect(only({ policy: STRONG, consoleUsers: many }).detail).not.toHaveProperty('consoleUserNames');
  });

  it('is INFO with no policy and no console user, WARN when console users are unknown', () => {
    expect(only({ policy: null, consoleUsers: [] })).toMatchObject({
      status: 'INFO',
      detail: { consoleUsers: 0 },
    });
    expect(only({ policy: null })).toMatchObject({ status: 'WARN', detail: { consoleUsers: null } });
    // With a policy the report is not needed to judge it.
    expect(only({ policy: STRONG }).status).toBe('PASS');
  });

  it('claims nothing when the policy could not be read', () => {
    expect(judge({ consoleUsers: ['alice'] })).toEqual({ findings: [], figures: { consoleUsers: 1 } });
  });
});

describe('password-policy gather', () => {
  const ctx = () => ({
    clients: new ClientFactory(),
    settings: DEFAULT_SETTINGS,
    now: NOW,
    memo: memoFrom(new Map()),
  });
  const report = () => {
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iam.on(GetCredentialReportCommand).resolves({
      Content: new TextEncoder().encode(FIXTURE),
      GeneratedTime: new Date('2026-11-23T05:40:00Z'),
    });
  };

  it('reads the policy and the console users of the credential report', async () => {
    report();
    iam.on(GetAccountPasswordPolicyCommand).resolves({ PasswordPolicy: SAMPLE_PASSWORD_POLICY });
    const g = await passwordPolicy.gather(ctx());
    expect(g.errors).toEqual([]);
    expect(g.facts.policy).toMatchObject({ minimumLength: 8, maxAgeDays: 90 });
    expect(g.facts.policy?.reusePrevention).toBeUndefined();
    expect(g.facts.consoleUsers).toEqual(['alice', 'bob', 'carol']);
    expect(g.sources.map((s) => s.name)).toEqual(['password-policy.json', 'credential-report.csv']);
    const { findings, figures } = passwordPolicy.assess(g.facts, DEFAULT_SETTINGS, NOW);
    expect(findings[0]!.status).toBe('FAIL');
    expect(figures).toMatchObject({ consoleUsers: 3, reportAgeMinutes: 20 });
  });

  it('takes NoSuchEntity as "no policy", a fact and not an error', async () => {
    report();
    iam.on(GetAccountPasswordPolicyCommand).rejects(
      new NoSuchEntityException({
        message: 'The Password Policy with domain name 123456789012 cannot be found.',
        $metadata: { httpStatusCode: 404 },
      }),
    );
    const g = await passwordPolicy.gather(ctx());
    expect(g.errors).toEqual([]);
    expect(g.facts.policy).toBeNull();
    expect(passwordPolicy.assess(g.facts, DEFAULT_SETTINGS, NOW).findings[0]!.status).toBe('FAIL');
  });

  it('records AccessDenied as an error entry and keeps the console users', async () => {
    report();
    iam.on(GetAccountPasswordPolicyCommand).rejects(awsError('AccessDenied', 'not authorized'));
    const g = await passwordPolicy.gather(ctx());
    expect(g.errors).toEqual([
      {
        region: 'global',
        api: 'iam:GetAccountPasswordPolicy',
        code: 'AccessDenied',
        message: 'not authorized',
      },
    ]);
    expect(g.facts.policy).toBeUndefined();
    expect(g.facts.consoleUsers).toHaveLength(3);
    expect(passwordPolicy.assess(g.facts, DEFAULT_SETTINGS, NOW).findings).toEqual([]);
  });

  it('judges the policy when the credential report fails, with an error entry for the report', async () => {
    iam.on(GenerateCredentialReportCommand).rejects(awsError('AccessDenied', 'no report'));
    iam.on(GetAccountPasswordPolicyCommand).resolves({ PasswordPolicy: SAMPLE_PASSWORD_POLICY });
    const g = await passwordPolicy.gather(ctx());
    expect(g.errors).toEqual([
      expect.objectContaining({ api: 'iam:GetCredentialReport', code: 'AccessDenied' }),
    ]);
    expect(g.facts.consoleUsers).toBeUndefined();
    expect(passwordPolicy.assess(g.facts, DEFAULT_SETTINGS, NOW).findings[0]!.status).toBe('FAIL');
  });

  it('declares exactly the actions it calls', () => {
    expect([...passwordPolicy.iamActions].sort()).toEqual([
      'iam:GenerateCredentialReport',
      'iam:GetAccountPasswordPolicy',
      'iam:GetCredentialReport',
    ]);
  });
});
