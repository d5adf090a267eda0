import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CredentialReportExpiredException,
  CredentialReportNotPresentException,
  CredentialReportNotReadyException,
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  IAMClient,
  ListVirtualMFADevicesCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { assessIamMfa, iamMfa } from '../../../lambdas/collectors/iam-mfa/collector';
import { parseCredentialReport } from '../../../lambdas/readers/credential-report/parse';
import { fetchCredentialReport } from '../../../lambdas/readers/credential-report/fetch';
import { NOW, runInTempDir } from '../../helpers/run';

const FIXTURE = readFileSync(join(__dirname, '..', '..', 'fixtures', 'credential-report.csv'), 'utf8');
const iam = mockClient(IAMClient);
const notReady = () => new CredentialReportNotReadyException({ message: 'not ready', $metadata: {} });

beforeEach(() => iam.reset());

function facts(csv: string, rootVirtualMfa: boolean | 'unknown' = false) {
  return { report: parseCredentialReport(csv), generatedAt: '2026-11-23T05:00:00.000Z', rootVirtualMfa };
}

describe('parseCredentialReport', () => {
  it('reads every sentinel without turning it into a date', () => {
    const report = parseCredentialReport(FIXTURE);
    const bob = report.users.find((u) => u.user === 'bob')!;
    expect(bob.passwordLastUsed).toBe('no_information');
    expect(bob.accessKeys[0]!.lastRotated).toBe('N/A');
    expect(report.root!.passwordEnabled).toBe('not_supported');
    expect(report.root!.passwordLastChanged).toBe('not_supported');
    expect(report.users.find((u) => u.user === 'alice')!.passwordLastUsed).toEqual(
      new Date('2026-11-22T08:15:00Z'),
    );
    expect(report.problems).toEqual([]);
  });

  it('compares booleans case-insensitively', () => {
    const bob = parseCredentialReport(FIXTURE).users.find((u) => u.user === 'bob')!;
    expect(bob.passwordEnabled).toBe(true);
    expect(bob.mfaActive).toBe(false);
  });

  it('parses by header name, so reordered and extra columns change nothing', () => {
    const rows = FIXTURE.trim()
      .split('\n')
      .map((l) => l.split(','));
    const reordered = rows
      .map((r) => [...r.slice().reverse(), r[0] === 'user' ? 'future_column' : 'x'].join(','))
      .join('\n');
    const a = parseCredentialReport(FIXTURE);
    const b = parseCredentialReport(reordered);
    expect(b.users).toEqual(a.users);
    expect(b.root).toEqual(a.root);
  });

  it('keeps the root row apart from IAM users', () => {
    const report = parseCredentialReport(FIXTURE);
    expect(report.root?.isRoot).toBe(true);
    expect(report.users.map((u) => u.user)).toEqual(['alice', 'bob', 'ci-deploy', 'carol']);
  });

  it('names a missing column instead of guessing', () => {
    const noMfa = FIXTURE.replace('mfa_active', 'mfa_status');
    expect(() => parseCredentialReport(noMfa)).toThrow('the credential report has no column mfa_active');
  });

  it('reports a row with an unexpected value and keeps the others', () => {
    const odd = FIXTURE.replace(
      'alice,arn:aws:iam::123456789012:user/alice,2020-03-01T12:00:00+00:00,true',
      'alice,arn:aws:iam::123456789012:user/alice,2020-03-01T12:00:00+00:00,maybe',
    );
    const report = parseCredentialReport(odd);
    expect(report.users.map((u) => u.user)).toEqual(['bob', 'ci-deploy', 'carol']);
    expect(report.problems).toEqual([
      'credential report row 3 (alice): password_enabled must be true or false, got "maybe"',
    ]);
  });

  it('refuses an unknown sentinel as a date', () => {
    const odd = FIXTURE.replace('no_information', 'never');
    expect(parseCredentialReport(odd).problems[0]).toContain(
      'password_last_used is neither a date nor a known sentinel: "never"',
    );
  });
});

