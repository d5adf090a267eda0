import { S3Client } from '@aws-sdk/client-s3';
import { runAccessReview } from '../collectors/access-review/review';
import { s3Reader } from '../evidence/read-store';
import { evidenceHandler, metricsLine } from '../runtime/lambda-runtime';
import { ENV } from '../runtime/runtime-env';

/** The scheduled quarterly review: freeze the population as evidence, email it, record the sending. */
export const handler = evidenceHandler('access-review', async (w, logger) => {
  const result = await runAccessReview({
    clients: w.clients,
    // Signed like every other collector's evidence: the review is the evidence most likely to be challenged.
    store: w.store,
    location: { bucket: w.bucket },
    account: w.account,
    settings: w.settings(),
    invocationId: w.invocationId,
    // Lambda's async retries keep the request id: the review reads back this invocation's email evidence.
    reader: s3Reader(w.clients.get(S3Client), w.bucket),
    schedule: w.schedule,
    timeZone: w.schedule.timeZone,
    senderEmail: w.required(ENV.senderEmail),
    securityEmail: w.required(ENV.securityEmail),
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
});
