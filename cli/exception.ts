/**
 * `soc2-evidence exception accept|revoke`: a security lead records that a failing check on a resource is an
 * accepted risk until a date (or that an acceptance is revoked), as its own evidence object. The findings
 * keep their status; the period report shows the exception as accepted while the decision is in force.
 *
 * With --stack the deployed risk register writes and signs the record. Who asked is proven, not claimed:
 * this command signs an AWS STS GetCallerIdentity request with your own credentials, binding the decision's
 * SHA-256 into a signed header, and hands the request to the function instead of sending it; the function
 * replays it to STS and records the ARN STS answers with (lambdas/risk-register/identity.ts). With --dir the
 * record is written locally, unsigned, with nothing to prove who ran the command.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetCallerIdentityCommand, STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import type { Command } from 'commander';
import { ClientFactory } from '../lambdas/aws/client-factory';
import { clientSettings } from '../lambdas/aws/client-config';
import { messageOf, readAwsError } from '../lambdas/aws/aws-error';
import { DirectoryStore } from '../lambdas/evidence/directory-store';
import { parseEvidenceKey } from '../lambdas/evidence/keys';
import { directoryReader } from '../lambdas/evidence/read-store';
import { riskRegisterFunctionName } from '../lambdas/evidence/risk-acceptance';
import {
  DecisionError,
  decisionDigest,
  validateDecision,
  type DecisionRequest,
} from '../lambdas/risk-register/decision';
import { DECISION_HEADER, type ForwardedIdentity } from '../lambdas/risk-register/identity';
import { recordDecision, type RegisterRequest, type RegisterResult } from '../lambdas/risk-register/record';
import { newRunId } from '../lambdas/run-collector';
import { accountId, isoDay, loginName, requireRegion } from './arguments';
import { CliError } from './cli-error';

export interface ExceptionOptions {
  readonly check: string;
  readonly resource: string;
  readonly owner: string;
  readonly reason: string;
  /** accept only. */
  readonly expires?: string;
  readonly stack?: string;
  readonly dir?: string;
  /** --dir only: the account the record belongs to (default: the one account of the directory's evidence). */
  readonly account?: string;
}

export interface ExceptionDeps {
  readonly clients?: ClientFactory;
  readonly now?: Date;
  /** Settings for the STS client that signs the identity proof (tests give static credentials). */
  readonly sts?: STSClientConfig;
  readonly login?: () => string;
}

/** The decision from the command's options, validated as of `now` (one-line CliError naming the option). */
export function decisionFrom(
  action: DecisionRequest['action'],
  options: ExceptionOptions,
  now: Date,
): DecisionRequest {
  try {
    return validateDecision(
      {
        action,
        check: options.check,
        resource: options.resource,
        owner: options.owner,
        reason: options.reason,
        ...(options.expires !== undefined ? { expires: options.expires } : {}),
      },
      now,
    );
  } catch (err) {
    if (err instanceof DecisionError) throw new CliError(err.message);
    throw err;
  }
}

/** Thrown by the capturing request handler: the signed request, which is never sent. */
class Captured extends Error {
  constructor(readonly request: CapturedRequest) {
    super('captured');
  }
}

interface CapturedRequest {
  readonly method: string;
  readonly protocol: string;
  readonly hostname: string;
  readonly port?: number;
  readonly path: string;
  readonly query?: Record<string, string | string[] | null>;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

function urlOf(r: CapturedRequest): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(r.query ?? {}))
    for (const value of [v ?? ''].flat()) query.append(k, value);
  const q = query.toString();
  return `${r.protocol}//${r.hostname}${r.port ? `:${r.port}` : ''}${r.path}${q ? `?${q}` : ''}`;
}

/**
 * A SigV4-signed STS GetCallerIdentity request made with the caller's own credentials (the SDK's default
 * chain, region and endpoint settings), carrying `x-soc2-evidence-decision: <digest>` among its signed
 * headers, captured instead of sent: the request handler keeps it and the call stops there.
 */
