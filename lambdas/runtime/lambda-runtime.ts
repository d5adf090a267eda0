import { Logger } from '@aws-lambda-powertools/logger';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { ClientFactory } from '../aws/client-factory';
import type { AnyCollector } from '../collectors/collector';
import type { Summary } from '../evidence/envelope';
import { S3Store } from '../evidence/s3-store';
import { KmsSigner } from '../evidence/signer';
import { PRODUCER } from '../producer';
import { runCollector } from '../run-collector';
import { emfLine } from './emf';
import { ENV } from './runtime-env';
import type { CollectorSettings } from '../settings';

export interface HandlerResult {
  readonly collector: string;
  readonly key: string;
  readonly summary: Summary;
}

/** Time kept back from the Lambda limit to write sources and the envelope. */
export const WRITE_RESERVE_MS = 30_000;

function required(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`environment variable ${name} is not set; the stack sets it on every collector`);
  return value;
}

/** The account id is the fifth field of the function's own ARN: no STS call needed. */
export function accountFromArn(arn: string): string {
  const account = arn.split(':')[4];
  if (!account || !/^\d{12}$/.test(account)) throw new Error(`cannot read an account id from ${arn}`);
  return account;
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
    { ApiCalls: sdk.calls },
  );
}

/**
 * Builds a collector's Lambda handler. Clients are created per invocation (cheap) so that nothing from one
 * run leaks into the next. A refused evidence write throws: Lambda retries, the errors alarm fires.
 */
export function collectorHandler(collector: AnyCollector) {
  const logger = new Logger({ serviceName: PRODUCER.name, persistentKeys: { collector: collector.id } });
  return async (_event: unknown, context: Context): Promise<HandlerResult> => {
    logger.addContext(context);
    const bucket = required(ENV.bucket);
    const settings = JSON.parse(required(ENV.settings)) as CollectorSettings;
    const clients = new ClientFactory();
    const signingKeyArn = process.env[ENV.signingKeyArn];
    const result = await runCollector(collector, {
      clients,
      store: new S3Store(
        clients.get(S3Client),
        bucket,
        signingKeyArn ? new KmsSigner(clients.get(KMSClient), signingKeyArn) : undefined,
      ),
      account: accountFromArn(context.invokedFunctionArn),
      settings,
      invocationId: context.awsRequestId,
      schedule: { expression: required(ENV.scheduleExpression), timeZone: required(ENV.scheduleTimeZone) },
      // Leave time to write the evidence before Lambda stops the function.
      deadline: Date.now() + context.getRemainingTimeInMillis() - WRITE_RESERVE_MS,
    });
    const { summary, errors } = result.envelope;
    console.log(
      metricsLine(collector.id, summary, errors.length, result.durationMs, new Date(), clients.sdkStats),
    );
    for (const e of errors) logger.warn('collection error', { region: e.region, api: e.api, code: e.code });
    logger.info('evidence written', {
      key: result.envelopeObject.key,
      status: summary.status,
      evaluated: summary.evaluated,
      failed: summary.failed,
    });
    return { collector: collector.id, key: result.envelopeObject.key, summary };
  };
}
