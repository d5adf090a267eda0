import {
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  paginateListUsers,
} from '@aws-sdk/client-iam';
import type { ClientFactory } from '../lambdas/aws/client-factory';
import { mapWithConcurrency } from '../lambdas/aws/concurrency';
import { isAwsError } from '../lambdas/aws/aws-error';

/** What the naive approach learns per user: the same facts the credential report gives in one file. */
export interface NaiveUserRow {
  readonly user: string;
  readonly console: boolean;
  readonly mfa: boolean;
  readonly keys: readonly { readonly id: string; readonly active: boolean; readonly lastUsed?: string }[];
}

/**
 * The IAM evidence the way it is often first written: list the users, then ask about each one. It is the
 * baseline the credential-report collectors are measured against; it is not used by any collector.
 */
export async function naiveIamEvidence(clients: ClientFactory, concurrency = 8): Promise<NaiveUserRow[]> {
  const iam = clients.get(IAMClient);
  const names: string[] = [];
  for await (const page of paginateListUsers({ client: iam }, {}))
    for (const u of page.Users ?? []) if (u.UserName) names.push(u.UserName);
  return mapWithConcurrency(names, concurrency, async (name) => {
    let console = true;
    try {
      await iam.send(new GetLoginProfileCommand({ UserName: name }));
    } catch (err) {
      if (!isAwsError(err, 'NoSuchEntity')) throw err;
      console = false;
    }
    const mfa = await iam.send(new ListMFADevicesCommand({ UserName: name }));
    const keys = await iam.send(new ListAccessKeysCommand({ UserName: name }));
    const withUse = [];
    for (const k of keys.AccessKeyMetadata ?? []) {
      if (!k.AccessKeyId) continue;
      const used = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: k.AccessKeyId }));
      withUse.push({
        id: k.AccessKeyId,
        active: k.Status === 'Active',
        ...(used.AccessKeyLastUsed?.LastUsedDate
          ? { lastUsed: used.AccessKeyLastUsed.LastUsedDate.toISOString() }
          : {}),
      });
    }
    return { user: name, console, mfa: (mfa.MFADevices ?? []).length > 0, keys: withUse };
  });
}
