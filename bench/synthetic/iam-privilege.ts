// SCAFFOLD: to be written with the iam-privilege collector.
import type { ControlBench } from './control-bench';

export const iamPrivilegeBench: ControlBench = {
  answers: () => ({}),
  floor: () => ({ minCalls: 1, formula: 'SCAFFOLD', wallFloorMs: 0 }),
};
