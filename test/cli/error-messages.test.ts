/**
 * The CLI's error-message corpus: each mistake a user can make with an argument, run through the real CLI in
 * a child process, must print one line that names the argument and the form it expects (commander adds its
 * "(run with --help for usage)" hint after its own parse errors), and exit 1. The children run without
 * AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED, so on Node.js 20 the one-line check also proves that the
 * CLI itself silences the SDK's eight-line Node.js version notice. None of them can reach AWS: every check
 * here fails before the first request, and AWS_ENDPOINT_URL points at a closed local port regardless.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { quietSdkNodeNotice } from '../../cli/main';
import { LocalSigner } from '../../lambdas/evidence/signer';
import { addUtcDays, utcDay } from '../../lambdas/risk-register/decision';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const README = join(ROOT, 'README.md');
const HINT = '(run with --help for usage)';

const tmp = mkdtempSync(join(tmpdir(), 'soc2-errors-'));
const aFile = join(tmp, 'plain.txt');
writeFileSync(aFile, 'not a directory');
const aKey = join(tmp, 'trusted.pem');
writeFileSync(aKey, LocalSigner.generate().publicKeyPem());
const emptyDir = join(tmp, 'empty');
mkdirSync(emptyDir);
// Just enough of a package for verify to reach its --public-key check.
const fakePackage = join(tmp, 'package');
mkdirSync(fakePackage);
writeFileSync(join(fakePackage, 'manifest.json'), '{}');
writeFileSync(join(fakePackage, 'SHA256SUMS'), '');
const userDir = join(tmp, 'user-folder');
mkdirSync(userDir);
writeFileSync(join(userDir, 'notes.txt'), 'keep me');

const PERIOD = ['--bucket', 'b', '--from', '2026-01-01', '--to', '2026-01-02'];

/** An `exception accept` that is valid but for what each case changes (its day is computed from today). */
const TODAY = utcDay(new Date());
const ACCEPT_ARGS = {
  '--check': 'console-mfa',
  '--resource': 'arn:aws:iam::123456789012:user/break-glass',
  '--owner': 'security-lead@example.com',
  '--reason': 'Hardware key kept in the safe',
  '--expires': addUtcDays(TODAY, 30),
  '--dir': join(tmp, 'exceptions'),
};
function accept(changes: Record<string, string | undefined> = {}): string[] {
  const args: Record<string, string | undefined> = { ...ACCEPT_ARGS, ...changes };
  return [
    'exception',
    'accept',
    ...Object.entries(args).flatMap(([k, v]) => (v === undefined ? [] : [k, v])),
  ];
}
const EXPIRES_FORM = `the last day the acceptance is in force, YYYY-MM-DD, after today (${TODAY} UTC) and at most 365 days ahead (${addUtcDays(TODAY, 365)})`;

/** The child's environment: region and dummy credentials from test/setup-env.ts, no SDK switch. */
function env(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9', ...overrides };
  delete e.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
  for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete e[k];
  return e;
}
const DEFAULT_ENV = env();
const NO_REGION_ENV = env({
  AWS_REGION: undefined,
  AWS_DEFAULT_REGION: undefined,
  AWS_PROFILE: undefined,
  AWS_CONFIG_FILE: '/nonexistent',
});

