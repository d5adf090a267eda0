import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GenerateCredentialReportCommand, GetCredentialReportCommand, IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { ClientFactory } from '../../../lambdas/aws/client-factory';
import { parseCredentialReport } from '../../../lambdas/readers/credential-report/parse';
import { assessIamMfa, iamMfa } from '../../../lambdas/collectors/iam-mfa/collector';
import {
  assessInactiveUsers,
  inactiveUsers,
  userActivity,
} from '../../../lambdas/collectors/inactive-users/collector';
import { COLLECTOR_IDS } from '../../../lambdas/collectors/registry';
import { DirectoryStore } from '../../../lambdas/evidence/directory-store';
import { runCollector } from '../../../lambdas/run-collector';
import { DEFAULT_SETTINGS } from '../../../lambdas/settings';
import { NOW, runInTempDir } from '../../helpers/run';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

const DAY = 86_400_000;
const ago = (days: number, extraMs = 0) => new Date(NOW.getTime() - days * DAY - extraMs).toISOString();

interface Row {
  user?: string;
  created?: string;
  pwEnabled?: string;
  pwUsed?: string;
  pwChanged?: string;
  k1Active?: string;
  k1Rotated?: string;
  k1Used?: string;
  k2Active?: string;
  k2Rotated?: string;
  k2Used?: string;
}

function row(r: Row): string {
  const user = r.user ?? 'dave';
  const arn =
    user === '<root_account>' ? 'arn:aws:iam::123456789012:root' : `arn:aws:iam::123456789012:user/${user}`;
  const used = (v: string | undefined) =>
    v && v !== 'N/A' ? [v, 'us-east-1', 'iam'] : ['N/A', 'N/A', 'N/A'];
  return [
    user,
    arn,
    r.created ?? ago(1000),
    r.pwEnabled ?? 'false',
    r.pwUsed ?? 'N/A',
    r.pwChanged ?? 'N/A',
    'N/A',
    'false',
    r.k1Active ?? 'false',
    r.k1Rotated ?? 'N/A',
    ...used(r.k1Used),
    r.k2Active ?? 'false',
    r.k2Rotated ?? 'N/A',
    ...used(r.k2Used),
    'false',
    'N/A',
    'false',
    'N/A',
  ].join(',');
}

function report(...rows: Row[]) {
  return {
    report: parseCredentialReport([HEADER, ...rows.map(row)].join('\n')),
    generatedAt: ago(0, 3_600_000),
  };
}

function assess(...rows: Row[]) {
  const facts = report(...rows);
  expect(facts.report.problems).toEqual([]);
  return assessInactiveUsers(facts, { inactiveAfterDays: 90 }, NOW);
}

