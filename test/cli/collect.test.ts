import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sha256Hex } from '../../lambdas/evidence/canonical-json';
import { LocalSigner } from '../../lambdas/evidence/signer';
import type { Envelope } from '../../lambdas/evidence/envelope';
import { expectValidEnvelope } from '../helpers/envelope-schema';
import { startFakeEndpoint, type FakeEndpoint } from '../helpers/fake-aws-endpoint';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const CSV = readFileSync(join(__dirname, '..', 'fixtures', 'credential-report.csv'));

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real CLI (bin/soc2-evidence.cjs) in a child process, `env` added to the environment; never rejects. */
function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
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
});

/** Where the refused runs would write: a scratch folder, never the checkout (the CLI runs with cwd ROOT). */
const X = join(mkdtempSync(join(tmpdir(), 'soc2-cli-refused-')), 'x');
const KEY = join(X, '..', 'trusted.pem');
writeFileSync(KEY, LocalSigner.generate().publicKeyPem());

const REFUSALS: [string[], string][] = [
  [
    ['collect', 'iam-mfaa', '--dir', X],
    'soc2-evidence: unknown collector "iam-mfaa"; known collectors: iam-mfa',
  ],
  [['collect', 'iam-mfa'], 'soc2-evidence: give exactly one of --bucket NAME or --dir PATH'],
  [['collect', '--dir', X], 'soc2-evidence: name at least one collector'],
  [['collect', 'iam-mfa', '--dir', X, '--regions', 'moon-1'], 'expected comma-separated region codes'],
  [['collect', 'iam-mfa', '--dir', X, '--config', 'missing.json'], 'does not exist'],
];

const NO_SETUP: [string[], string][] = [
  [
    ['collect', 'iam-mfa', '--dir', X],
    'no AWS region is configured; set AWS_REGION or a region in your AWS profile',
  ],
  [
    ['pull', '--bucket', 'b', '--from', '2026-01-01', '--to', '2026-01-02', '--out', X, '--public-key', KEY],
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
      X,
      '--collector',
      'nope',
    ],
    'unknown collector "nope"; known: iam-mfa',
  ],
];

/** The environment of a machine with no AWS setup: no region, no profile, no config file. */
function noSetupEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_CONFIG_FILE: '/nonexistent' };
  delete env.AWS_REGION;
  delete env.AWS_DEFAULT_REGION;
  delete env.AWS_PROFILE;
  return env;
}

/**
 * Runs `cases` through the real `main` in one child process (test/helpers/cli-batch.cjs: each case with fresh
 * stdout and stderr captures and exit code), with `env` as its whole environment. Loading the CLI costs seconds
 * of CPU: a batch pays it once for all its cases where a child per case paid it each time. Never rejects.
 */
function cliBatch(cases: readonly string[][], env: NodeJS.ProcessEnv, name: string): Promise<CliResult[]> {
  const casesFile = join(X, '..', `${name}.json`);
  const resultsFile = join(X, '..', `${name}-results.json`);
  writeFileSync(casesFile, JSON.stringify(cases));
  return run(process.execPath, [join(ROOT, 'test', 'helpers', 'cli-batch.cjs'), casesFile, resultsFile], {
    cwd: ROOT,
    env,
  }).then(
    (r) =>
      // What the child printed to its real stderr (outside any case) counts against every case.
      (JSON.parse(readFileSync(resultsFile, 'utf8')) as CliResult[]).map((res) => ({
        ...res,
        stderr: res.stderr + r.stderr,
      })),
    (e: { code: number; stdout: string; stderr: string }) =>
      cases.map(() => ({ code: e.code, stdout: e.stdout, stderr: `the batch failed: ${e.stderr}` })),
  );
}

// The refusals run in one child and the no-setup runs in another (one environment each), started at once
// before the tests; each test awaits its own result. They point at an endpoint of their own that answers
// nothing, so none of them can reach AWS or touch the calls counted above.
let refusalEndpoint: FakeEndpoint;
let refusals: Promise<CliResult[]>;
let noSetup: Promise<CliResult[]>;
beforeAll(async () => {
  refusalEndpoint = await startFakeEndpoint({});
  refusals = cliBatch(
    REFUSALS.map(([args]) => args),
    {
      ...process.env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_ENDPOINT_URL: refusalEndpoint.url,
    },
    'refusals',
  );
  noSetup = cliBatch(
    NO_SETUP.map(([args]) => args),
    noSetupEnv(),
    'no-setup',
  );
});
afterAll(async () => {
  await Promise.all([refusals, noSetup]);
  await refusalEndpoint.close();
});

describe('soc2-evidence collect refusals', () => {
  it.each(REFUSALS.map(([args, message], i) => [args, message, i] as const))(
    'refuses %j with one clear line and a non-zero exit',
    async (_args, message, i) => {
      const result = (await refusals)[i]!;
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    },
  );
});

describe('a machine with no AWS setup', () => {
  it.each(NO_SETUP.map(([args, message], i) => [args, message, i] as const))(
    'says what to do for %j, in one line',
    async (_args, message, i) => {
      const result = (await noSetup)[i]!;
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    },
  );
});
