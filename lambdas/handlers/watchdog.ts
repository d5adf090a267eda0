import { Logger } from '@aws-lambda-powertools/logger';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { ClientFactory } from '../aws/client-factory';
import type { ScheduleRef } from '../evidence/envelope';
import { S3Store } from '../evidence/s3-store';
import { KmsSigner } from '../evidence/signer';
import { accountFromArn } from '../runtime/lambda-runtime';
import { PRODUCER } from '../producer';
import { newRunId } from '../run-collector';
import { ENV } from '../runtime/runtime-env';
import {
  coverageMetricsLine,
  COVERAGE_COLLECTOR,
  DEFAULT_JUDGED_DAYS,
  runWatchdog,
  WATCHDOG_ENV,
} from '../watchdog/watchdog';

const logger = new Logger({ serviceName: PRODUCER.name, persistentKeys: { collector: COVERAGE_COLLECTOR } });

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set; the stack sets it on the watchdog`);
  return value;
}

/** The daily check that every enabled collector left the evidence its schedule promised. */
export const handler = async (_event: unknown, context: Context) => {
  logger.addContext(context);
  const clients = new ClientFactory();
  const s3 = clients.get(S3Client);
  const bucket = required(ENV.bucket);
  const signingKeyArn = process.env[ENV.signingKeyArn];
  const result = await runWatchdog({
    s3,
    bucket,
    store: new S3Store(
      s3,
      bucket,
      signingKeyArn ? new KmsSigner(clients.get(KMSClient), signingKeyArn) : undefined,
    ),
    account: accountFromArn(context.invokedFunctionArn),
    schedules: JSON.parse(required(WATCHDOG_ENV.schedules)) as Record<string, ScheduleRef>,
    now: new Date(),
    days: Number(process.env[WATCHDOG_ENV.days] ?? DEFAULT_JUDGED_DAYS),
    runId: newRunId(),
    invocationId: context.awsRequestId,
    schedule: { expression: required(ENV.scheduleExpression), timeZone: required(ENV.scheduleTimeZone) },
  });
  console.log(coverageMetricsLine(result, new Date()));
  for (const gap of result.report.gaps)
    logger.error('evidence gap', { gapCollector: gap.collector, date: gap.date, status: gap.status });
  logger.info('coverage written', {
    key: result.envelopeObject.key,
    gaps: result.gaps,
    ...result.envelope.summary.figures,
  });
  return { collector: COVERAGE_COLLECTOR, key: result.envelopeObject.key, gaps: result.gaps };
};
