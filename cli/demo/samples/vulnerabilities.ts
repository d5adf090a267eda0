// SCAFFOLD: to be written with the vulnerabilities collector.
import type { Answers } from '../offline-clients';

/** The sample account's answers for the APIs only `vulnerabilities` reads. */
export function vulnerabilitiesAnswers(_now: Date, _demoNow: Date): Answers {
  return {};
}
