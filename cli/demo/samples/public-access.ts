// SCAFFOLD: to be written with the public-access collector.
import type { Answers } from '../offline-clients';

/** The sample account's answers for the APIs only `public-access` reads. */
export function publicAccessAnswers(_now: Date, _demoNow: Date): Answers {
  return {};
}
