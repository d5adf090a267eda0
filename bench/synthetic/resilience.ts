// SCAFFOLD: to be written with the resilience collector.
import type { ControlBench } from './control-bench';

export const resilienceBench: ControlBench = {
  answers: () => ({}),
  floor: () => ({ minCalls: 1, formula: 'SCAFFOLD', wallFloorMs: 0 }),
};
