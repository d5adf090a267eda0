import type { AnyCollector } from './collector';
import { iamMfa } from './iam-mfa';

/** Every collector this release ships, by id. Ids are a contract: they appear in keys and config. */
export const COLLECTORS: readonly AnyCollector[] = [iamMfa];

export const COLLECTOR_IDS: readonly string[] = COLLECTORS.map((c) => c.id);

export function collectorById(id: string): AnyCollector | undefined {
  return COLLECTORS.find((c) => c.id === id);
}
