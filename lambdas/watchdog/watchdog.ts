/**
 * The coverage watchdog: every day, did each enabled collector leave the evidence its schedule promised?
 * It judges with the same code as the auditor's `pull` (`computeCoverage`), so the alarm and the audit
 * package cannot disagree about what a gap is.
 *
 * Window: the last `days` complete UTC days (default 2), never today (its runs may not have happened yet).
 * Evidence keys are dated in UTC, so a complete UTC day is a closed listing. Two days rather than one so
 * that one missed or failed watchdog run does not let a gap go unreported: each gap is reported on two
 * consecutive checks (the alarm firing twice for one gap is intended; evidence cannot be backfilled for a
 * past date). A weekly or quarterly schedule is judged only on the day its run was due, which is in the
 * window on the next two checks. A `rate(N days)` with N > 1 has no recorded phase and is only judged by
 * `pull` over a longer period; here it is reported as not judged.
 */
import { mapWithConcurrency } from '../aws/concurrency';
import { errorEntry, messageOf } from '../aws/aws-error';
import {
  computeCoverage,
  expectedRunDays,
  type CoverageCell,
  type CoverageReport,
  type FoundEnvelope,
} from '../evidence/coverage';
import type { Envelope, ErrorEntry, Finding, ScheduleRef } from '../evidence/envelope';
import {
  accountScope,
  expectedAccounts,
  expectedWhenFor,
  listGapText,
  missingLists,
  readAccountList,
  SINGLE_ACCOUNT,
  type AccountList,
  type AccountScope,
} from '../evidence/account-scope';
import { ACCOUNTS_KIND } from '../organization/contract';
import { draftEnvelope } from '../evidence/draft';
import { judgeEnvelope } from './authentic';
import { COVERAGE_COLLECTOR, COVERAGE_CONTROLS } from './kind';
import type { CoverageCheck } from './checks';
import { dayPrefix, parseEvidenceKey } from '../evidence/keys';
import type { BucketReader } from '../evidence/read-store';
import type { ProducerKeys } from '../evidence/signature-check';
import { SIGNATURE_METADATA } from '../evidence/signer';
import type { EvidenceStore } from '../evidence/store';
import { writeEvidence, type RawSource, type WrittenEvidence } from '../evidence/write-evidence';
import { emfLine } from '../runtime/emf';

export { COVERAGE_COLLECTOR, COVERAGE_CONTROLS, WATCHDOG_CRON } from './kind';

export const DEFAULT_JUDGED_DAYS = 2;
/** Envelope reads in flight at once: a day holds a few envelopes per collector. */
export const READ_CONCURRENCY = 8;

const DAY_MS = 86_400_000;

/** The last `days` complete UTC days before `now`: [from, to], inclusive. */
export function judgedWindow(now: Date, days = DEFAULT_JUDGED_DAYS): { from: string; to: string } {
  if (!Number.isInteger(days) || days < 1 || days > 31) throw new Error(`days must be 1 to 31, got ${days}`);
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
  return { from: iso(today - days * DAY_MS), to: iso(today - DAY_MS) };
}

export interface WatchdogContext {
  /** Reads the bucket's listing and envelopes with their metadata (the handler passes `s3Reader`;
   * ListObjectsV2 and GetObject). */
  readonly reader: Pick<BucketReader, 'list' | 'read'>;
  /**
   * The public key of each producer (fetched once per run from ENV.producerKeys): an envelope counts only
   * when its producer's key signed it. Absent (a local run): signatures are not judged, and the coverage
   * envelope says so.
   */
  readonly producerKeys?: ProducerKeys;
  /** Errors met loading the producer keys, recorded in the envelope. */
  readonly keyErrors?: readonly ErrorEntry[];
  readonly store: EvidenceStore;
  /** Only this account's evidence is judged: the bucket may also hold evidence written by the CLI. */
  readonly account: string;
  /** The enabled collectors' schedules, by collector id. */
  readonly schedules: Readonly<Record<string, ScheduleRef>>;
  readonly now: Date;
  readonly days?: number;
  readonly runId: string;
  readonly invocationId?: string;
  /** The watchdog's own schedule, recorded in its envelope. */
  readonly schedule?: ScheduleRef;
}

export interface CollectorCoverage {
  readonly collector: string;
  readonly expected: number;
  readonly present: number;
  readonly partial: number;
  readonly missing: number;
  readonly failed: number;
}

