// SCAFFOLD: to be written with the audit-logging collector.
import type { ControlBench } from './control-bench';

export const auditLoggingBench: ControlBench = {
  answers: () => ({}),
  floor: () => ({ minCalls: 1, formula: 'SCAFFOLD', wallFloorMs: 0 }),
};
