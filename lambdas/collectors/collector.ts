import type { ClientFactory } from '../aws/client-factory';
import { errorEntry } from '../aws/aws-error';
import type { ErrorEntry, Finding } from '../evidence/envelope';
import type { RawSource } from '../evidence/write-evidence';
import type { CollectorSettings } from '../settings';
import type { CheckCatalogue } from './check-catalogue';

export type Frequency = 'daily' | 'weekly' | 'quarterly';

export interface GatherContext {
  readonly clients: ClientFactory;
  readonly settings: CollectorSettings;
  readonly now: Date;
  /** The account the run reads (from the function's own ARN, or the CLI's caller identity): APIs that take an
   * account id (S3 Control) use it without an STS call. Absent only where a caller builds a context by hand. */
  readonly account?: string;
  /** Runs `load` once per key within one run and shares the result (e.g. the credential report). */
  memo<T>(key: string, load: () => Promise<T>): Promise<T>;
}

export interface Gathered<Facts> {
  readonly facts: Facts;
  readonly sources: readonly RawSource[];
  readonly errors: readonly ErrorEntry[];
}

export interface Assessment<Check extends string = string> {
  readonly findings: readonly Finding<Check>[];
  readonly figures: Record<string, number>;
}

/**
 * One kind of evidence. `gather` is the only part that talks to AWS (read-only, paginated); `assess` is a
 * pure function of the facts, the thresholds and the time, where the judgement lives and is tested.
 */
export interface Collector<Facts, Check extends string = string> {
  readonly id: string;
  readonly title: string;
  /** Trust Services Criteria this evidence supports. */
  readonly controls: readonly string[];
  /** `global` services are read once; `regional` ones in every configured region. */
  readonly scope: 'global' | 'regional';
  readonly frequency: Frequency;
  /** Exactly the IAM actions `gather` calls; the stack grants these and nothing else. */
  readonly iamActions: readonly string[];
  /** Every check `assess` can emit, with what an auditor reads about it: the controls matrix, the auditor
   * index and the README's collector table are generated from it, and findings are typed by it. */
  readonly checks: CheckCatalogue<Check>;
  /** The thresholds this collector judges by, recorded in every envelope. */
  policy(settings: CollectorSettings): Record<string, unknown>;
  gather(ctx: GatherContext): Promise<Gathered<Facts>>;
  assess(facts: Facts, settings: CollectorSettings, now: Date): Assessment<Check>;
}

/**
 * What a collector is, without how it reads AWS: the part of it that names and describes its evidence. Each
 * collector declares it beside its checks (checks.ts, which imports no AWS client), so code that only needs
 * to know the kinds of evidence (the sealer, the watchdog, the risk register: lambdas/collectors/kinds.ts)
 * does not bundle every collector's SDK clients.
 */
export type CollectorIdentity<Check extends string = string> = Pick<
  Collector<unknown, Check>,
  'id' | 'title' | 'controls' | 'scope' | 'frequency' | 'checks'
>;

// The registry holds collectors of different fact types; their facts never leave their own collector.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCollector = Collector<any>;

/**
 * The account the run reads, for ARNs an API leaves out (Classic Load Balancers, ListTables) and APIs that
 * take an account id (S3 Control): the run knows it already (the function's own ARN, the CLI's caller
 * identity), so no collector calls STS for it. Throws a named error when a caller built the context without it.
 */
export function runAccount(ctx: Pick<GatherContext, 'account'>): string {
  if (ctx.account) return ctx.account;
  throw Object.assign(new Error('the run was given no account id (GatherContext.account)'), {
    name: 'AccountUnknown',
  });
}

/** The run's account, or undefined with a named error entry added to `errors` (what depends on it is skipped). */
export function runAccountOrError(
  ctx: Pick<GatherContext, 'account'>,
  errors: ErrorEntry[],
): string | undefined {
  try {
    return runAccount(ctx);
  } catch (err) {
    errors.push(errorEntry(err, 'global', 'account'));
    return undefined;
  }
}
