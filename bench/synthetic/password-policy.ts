// SCAFFOLD: to be written with the password-policy collector.
import type { ControlBench } from './control-bench';

export const passwordPolicyBench: ControlBench = {
  answers: () => ({}),
  floor: () => ({ minCalls: 1, formula: 'SCAFFOLD', wallFloorMs: 0 }),
};
