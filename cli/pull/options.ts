import type { S3Client } from '@aws-sdk/client-s3';
import type { Progress } from '../package/progress';
import type { SlaPolicy } from '../period/model';

export interface PullOptions {
  readonly bucket: string;
  readonly from: string;
  readonly to: string;
  readonly out: string;
  readonly collector?: readonly string[];
  /** `--account ID`: only this account (one account, as before organization mode). */
  readonly account?: string;
  /**
   * `--account ID,ID,...`: only these accounts (two or more; one is `account`). Neither: every account
   * (`--account all`). An account-filtered package always holds the hub's account lists (account-scope.ts).
   */
  readonly accounts?: readonly string[];
  /** `--trust FILE`: the pinned producers' keys. */
  readonly trust?: string;
  /** `--public-key FILE`, repeatable: keys trusted for every producer. */
  readonly publicKey?: readonly string[];
  /** `--sla`: the remediation SLA the period report judges by. @default DEFAULT_SLA */
  readonly sla?: SlaPolicy;
}

export interface PullDeps {
  readonly s3: S3Client;
  readonly out: (line: string) => void;
  readonly progress?: Progress;
  /** Downloads in flight. @default 8 */
  readonly concurrency?: number;
  readonly now?: () => Date;
}

/** The accounts a pull or package is filtered to (`account` or `accounts`), sorted; undefined: every account. */
export function accountFilterOf(filter: {
  readonly account?: string;
  readonly accounts?: readonly string[];
}): readonly string[] | undefined {
  const ids = [...new Set([...(filter.account ? [filter.account] : []), ...(filter.accounts ?? [])])].sort();
  return ids.length > 0 ? ids : undefined;
}

/** The manifest's and options' form of an account filter: `account` for one, `accounts` for several. */
export function accountFilterFields(ids: readonly string[] | undefined): {
  account?: string;
  accounts?: readonly string[];
} {
  if (!ids?.length) return {};
  const sorted = [...new Set(ids)].sort();
  return sorted.length === 1 ? { account: sorted[0]! } : { accounts: sorted };
}
