// SCAFFOLD: to be written with the key-rotation collector.
import type { ControlBench } from './control-bench';

export const keyRotationBench: ControlBench = {
  answers: () => ({}),
  floor: () => ({ minCalls: 1, formula: 'SCAFFOLD', wallFloorMs: 0 }),
};
