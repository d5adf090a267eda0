import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { recordException, type ExceptionOptions } from '../../cli/exception';
import { buildProgram } from '../../cli/main';
import type { Envelope } from '../../lambdas/evidence/envelope';
import { decisionOf } from '../../lambdas/evidence/risk-acceptance';
import { decisionDigest } from '../../lambdas/risk-register/decision';
import { DECISION_HEADER, signedHeadersOf } from '../../lambdas/risk-register/identity';
import { registerDecision, type RegisterRequest } from '../../lambdas/risk-register/record';
import { MemoryStore } from '../evidence/memory-store';
import {
  ACCEPT,
  ACCOUNT,
  CALLER_ARN,
  fakeSts,
  NOW,
  REVOKE,
  STATIC_STS,
  stsXml,
} from '../risk-register/fixtures';

const lambda = mockClient(LambdaClient);
const tmp = () => mkdtempSync(join(tmpdir(), 'soc2-exception-'));
const OPTIONS: ExceptionOptions = {
  check: ACCEPT.check,
  resource: ACCEPT.resource,
  owner: ACCEPT.owner,
  reason: ACCEPT.reason,
  expires: ACCEPT.expires!,
};
const deps = { now: NOW, sts: STATIC_STS, login: () => 'alice' };

beforeEach(() => lambda.reset());

function runCli(args: string[]): Promise<string[]> {
  const lines: string[] = [];
  return buildProgram((l) => lines.push(l))
    .parseAsync(['node', 'soc2-evidence', ...args])
    .then(() => lines);
}

describe('exception accept|revoke --dir', () => {
  it('writes an unsigned acceptance, then a revocation, that decisionOf reads back, naming the local login', async () => {
    const dir = tmp();
    const out: string[] = [];
    expect(
      await recordException('accept', { ...OPTIONS, dir, account: ACCOUNT }, (l) => out.push(l), deps),
    ).toBe(0);
    expect(
      await recordException(
        'revoke',
        {
          ...OPTIONS,
          expires: undefined,
          resource: REVOKE.resource,
          reason: REVOKE.reason,
          dir,
          account: ACCOUNT,
        },
        (l) => out.push(l),
        deps,
      ),
    ).toBe(0);
    expect(out).toEqual([
      expect.stringMatching(
        new RegExp(
          `^recorded the acceptance of console-mfa on ${ACCEPT.resource} until 2027-02-28 \\(owner security-lead@example.com\\): ${dir}/evidence/2026/11/30/risk-acceptance/123456789012/global/.+\\.json$`,
        ),
      ),
      '  note: written locally and unsigned, as local:alice; nothing proves who ran the command (use --stack for a signed record naming you as AWS STS proves it)',
      expect.stringMatching(
        /^recorded the revocation of the acceptance of console-mfa on arn:aws:iam::123456789012:user\/\* \(by security-lead@example.com\): /,
      ),
      expect.any(String),
    ]);
    const read = (line: string) =>
      JSON.parse(readFileSync(line.slice(line.lastIndexOf(': ') + 2), 'utf8')) as Envelope;
    expect(decisionOf(read(out[0]!).policy)).toEqual({
      ...ACCEPT,
      recordedBy: { arn: 'local:alice', proof: 'none' },
    });
    expect(decisionOf(read(out[2]!).policy)).toEqual({
      ...REVOKE,
      recordedBy: { arn: 'local:alice', proof: 'none' },
    });
    expect(read(out[2]!).findings[0]).toMatchObject({ check: 'risk-acceptance-revoked', status: 'INFO' });
  });

  it("takes the account from the directory's evidence when it names exactly one", async () => {
    const dir = tmp();
    const folder = join(dir, 'evidence', '2026', '11', '29', 'iam-mfa', ACCOUNT, 'global');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, '060000Z-run-1.json'), '{}');
    const out: string[] = [];
    await recordException('accept', { ...OPTIONS, dir }, (l) => out.push(l), deps);
    expect(out[0]).toContain(`/risk-acceptance/${ACCOUNT}/global/`);
    await expect(
      recordException('accept', { ...OPTIONS, dir: tmp() }, () => undefined, deps),
    ).rejects.toThrow(
      "--account is required with --dir: the directory's evidence names no account; give the 12-digit account id the decision is about",
    );
  });

  it('runs from the command line', async () => {
    const dir = tmp();
    const lines = await runCli([
      'exception',
      'accept',
      '--check',
      'root-mfa',
      '--resource',
      `arn:aws:iam::${ACCOUNT}:root`,
      '--owner',
      'security-lead@example.com',
      '--reason',
      'Root is sealed in a vault; MFA device on order.',
      '--expires',
      new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10),
      '--dir',
      dir,
      '--account',
      ACCOUNT,
    ]);
    expect(lines[0]).toMatch(
      /^recorded the acceptance of root-mfa on arn:aws:iam::123456789012:root until \d{4}-\d{2}-\d{2} /,
    );
  });
});

