import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sha256Hex } from '../../lambdas/evidence/canonical-json';
import type { Envelope } from '../../lambdas/evidence/envelope';
import { expectValidEnvelope } from '../helpers/envelope-schema';
import { startFakeEndpoint, type FakeEndpoint } from '../helpers/fake-aws-endpoint';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const CSV = readFileSync(join(__dirname, '..', 'fixtures', 'credential-report.csv'));

function cli(args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, [join(ROOT, 'bin', 'soc2-evidence.cjs'), ...args], {
    cwd: ROOT,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1))
    .sort();
}

describe('soc2-evidence collect against an AWS-compatible endpoint (AWS_ENDPOINT_URL)', () => {
  let endpoint: FakeEndpoint;
  beforeAll(async () => {
    endpoint = await startFakeEndpoint({
      GetCallerIdentity: () =>
        '<Account>123456789012</Account><Arn>arn:aws:iam::123456789012:user/alice</Arn><UserId>AIDAEXAMPLE</UserId>',
      GenerateCredentialReport: () => '<State>COMPLETE</State>',
      GetCredentialReport: () =>
        `<Content>${CSV.toString('base64')}</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>2026-11-23T05:00:00Z</GeneratedTime>`,
      ListVirtualMFADevices: () => '<VirtualMFADevices></VirtualMFADevices><IsTruncated>false</IsTruncated>',
    });
  });
  afterAll(() => endpoint.close());

  it('writes an envelope plus the raw CSV under the dated layout', async () => {
    const out = mkdtempSync(join(tmpdir(), 'soc2-collect-'));
    const result = await cli(['collect', 'iam-mfa', '--dir', out], { AWS_ENDPOINT_URL: endpoint.url });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^iam-mfa\s+FAIL\s+evaluated 5, passed 3, failed 2, warnings 0, errors 0 /);
    const written = files(out);
    expect(written).toHaveLength(2);
    expect(written[0]).toMatch(
      /^evidence\/\d{4}\/\d{2}\/\d{2}\/iam-mfa\/123456789012\/global\/\d{6}Z-[0-9a-f-]+--credential-report\.csv$/,
    );
    expect(written[1]).toMatch(
      /^evidence\/\d{4}\/\d{2}\/\d{2}\/iam-mfa\/123456789012\/global\/\d{6}Z-[0-9a-f-]+\.json$/,
    );
    const envelope = JSON.parse(readFileSync(join(out, written[1]!), 'utf8')) as Envelope;
    expectValidEnvelope(envelope);
    expect(envelope.sources[0]!.sha256).toBe(sha256Hex(readFileSync(join(out, written[0]!))));
    expect(envelope.schedule).toEqual({ expression: 'cron(0 6 * * ? *)', timeZone: 'UTC' });
    expect(endpoint.calls).toEqual([
      'GetCallerIdentity',
      'GenerateCredentialReport',
      'GetCredentialReport',
      'ListVirtualMFADevices',
    ]);
  });

  it.each<[string[], string]>([
    [
      ['collect', 'iam-mfaa', '--dir', 'x'],
      'soc2-evidence: unknown collector "iam-mfaa"; known collectors: iam-mfa',
    ],
    [['collect', 'iam-mfa'], 'soc2-evidence: give exactly one of --bucket NAME or --dir PATH'],
    [['collect', '--dir', 'x'], 'soc2-evidence: name at least one collector'],
    [['collect', 'iam-mfa', '--dir', 'x', '--regions', 'moon-1'], 'expected comma-separated region codes'],
    [['collect', 'iam-mfa', '--dir', 'x', '--config', 'missing.json'], 'does not exist'],
  ])('refuses %j with one clear line and a non-zero exit', async (args, message) => {
    const result = await cli(args, { AWS_ENDPOINT_URL: endpoint.url });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('a machine with no AWS setup', () => {
  it.each([
    [
      ['collect', 'iam-mfa', '--dir', 'x'],
      'no AWS region is configured; set AWS_REGION or a region in your AWS profile',
    ],
    [
      ['pull', '--bucket', 'b', '--from', '2026-01-01', '--to', '2026-01-02', '--out', 'x'],
      'no AWS region is configured',
    ],
    [
      [
        'pull',
        '--bucket',
        'b',
        '--from',
        '2026-01-01',
        '--to',
        '2026-01-02',
        '--out',
        'x',
        '--collector',
        'nope',
      ],
      'unknown collector "nope"; known: iam-mfa',
    ],
  ])('says what to do for %j, in one line', async (args, message) => {
    const env: Record<string, string | undefined> = { ...process.env, AWS_CONFIG_FILE: '/nonexistent' };
    delete env.AWS_REGION;
    delete env.AWS_DEFAULT_REGION;
    delete env.AWS_PROFILE;
    const result = await run(process.execPath, [join(ROOT, 'bin', 'soc2-evidence.cjs'), ...args], {
      cwd: ROOT,
      env,
    }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
