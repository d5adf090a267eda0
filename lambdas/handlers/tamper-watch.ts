import { TAMPER_WATCH_KIND } from '../evidence/producers';
import { EvidenceExistsError } from '../evidence/store';
import { writeEvidence } from '../evidence/write-evidence';
import { newRunId } from '../run-collector';
import { emfLine } from '../runtime/emf';
import { evidenceHandler } from '../runtime/lambda-runtime';
import { TAMPER_EVENTS_DIMENSION, TAMPER_EVENTS_METRIC } from '../runtime/runtime-env';
import { recordTamperEvent } from '../tamper-watch/record';

/**
 * The tamper watch: invoked by the stack's EventBridge rule with one "AWS API Call via CloudTrail" event,
 * it writes one signed envelope (and the event verbatim beside it) and prints `TamperEvents` = 1, which is
 * alarmed on. Calls: s3:PutObject and kms:Sign (its own key) only. A write that fails throws, so Lambda
 * retries the event and the errors alarm fires. One event can arrive twice: a producer role whose name both
 * the stack prefix and a later rule of named roles match (the roles are spread over rules of ten) is
 * delivered by both rules. Its record's key is the event id under the second it was recorded, so a second
 * delivery within that second finds the record there (only this function writes under tamper-watch/): it
 * is already recorded, not a failure.
 */
export const handler = evidenceHandler(TAMPER_WATCH_KIND, async (w, logger, event: unknown) => {
  const now = new Date();
  const recorded = recordTamperEvent({
    event,
    fallbackAccount: w.account,
    now,
    fallbackRunId: newRunId(),
    invocationId: w.invocationId,
  });
  let written;
  try {
    written = await writeEvidence(w.store, recorded.draft, recorded.sources, recorded.runId);
  } catch (err) {
    if (!(err instanceof EvidenceExistsError)) throw err;
    logger.info('event already recorded (delivered twice)', { key: err.key });
    return { collector: TAMPER_WATCH_KIND, alreadyRecorded: true };
  }
  const finding = written.envelope.findings[0];
  console.log(
    emfLine(TAMPER_EVENTS_DIMENSION, { [TAMPER_EVENTS_METRIC]: { value: 1, unit: 'Count' } }, now, {
      key: written.envelopeObject.key,
      ...(finding ? { resource: finding.resource, check: finding.check } : {}),
    }),
  );
  for (const e of written.envelope.errors) logger.warn('event not fully read', { message: e.message });
  logger.info('protected resource change recorded', {
    key: written.envelopeObject.key,
    status: written.envelope.summary.status,
    ...(finding ? { resource: finding.resource, eventName: finding.detail.eventName } : {}),
  });
  return {
    collector: TAMPER_WATCH_KIND,
    key: written.envelopeObject.key,
    status: written.envelope.summary.status,
  };
});
