import type { ControlBench } from './control-bench';
import { PAGE } from '../synthetic-account';

/**
 * iam-privilege reads only GetAccountAuthorizationDetails, whose synthetic answers (users, groups, roles and
 * customer managed policies, one MaxItems count across all four) already live in synthetic-account.ts for
 * the access review: no answers of its own. Its floor is those pages, one after another (each needs the
 * previous Marker).
 */
export const iamPrivilegeBench: ControlBench = {
  answers: () => ({}),
  floor: (account, latencyMs) => {
    const items = account.authorizationItems();
    const max = PAGE.iam!.max;
    const calls = Math.max(1, Math.ceil(items / max));
    return {
      minCalls: calls,
      formula: `ceil(${items} authorization entries / ${max})`,
      wallFloorMs: latencyMs * calls,
    };
  },
};
