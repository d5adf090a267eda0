// SCAFFOLD: to be written with the key-rotation collector.
import type { Answers } from '../offline-clients';

/** The sample account's answers for the APIs only `key-rotation` reads. */
export function keyRotationAnswers(_now: Date, _demoNow: Date): Answers {
  return {};
}
