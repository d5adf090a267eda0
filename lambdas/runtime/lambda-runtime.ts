import { Logger } from '@aws-lambda-powertools/logger';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { ClientFactory } from '../aws/client-factory';
import type { AnyCollector } from '../collectors/collector';
import type { ErrorEntry, ScheduleRef, Summary } from '../evidence/envelope';
import { S3Store } from '../evidence/s3-store';
import { KmsSigner } from '../evidence/signer';
import { partitionFromArn, prepareAccountRun } from '../organization/account-run';
import { isAccountRunEvent, MEMBER_ROLE_ENV, parseAccountRunEvent } from '../organization/contract';
import { PRODUCER } from '../producer';
import { runCollector } from '../run-collector';
import type { CollectorSettings } from '../settings';
import { emfLine } from './emf';
import { ENV } from './runtime-env';

export interface HandlerResult {
  readonly collector: string;
  /** The account the evidence is about: the function's own, or the member account of an organization run. */
  readonly account: string;
  readonly key: string;
  readonly summary: Summary;
}

/** Time kept back from the Lambda limit to write sources and the envelope. */
export const WRITE_RESERVE_MS = 30_000;

/** The account id is the fifth field of the function's own ARN: no STS call needed. */
export function accountFromArn(arn: string): string {
  const account = arn.split(':')[4];
  if (!account || !/^\d{12}$/.test(account)) throw new Error(`cannot read an account id from ${arn}`);
  return account;
}

/**
 * What every function that writes evidence reads from its environment, wired the same way: clients created
 * per invocation (cheap, and nothing from one run leaks into the next), the evidence bucket as a store that
 * signs each object when the stack gives a signing key, the account from the function's own ARN, and the
 * schedule that invoked it.
 */
export interface FunctionWiring {
  readonly clients: ClientFactory;
  readonly bucket: string;
  readonly store: S3Store;
  readonly account: string;
  /** The function's own ARN (`context.invokedFunctionArn`): its partition is the hub's. */
  readonly functionArn: string;
  readonly invocationId: string;
  readonly schedule: ScheduleRef;
  /** Epoch ms by which gathering must end so the evidence can still be written. */
  readonly deadline: number;
  /** An environment variable the stack sets on this function; throws naming it when it is missing. */
  required(name: string): string;
  settings(): CollectorSettings;
}

function wireFunction(context: Context, fn: string): FunctionWiring {
  const required = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`environment variable ${name} is not set; the stack sets it on ${fn}`);
    return value;
  };
  const clients = new ClientFactory();
  const bucket = required(ENV.bucket);
  const signingKeyArn = process.env[ENV.signingKeyArn];
  return {
    clients,
    bucket,
    store: new S3Store(
      clients.get(S3Client),
      bucket,
      signingKeyArn ? new KmsSigner(clients.get(KMSClient), signingKeyArn) : undefined,
    ),
    account: accountFromArn(context.invokedFunctionArn),
    functionArn: context.invokedFunctionArn,
    invocationId: context.awsRequestId,
    // Read when used: the sealer and the tamper watch record no schedule (one is fixed, one event-driven).
    get schedule(): ScheduleRef {
      return { expression: required(ENV.scheduleExpression), timeZone: required(ENV.scheduleTimeZone) };
    },
    // Leave time to write the evidence before Lambda stops the function.
    deadline: Date.now() + context.getRemainingTimeInMillis() - WRITE_RESERVE_MS,
    required,
    settings: () => JSON.parse(required(ENV.settings)) as CollectorSettings,
  };
}

/**
 * The one shape of every Lambda entry point: a logger keyed by the evidence kind, the environment wired by
 * `wireFunction`, then the function's own work. A refused evidence write throws: Lambda retries, and the
 * errors alarm fires.
 */
export function evidenceHandler<R>(
  kind: string,
  run: (wiring: FunctionWiring, logger: Logger, event: unknown) => Promise<R>,
): (event: unknown, context: Context) => Promise<R> {
  const logger = new Logger({ serviceName: PRODUCER.name, persistentKeys: { collector: kind } });
  return async (event, context) => {
    logger.addContext(context);
    // Scheduled functions ignore the event; the tamper watch records it.
    return run(wireFunction(context, `the ${kind} function`), logger, event);
  };
}

/** A run's metrics. Each metric is billed per collector per month, so ApiCalls stays a log property for Logs
 * Insights rather than a metric. */
export function metricsLine(
  collector: string,
  summary: Summary,
  errors: number,
  durationMs: number,
  now: Date,
  sdk: { readonly calls: number; readonly retries: number } = { calls: 0, retries: 0 },
  /** More log properties (never dimensions): the account of an organization run. */
  properties: Readonly<Record<string, unknown>> = {},
): string {
  return emfLine(
    { name: 'Collector', value: collector },
    {
      ResourcesEvaluated: { value: summary.evaluated, unit: 'Count' },
      FindingsFailed: { value: summary.failed, unit: 'Count' },
      CollectionErrors: { value: errors, unit: 'Count' },
      DurationMs: { value: durationMs, unit: 'Milliseconds' },
      ApiRetries: { value: sdk.retries, unit: 'Count' },
    },
    now,
    { ApiCalls: sdk.calls, ...properties },
  );
}