function only(rows: Row, check: string) {
  const found = assess(rows).findings.filter((f) => f.check === check);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('assessInactiveUsers: console passwords', () => {
  it.each([
    ['used today', { pwUsed: ago(0) }, 'PASS'],
    ['used exactly 90 days ago', { pwUsed: ago(90) }, 'PASS'],
    ['used 91 days ago', { pwUsed: ago(91) }, 'FAIL'],
    ['used 90 days and one second ago', { pwUsed: ago(90, 1000) }, 'FAIL'],
    ['never used (no_information), set yesterday', { pwUsed: 'no_information', pwChanged: ago(1) }, 'PASS'],
    [
      'never used (no_information), set 200 days ago',
      { pwUsed: 'no_information', pwChanged: ago(200) },
      'FAIL',
    ],
    ['never used (N/A), set 200 days ago', { pwUsed: 'N/A', pwChanged: ago(200) }, 'FAIL'],
    [
      'never used, no change date, user created yesterday',
      { pwUsed: 'no_information', pwChanged: 'N/A', created: ago(1) },
      'PASS',
    ],
    [
      'never used, no change date, user created 200 days ago',
      { pwUsed: 'no_information', pwChanged: 'N/A', created: ago(200) },
      'FAIL',
    ],
    [
      'never used, not_supported change date, created 200 days ago',
      { pwUsed: 'no_information', pwChanged: 'not_supported', created: ago(200) },
      'FAIL',
    ],
  ] as const)('%s → %s', (_name, r, status) => {
    const f = only({ pwEnabled: 'true', ...r }, 'console-password-inactive');
    expect(f.status).toBe(status);
    expect(f.resource).toBe('arn:aws:iam::123456789012:user/dave');
    expect(f.detail.inactiveAfterDays).toBe(90);
  });

  it('ignores a password that is not enabled, even with an old last use', () => {
    const result = assess({ pwEnabled: 'false', pwUsed: ago(400), pwChanged: ago(500) });
    expect(result.findings.map((f) => f.check)).toEqual(['no-credentials']);
  });

  it('records when it was last used and whether it never was', () => {
    const never = only(
      { pwEnabled: 'true', pwUsed: 'no_information', pwChanged: ago(200) },
      'console-password-inactive',
    );
    expect(never.detail).toMatchObject({ lastUsed: null, neverUsed: true, issued: ago(200), idleDays: 200 });
    const used = only({ pwEnabled: 'true', pwUsed: ago(91) }, 'console-password-inactive');
    expect(used.detail).toMatchObject({ lastUsed: ago(91), neverUsed: false, idleDays: 91 });
  });
});

describe('assessInactiveUsers: access keys', () => {
  it.each([
    ['used yesterday', { k1Used: ago(1), k1Rotated: ago(400) }, 'PASS'],
    ['used exactly 90 days ago', { k1Used: ago(90), k1Rotated: ago(400) }, 'PASS'],
    ['used 91 days ago', { k1Used: ago(91), k1Rotated: ago(400) }, 'FAIL'],
    ['never used (N/A), issued yesterday', { k1Used: 'N/A', k1Rotated: ago(1) }, 'PASS'],
    // The case Prowler lets pass: a never-used active key is not a recently used one.
    ['never used (N/A), issued 200 days ago', { k1Used: 'N/A', k1Rotated: ago(200) }, 'FAIL'],
    ['never used, issued exactly 90 days ago', { k1Used: 'N/A', k1Rotated: ago(90) }, 'PASS'],
    [
      'never used, no rotation date, user created 200 days ago',
      { k1Used: 'N/A', k1Rotated: 'N/A', created: ago(200) },
      'FAIL',
    ],
  ] as const)('%s → %s', (_name, r, status) => {
    const f = only({ k1Active: 'true', ...r }, 'access-key-inactive');
    expect(f.status).toBe(status);
    expect(f.detail.accessKey).toBe('access_key_1');
  });

  it('ignores an Inactive key (access_key_N_active=false), however stale', () => {
    const result = assess({
      k1Active: 'false',
      k1Rotated: ago(900),
      k1Used: ago(800),
      k2Active: 'true',
      k2Rotated: ago(10),
      k2Used: ago(2),
    });
    const keys = result.findings.filter((f) => f.check === 'access-key-inactive');
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ status: 'PASS', detail: { accessKey: 'access_key_2' } });
    expect(result.figures.inactiveUsers).toBe(0);
  });

  it('judges each of two active keys separately', () => {
    const result = assess({
      k1Active: 'true',
      k1Rotated: ago(400),
      k1Used: ago(1),
      k2Active: 'TRUE',
      k2Rotated: ago(300),
      k2Used: 'N/A',
    });
    expect(result.findings.map((f) => [f.detail.accessKey, f.status])).toEqual([
      ['access_key_1', 'PASS'],
      ['access_key_2', 'FAIL'],
    ]);
    expect(result.figures).toMatchObject({ inactiveAccessKeys: 1, inactiveUsers: 0 });
  });
});