export interface WatchdogResult extends WrittenEvidence {
  /** This account's coverage. */
  readonly report: CoverageReport;
  /** This account's, per collector. */
  readonly perCollector: readonly CollectorCoverage[];
  /** Organization mode only: every account judged (this one included). */
  readonly accounts?: readonly { readonly account: string; readonly report: CoverageReport }[];
  /** Expected days with no usable evidence: missing, or only ERROR runs. */
  readonly gaps: number;
}

interface ListedEnvelope {
  readonly key: string;
  readonly collector: string;
  readonly account: string;
  readonly date: string;
}

/**
 * Envelope keys (not sources) under one UTC day's prefix, every page: scheduled collectors' of every
 * account, and this account's account lists (organization mode). Which accounts count is decided once the
 * lists are read. Current keys only (ListObjectsV2): the watchdog's role holds s3:ListBucket, not
 * s3:ListBucketVersions.
 */
async function listDay(
  ctx: WatchdogContext,
  reader: WatchdogContext['reader'],
  date: string,
): Promise<ListedEnvelope[]> {
  const out: ListedEnvelope[] = [];
  for (const key of await reader.list(dayPrefix(date))) {
    const parsed = parseEvidenceKey(key);
    if (!parsed || parsed.source !== undefined || parsed.date !== date) continue;
    const list = parsed.collector === ACCOUNTS_KIND && parsed.account === ctx.account;
    if (!list && !(parsed.collector in ctx.schedules)) continue;
    out.push({ key, collector: parsed.collector, account: parsed.account, date: parsed.date });
  }
  return out;
}

/**
 * Organization mode: this account's account lists of the window, each read and judged as any envelope
 * (an unsigned or edited list is an envelope-authentic FAIL and does not count). None: single-account mode.
 */
async function readLists(
  ctx: WatchdogContext,
  listed: readonly ListedEnvelope[],
  errors: ErrorEntry[],
  rejected: RejectedEnvelope[],
): Promise<AccountList[]> {
  const keys = listed.filter((e) => e.collector === ACCOUNTS_KIND);
  const read = await mapWithConcurrency(keys, READ_CONCURRENCY, async (e) => {
    try {
      const object = await ctx.reader.read(e.key);
      const judged = judgeEnvelope(e.key, object.body, object.metadata[SIGNATURE_METADATA], ctx.producerKeys);
      if (!judged.counted) {
        const { problems, counted: _counted, ...more } = judged;
        rejected.push({ ...e, problems, more });
        return undefined;
      }
      const list = readAccountList(e.key, JSON.parse(Buffer.from(object.body).toString('utf8')) as Envelope);
      if (typeof list === 'string') {
        rejected.push({ ...e, problems: [list], more: {} });
        return undefined;
      }
      return list;
    } catch (err) {
      errors.push({ ...errorEntry(err, 'global', 's3:GetObject'), message: `${e.key}: ${messageOf(err)}` });
      return undefined;
    }
  });
  return read.flatMap((l) => (l ? [l] : []));
}

/** An envelope read but not counted, and why. */
interface RejectedEnvelope extends ListedEnvelope {
  readonly problems: readonly string[];
  /** The signature verdict and the producer whose key made it, when judged. */
  readonly more: { readonly signature?: string; readonly signedBy?: string };
}

/** Reads one envelope with its signature and judges whether it may count (lambdas/watchdog/authentic.ts). */
async function readEnvelope(ctx: WatchdogContext, key: string) {
  const read = await ctx.reader.read(key);
  return judgeEnvelope(key, read.body, read.metadata[SIGNATURE_METADATA], ctx.producerKeys);
}

/**
 * Whether a day's evidence can matter: days a Set schedule did not promise are not read, unless (organization
 * mode) that day's run of the collector owed the envelope's account (its list, complete or PARTIAL, expects it).
 */
function mayMatter(
  expected: ReadonlyMap<string, Set<string> | { everyDays: number } | undefined>,
  e: ListedEnvelope,
  scope: AccountScope,
): boolean {
  const days = expected.get(e.collector);
  if (!(days instanceof Set) || days.has(e.date)) return true;
  const owed = expectedAccounts(scope, e.collector, e.date);
  return owed.listed && owed.accounts.has(e.account);
}

