// SCAFFOLD: to be written with the audit-logging collector.
import type { Answers } from '../offline-clients';

/** The sample account's answers for the APIs only `audit-logging` reads. */
export function auditLoggingAnswers(_now: Date, _demoNow: Date): Answers {
  return {};
}