describe('assessInactiveUsers: users and root', () => {
  it('records a user with no credentials at all as INFO, not a judgement', () => {
    const result = assess({ k1Active: 'false', k1Rotated: ago(300) });
    expect(result.findings).toEqual([expect.objectContaining({ check: 'no-credentials', status: 'INFO' })]);
    expect(result.figures).toMatchObject({ iamUsers: 1, usersWithoutCredentials: 1, inactiveUsers: 0 });
  });

  it.each([
    ['password used 10 days ago', { pwUsed: ago(10) }, 'WARN'],
    ['password used exactly 90 days ago', { pwUsed: ago(90) }, 'WARN'],
    ['password used 91 days ago', { pwUsed: ago(91) }, 'PASS'],
    ['password never used (no_information)', { pwUsed: 'no_information' }, 'PASS'],
    [
      'password N/A, active key used 5 days ago',
      { pwUsed: 'N/A', k1Active: 'true', k1Rotated: ago(500), k1Used: ago(5) },
      'WARN',
    ],
    [
      'inactive key used 5 days ago does not count',
      { pwUsed: 'N/A', k1Active: 'false', k1Rotated: ago(500), k1Used: ago(5) },
      'PASS',
    ],
  ] as const)('root %s → root-recently-used %s', (_name, r, status) => {
    const f = only(
      { user: '<root_account>', pwEnabled: 'not_supported', pwChanged: 'not_supported', ...r },
      'root-recently-used',
    );
    expect(f.status).toBe(status);
    if (status === 'WARN') expect(f.detail.lastUsed).toEqual(expect.any(String));
  });

  it.each([
    ['no keys', {}, 'PASS'],
    ['an active key', { k1Active: 'true', k1Rotated: ago(500), k1Used: 'N/A' }, 'FAIL'],
    ['an inactive key only', { k2Active: 'false', k2Rotated: ago(500) }, 'WARN'],
  ] as const)('root with %s → root-access-keys %s', (_name, r, status) => {
    const f = only(
      { user: '<root_account>', pwEnabled: 'not_supported', pwChanged: 'not_supported', ...r },
      'root-access-keys',
    );
    expect(f.status).toBe(status);
  });

  it.each([
    ['no keys', {}],
    ['an active key', { k1Active: 'true', k1Rotated: ago(500), k1Used: 'N/A' }],
    ['an inactive key only', { k2Active: 'false', k2Rotated: ago(500) }],
    ['one of each', { k1Active: 'true', k1Rotated: ago(9), k2Active: 'false', k2Rotated: ago(500) }],
  ] as const)('root with %s: iam-mfa and inactive-users give the same root-access-keys finding', (_n, r) => {
    const facts = report({
      user: '<root_account>',
      pwEnabled: 'not_supported',
      pwChanged: 'not_supported',
      ...r,
    });
    const fromInactive = assessInactiveUsers(facts, { inactiveAfterDays: 90 }, NOW).findings.filter(
      (f) => f.check === 'root-access-keys',
    );
    const fromMfa = assessIamMfa({ ...facts, rootVirtualMfa: 'unknown' }, NOW).findings.filter(
      (f) => f.check === 'root-access-keys',
    );
    expect(fromInactive).toHaveLength(1);
    expect(fromMfa).toEqual(fromInactive);
  });

  it('keeps root out of the IAM user findings and figures', () => {
    const result = assess(
      { user: '<root_account>', pwEnabled: 'not_supported', pwChanged: 'not_supported', pwUsed: ago(400) },
      { user: 'erin', pwEnabled: 'true', pwUsed: ago(1) },
    );
    expect(result.figures.iamUsers).toBe(1);
    expect(result.findings.filter((f) => f.resource.endsWith(':root')).map((f) => f.check)).toEqual([
      'root-recently-used',
      'root-access-keys',
    ]);
  });

  it('judges nothing when there is no report', () => {
    expect(assessInactiveUsers({}, { inactiveAfterDays: 90 }, NOW)).toEqual({ findings: [], figures: {} });
  });

  it('uses the configured threshold', () => {
    const facts = report({ pwEnabled: 'true', pwUsed: ago(31) });
    expect(assessInactiveUsers(facts, { inactiveAfterDays: 30 }, NOW).findings[0]!.status).toBe('FAIL');
    expect(assessInactiveUsers(facts, { inactiveAfterDays: 31 }, NOW).findings[0]!.status).toBe('PASS');
  });
});

describe('userActivity', () => {
  const user = (r: Row) => report(r).report.users[0]!;

  it('takes the latest use of the enabled password and active keys, ignoring inactive keys', () => {
    const a = userActivity(
      user({
        pwEnabled: 'true',
        pwUsed: ago(50),
        k1Active: 'true',
        k1Rotated: ago(400),
        k1Used: ago(20),
        k2Active: 'false',
        k2Rotated: ago(400),
        k2Used: ago(1),
      }),
      NOW,
      90,
    );
    expect(a.lastActivity).toEqual(new Date(ago(20)));
    expect(a.inactive).toBe(false);
  });

  it('is inactive only when every credential is stale', () => {
    expect(
      userActivity(
        user({ pwEnabled: 'true', pwUsed: ago(200), k1Active: 'true', k1Rotated: ago(10) }),
        NOW,
        90,
      ).inactive,
    ).toBe(false);
    const stale = userActivity(
      user({ pwEnabled: 'true', pwUsed: ago(200), k1Active: 'true', k1Rotated: ago(300) }),
      NOW,
      90,
    );
    expect(stale).toMatchObject({ inactive: true, hasCredentials: true, lastActivity: new Date(ago(200)) });
  });

  it('never calls a user without credentials inactive, and has no last activity for never-used ones', () => {
    expect(userActivity(user({}), NOW, 90)).toMatchObject({
      inactive: false,
      hasCredentials: false,
      lastActivity: null,
    });
    expect(
      userActivity(user({ pwEnabled: 'true', pwUsed: 'no_information', pwChanged: ago(5) }), NOW, 90),
    ).toMatchObject({ inactive: false, lastActivity: null });
  });
});

