import { accessReview } from './access-review/collector';
import { backups } from './backups/collector';
import type { AnyCollector } from './collector';
import { consoleSignins } from './console-signins/collector';
import { encryption } from './encryption/collector';
import { iamMfa } from './iam-mfa/collector';
import { inactiveUsers } from './inactive-users/collector';
import { networkExposure } from './network-exposure/collector';
import { tls } from './tls/collector';

/** Every collector this release ships, by id. Ids are a contract: they appear in keys and config. */
export const COLLECTORS: readonly AnyCollector[] = [
  iamMfa,
  inactiveUsers,
  accessReview,
  networkExposure,
  consoleSignins,
  backups,
  encryption,
  tls,
];

export const COLLECTOR_IDS: readonly string[] = COLLECTORS.map((c) => c.id);

export function collectorById(id: string): AnyCollector | undefined {
  return COLLECTORS.find((c) => c.id === id);
}