/** One account's coverage per collector and its scheduled-evidence-present finding. */
function judgeCollectors(
  ctx: WatchdogContext,
  report: CoverageReport,
  expected: ReadonlyMap<string, Set<string> | { everyDays: number } | undefined>,
): { coverage: CollectorCoverage; finding: Finding<CoverageCheck> }[] {
  return report.collectors.map((collector) => {
    const cells = report.cells.filter((c) => c.collector === collector);
    const c: CollectorCoverage = {
      collector,
      expected: cells.filter((x) => x.expected).length,
      present: count(cells, 'present'),
      partial: count(cells, 'partial'),
      missing: count(cells, 'missing'),
      failed: count(cells, 'failed'),
    };
    const dates = (s: CoverageCell['status']) =>
      cells.filter((x) => x.expected && x.status === s).map((x) => x.date);
    const schedule = ctx.schedules[c.collector]!;
    const problem = report.problems.find((p) => p.collector === c.collector);
    const notJudged = problem !== undefined || !(expected.get(c.collector) instanceof Set);
    const status =
      c.missing + c.failed > 0
        ? 'FAIL'
        : notJudged || c.expected === 0
          ? 'INFO'
          : c.partial > 0
            ? 'WARN'
            : 'PASS';
    const finding: Finding<CoverageCheck> = {
      resource: `collector:${c.collector}`,
      check: 'scheduled-evidence-present',
      status,
      detail: {
        schedule: schedule.expression,
        timeZone: schedule.timeZone,
        expected: c.expected,
        present: c.present,
        partial: c.partial,
        missing: c.missing,
        failed: c.failed,
        expectedDates: cells.filter((x) => x.expected).map((x) => x.date),
        missingDates: dates('missing'),
        failedDates: dates('failed'),
        partialDates: dates('partial'),
        ...(problem
          ? { notJudged: problem.message }
          : notJudged
            ? {
                notJudged:
                  'rate(N days) with N > 1 has no recorded phase; judged by pull over a longer period',
              }
            : {}),
      },
    };
    return { coverage: c, finding };
  });
}

function count(cells: readonly CoverageCell[], status: CoverageCell['status']): number {
  return cells.filter((c) => c.expected && c.status === status).length;
}

/**
 * Lists the window, reads the status of the envelopes that can matter, judges coverage, and writes the
 * `coverage` envelope. A listing that fails throws (nothing could be judged: Lambda retries and the
 * errors alarm fires); an envelope that cannot be read is an error entry and does not count as present,
 * so an unreadable day shows as a gap rather than hiding one.
 */
