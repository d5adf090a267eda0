import { S3Client } from '@aws-sdk/client-s3';
import type { ScheduleRef } from '../evidence/envelope';
import { s3Reader } from '../evidence/read-store';
import { newRunId } from '../run-collector';
import { evidenceHandler } from '../runtime/lambda-runtime';
import {
  coverageMetricsLine,
  COVERAGE_COLLECTOR,
  DEFAULT_JUDGED_DAYS,
  runWatchdog,
  WATCHDOG_ENV,
} from '../watchdog/watchdog';

/** The daily check that every enabled collector left the evidence its schedule promised. */
export const handler = evidenceHandler(COVERAGE_COLLECTOR, async (w, logger) => {
  const result = await runWatchdog({
    reader: s3Reader(w.clients.get(S3Client), w.bucket),
    store: w.store,
    account: w.account,
    schedules: JSON.parse(w.required(WATCHDOG_ENV.schedules)) as Record<string, ScheduleRef>,
    now: new Date(),
    days: Number(process.env[WATCHDOG_ENV.days] ?? DEFAULT_JUDGED_DAYS),
    runId: newRunId(),
    invocationId: w.invocationId,
    schedule: w.schedule,
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
});