describe('assessIamMfa', () => {
  it('fails each console user without MFA and passes those with it', () => {
    const { findings } = assessIamMfa(facts(FIXTURE), NOW);
    const consoleMfa = findings.filter((f) => f.check === 'console-mfa');
    expect(consoleMfa.map((f) => [f.detail.user, f.status])).toEqual([
      ['alice', 'PASS'],
      ['bob', 'FAIL'],
      ['carol', 'FAIL'],
    ]);
  });

  it('does not judge API-only users on console MFA but counts them in all-user figures', () => {
    const { findings, figures } = assessIamMfa(facts(FIXTURE), NOW);
    expect(findings.some((f) => f.detail.user === 'ci-deploy')).toBe(false);
    expect(figures).toEqual({
      iamUsers: 4,
      usersWithMfa: 1,
      consoleUsers: 3,
      consoleUsersWithMfa: 1,
      consoleUsersWithoutMfa: 2,
      consoleMfaAdoptionPercent: 33.3,
      reportAgeMinutes: 60,
    });
  });

  it.each([
    [false, 'hardware'],
    [true, 'virtual'],
    ['unknown' as const, 'unknown'],
  ])('records root MFA device type (virtual listed: %s → %s)', (virtual, device) => {
    const root = assessIamMfa(facts(FIXTURE, virtual), NOW).findings.find((f) => f.check === 'root-mfa')!;
    expect(root).toMatchObject({ status: 'PASS', detail: { mfaActive: true, device } });
  });

  it('fails root without MFA', () => {
    const csv = FIXTURE.replace('not_supported,true,false,N/A', 'not_supported,false,false,N/A');
    const root = assessIamMfa(facts(csv), NOW).findings.find((f) => f.check === 'root-mfa')!;
    expect(root).toMatchObject({ status: 'FAIL', detail: { device: 'none' } });
  });

  it.each([
    ['true,2025-01-01T00:00:00+00:00', 'FAIL'],
    ['false,2025-01-01T00:00:00+00:00', 'WARN'],
    ['false,N/A', 'PASS'],
  ])('judges root access keys (%s → %s)', (key1, status) => {
    const csv = FIXTURE.replace('not_supported,true,false,N/A', `not_supported,true,${key1}`);
    const keys = assessIamMfa(facts(csv), NOW).findings.find((f) => f.check === 'root-access-keys')!;
    expect(keys.status).toBe(status);
  });

  it('reports the age only when the generation time is known', () => {
    expect(assessIamMfa(facts(FIXTURE), NOW).figures.reportAgeMinutes).toBe(60);
    const { generatedAt: _dropped, ...undated } = facts(FIXTURE);
    expect(assessIamMfa(undated, NOW).figures).not.toHaveProperty('reportAgeMinutes');
  });

  it('judges nothing without a report', () => {
    expect(assessIamMfa({ rootVirtualMfa: 'unknown' }, NOW)).toEqual({ findings: [], figures: {} });
  });
});

describe('fetchCredentialReport', () => {
  const sleep = jest.fn(async (_ms: number) => undefined);
  beforeEach(() => sleep.mockClear());

  it('polls until the report is ready', async () => {
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'STARTED' });
    iam
      .on(GetCredentialReportCommand)
      .rejectsOnce(notReady())
      .rejectsOnce(notReady())
      .resolves({ Content: Buffer.from(FIXTURE), GeneratedTime: new Date('2026-11-23T06:00:00Z') });
    const report = await fetchCredentialReport(new IAMClient({}), { sleep });
    expect(Buffer.from(report.content).toString()).toBe(FIXTURE);
    expect(report.generatedAt).toBe('2026-11-23T06:00:00.000Z');
    expect(sleep.mock.calls).toEqual([[1000], [2000]]);
  });

  it.each([
    ['not present', () => new CredentialReportNotPresentException({ message: 'absent', $metadata: {} })],
    ['expired', () => new CredentialReportExpiredException({ message: 'expired', $metadata: {} })],
  ])('generates again when the report is %s', async (_label, error) => {
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'STARTED' });
    iam
      .on(GetCredentialReportCommand)
      .rejectsOnce(error())
      .resolves({ Content: Buffer.from(FIXTURE), GeneratedTime: new Date('2026-11-23T06:00:00Z') });
    await fetchCredentialReport(new IAMClient({}), { sleep });
    expect(iam.commandCalls(GenerateCredentialReportCommand)).toHaveLength(2);
  });

  it('leaves generatedAt out, rather than inventing 1970, when IAM gives no GeneratedTime', async () => {
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iam.on(GetCredentialReportCommand).resolves({ Content: Buffer.from(FIXTURE) });
    const report = await fetchCredentialReport(new IAMClient({}), { sleep });
    expect(report).not.toHaveProperty('generatedAt');
  });

  it('gives up after the bounded wait instead of looping forever', async () => {
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'INPROGRESS' });
    iam.on(GetCredentialReportCommand).rejects(notReady());
    await expect(fetchCredentialReport(new IAMClient({}), { sleep, maxWaitMs: 10_000 })).rejects.toThrow(
      'the credential report was not ready after 10 s',
    );
    expect(sleep.mock.calls.reduce((s, [ms]) => s + ms, 0)).toBe(10_000);
  });
});

