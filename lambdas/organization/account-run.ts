/**
 * TEMPORARY STUB (org-idc worktree only): the runtime helper owns this file and lands the real
 * `prepareAccountRun` (member-role credentials through sts:AssumeRole). This stub exists only so the access
 * review's dispatch compiles and can be tested against the agreed signature; drop it at merge.
 */
import type { ClientFactory } from '../aws/client-factory';
import type { ErrorEntry } from '../evidence/envelope';
import { parseAccountRunEvent } from './contract';

export interface PreparedAccountRun {
  readonly account: string;
  /** Clients holding the member role's credentials in `account`. */
  readonly clients: ClientFactory;
  /** Set when the account cannot be read (RecordFailure's failure, or the role could not be assumed). */
  readonly unavailable?: ErrorEntry;
}

export interface AccountRunHub {
  readonly clients: ClientFactory;
}

export function prepareAccountRun(event: unknown, hub: AccountRunHub): Promise<PreparedAccountRun> {
  const e = parseAccountRunEvent(event);
  return Promise.resolve({
    account: e.account,
    clients: hub.clients,
    ...(e.failure
      ? {
          unavailable: {
            region: 'global',
            api: 'states:RecordFailure',
            code: e.failure.error,
            message: e.failure.cause,
          },
        }
      : {}),
  });
}