/** Which account a collector run reads, with which clients, and why it cannot when it cannot. */
export interface RunTarget {
  readonly account: string;
  readonly clients: ClientFactory;
  readonly unavailable?: ErrorEntry;
  /** The Step Functions execution of an organization run. */
  readonly execution?: string;
}

/**
 * An organization run's target (AccountRunEvent from the state machine's Map): the member account, read
 * with the member role's session. A malformed event, another collector's event or a missing member role
 * name throws: the state machine's catch records the item as failed (RecordFailure).
 */
export async function accountRunTarget(
  collector: AnyCollector,
  w: FunctionWiring,
  event: unknown,
): Promise<RunTarget> {
  const run = parseAccountRunEvent(event);
  if (run.collector !== collector.id)
    throw new Error(
      `organization run event: collector must be "${collector.id}" (this function's collector), got "${run.collector}"`,
    );
  // A recorded failure assumes no role: it is written even when the name is missing.
  const memberRoleName = process.env[MEMBER_ROLE_ENV] ?? '';
  if (!memberRoleName && !run.failure)
    throw new Error(
      `environment variable ${MEMBER_ROLE_ENV} is not set: an organization run of ${collector.id} needs the member role's name, which the stack sets in organization mode`,
    );
  const prepared = await prepareAccountRun(run, {
    clients: w.clients,
    partition: partitionFromArn(w.functionArn),
    memberRoleName,
  });
  return { ...prepared, execution: run.execution };
}

/**
 * A run of the hub's own account, as the schedule invokes it in single-account mode. In organization mode the
 * hub's collector roles hold no read action (every account, the hub included, is read through its member
 * role), so such a run could only record AccessDenied everywhere: it is refused, saying how to run instead.
 */
export function hubRun(collectorId: string, w: FunctionWiring): RunTarget {
  if (process.env[MEMBER_ROLE_ENV])
    throw new Error(
      `${collectorId} runs in organization mode: invoke it with an account (soc2-evidence run ${collectorId} --account <12-digit id>) or start its state machine (aws stepfunctions start-execution --input '{"collector":"${collectorId}"}')`,
    );
  return { account: w.account, clients: w.clients };
}

/**
 * A collector's handler: one run, its metrics and a log line per collection error. Invoked by its schedule
 * (single-account mode: the function's own account and credentials) or by an organization run's state
 * machine with an AccountRunEvent (the member account, with the member role's session). Either way the
 * evidence goes to the hub's bucket, signed with the hub's key.
 */
export function collectorHandler(collector: AnyCollector) {
  return evidenceHandler(collector.id, async (w, logger, event): Promise<HandlerResult> => {
    const target: RunTarget = isAccountRunEvent(event)
      ? await accountRunTarget(collector, w, event)
      : hubRun(collector.id, w);
    return runOnTarget(collector, w, logger, target);
  });
}

/**
 * One run of `collector` against `target` (the hub's own account, or a member account through its role): the
 * evidence, its metrics line and a log line per collection error. The access review's Map items run here too.
 */
export async function runOnTarget(
  collector: AnyCollector,
  w: FunctionWiring,
  logger: Logger,
  target: RunTarget,
): Promise<HandlerResult> {
  const where = { account: target.account, ...(target.execution ? { execution: target.execution } : {}) };
  if (target.unavailable)
    logger.error('account unavailable', {
      ...where,
      api: target.unavailable.api,
      code: target.unavailable.code,
    });
  const result = await runCollector(collector, {
    clients: target.clients,
    store: w.store,
    account: target.account,
    settings: w.settings(),
    invocationId: w.invocationId,
    schedule: w.schedule,
    deadline: w.deadline,
    ...(target.unavailable ? { unavailable: target.unavailable } : {}),
  });
  const { summary, errors } = result.envelope;
  // The metric dimensions stay per collector (each dimension value is a billed metric): the account is a
  // log property. The hub's calls (AssumeRole, the writes) and the member's are one run's calls.
  const sdk =
    target.clients === w.clients
      ? w.clients.sdkStats
      : {
          calls: w.clients.sdkStats.calls + target.clients.sdkStats.calls,
          retries: w.clients.sdkStats.retries + target.clients.sdkStats.retries,
        };
  console.log(metricsLine(collector.id, summary, errors.length, result.durationMs, new Date(), sdk, where));
  for (const e of errors)
    logger.warn('collection error', { ...where, region: e.region, api: e.api, code: e.code });
  logger.info('evidence written', {
    ...where,
    key: result.envelopeObject.key,
    status: summary.status,
    evaluated: summary.evaluated,
    failed: summary.failed,
  });
  return { collector: collector.id, account: target.account, key: result.envelopeObject.key, summary };
}
