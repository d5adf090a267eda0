import type { Answers } from '../../cli/demo/offline-clients';
import type { Floor } from '../minimums';
import type { SyntheticAccount } from '../synthetic-account';

/**
 * One collector's part of the benchmark's synthetic large account: the answers its APIs give (in the SDK's
 * output shapes, paginated as the real API pages, derived deterministically from the account's seed and
 * sizes) and the fewest calls and shortest wall time those answers allow.
 */
export interface ControlBench {
  answers(account: SyntheticAccount): Answers;
  floor(account: SyntheticAccount, latencyMs: number, concurrency: number): Floor;
}
