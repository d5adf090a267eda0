// SCAFFOLD: to be written with the public-access collector.
import type { ControlBench } from './control-bench';

export const publicAccessBench: ControlBench = {
  answers: () => ({}),
  floor: () => ({ minCalls: 1, formula: 'SCAFFOLD', wallFloorMs: 0 }),
};
