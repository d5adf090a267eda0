import type { Answers } from '../../cli/demo/offline-clients';
import type { Floor } from '../minimums';
import type { SyntheticAccount } from '../synthetic-account';
import type { ControlBench } from './control-bench';
import { iamPrivilegeBench } from './iam-privilege';
import { passwordPolicyBench } from './password-policy';
import { keyRotationBench } from './key-rotation';
import { publicAccessBench } from './public-access';
import { threatDetectionBench } from './threat-detection';
import { auditLoggingBench } from './audit-logging';
import { vulnerabilitiesBench } from './vulnerabilities';
import { resilienceBench } from './resilience';

/** The collectors whose synthetic answers and floors live in their own file, by collector id. */
export const CONTROL_BENCHES: Readonly<Record<string, ControlBench>> = {
  'iam-privilege': iamPrivilegeBench,
  'password-policy': passwordPolicyBench,
  'key-rotation': keyRotationBench,
  'public-access': publicAccessBench,
  'threat-detection': threatDetectionBench,
  'audit-logging': auditLoggingBench,
  vulnerabilities: vulnerabilitiesBench,
  resilience: resilienceBench,
};

export function controlAnswers(account: SyntheticAccount): Answers {
  return Object.assign({}, ...Object.values(CONTROL_BENCHES).map((b) => b.answers(account))) as Answers;
}

export function controlFloors(
  account: SyntheticAccount,
  latencyMs: number,
  concurrency: number,
): Record<string, Floor> {
  return Object.fromEntries(
    Object.entries(CONTROL_BENCHES).map(([id, b]) => [id, b.floor(account, latencyMs, concurrency)]),
  );
}