export async function signedIdentityRequest(
  digest: string,
  config: STSClientConfig = {},
): Promise<ForwardedIdentity> {
  const client = new STSClient({
    ...clientSettings(),
    ...config,
    maxAttempts: 1,
    requestHandler: {
      handle: (request: CapturedRequest) => Promise.reject(new Captured(request)),
    },
  });
  // Added at the build step, before the finalize step signs the request, so the signature covers it.
  client.middlewareStack.add(
    (next) => (args) => {
      const request = args.request as { headers?: Record<string, string> } | undefined;
      if (request?.headers) request.headers[DECISION_HEADER] = digest;
      return next(args);
    },
    { step: 'build', name: 'soc2EvidenceDecisionHeader' },
  );
  await requireRegion(client);
  try {
    await client.send(new GetCallerIdentityCommand({}));
  } catch (err) {
    if (err instanceof Captured) {
      const r = err.request;
      const body = r.body instanceof Uint8Array ? Buffer.from(r.body).toString('utf8') : r.body;
      if (typeof body !== 'string') throw new CliError('the signed STS request has no text body');
      return { method: r.method, url: urlOf(r), headers: { ...r.headers }, body };
    }
    throw new CliError(`cannot sign an STS request with your AWS credentials: ${messageOf(err)}`);
  } finally {
    client.destroy();
  }
  throw new CliError('the STS request was not captured');
}

function describe(decision: DecisionRequest): string {
  return decision.action === 'accept'
    ? `acceptance of ${decision.check} on ${decision.resource} until ${decision.expires} (owner ${decision.owner})`
    : `revocation of the acceptance of ${decision.check} on ${decision.resource} (by ${decision.owner})`;
}

const localLogin = (): string => loginName() ?? 'unknown';

/** --dir: the account given, else the one account the directory's evidence names. */
async function accountForDir(dir: string, given: string | undefined): Promise<string> {
  if (given) return given;
  let keys: string[] = [];
  try {
    keys = await directoryReader(dir).list('evidence/');
  } catch {
    keys = [];
  }
  const accounts = [...new Set(keys.flatMap((k) => parseEvidenceKey(k)?.account ?? []))].sort();
  if (accounts.length === 1) return accounts[0]!;
  throw new CliError(
    `--account is required with --dir: the directory's evidence names ${accounts.length === 0 ? 'no account' : `several accounts (${accounts.join(', ')})`}; give the 12-digit account id the decision is about`,
  );
}

async function invokeRegister(
  stack: string,
  decision: DecisionRequest,
  deps: ExceptionDeps,
): Promise<RegisterResult> {
  const identity = await signedIdentityRequest(decisionDigest(decision), deps.sts);
  const clients = deps.clients ?? new ClientFactory();
  const lambda = clients.get(LambdaClient);
  const region = await requireRegion(lambda);
  const functionName = riskRegisterFunctionName(stack);
  const payload: RegisterRequest = { decision, identity };
  let answer;
  try {
    answer = await lambda.send(
      new InvokeCommand({ FunctionName: functionName, Payload: JSON.stringify(payload) }),
    );
  } catch (err) {
    const { code } = readAwsError(err);
    if (code === 'ResourceNotFoundException')
      throw new CliError(
        `no function ${functionName} in ${region}: check --stack (the stack name) and your AWS region; the stack deploys the risk register`,
      );
    if (code === 'AccessDeniedException')
      throw new CliError(
        `you may not invoke ${functionName} (lambda:InvokeFunction is needed): ${messageOf(err)}`,
      );
    throw new CliError(`cannot invoke ${functionName}: ${messageOf(err)}`);
  }
  const text = answer.Payload ? Buffer.from(answer.Payload).toString('utf8') : '';
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (answer.FunctionError) {
    const message = (body as { errorMessage?: unknown } | undefined)?.errorMessage;
    const line = (typeof message === 'string' && message ? message : text || answer.FunctionError)
      .split('\n')[0]!
      .trim();
    throw new CliError(`${functionName} did not record the decision: ${line}`);
  }
  const result = body as Partial<RegisterResult> | undefined;
  if (typeof result?.key !== 'string' || typeof result.recordedBy?.arn !== 'string')
    throw new CliError(`${functionName} answered without the key it wrote: ${text.slice(0, 200)}`);
  return result as RegisterResult;
}

