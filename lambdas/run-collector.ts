import { randomUUID } from 'node:crypto';
import type { ClientFactory } from './aws/client-factory';
import { DeadlineExceededError, runWithDeadline } from './aws/deadline';
import { errorEntry } from './aws/aws-error';
import type { Assessment, Collector, GatherContext, Gathered } from './collectors/collector';
import { draftEnvelope } from './evidence/draft';
import type { ErrorEntry, ScheduleRef } from './evidence/envelope';
import type { EvidenceStore } from './evidence/store';
import { writeEvidence, type WrittenEvidence } from './evidence/write-evidence';
import { PRODUCER } from './producer';
import type { CollectorSettings } from './settings';

export interface RunContext {
  readonly clients: ClientFactory;
  readonly store: EvidenceStore;
  readonly account: string;
  readonly settings: CollectorSettings;
  readonly now?: () => Date;
  readonly runId?: string;
  readonly invocationId?: string;
  readonly schedule?: ScheduleRef;
  /** Shared between collectors run together, so a source (the credential report) is fetched once. */
  readonly memo?: Map<string, Promise<unknown>>;
  /**
   * Epoch ms by which gathering must be over so the evidence can still be written (the Lambda time limit
   * less a reserve). Regions and per-resource reads (buckets, load balancers, parameter groups) not started
   * `SOFT_DEADLINE_MARGIN_MS` before it are skipped and recorded; per-resource loops stop waiting for reads
   * still in flight `RETURN_RESERVE_MS` (aws/deadline.ts) before it, so what they read is kept; a gather
   * still running at it is abandoned and the run is recorded as an error.
   */
  readonly deadline?: number;
  /**
   * The account could not be reached (organization mode: the member role could not be assumed, or Step
   * Functions recorded that the run failed outside the function). Nothing is gathered or assessed: the run
   * writes an ERROR envelope with this entry, as for a failed gather, so the account's day is never silent.
   */
  readonly unavailable?: ErrorEntry;
}

/**
 * From the soft deadline (no new read starts) to the hard one (the gather is abandoned): reads already in
 * flight finish in the first 35 s (one answer takes well under a second; a call still retrying a throttle by
 * then is given up and its resource recorded as not read), and the last `RETURN_RESERVE_MS` (10 s) are the
 * gather's own to return what was read. The evidence itself is written after the hard deadline, in the Lambda
 * runtime's write reserve.
 */
export const SOFT_DEADLINE_MARGIN_MS = 45_000;

export interface RunResult<Facts = unknown> extends WrittenEvidence {
  readonly durationMs: number;
  /** What `gather` returned, for a caller that acts on it after the evidence is written (the access review
   * emails the population it froze); absent when gathering failed. */
  readonly facts?: Facts;
}

export function newRunId(): string {
  return randomUUID();
}

export function memoFrom(cache: Map<string, Promise<unknown>>): GatherContext['memo'] {
  return <T>(key: string, load: () => Promise<T>): Promise<T> => {
    let hit = cache.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = load();
      cache.set(key, hit);
    }
    return hit;
  };
}

function beforeDeadline<T>(work: Promise<T>, deadline: number | undefined): Promise<T> {
  if (deadline === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DeadlineExceededError('gathering was abandoned')),
      Math.max(0, deadline - Date.now()),
    );
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/**
 * gather → assess → envelope → store. Whatever goes wrong before the write (an API, a malformed answer,
 * the time limit) is recorded in the envelope as an error, so a failed run still leaves evidence of having
 * run. Throws only when the evidence itself cannot be written.
 */
export async function runCollector<Facts>(
  collector: Collector<Facts>,
  ctx: RunContext,
): Promise<RunResult<Facts>> {
  const clock = ctx.now ?? (() => new Date());
  const started = clock();
  const where = collector.scope === 'global' ? 'global' : 'all';
  const errors: ErrorEntry[] = [];
  let gathered: Gathered<Facts> | undefined;
  if (ctx.unavailable) errors.push(ctx.unavailable);
  else
    try {
      const soft = ctx.deadline === undefined ? undefined : ctx.deadline - SOFT_DEADLINE_MARGIN_MS;
      gathered = await beforeDeadline(
        runWithDeadline(
          soft,
          () =>
            collector.gather({
              clients: ctx.clients,
              settings: ctx.settings,
              now: started,
              account: ctx.account,
              memo: memoFrom(ctx.memo ?? new Map()),
            }),
          ctx.deadline,
        ),
        ctx.deadline,
      );
      errors.push(...gathered.errors);
    } catch (err) {
      errors.push(errorEntry(err, where, `${PRODUCER.name}:gather`));
    }
  let assessment: Assessment = { findings: [], figures: {} };
  if (gathered) {
    try {
      assessment = collector.assess(gathered.facts, ctx.settings, started);
    } catch (err) {
      errors.push(errorEntry(err, where, `${PRODUCER.name}:assess`));
    }
  }
  const runId = ctx.runId ?? newRunId();
  const draft = draftEnvelope({
    collector: collector.id,
    controls: collector.controls,
    account: ctx.account,
    region: collector.scope === 'global' ? 'global' : { regions: ctx.settings.regions },
    collectedAt: started,
    ...(ctx.schedule ? { schedule: ctx.schedule } : {}),
    policy: collector.policy(ctx.settings),
    findings: assessment.findings,
    errors,
    figures: assessment.figures,
    runId,
    ...(ctx.invocationId ? { invocationId: ctx.invocationId } : {}),
  });
  const written = await writeEvidence(ctx.store, draft, gathered?.sources ?? [], runId);
  return {
    ...written,
    durationMs: clock().getTime() - started.getTime(),
    ...(gathered ? { facts: gathered.facts } : {}),
  };
}
