import { accessReview } from '../access-review/collector';
import { backups } from './backups';
import type { AnyCollector } from './collector';
import { consoleSignins } from './console-signins';
import { encryption } from './encryption';
import { iamMfa } from './iam-mfa';
import { inactiveUsers } from './inactive-users';
import { networkExposure } from './network-exposure';
import { tls } from './tls';

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