/** `exception accept` and `exception revoke`: records the decision; returns the exit code. */
export async function recordException(
  action: DecisionRequest['action'],
  options: ExceptionOptions,
  out: (line: string) => void,
  deps: ExceptionDeps = {},
): Promise<number> {
  const now = deps.now ?? new Date();
  const decision = decisionFrom(action, options, now);
  if (Boolean(options.stack) === Boolean(options.dir))
    throw new CliError(
      'give exactly one of --stack NAME (the deployed risk register signs the record) or --dir PATH (written locally, unsigned)',
    );
  if (options.stack) {
    if (options.account)
      throw new CliError(
        "--account is only for --dir: with --stack the record is of the register's own account",
      );
    const result = await invokeRegister(options.stack, decision, deps);
    out(`recorded the ${describe(decision)}: ${result.key}`);
    out(
      `  recorded by ${result.recordedBy.arn}, as AWS STS identified you; signed by the ${options.stack} risk register`,
    );
    return 0;
  }
  const account = await accountForDir(options.dir!, options.account);
  const login = (deps.login ?? localLogin)();
  try {
    const written = await recordDecision({
      store: new DirectoryStore(options.dir!),
      account,
      decision: { ...decision, recordedBy: { arn: `local:${login}`, proof: 'none' } },
      now,
      runId: newRunId(),
    });
    out(`recorded the ${describe(decision)}: ${written.envelopeObject.location}`);
    out(
      `  note: written locally and unsigned, as local:${login}; nothing proves who ran the command (use --stack for a signed record naming you as AWS STS proves it)`,
    );
    return 0;
  } catch (err) {
    if (err instanceof DecisionError) throw new CliError(err.message);
    if (err instanceof CliError) throw err;
    throw new CliError(messageOf(err));
  }
}

export function addExceptionCommands(program: Command, out: (line: string) => void): void {
  const exception = program
    .command('exception')
    .description(
      'Record an accepted risk (a failing check on a resource, accepted until a date), or revoke one.',
    );
  const common = (c: Command, who: string) =>
    c
      .requiredOption(
        '--check <id>',
        'the check whose failures are concerned (soc2-evidence controls lists them)',
      )
      .requiredOption(
        '--resource <arn-or-pattern>',
        'the resource as findings name it, or a pattern where * matches any characters and ? one',
      )
      .requiredOption('--owner <email>', who)
      .requiredOption('--reason <text>', 'why (up to 1000 characters)')
      .option(
        '--stack <name>',
        'invoke the deployed risk register <name>-risk-register, which signs the record',
      )
      .option('--dir <path>', 'write to this local directory instead, unsigned')
      .option(
        '--account <id>',
        "with --dir: the account the record is about (default: the one account of the directory's evidence)",
        accountId,
      );
  common(
    exception
      .command('accept')
      .description('Record that the failures of a check on a resource are an accepted risk until a date.'),
    'who owns the accepted risk: an email address',
  )
    .requiredOption(
      '--expires <YYYY-MM-DD>',
      'the last day (UTC) the acceptance is in force: after today, at most 365 days ahead',
      isoDay,
    )
    .action(async (opts: ExceptionOptions) => {
      process.exitCode = await recordException('accept', opts, out);
    });
  common(
    exception
      .command('revoke')
      .description('Record that an accepted risk is no longer accepted, from today.'),
    'who revokes the acceptance: an email address',
  ).action(async (opts: ExceptionOptions) => {
    process.exitCode = await recordException('revoke', opts, out);
  });
}
