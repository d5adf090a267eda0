import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mockClient } from 'aws-sdk-client-mock';
import { buildProgram } from '../../cli/main';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { Uint8ArrayBlobAdapter } from '@smithy/core/serde';
import { parseRunAccounts, runDeployed } from '../../cli/run';
import { parseAccountRunEvent } from '../../lambdas/organization/contract';
import { ClientFactory } from '../../lambdas/aws/client-factory';
import { COLLECTOR_IDS } from '../../lambdas/collectors/registry';

const lambda = mockClient(LambdaClient);
afterEach(() => lambda.reset());

// The payload as the SDK hands it back: a Uint8Array with the blob helpers.
const json = (value: unknown) => Uint8ArrayBlobAdapter.fromString(JSON.stringify(value));
const summary = (status: string) => ({
  status,
  evaluated: 4,
  passed: 3,
  failed: 1,
  warnings: 0,
  info: 0,
  figures: {},
});

async function run(ids: string[], options: { all?: boolean; stack?: string } = {}) {
  const lines: string[] = [];
  const code = await runDeployed(
    ids,
    { stack: options.stack ?? 'Soc2Evidence', ...(options.all ? { all: true } : {}) },
    (l) => lines.push(l),
    new ClientFactory(),
  );
  return { code, lines };
}

describe('soc2-evidence run --account (organization mode)', () => {
  it('invokes each collector once per account with the event the state machine sends, one execution id for all', async () => {
    lambda.on(InvokeCommand).callsFake((input: { Payload: Uint8Array }) => {
      const e = JSON.parse(Buffer.from(input.Payload).toString('utf8')) as Record<string, string>;
      return {
        StatusCode: 200,
        Payload: json({
          collector: e.collector,
          key: `evidence/2026/11/30/${e.collector}/${e.account}/global/142100Z-r1.json`,
          summary: summary('PASS'),
        }),
      };
    });
    const lines: string[] = [];
    const code = await runDeployed(
      ['iam-mfa', 'tls'],
      { stack: 'Soc2Evidence', account: ['111111111111', '222222222222'] },
      (l) => lines.push(l),
      new ClientFactory(),
    );
    expect(code).toBe(0);
    const events = lambda
      .commandCalls(InvokeCommand)
      .map((c) => JSON.parse(Buffer.from(c.args[0].input.Payload as Uint8Array).toString('utf8')));
    expect(events.map((e: { collector: string; account: string }) => `${e.collector}@${e.account}`)).toEqual([
      'iam-mfa@111111111111',
      'iam-mfa@222222222222',
      'tls@111111111111',
      'tls@222222222222',
    ]);
    for (const e of events) {
      expect(e.source).toBe('soc2-evidence.organization');
      expect(e.execution).toBe(events[0].execution);
      expect(parseAccountRunEvent(e)).toEqual(e);
    }
    expect(lines.some((l) => /^tls 222222222222 +PASS/.test(l))).toBe(true);
  });

  it('refuses an --account that is not a list of 12-digit ids, in one line naming the form', () => {
    expect(() => parseRunAccounts('1111,222222222222')).toThrow(
      '--account must be one or more 12-digit account ids separated by commas, such as 111111111111,222222222222; got "1111,222222222222"',
    );
    expect(parseRunAccounts('111111111111, 111111111111')).toEqual(['111111111111']);
  });
});

