import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { producerOfKind } from '../collectors/kinds';
import type { ScheduleRef } from '../evidence/envelope';
import { WATCHDOG_PRODUCER } from '../evidence/producers';
import { s3Reader } from '../evidence/read-store';
import { newRunId } from '../run-collector';
import { heartbeatLine } from '../runtime/emf';
import { evidenceHandler } from '../runtime/lambda-runtime';
import { ENV } from '../runtime/runtime-env';
import { loadProducerKeys, parseProducerKeyArns } from '../watchdog/producer-keys';
import {
  coverageMetricsLine,
  COVERAGE_COLLECTOR,
  DEFAULT_JUDGED_DAYS,
  runWatchdog,
  WATCHDOG_ENV,
} from '../watchdog/watchdog';

/**
 * The daily check that every enabled collector left the evidence its schedule promised, counting only
 * envelopes its producer signed: the public keys of the judged collectors' producers are fetched once per
 * run (kms:GetPublicKey) from ENV.producerKeys. Calls: s3:ListBucket, s3:GetObject, s3:PutObject, kms:Sign,
 * kms:GetPublicKey.
 */
export const handler = evidenceHandler(COVERAGE_COLLECTOR, async (w, logger) => {
  const schedules = JSON.parse(w.required(WATCHDOG_ENV.schedules)) as Record<string, ScheduleRef>;
  const keyArns = process.env[ENV.producerKeys];
  const loaded = keyArns
    ? await loadProducerKeys(
        w.clients.get(KMSClient),
        parseProducerKeyArns(keyArns),
        Object.keys(schedules).flatMap((id) => producerOfKind(id) ?? []),
      )
    : undefined;
  if (!loaded) logger.warn('no producer signing keys: signatures are not judged', { env: ENV.producerKeys });
  const result = await runWatchdog({
    reader: s3Reader(w.clients.get(S3Client), w.bucket),
    store: w.store,
    account: w.account,
    schedules,
    now: new Date(),
    days: Number(process.env[WATCHDOG_ENV.days] ?? DEFAULT_JUDGED_DAYS),
    runId: newRunId(),
    invocationId: w.invocationId,
    schedule: w.schedule,
    ...(loaded ? { producerKeys: loaded.keys, keyErrors: loaded.errors } : {}),
  });
  console.log(coverageMetricsLine(result, new Date()));
  for (const gap of result.report.gaps)
    logger.error('evidence gap', { gapCollector: gap.collector, date: gap.date, status: gap.status });
  for (const f of result.envelope.findings)
    if (f.check === 'envelope-authentic' && f.status === 'FAIL')
      logger.error('evidence not counted', { key: f.resource, problems: f.detail.problems });
  logger.info('coverage written', {
    key: result.envelopeObject.key,
    gaps: result.gaps,
    ...result.envelope.summary.figures,
  });
  console.log(heartbeatLine(WATCHDOG_PRODUCER, new Date(), { gaps: result.gaps }));
  return { collector: COVERAGE_COLLECTOR, key: result.envelopeObject.key, gaps: result.gaps };
});
