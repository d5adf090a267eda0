// SCAFFOLD: to be written with the threat-detection collector.
import type { Answers } from '../offline-clients';

/** The sample account's answers for the APIs only `threat-detection` reads. */
export function threatDetectionAnswers(_now: Date, _demoNow: Date): Answers {
  return {};
}