describe('soc2-evidence run (invokes the deployed functions)', () => {
  it('invokes <stack>-<collector> synchronously and prints the key and summary status', async () => {
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      Payload: json({
        collector: 'iam-mfa',
        key: 'evidence/2026/11/30/iam-mfa/123456789012/global/142100Z-r1.json',
        summary: summary('FAIL'),
      }),
      $metadata: {},
    });
    const { code, lines } = await run(['iam-mfa'], { stack: 'Prod' });
    expect(code).toBe(0);
    const call = lambda.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect(call.FunctionName).toBe('Prod-iam-mfa');
    expect(call.InvocationType).toBe('RequestResponse');
    expect(lines[0]).toMatch(/^iam-mfa +running Prod-iam-mfa/);
    expect(lines[1]).toMatch(
      /^iam-mfa +FAIL +evaluated 4, passed 3, failed 1, warnings 0 \(\d+s\) +evidence\/2026\/11\/30\/iam-mfa\/123456789012\/global\/142100Z-r1\.json$/,
    );
  });

  it('runs every collector but the access review with --all (it emails the team: only when named), one progress line and one result line each', async () => {
    lambda.on(InvokeCommand).callsFake((input: { FunctionName: string }) => ({
      StatusCode: 200,
      Payload: json({ key: `evidence/${input.FunctionName}.json`, summary: summary('PASS') }),
    }));
    const { code, lines } = await run([], { all: true });
    expect(code).toBe(0);
    expect(lambda.commandCalls(InvokeCommand).map((c) => c.args[0].input.FunctionName)).toEqual(
      COLLECTOR_IDS.filter((id) => id !== 'access-review').map((id) => `Soc2Evidence-${id}`),
    );
    expect(lines).toHaveLength((COLLECTOR_IDS.length - 1) * 2);
  });

  it("treats FunctionError as a failure with the function's error message, and goes on", async () => {
    lambda
      .on(InvokeCommand, { FunctionName: 'Soc2Evidence-iam-mfa' })
      .resolves({
        StatusCode: 200,
        FunctionError: 'Unhandled',
        Payload: json({ errorType: 'AccessDenied', errorMessage: 'not authorized to perform kms:Sign' }),
      })
      .on(InvokeCommand, { FunctionName: 'Soc2Evidence-tls' })
      .resolves({ StatusCode: 200, Payload: json({ key: 'evidence/k.json', summary: summary('PASS') }) });
    const { code, lines } = await run(['iam-mfa', 'tls']);
    expect(code).toBe(1);
    expect(lines[1]).toMatch(
      /^iam-mfa +FAILED +Soc2Evidence-iam-mfa threw after \d+s: AccessDenied: not authorized to perform kms:Sign$/,
    );
    expect(lines[3]).toMatch(/^tls +PASS/);
  });

  it('says what to do when the function does not exist or may not be invoked', async () => {
    lambda
      .on(InvokeCommand, { FunctionName: 'Soc2Evidence-iam-mfa' })
      .rejects(
        Object.assign(new Error('Function not found: arn:aws:lambda:...'), {
          name: 'ResourceNotFoundException',
        }),
      )
      .on(InvokeCommand, { FunctionName: 'Soc2Evidence-tls' })
      .rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }));
    const { code, lines } = await run(['iam-mfa', 'tls']);
    expect(code).toBe(1);
    expect(lines[1]).toContain(
      'function Soc2Evidence-iam-mfa not found: is the stack "Soc2Evidence" deployed',
    );
    expect(lines[1]).toContain('--stack');
    expect(lines[3]).toContain('your credentials need lambda:InvokeFunction on it');
  });

  it('exits 2 when a run could judge nothing (ERROR), as collect does', async () => {
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      Payload: json({ key: 'evidence/k.json', summary: summary('ERROR') }),
    });
    expect((await run(['backups'])).code).toBe(2);
  });

  it('refuses unknown collectors before invoking anything', async () => {
    await expect(run(['iam-mfaa'])).rejects.toThrow('unknown collector "iam-mfaa"; known collectors:');
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
  });

  it('is a command named run whose help names the ids, --stack with its default, and the IAM permission', () => {
    const help = buildProgram()
      .commands.find((c) => c.name() === 'run')!
      .helpInformation();
    expect(help.replace(/\s+/g, ' ')).toContain(COLLECTOR_IDS.join(', '));
    expect(help).toMatch(/--stack <name>[\s\S]*default: "Soc2Evidence"/);
    const program = buildProgram();
    const runCommand = program.commands.find((c) => c.name() === 'run')!;
    let text = '';
    runCommand.configureOutput({ writeOut: (s) => (text += s) }).exitOverride();
    expect(() => program.parse(['node', 'x', 'run', '--help'])).toThrow();
    expect(text).toContain('lambda:InvokeFunction');
    expect(text).toContain('aws lambda invoke --function-name Soc2Evidence-iam-mfa');
  });
});

describe('@aws-sdk/client-lambda through ClientFactory, against an AWS-compatible endpoint (AWS_ENDPOINT_URL)', () => {
  let server: Server;
  let seen: { method?: string; url?: string; headers: IncomingHttpHeaders; body: string }[];
  let answer: (res: ServerResponse) => void;
  beforeAll(async () => {
    seen = [];
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({
          method: req.method,
          url: req.url,
          headers: req.headers,
          body: Buffer.concat(chunks).toString(),
        });
        answer(res);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    process.env.AWS_ENDPOINT_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    delete process.env.AWS_ENDPOINT_URL;
    await new Promise((r) => server.close(r));
  });
  beforeEach(() => {
    seen = [];
    lambda.restore(); // the real client, its real signer and HTTP stack
  });

  it('POSTs a SigV4-signed synchronous invocation and reads the function error header', async () => {
    answer = (res) => {
      res.setHeader('x-amz-function-error', 'Unhandled');
      res.setHeader('x-amz-executed-version', '$LATEST');
      res.end(JSON.stringify({ errorType: 'Error', errorMessage: 'boom' }));
    };
    const client = new ClientFactory().get(LambdaClient);
    const out = await client.send(
      new InvokeCommand({
        FunctionName: 'Soc2Evidence-iam-mfa',
        InvocationType: 'RequestResponse',
        Payload: Buffer.from('{"a":1}'),
      }),
    );
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/2015-03-31/functions/Soc2Evidence-iam-mfa/invocations',
      body: '{"a":1}',
    });
    expect(seen[0]!.headers['x-amz-invocation-type']).toBe('RequestResponse');
    expect(seen[0]!.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/us-east-1\/lambda\/aws4_request/,
    );
    expect(out.FunctionError).toBe('Unhandled');
    expect(JSON.parse(Buffer.from(out.Payload!).toString())).toEqual({
      errorType: 'Error',
      errorMessage: 'boom',
    });
  });

  it("throws the service's error with its type as the name", async () => {
    answer = (res) => {
      res.statusCode = 404;
      res.setHeader('x-amzn-errortype', 'ResourceNotFoundException:http://internal.amazon.com/');
      res.end(JSON.stringify({ Type: 'User', message: 'Function not found: Soc2Evidence-x' }));
    };
    const client = new ClientFactory().get(LambdaClient);
    await expect(client.send(new InvokeCommand({ FunctionName: 'Soc2Evidence-x' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Function not found: Soc2Evidence-x',
    });
  });
});

describe('collect --help', () => {
  it('lists every collector id and says why --bucket is refused without GOVERNANCE or --unsigned', () => {
    const help = buildProgram()
      .commands.find((c) => c.name() === 'collect')!
      .helpInformation()
      .replace(/\s+/g, ' ');
    expect(help).toContain(`collector ids: ${COLLECTOR_IDS.join(', ')}`);
    expect(help).toContain('--unsigned');
    expect(help).toContain('refused unless its retention mode is GOVERNANCE or --unsigned is given');
  });
});
