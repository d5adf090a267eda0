// SCAFFOLD: to be written with the iam-privilege collector.
import type { Answers } from '../offline-clients';

/** The sample account's answers for the APIs only `iam-privilege` reads. */
export function iamPrivilegeAnswers(_now: Date, _demoNow: Date): Answers {
  return {};
}
