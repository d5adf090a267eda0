import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, type Command } from 'commander';
import { ACCOUNT_RUN_SOURCE, type AccountRunEvent } from '../lambdas/organization/contract';
import { ClientFactory } from '../lambdas/aws/client-factory';
import { readAwsError } from '../lambdas/aws/aws-error';
import type { Summary } from '../lambdas/evidence/envelope';
import { COLLECTOR_IDS } from '../lambdas/collectors/registry';
import { STACK_NAME } from '../lib/config';
import { explainSetupError } from './cli-error';
import { selectCollectors, summaryText } from './collect';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { accessReview } from '../lambdas/collectors/access-review/collector';

export interface RunOptions {
  readonly all?: boolean;
  readonly stack: string;
  /**
   * Organization mode: the member accounts to run in (`--account ID[,ID...]`), each invoked with the same
   * event the state machine's Map sends, so the function reads that account through its member role.
   */
  readonly account?: readonly string[];
}

/** `--account 111111111111,222222222222`: one or more 12-digit account ids, comma-separated. */
export function parseRunAccounts(value: string): string[] {
  const ids = value.split(',').map((a) => a.trim());
  const bad = ids.find((a) => !/^\d{12}$/.test(a));
  if (bad !== undefined || ids.length === 0)
    throw new InvalidArgumentError(
      `--account must be one or more 12-digit account ids separated by commas, such as 111111111111,222222222222; got "${value}"`,
    );
  return [...new Set(ids)];
}

/** What a collector function returns (lambdas/runtime/lambda-runtime.ts, lambdas/handlers/access-review.ts). */
interface HandlerPayload {
  readonly collector?: string;
  readonly key?: string;
  readonly summary?: Summary;
}

/** The function's own error, as Lambda reports an unhandled exception. */
interface FunctionErrorPayload {
  readonly errorType?: string;
  readonly errorMessage?: string;
}

export function functionName(stack: string, collector: string): string {
  return `${stack}-${collector}`;
}

function parsePayload<T>(payload: Uint8Array | undefined): T | undefined {
  if (!payload || payload.byteLength === 0) return undefined;
  try {
    return JSON.parse(Buffer.from(payload).toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

/** The invoke call's own failure, said in terms of what to do. */
function invokeFailure(err: unknown, fn: string, stack: string): string {
  const { code, message } = readAwsError(err);
  if (code === 'ResourceNotFoundException')
    return `function ${fn} not found: is the stack "${stack}" deployed in this region (AWS_REGION or your profile's region)? Give its name with --stack`;
  if (code === 'AccessDeniedException' || code === 'AccessDenied')
    return `not allowed to invoke ${fn}: your credentials need lambda:InvokeFunction on it (${message})`;
  return code === 'Error' ? explainSetupError(message) : `${code}: ${message}`;
}

/**
 * Runs collectors now by invoking their deployed functions synchronously, one after the other, so the
 * evidence is written and signed by the function exactly as on its schedule. Returns the exit code: 1 when
 * any invocation failed (the call, or the function threw), else 2 when any run could judge nothing (status
 * ERROR, as `collect`), else 0.
 */
export async function runDeployed(
  ids: readonly string[],
  options: RunOptions,
  out: (line: string) => void,
  clients = new ClientFactory(),
): Promise<number> {
  // `--all` is every collector except the access review: running it emails the security team and freezes a
  // quarter's review population, so it runs only when named.
  const collectors = selectCollectors(ids, options.all).filter(
    (c) => !options.all || c.id !== accessReview.id,
  );
  const lambda = clients.get(LambdaClient);
  let failed = false;
  let errored = false;
  // One execution id for the whole command, as one state machine execution covers its accounts.
  const execution = `soc2-evidence-cli:${randomUUID()}`;
  const runs = collectors.flatMap((collector) =>
    (options.account ?? [undefined]).map((account) => ({ collector, account })),
  );
  for (const { collector, account } of runs) {
    const fn = functionName(options.stack, collector.id);
    const label = account ? `${collector.id} ${account}`.padEnd(29) : collector.id.padEnd(16);
    const event: AccountRunEvent | { source: string; collector: string } = account
      ? { source: ACCOUNT_RUN_SOURCE, collector: collector.id, account, execution }
      : { source: 'soc2-evidence.cli', collector: collector.id };
    out(`${label} running ${fn} (waits for the run to finish)...`);
    const started = Date.now();
    let result;
    try {
      result = await lambda.send(
        new InvokeCommand({
          FunctionName: fn,
          InvocationType: 'RequestResponse',
          Payload: Buffer.from(JSON.stringify(event)),
        }),
      );
    } catch (err) {
      failed = true;
      out(`${label} FAILED   ${invokeFailure(err, fn, options.stack)}`);
      continue;
    }
    const seconds = `${Math.round((Date.now() - started) / 1000)}s`;
    if (result.FunctionError) {
      failed = true;
      const error = parsePayload<FunctionErrorPayload>(result.Payload);
      const what = error?.errorMessage
        ? `${error.errorType ?? 'Error'}: ${error.errorMessage}`
        : result.FunctionError;
      out(`${label} FAILED   ${fn} threw after ${seconds}: ${what}`);
      continue;
    }
    const payload = parsePayload<HandlerPayload>(result.Payload);
    const s = payload?.summary;
    if (!payload?.key || !s) {
      failed = true;
      out(`${label} FAILED   ${fn} returned no evidence key; see its logs`);
      continue;
    }
    if (s.status === 'ERROR') errored = true;
    out(`${label} ${summaryText(s)} (${seconds})  ${payload.key}`);
  }
  return failed ? 1 : errored ? 2 : 0;
}

export function registerRun(program: Command, out: (line: string) => void): void {
  program
    .command('run')
    .description(
      'Run collectors now by invoking their deployed functions (signed evidence in the bucket, as on schedule).',
    )
    .argument('[collectors...]', `collector ids: ${COLLECTOR_IDS.join(', ')}`)
    .option(
      '--all',
      'run every collector except access-review (which emails the security team; name it to run it)',
    )
    .option('--stack <name>', 'the deployed stack; functions are named <stack>-<collector>', STACK_NAME)
    .option(
      '--account <ids>',
      'organization mode: run in these member accounts (comma-separated 12-digit ids), through each one’s member role',
      parseRunAccounts,
    )
    .addHelpText(
      'after',
      [
        '',
        'Each run is synchronous (a collector can take minutes). Your credentials need lambda:InvokeFunction',
        "on the functions; the region is the SDK's (AWS_REGION or your profile's). The raw equivalent:",
        `  aws lambda invoke --function-name ${STACK_NAME}-iam-mfa --cli-read-timeout 900 out.json`,
        'Organization mode: a stack with `organization` runs each collector per account: pass --account, or',
        'run every in-scope account as the schedule does:',
        `  aws stepfunctions start-execution --state-machine-arn <arn of ${STACK_NAME}-iam-mfa> --input '{"collector":"iam-mfa"}'`,
        'Exit 1 when any run failed, 2 when a run could judge nothing (status ERROR).',
      ].join('\n'),
    )
    .action(async (ids: string[], opts: RunOptions) => {
      process.exitCode = await runDeployed(ids, opts, out);
    });
}
