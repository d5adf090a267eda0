import { Logger } from '@aws-lambda-powertools/logger';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { runAccessReview } from '../collectors/access-review/review';
import { ClientFactory } from '../aws/client-factory';
import { s3Reader } from '../evidence/read-store';
import { S3Store } from '../evidence/s3-store';
import { KmsSigner } from '../evidence/signer';
import { accountFromArn, metricsLine } from '../runtime/lambda-runtime';
import { PRODUCER } from '../producer';
import { ENV } from '../runtime/runtime-env';
import type { CollectorSettings } from '../settings';

const logger = new Logger({ serviceName: PRODUCER.name, persistentKeys: { collector: 'access-review' } });

function required(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`environment variable ${name} is not set; the stack sets it on the access review`);
  return value;
}

/** The scheduled quarterly review: freeze the population as evidence, email it, record the sending. */
export const handler = async (_event: unknown, context: Context) => {
  logger.addContext(context);
  const clients = new ClientFactory();
  const timeZone = required(ENV.scheduleTimeZone);
  const signingKeyArn = process.env[ENV.signingKeyArn];
  const result = await runAccessReview({
    clients,
    // Signed like every other collector's evidence: the review is the evidence most likely to be challenged.
    store: new S3Store(
      clients.get(S3Client),
      required(ENV.bucket),
      signingKeyArn ? new KmsSigner(clients.get(KMSClient), signingKeyArn) : undefined,
    ),
    account: accountFromArn(context.invokedFunctionArn),
    settings: JSON.parse(required(ENV.settings)) as CollectorSettings,
    invocationId: context.awsRequestId,
    // Lambda's async retries keep the request id: the review reads back this invocation's email evidence.
    reader: s3Reader(clients.get(S3Client), required(ENV.bucket)),
    schedule: { expression: required(ENV.scheduleExpression), timeZone },
    timeZone,
    senderEmail: required(ENV.senderEmail),
    securityEmail: required(ENV.securityEmail),
  });
  const { summary, errors } = result.population.envelope;
  console.log(metricsLine('access-review', summary, errors.length, result.population.durationMs, new Date()));
  logger.info(result.skipped ? 'access review not sent again' : 'access review sent', {
    quarter: result.quarter,
    ...(result.skipped ? { skipped: result.skipped } : {}),
    messageId: result.messageId,
    population: result.population.envelopeObject.key,
    email: result.email.envelopeObject.key,
  });
  return {
    collector: 'access-review',
    quarter: result.quarter,
    key: result.population.envelopeObject.key,
    emailKey: result.email.envelopeObject.key,
    messageId: result.messageId,
    summary,
  };
};
