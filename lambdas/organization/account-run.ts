import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { errorEntry } from '../aws/aws-error';
import { ClientFactory } from '../aws/client-factory';
import type { ErrorEntry } from '../evidence/envelope';
import { PRODUCER } from '../producer';
import { memberRoleArn, type AccountRunEvent } from './contract';

/** What a collector needs to run against one member account. */
export interface AccountRun {
  readonly account: string;
  /** The member role's clients (own `sdkStats`); when `unavailable` is set, a factory that refuses to make any. */
  readonly clients: ClientFactory;
  /** Why the account could not be read: the run writes an ERROR envelope with it and gathers nothing. */
  readonly unavailable?: ErrorEntry;
}

export interface HubContext {
  /** The hub function's own clients: AssumeRole is made (and counted) with them. */
  readonly clients: ClientFactory;
  readonly partition: string;
  readonly memberRoleName: string;
  readonly now?: () => Date;
}

/** An assumed role's session: one hour, the most role chaining allows (a Lambda role assuming another). */
export const MEMBER_SESSION_SECONDS = 3600;
/** The API an account's failure recorded by Step Functions (RecordFailure) is attributed to. */
export const RECORDED_FAILURE_API = 'states:RunCollector';
const MESSAGE_LIMIT = 1000;

/**
 * The partition (`aws`, `aws-cn`, `aws-us-gov`) from an ARN such as the function's own
 * (`context.invokedFunctionArn`): the member role's ARN is in the same partition as the hub.
 */
export function partitionFromArn(arn: string): string {
  const partition = arn.split(':')[1];
  if (!arn.startsWith('arn:') || !partition || !/^aws(-[a-z]+)*$/.test(partition))
    throw new Error(`cannot read a partition (aws, aws-cn, aws-us-gov...) from the ARN ${arn}`);
  return partition;
}

/**
 * `soc2-evidence-<collector>`: CloudTrail in the member account names the session, so its administrators
 * see which collector read what. AssumeRole allows 2 to 64 of `[\w+=,.@-]`.
 */
export function roleSessionName(collector: string): string {
  return `${PRODUCER.name}-${collector}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

/**
 * Clients for an account that could not be reached: creating one throws, so no code path can read the hub's
 * own account and record it as the member's.
 */
function noClients(account: string): ClientFactory {
  return new ClientFactory(() => {
    throw new Error(`account ${account} is unavailable: no AWS client may be created for it`);
  });
}

/**
 * Prepares one Map item's run: the member role's credentials for `event.account`, or the reason the account
 * cannot be read (Step Functions' recorded failure, or AssumeRole refused), which the run records as an ERROR
 * envelope. Never throws for the account's sake: a member role missing in one account must not stop the
 * evidence that says so from being written.
 */
export async function prepareAccountRun(event: AccountRunEvent, hub: HubContext): Promise<AccountRun> {
  const account = event.account;
  if (event.failure) {
    const cause = event.failure.cause.trim();
    return {
      account,
      clients: noClients(account),
      unavailable: {
        region: 'global',
        api: RECORDED_FAILURE_API,
        code: event.failure.error || 'States.TaskFailed',
        message: (
          cause || `the run of ${event.collector} failed outside the function, with no cause given`
        ).slice(0, MESSAGE_LIMIT),
      },
    };
  }
  const roleArn = memberRoleArn(hub.partition, account, hub.memberRoleName);
  try {
    const out = await hub.clients.get(STSClient).send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: roleSessionName(event.collector),
        DurationSeconds: MEMBER_SESSION_SECONDS,
      }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken)
      throw Object.assign(new Error(`AssumeRole of ${roleArn} returned no credentials`), {
        name: 'NoCredentials',
      });
    const now = (hub.now ?? (() => new Date()))();
    if (c.Expiration && c.Expiration.getTime() <= now.getTime())
      throw Object.assign(
        new Error(
          `AssumeRole of ${roleArn} returned credentials that expired at ${c.Expiration.toISOString()}`,
        ),
        { name: 'ExpiredCredentials' },
      );
    return {
      account,
      clients: hub.clients.withCredentials({
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
        ...(c.Expiration ? { expiration: c.Expiration } : {}),
      }),
    };
  } catch (err) {
    const entry = errorEntry(err, 'global', 'sts:AssumeRole');
    // STS's own message names the role; ours must too when it does not (a network error, a throttle).
    const message = entry.message.includes(roleArn) ? entry.message : `${roleArn}: ${entry.message}`;
    return {
      account,
      clients: noClients(account),
      unavailable: { ...entry, message: message.slice(0, MESSAGE_LIMIT) },
    };
  }
}