export async function runWatchdog(ctx: WatchdogContext): Promise<WatchdogResult> {
  const window = judgedWindow(ctx.now, ctx.days);
  const days: string[] = [];
  for (let t = Date.parse(window.from); t <= Date.parse(window.to); t += DAY_MS)
    days.push(new Date(t).toISOString().slice(0, 10));

  const expected = new Map<string, Set<string> | { everyDays: number } | undefined>();
  for (const [id, schedule] of Object.entries(ctx.schedules)) {
    try {
      expected.set(id, expectedRunDays(schedule, window.from, window.to));
    } catch {
      expected.set(id, undefined); // computeCoverage reports it as a problem below
    }
  }

  const reader = ctx.reader;
  const listed = (await Promise.all(days.map((d) => listDay(ctx, reader, d)))).flat();
  const errors: ErrorEntry[] = [...(ctx.keyErrors ?? [])];
  const rejected: RejectedEnvelope[] = [];
  const lists = await readLists(ctx, listed, errors, rejected);
  const scope = lists.length > 0 ? accountScope(lists, window.from, window.to) : SINGLE_ACCOUNT;
  // Single-account mode judges this account alone, as before organization mode; organization mode every
  // account a list met, this one included.
  const accounts = scope.organization ? [...new Set([ctx.account, ...scope.accounts])].sort() : [ctx.account];
  const toRead = listed.filter(
    (e) => e.collector !== ACCOUNTS_KIND && accounts.includes(e.account) && mayMatter(expected, e, scope),
  );
  const read = await mapWithConcurrency(toRead, READ_CONCURRENCY, async (e) => {
    try {
      const judged = await readEnvelope(ctx, e.key);
      if (judged.counted) return { ...e, status: judged.status, complete: judged.complete };
      const { problems, counted: _counted, ...more } = judged;
      rejected.push({ ...e, problems, more });
      return undefined;
    } catch (err) {
      errors.push({
        ...errorEntry(err, 'global', 's3:GetObject'),
        message: `${e.key}: ${messageOf(err)}`,
      });
      return undefined;
    }
  });
  const judgedAccounts = accounts.map((account) => {
    const found: FoundEnvelope[] = read.flatMap((r) =>
      r && r.account === account
        ? [{ collector: r.collector, date: r.date, status: r.status, complete: r.complete }]
        : [],
    );
    const expectedWhen = expectedWhenFor(scope, account);
    const report = computeCoverage({
      ...window,
      schedules: ctx.schedules,
      envelopes: found,
      ...(expectedWhen ? { expectedWhen } : {}),
    });
    return { account, report, found: found.length };
  });
  const own = judgedAccounts.find((a) => a.account === ctx.account)!;
  const report = own.report;

  const findings: Finding<CoverageCheck>[] = [];
  const allCollectors: CollectorCoverage[] = [];
  let perCollector: CollectorCoverage[] = [];
  for (const judged of judgedAccounts) {
    const mine = judgeCollectors(ctx, judged.report, expected);
    if (judged.account === ctx.account) perCollector = mine.map((m) => m.coverage);
    for (const { coverage, finding } of mine) {
      const isOwn = judged.account === ctx.account;
      // An account that owed nothing and wrote nothing in the window (excluded, suspended) says nothing.
      if (!isOwn && coverage.expected === 0 && coverage.present + coverage.partial === 0) continue;
      allCollectors.push(coverage);
      findings.push(
        scope.organization
          ? {
              ...finding,
              resource: isOwn ? finding.resource : `account:${judged.account}/${finding.resource}`,
              detail: { ...finding.detail, account: judged.account },
            }
          : finding,
      );
    }
  }
  const scheduledDays = new Map<string, Set<string>>();
  for (const [id, days] of expected) if (days instanceof Set) scheduledDays.set(id, days);
  const lacking = missingLists(scope, scheduledDays);
  for (const collector of [...new Set(lacking.map((m) => m.collector))]) {
    const mine = lacking.filter((m) => m.collector === collector);
    const dates = (status: 'ERROR' | 'PARTIAL' | undefined) =>
      mine.filter((m) => m.status === status).map((m) => m.date);
    const [missingDates, failedDates, incompleteDates] = [dates(undefined), dates('ERROR'), dates('PARTIAL')];
    findings.push({
      resource: `account-list:${collector}`,
      check: 'scheduled-evidence-present',
      status: 'FAIL',
      detail: {
        missingDates,
        ...(failedDates.length ? { failedDates } : {}),
        ...(incompleteDates.length ? { incompleteDates } : {}),
        why: [
          ...(missingDates.length
            ? [
                'organization mode: the run its schedule promised left no account list, so it did not fan out (or its list is unreadable or not authentic); the accounts of the nearest list are judged as expected',
              ]
            : []),
          ...(failedDates.length ? [`failedDates: ${listGapText({ status: 'ERROR' })}`] : []),
          ...(incompleteDates.length ? [`incompleteDates: ${listGapText({ status: 'PARTIAL' })}`] : []),
        ].join('; '),
      },
    });
  }
  // Each envelope that did not count, by name: it was unsigned, signed by another key, edited or copied.
  for (const r of rejected.sort((a, b) => a.key.localeCompare(b.key)))
    findings.push({
      resource: r.key,
      check: 'envelope-authentic',
      status: 'FAIL',
      detail: { collector: r.collector, date: r.date, problems: r.problems, ...r.more },
    });
  if (!ctx.producerKeys)
    findings.push({
      resource: 'signatures',
      check: 'envelope-authentic',
      status: 'INFO',
      detail: {
        notJudged:
          'no producer signing keys were given (PRODUCER_SIGNING_KEYS): envelopes were counted on their canonical form and key binding alone, their signatures were not checked',
      },
    });
  const sum = (k: keyof Omit<CollectorCoverage, 'collector'>) => allCollectors.reduce((n, c) => n + c[k], 0);
  const gaps = judgedAccounts.reduce((n, a) => n + a.report.gaps.length, 0) + lacking.length;
  const figures = {
    collectorsJudged: perCollector.length,
    ...(scope.organization
      ? {
          accountsJudged: accounts.length,
          accountLists: lists.length,
          missingAccountLists: lacking.filter((m) => !m.status).length,
          failedAccountLists: lacking.filter((m) => m.status === 'ERROR').length,
          incompleteAccountLists: lacking.filter((m) => m.status === 'PARTIAL').length,
        }
      : {}),
    expectedRuns: sum('expected'),
    presentRuns: sum('present'),
    partialRuns: sum('partial'),
    missingRuns: sum('missing'),
    failedRuns: sum('failed'),
    gaps,
    envelopesRead: judgedAccounts.reduce((n, a) => n + a.found, 0),
    envelopesRejected: rejected.length,
  };

  const listing = JSON.stringify(
    [
      // As the auditor's manifest records a run: its status read through runOutcome, `complete: false` if not.
      ...read.flatMap((r) =>
        r ? [{ key: r.key, status: r.status, ...(r.complete ? {} : { complete: false }) }] : [],
      ),
      ...lists.map((l) => ({ key: l.key, accountList: l.collector })),
      ...rejected.map((r) => ({ key: r.key, rejected: true })),
    ].sort((a, b) => a.key.localeCompare(b.key)),
  );
  const sources: RawSource[] = [
    {
      name: 'envelopes.json',
      api: 's3:ListObjectsV2',
      contentType: 'application/json',
      body: new TextEncoder().encode(`${listing}\n`),
    },
  ];
  const draft = draftEnvelope({
    collector: COVERAGE_COLLECTOR,
    controls: COVERAGE_CONTROLS,
    account: ctx.account,
    region: 'global',
    collectedAt: ctx.now,
    // The judged UTC days as instants: from the first day's start to the last day's end (exclusive).
    period: {
      from: `${window.from}T00:00:00.000Z`,
      to: new Date(Date.parse(window.to) + DAY_MS).toISOString(),
    },
    ...(ctx.schedule ? { schedule: ctx.schedule } : {}),
    policy: {
      judgedDays: days.length,
      window: 'the last complete UTC days before the run, today excluded',
      schedules: ctx.schedules,
      gap: 'an expected day with no envelope, or only ERROR envelopes (shared with pull: lambdas/evidence/coverage.ts)',
      partialDay:
        'WARN: the day has evidence, but no run judged its whole scope (PARTIAL, or FAIL with error entries: a failed check is still FAIL)',
      unreadableEnvelope: 'recorded as an error and not counted as present',
      countedEnvelope:
        "its own canonical JSON, its key agreeing with its content, and signed by its kind's producer key (lambdas/evidence/envelope-check.ts, signature-check.ts); any other is an envelope-authentic FAIL and does not count",
      ...(scope.organization
        ? {
            organization:
              "the account lists of this account (organization-accounts) say which accounts each collector's run owed evidence for: an account in scope on a day without its envelope is a gap; a scheduled day without a list is a gap of the fan-out (lambdas/evidence/account-scope.ts)",
            accountsJudged: accounts,
          }
        : {}),
      signatures: ctx.producerKeys
        ? `judged with the public keys of ${[...ctx.producerKeys.producers.keys()].join(', ') || 'no producer'}`
        : 'not judged: no producer signing keys were given',
    },
    findings,
    errors,
    figures,
    runId: ctx.runId,
    ...(ctx.invocationId ? { invocationId: ctx.invocationId } : {}),
  });
  const written = await writeEvidence(ctx.store, draft, sources, ctx.runId);
  return {
    ...written,
    report,
    perCollector,
    gaps,
    ...(scope.organization
      ? { accounts: judgedAccounts.map(({ account, report }) => ({ account, report })) }
      : {}),
  };
}

/** The watchdog's EMF line: `CoverageGaps` is what the evidence-gap alarm watches. */
export function coverageMetricsLine(result: WatchdogResult, now: Date): string {
  const f = result.envelope.summary.figures;
  return emfLine(
    { name: 'Collector', value: COVERAGE_COLLECTOR },
    {
      CoverageGaps: { value: result.gaps, unit: 'Count' },
      ExpectedRuns: { value: f.expectedRuns ?? 0, unit: 'Count' },
      MissingRuns: { value: f.missingRuns ?? 0, unit: 'Count' },
      FailedRuns: { value: f.failedRuns ?? 0, unit: 'Count' },
      PartialRuns: { value: f.partialRuns ?? 0, unit: 'Count' },
      RejectedEnvelopes: { value: f.envelopesRejected ?? 0, unit: 'Count' },
    },
    now,
  );
}

/** Environment the stack sets on the watchdog, besides the bucket, its schedule and the signing key. */
export const WATCHDOG_ENV = {
  /** JSON: { "<collector>": { "expression": "cron(...)", "timeZone": "..." } } for enabled collectors. */
  schedules: 'COLLECTOR_SCHEDULES',
  /** Optional: complete UTC days judged per run. */
  days: 'WATCHDOG_DAYS',
} as const;
