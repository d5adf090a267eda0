// SCAFFOLD: to be written with the resilience collector.
import type { Answers } from '../offline-clients';

/** The sample account's answers for the APIs only `resilience` reads. */
export function resilienceAnswers(_now: Date, _demoNow: Date): Answers {
  return {};
}