interface Case {
  readonly what: string;
  readonly args: readonly string[];
  /** The whole first line of stderr. */
  readonly line: string;
  /** Commander's own parse errors are followed by its usage hint. */
  readonly hint?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

const CASES: readonly Case[] = [
  {
    what: 'a month that does not exist',
    args: ['pull', '--bucket', 'b', '--from', '2026-13-01', '--to', '2026-12-31', '--out', tmp],
    line: "error: option '--from <date>' argument '2026-13-01' is invalid. month 13 does not exist (expected YYYY-MM-DD, month 01-12)",
    hint: true,
  },
  {
    what: 'a day the month does not have',
    args: ['pull', '--bucket', 'b', '--from', '2026-02-01', '--to', '2026-02-30', '--out', tmp],
    line: "error: option '--to <date>' argument '2026-02-30' is invalid. day 30 does not exist: 2026-02 has 28 days (expected YYYY-MM-DD)",
    hint: true,
  },
  {
    what: 'not a date at all',
    args: ['pull', '--bucket', 'b', '--from', 'yesterday', '--to', '2026-01-02', '--out', tmp],
    line: `error: option '--from <date>' argument 'yesterday' is invalid. expected a date YYYY-MM-DD, got "yesterday"`,
    hint: true,
  },
  {
    what: '--to before --from',
    args: ['pull', '--bucket', 'b', '--from', '2026-02-01', '--to', '2026-01-31', '--out', join(tmp, 'p1')],
    line: 'soc2-evidence: --to 2026-01-31 is before --from 2026-02-01: give the first day as --from and the last as --to (YYYY-MM-DD)',
  },
  {
    what: 'pull without a trust anchor',
    args: ['pull', ...PERIOD, '--out', join(tmp, 'p5')],
    line: "soc2-evidence: pull needs a trust anchor: --trust FILE (the signing keys pinned with 'soc2-evidence pin') or --public-key FILE; keys named by the evidence or kept in a package prove nothing",
  },
  {
    what: 'pull with no AWS region',
    args: ['pull', ...PERIOD, '--out', join(tmp, 'p2'), '--public-key', aKey],
    line: 'soc2-evidence: no AWS region is configured; set AWS_REGION or a region in your AWS profile (AWS_PROFILE)',
    env: NO_REGION_ENV,
  },
  {
    what: 'pull --public-key that is not a key',
    args: ['pull', ...PERIOD, '--out', join(tmp, 'p3'), '--public-key', README],
    line: `soc2-evidence: --public-key ${README} is not a PEM public key; expected a PEM public key (-----BEGIN PUBLIC KEY-----), e.g. from 'aws kms get-public-key', or its DER bytes`,
  },
  {
    what: 'pull --public-key that does not exist',
    args: ['pull', ...PERIOD, '--out', join(tmp, 'p4'), '--public-key', join(tmp, 'nope.pem')],
    line: `soc2-evidence: --public-key ${join(tmp, 'nope.pem')} does not exist; expected a PEM public key (-----BEGIN PUBLIC KEY-----), e.g. from 'aws kms get-public-key', or its DER bytes`,
  },
  {
    what: 'pull --out that is a file',
    args: ['pull', ...PERIOD, '--out', aFile],
    line: `soc2-evidence: --out ${aFile} is a file, not a directory: give a directory to write into`,
  },
  {
    what: 'verify a directory that does not exist',
    args: ['verify', '/nonexistent'],
    line: 'soc2-evidence: verify /nonexistent does not exist; expected the package directory written by pull (with manifest.json and SHA256SUMS)',
  },
  {
    what: 'verify a file',
    args: ['verify', aFile],
    line: `soc2-evidence: verify ${aFile} is a file, not a directory; expected the package directory written by pull (with manifest.json and SHA256SUMS)`,
  },
  {
    what: 'verify a directory that is not a package',
    args: ['verify', emptyDir],
    line: `soc2-evidence: verify ${emptyDir} is not an evidence package: it has no manifest.json or SHA256SUMS; expected the package directory written by pull`,
  },
  {
    what: 'verify --public-key that is not a key',
    args: ['verify', fakePackage, '--public-key', README],
    line: `soc2-evidence: --public-key ${README} is not a PEM public key; expected a PEM public key (-----BEGIN PUBLIC KEY-----), e.g. from 'aws kms get-public-key', or its DER bytes`,
  },
  {
    what: 'verify --public-key beside --trust',
    args: ['verify', fakePackage, '--trust', aFile, '--public-key', aKey],
    line: "soc2-evidence: --public-key cannot be given beside --trust: a --public-key key is trusted for every producer, which would undo the trust file's binding of each key to its producer; pin that key with 'soc2-evidence pin' instead, or give --public-key alone",
  },
  {
    what: 'demo --out that is a file',
    args: ['demo', '--out', aFile],
    line: `soc2-evidence: --out ${aFile} is a file, not a directory: give a directory to write into`,
  },
  {
    what: 'demo --out below a file',
    args: ['demo', '--out', join(aFile, 'sub')],
    line: `soc2-evidence: --out ${join(aFile, 'sub')} cannot be created: ${aFile} is a file, not a directory; give a directory to write into`,
  },
  {
    what: 'demo --out a folder the demo did not write',
    args: ['demo', '--out', userDir],
    line: `soc2-evidence: --out ${userDir} is not empty and holds no earlier demo output (no .soc2-evidence-demo): give a new or empty directory; the demo does not delete what it did not write`,
  },
  {
    what: 'review record --decisions that does not exist',
    args: [
      'review',
      'record',
      '--review',
      '2026-Q4',
      '--reviewer',
      'alice',
      '--decisions',
      join(tmp, 'nope.csv'),
      '--dir',
      tmp,
    ],
    line: `soc2-evidence: --decisions ${join(tmp, 'nope.csv')} does not exist; expected a decisions CSV file`,
  },
  {
    what: 'review record --decisions that is a directory',
    args: [
      'review',
      'record',
      '--review',
      '2026-Q4',
      '--reviewer',
      'alice',
      '--decisions',
      tmp,
      '--dir',
      tmp,
    ],
    line: `soc2-evidence: --decisions ${tmp} is a directory, not a file; expected a decisions CSV file`,
  },
  {
    what: 'exception accept --check that is not in the catalogue',
    args: accept({ '--check': 'no-such-check' }),
    line: 'soc2-evidence: --check "no-such-check" is not a check id of the catalogue (soc2-evidence controls lists them)',
  },
  {
    what: 'exception accept --owner that is not an email address',
    args: accept({ '--owner': 'alice' }),
    line: 'soc2-evidence: --owner must be an email address such as security-lead@example.com, got "alice"',
  },
  {
    what: 'exception accept --reason that is blank',
    args: accept({ '--reason': '  ' }),
    line: 'soc2-evidence: --reason must say why, in 1 to 1000 characters; got 2 characters',
  },
  {
    what: 'exception accept --expires in the past',
    args: accept({ '--expires': '2020-01-01' }),
    line: `soc2-evidence: --expires 2020-01-01 is not after today (${TODAY} UTC); expected ${EXPIRES_FORM}`,
  },
  {
    what: 'exception accept --expires more than a year ahead',
    args: accept({ '--expires': addUtcDays(TODAY, 366) }),
    line: `soc2-evidence: --expires ${addUtcDays(TODAY, 366)} is more than 365 days ahead; the latest is ${addUtcDays(TODAY, 365)} (record a new acceptance then)`,
  },
  {
    what: 'exception accept --expires that is not a date',
    args: accept({ '--expires': '2027-02-30' }),
    line: "error: option '--expires <YYYY-MM-DD>' argument '2027-02-30' is invalid. day 30 does not exist: 2027-02 has 28 days (expected YYYY-MM-DD)",
    hint: true,
  },
  {
    what: 'exception accept without --expires',
    args: accept({ '--expires': undefined }),
    line: "error: required option '--expires <YYYY-MM-DD>' not specified",
    hint: true,
  },
  {
    what: 'exception accept with neither --stack nor --dir',
    args: accept({ '--dir': undefined }),
    line: 'soc2-evidence: give exactly one of --stack NAME (the deployed risk register signs the record) or --dir PATH (written locally, unsigned)',
  },
  {
    what: 'exception accept --account that is not an account id',
    args: accept({ '--account': '1234' }),
    line: `error: option '--account <id>' argument '1234' is invalid. expected a 12-digit account id, got "1234"`,
    hint: true,
  },
  {
    what: 'exception accept --stack with no AWS region',
    args: accept({ '--dir': undefined, '--stack': 'Soc2Evidence' }),
    line: 'soc2-evidence: no AWS region is configured; set AWS_REGION or a region in your AWS profile (AWS_PROFILE)',
    env: NO_REGION_ENV,
  },
  {
    what: 'exception revoke with --expires',
    args: ['exception', 'revoke', ...accept().slice(2)],
    line: "error: unknown option '--expires'",
    hint: true,
  },
];

interface Result {
  readonly code: number;
  readonly stderr: string;
}

/**
 * The cases run in as few child processes as there are environments (each child loads the CLI once and runs
 * its cases one after another through the real `main`; see test/helpers/cli-batch.cjs): a child per case
 * spent a second or two of CPU each just loading the CLI.
 */
function runBatch(cases: readonly Case[], childEnv: NodeJS.ProcessEnv, n: number): Promise<Result[]> {
  const casesFile = join(tmp, `batch-${n}.json`);
  const resultsFile = join(tmp, `batch-${n}-results.json`);
  writeFileSync(casesFile, JSON.stringify(cases.map((c) => c.args)));
  return run(process.execPath, [join(ROOT, 'test', 'helpers', 'cli-batch.cjs'), casesFile, resultsFile], {
    cwd: tmp,
    env: childEnv,
  }).then(
    (r) => {
      const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as Result[];
      // The SDK's Node.js notice is printed once per process, to the real stderr: a batch shows it here.
      return results.map((res) => ({ ...res, stderr: res.stderr + r.stderr }));
    },
    (e: { code: number; stderr: string }) =>
      cases.map(() => ({ code: e.code, stderr: `the batch failed: ${e.stderr}` })),
  );
}

let results: Promise<Result>[];
beforeAll(() => {
  const envs = [...new Set(CASES.map((c) => c.env ?? DEFAULT_ENV))];
  const batches = envs.map((e, n) =>
    runBatch(
      CASES.filter((c) => (c.env ?? DEFAULT_ENV) === e),
      e,
      n,
    ),
  );
  results = CASES.map(async (c) => {
    const e = c.env ?? DEFAULT_ENV;
    const n = envs.indexOf(e);
    const inBatch = CASES.filter((x) => (x.env ?? DEFAULT_ENV) === e).indexOf(c);
    return (await batches[n]!)[inBatch]!;
  });
});
afterAll(async () => {
  await Promise.allSettled(results);
});

describe('CLI error messages', () => {
  it.each(CASES.map((c, i) => [c.what, c, i] as const))(
    '%s: one line naming the argument and the expected form, exit 1',
    async (_what, c, i) => {
      const result = await results[i]!;
      const lines = result.stderr.split('\n').filter((l) => l !== '');
      expect(lines).toEqual(c.hint ? [c.line, HINT] : [c.line]);
      expect(result.code).toBe(1);
    },
  );
});

describe("the AWS SDK's Node.js version notice", () => {
  it('is switched off by the CLI unless the user set the switch themselves', () => {
    const fresh: NodeJS.ProcessEnv = {};
    quietSdkNodeNotice(fresh);
    expect(fresh).toEqual({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
    const chosen: NodeJS.ProcessEnv = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' };
    quietSdkNodeNotice(chosen);
    expect(chosen).toEqual({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' });
  });
});