describe('iam-mfa collector end to end', () => {
  beforeEach(() => {
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iam
      .on(GetCredentialReportCommand)
      .resolves({ Content: Buffer.from(FIXTURE), GeneratedTime: new Date('2026-11-23T05:00:00Z') });
  });

  it('writes the envelope and the verbatim CSV under the dated layout', async () => {
    iam
      .on(ListVirtualMFADevicesCommand)
      .resolvesOnce({
        VirtualMFADevices: [
          {
            SerialNumber: 'arn:aws:iam::123456789012:mfa/alice',
            User: {
              Arn: 'arn:aws:iam::123456789012:user/alice',
              UserName: 'alice',
              UserId: 'AIDAEXAMPLE',
              Path: '/',
              CreateDate: new Date(),
            },
          },
        ],
        IsTruncated: true,
        Marker: 'page-2',
      })
      .resolvesOnce({
        VirtualMFADevices: [
          {
            SerialNumber: 'arn:aws:iam::123456789012:mfa/root-account-mfa-device',
            User: {
              Arn: 'arn:aws:iam::123456789012:root',
              UserName: '',
              UserId: '123456789012',
              Path: '/',
              CreateDate: new Date(),
            },
          },
        ],
        IsTruncated: false,
      });
    const { written, envelopeObject, sourceObjects } = await runInTempDir(iamMfa);
    expect(envelopeObject.key).toBe('evidence/2026/11/23/iam-mfa/123456789012/global/060003Z-test-run.json');
    expect(sourceObjects.map((s) => s.key)).toEqual([
      'evidence/2026/11/23/iam-mfa/123456789012/global/060003Z-test-run--credential-report.csv',
    ]);
    expect(readFileSync(sourceObjects[0]!.location, 'utf8')).toBe(FIXTURE);
    expect(written.sources[0]).toMatchObject({
      api: 'iam:GetCredentialReport',
      generatedAt: '2026-11-23T05:00:00.000Z',
      sha256: sourceObjects[0]!.sha256,
    });
    expect(written.summary).toMatchObject({ status: 'FAIL', evaluated: 5, passed: 3, failed: 2 });
    expect(written.findings.find((f) => f.check === 'root-mfa')!.detail.device).toBe('virtual');
    // Pages of 1,000 (IAM's maximum, not its default 100) keep the call count flat in large accounts.
    expect(iam.commandCalls(ListVirtualMFADevicesCommand)[1]!.args[0].input).toEqual({
      AssignmentStatus: 'Assigned',
      Marker: 'page-2',
      MaxItems: 1000,
    });
  });

  it('records a throttled device listing as an error and keeps the MFA findings (FAIL, incomplete)', async () => {
    iam
      .on(ListVirtualMFADevicesCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
    const { written } = await runInTempDir(iamMfa);
    expect(written.summary).toMatchObject({ status: 'FAIL', complete: false });
    expect(written.errors).toEqual([
      { region: 'global', api: 'iam:ListVirtualMFADevices', code: 'Throttling', message: 'Rate exceeded' },
    ]);
    expect(written.findings.find((f) => f.check === 'root-mfa')!.detail.device).toBe('unknown');
  });

  it('writes an ERROR envelope, with the raw CSV kept, when the report cannot be read', async () => {
    iam
      .on(GetCredentialReportCommand)
      .resolves({ Content: Buffer.from('user,arn\nx,y\n'), GeneratedTime: new Date('2026-11-23T05:00:00Z') });
    const { written } = await runInTempDir(iamMfa);
    expect(written.summary.status).toBe('ERROR');
    expect(written.sources).toHaveLength(1);
    expect(written.errors[0]!.code).toBe('UnexpectedFormat');
  });

  it('still judges a report without GeneratedTime, with an error entry saying so (FAIL, incomplete)', async () => {
    iam.on(GetCredentialReportCommand).resolves({ Content: Buffer.from(FIXTURE) });
    iam.on(ListVirtualMFADevicesCommand).resolves({ VirtualMFADevices: [] });
    const { written } = await runInTempDir(iamMfa);
    expect(written.errors).toEqual([
      {
        region: 'global',
        api: 'iam:GetCredentialReport',
        code: 'UnexpectedFormat',
        message: 'GetCredentialReport returned no GeneratedTime',
      },
    ]);
    expect(written.summary).toMatchObject({ status: 'FAIL', complete: false, evaluated: 5, failed: 2 });
    expect(written.summary.figures).not.toHaveProperty('reportAgeMinutes');
  });

  it('writes an ERROR envelope when IAM refuses the report', async () => {
    iam
      .on(GenerateCredentialReportCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    const { written } = await runInTempDir(iamMfa);
    expect(written.summary.status).toBe('ERROR');
    expect(written.errors).toEqual([
      { region: 'global', api: 'iam:GetCredentialReport', code: 'AccessDenied', message: 'not authorized' },
    ]);
  });
});
