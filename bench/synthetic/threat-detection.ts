// SCAFFOLD: to be written with the threat-detection collector.
import type { ControlBench } from './control-bench';

export const threatDetectionBench: ControlBench = {
  answers: () => ({}),
  floor: () => ({ minCalls: 1, formula: 'SCAFFOLD', wallFloorMs: 0 }),
};