describe('exception accept|revoke --stack', () => {
  /** The deployed function, stood in for: the real registerDecision behind a mocked Lambda Invoke. */
  function deployedRegister(store: MemoryStore, sts = fakeSts(stsXml(CALLER_ARN, ACCOUNT))) {
    const payloads: RegisterRequest[] = [];
    lambda.on(InvokeCommand).callsFake(async (input: { FunctionName: string; Payload: string }) => {
      expect(input.FunctionName).toBe('Soc2Evidence-risk-register');
      const payload = JSON.parse(input.Payload) as RegisterRequest;
      payloads.push(payload);
      try {
        const result = await registerDecision({
          store,
          account: ACCOUNT,
          payload,
          now: NOW,
          runId: 'run-1',
          fetch: sts,
        });
        return { StatusCode: 200, Payload: Buffer.from(JSON.stringify(result)) };
      } catch (err) {
        const e = err as Error;
        return {
          StatusCode: 200,
          FunctionError: 'Unhandled',
          Payload: Buffer.from(
            JSON.stringify({ errorType: e.name, errorMessage: e.message, trace: ['at x', 'at y'] }),
          ),
        };
      }
    });
    return payloads;
  }

  it('sends the decision with its SigV4-signed STS request bound to it, and prints the key and who AWS says you are', async () => {
    const store = new MemoryStore();
    const payloads = deployedRegister(store);
    const out: string[] = [];
    expect(
      await recordException('accept', { ...OPTIONS, stack: 'Soc2Evidence' }, (l) => out.push(l), deps),
    ).toBe(0);
    expect(payloads).toHaveLength(1);
    const { decision, identity } = payloads[0]!;
    expect(decision).toEqual(ACCEPT);
    expect(identity.headers[DECISION_HEADER]).toBe(decisionDigest(ACCEPT));
    expect(signedHeadersOf(identity.headers.authorization)).toContain(DECISION_HEADER);
    expect(identity).toMatchObject({ method: 'POST', url: 'https://sts.us-east-1.amazonaws.com/' });
    expect(out).toEqual([
      `recorded the acceptance of console-mfa on ${ACCEPT.resource} until 2027-02-28 (owner security-lead@example.com): ${store.objects[0]!.key}`,
      `  recorded by ${CALLER_ARN}, as AWS STS identified you; signed by the Soc2Evidence risk register`,
    ]);
  });

  it("shows the function's refusal as one line, and refuses bad input before signing or invoking anything", async () => {
    const store = new MemoryStore();
    deployedRegister(store, fakeSts(stsXml('arn:aws:iam::210987654321:user/mallory', '210987654321')));
    await expect(
      recordException('accept', { ...OPTIONS, stack: 'Soc2Evidence' }, () => undefined, deps),
    ).rejects.toThrow(
      "Soc2Evidence-risk-register did not record the decision: the identity proof was refused: the caller arn:aws:iam::210987654321:user/mallory is of account 210987654321, not of this register's account 123456789012",
    );
    lambda.reset();
    await expect(
      recordException('accept', { ...OPTIONS, owner: 'alice', stack: 'Soc2Evidence' }, () => undefined, deps),
    ).rejects.toThrow(/^--owner must be an email address such as security-lead@example.com, got "alice"$/);
    await expect(
      recordException('accept', { ...OPTIONS, stack: 'S', dir: tmp() }, () => undefined, deps),
    ).rejects.toThrow(/^give exactly one of --stack NAME/);
    await expect(recordException('accept', OPTIONS, () => undefined, deps)).rejects.toThrow(
      /^give exactly one of --stack NAME/,
    );
    await expect(
      recordException('accept', { ...OPTIONS, stack: 'S', account: ACCOUNT }, () => undefined, deps),
    ).rejects.toThrow(/^--account is only for --dir/);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
    expect(store.objects).toHaveLength(0);
  });

  it('says when the stack has no risk register, or you may not invoke it', async () => {
    const notFound = Object.assign(
      new Error('Function not found: arn:aws:lambda:us-east-1:123456789012:function:Nope-risk-register'),
      { name: 'ResourceNotFoundException' },
    );
    lambda.on(InvokeCommand).rejects(notFound);
    await expect(
      recordException('accept', { ...OPTIONS, stack: 'Nope' }, () => undefined, deps),
    ).rejects.toThrow(
      'no function Nope-risk-register in us-east-1: check --stack (the stack name) and your AWS region; the stack deploys the risk register',
    );
    lambda.reset();
    lambda
      .on(InvokeCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    await expect(
      recordException('accept', { ...OPTIONS, stack: 'Soc2Evidence' }, () => undefined, deps),
    ).rejects.toThrow(
      'you may not invoke Soc2Evidence-risk-register (lambda:InvokeFunction is needed): not authorized',
    );
  });
});