describe('inactive-users collector', () => {
  const iam = mockClient(IAMClient);
  const FIXTURE = readFileSync(join(__dirname, '..', '..', 'fixtures', 'credential-report.csv'));
  beforeEach(() => {
    iam.reset();
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iam
      .on(GetCredentialReportCommand)
      .resolves({ Content: FIXTURE, GeneratedTime: new Date('2026-11-23T05:00:00Z') });
  });

  it('is registered with its controls, frequency and exact IAM actions', () => {
    expect(COLLECTOR_IDS).toContain('inactive-users');
    expect(inactiveUsers).toMatchObject({
      controls: ['CC6.2', 'CC6.3'],
      scope: 'global',
      frequency: 'daily',
    });
    expect(inactiveUsers.iamActions).toEqual(['iam:GenerateCredentialReport', 'iam:GetCredentialReport']);
  });

  it('writes a valid envelope with the threshold in its policy and the report as a source', async () => {
    const { written } = await runInTempDir(inactiveUsers, { inactiveAfterDays: 60 });
    expect(written.collector).toBe('inactive-users');
    expect(written.policy).toMatchObject({ inactiveAfterDays: 60 });
    expect(written.sources.map((s) => s.name)).toEqual(['credential-report.csv']);
    const byUser = (u: string) =>
      written.findings.filter((f) => f.detail.user === u).map((f) => [f.check, f.status]);
    expect(byUser('alice')).toEqual([
      ['console-password-inactive', 'PASS'],
      ['access-key-inactive', 'PASS'],
    ]);
    // bob: console password never used, set in 2021.
    expect(byUser('bob')).toEqual([['console-password-inactive', 'FAIL']]);
    // ci-deploy: an active key never used since 2022 must not pass.
    expect(byUser('ci-deploy')).toEqual([['access-key-inactive', 'FAIL']]);
    // carol: the old key is Inactive and ignored; the password was used 53 days before NOW.
    expect(byUser('carol')).toEqual([['console-password-inactive', 'PASS']]);
    expect(written.findings.find((f) => f.check === 'root-recently-used')).toMatchObject({
      status: 'WARN',
      detail: { lastUsed: '2026-11-01T10:00:00.000Z' },
    });
    expect(written.summary).toMatchObject({
      status: 'FAIL',
      failed: 2,
      figures: { inactiveUsers: 2, reportAgeMinutes: 60 },
    });
  });

  it('judges a report without GeneratedTime, records that as an error, and invents no age', async () => {
    iam.on(GetCredentialReportCommand).resolves({ Content: FIXTURE });
    const { written } = await runInTempDir(inactiveUsers);
    expect(written.errors).toEqual([
      {
        region: 'global',
        api: 'iam:GetCredentialReport',
        code: 'UnexpectedFormat',
        message: 'GetCredentialReport returned no GeneratedTime',
      },
    ]);
    expect(written.summary).toMatchObject({ status: 'FAIL', complete: false, failed: 2 });
    expect(written.summary.figures).not.toHaveProperty('reportAgeMinutes');
    expect(written.sources[0]).not.toHaveProperty('generatedAt');
    expect(JSON.stringify(written)).not.toContain('1970');
  });

  it('writes an ERROR envelope when the report cannot be had', async () => {
    iam
      .on(GenerateCredentialReportCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    const { written } = await runInTempDir(inactiveUsers);
    expect(written.summary.status).toBe('ERROR');
    expect(written.errors[0]).toMatchObject({ api: 'iam:GetCredentialReport', code: 'AccessDenied' });
  });

  it('shares one credential report with iam-mfa in the same run', async () => {
    const memo = new Map<string, Promise<unknown>>();
    const store = new DirectoryStore(mkdtempSync(join(tmpdir(), 'soc2-inactive-')));
    const clients = new ClientFactory();
    const ctx = { clients, store, account: '123456789012', settings: DEFAULT_SETTINGS, memo, now: () => NOW };
    await runCollector(iamMfa, { ...ctx, runId: 'run-a' });
    await runCollector(inactiveUsers, { ...ctx, runId: 'run-b' });
    expect(iam.commandCalls(GenerateCredentialReportCommand)).toHaveLength(1);
    expect(iam.commandCalls(GetCredentialReportCommand)).toHaveLength(1);
  });
});
