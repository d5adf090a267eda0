// SCAFFOLD: to be written with the vulnerabilities collector.
import type { ControlBench } from './control-bench';

export const vulnerabilitiesBench: ControlBench = {
  answers: () => ({}),
  floor: () => ({ minCalls: 1, formula: 'SCAFFOLD', wallFloorMs: 0 }),
};
