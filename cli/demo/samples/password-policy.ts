// SCAFFOLD: to be written with the password-policy collector.
import type { Answers } from '../offline-clients';

/** The sample account's answers for the APIs only `password-policy` reads. */
export function passwordPolicyAnswers(_now: Date, _demoNow: Date): Answers {
  return {};
}
