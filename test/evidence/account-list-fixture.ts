/**
 * Account-list envelopes as the hub writes them in organization mode (lambdas/organization/contract.ts),
 * drafted and written with the shared envelope helpers, for coverage, verify and watchdog tests.
 */
import {
  ACCOUNT_IN_SCOPE_CHECK,
  ACCOUNT_OUT_OF_SCOPE_CHECK,
  ACCOUNTS_KIND,
  type AccountListDetail,
  type AccountListPolicy,
  type OutOfScopeReason,
} from '../../lambdas/organization/contract';
import { draftEnvelope } from '../../lambdas/evidence/draft';
import type { Envelope, ErrorEntry, Finding } from '../../lambdas/evidence/envelope';
import type { EvidenceStore } from '../../lambdas/evidence/store';
import { writeEvidence, type WrittenEvidence } from '../../lambdas/evidence/write-evidence';

export const HUB = '123456789012';
export const MEMBER_A = '111111111111';
export const MEMBER_B = '222222222222';

/** An account met by a list: in scope unless `reason` is given. */
export interface MetAccount {
  readonly account: string;
  readonly name?: string;
  readonly ouPath?: string;
  readonly reason?: OutOfScopeReason;
}

export interface ListOptions {
  hub?: string;
  time?: string;
  runId?: string;
  /**
   * What the hub could not read, as accounts.ts records it: with accounts met, the list is PARTIAL (say the
   * refused OU); with none, ERROR (the organization could not be read).
   */
  errors?: readonly ErrorEntry[];
}

/** An OU the hub was refused, as accounts.ts records it. */
export const REFUSED_OU: ErrorEntry = {
  region: 'us-east-1',
  api: 'organizations:ListAccountsForParent',
  code: 'AccessDeniedException',
  message: 'ou-abcd-22222222: You do not have access to this resource',
};

export function accountListDraft(
  collector: string,
  date: string,
  accounts: readonly MetAccount[],
  options: ListOptions = {},
): Omit<Envelope, 'sources'> {
  const findings: Finding[] = accounts.map((a) => {
    const detail: AccountListDetail = {
      name: a.name ?? `account-${a.account.slice(0, 3)}`,
      ouPath: a.ouPath ?? 'Root/Workloads',
      parent: 'ou-abcd-11111111',
      state: a.reason === 'suspended' ? 'SUSPENDED' : 'ACTIVE',
      ...(a.reason ? { reason: a.reason } : {}),
    };
    return {
      resource: a.account,
      check: a.reason ? ACCOUNT_OUT_OF_SCOPE_CHECK : ACCOUNT_IN_SCOPE_CHECK,
      status: 'INFO',
      detail: detail as unknown as Record<string, unknown>,
    };
  });
  const policy: AccountListPolicy = {
    collector,
    execution: `arn:aws:states:us-east-1:123456789012:execution:soc2-${collector}:${date}`,
    organizationId: 'o-exampleorg1',
    organizationalUnits: ['r-abcd'],
    excludeAccounts: accounts.filter((a) => a.reason === 'excluded').map((a) => a.account),
    memberRoleName: 'soc2-evidence-member',
  };
  return draftEnvelope({
    collector: ACCOUNTS_KIND,
    controls: ['CC6.1'],
    account: options.hub ?? HUB,
    region: 'global',
    collectedAt: new Date(`${date}T${options.time ?? '05:59:58.000'}Z`),
    policy: policy as unknown as Record<string, unknown>,
    findings,
    errors: options.errors ?? [],
    figures: {
      inScope: accounts.filter((a) => !a.reason).length,
      outOfScope: accounts.filter((a) => a.reason).length,
    },
    runId: options.runId ?? `list-${collector}-${date}`,
  });
}

/** Writes one account list into `store`. */
export function writeAccountList(
  store: EvidenceStore,
  collector: string,
  date: string,
  accounts: readonly MetAccount[],
  options: ListOptions = {},
): Promise<WrittenEvidence> {
  const draft = accountListDraft(collector, date, accounts, options);
  return writeEvidence(store, draft, [], draft.producer.runId);
}
