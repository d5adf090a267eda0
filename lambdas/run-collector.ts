import { randomUUID } from 'node:crypto';
import type { ClientFactory } from './aws/client-factory';
import type { AnyCollector, GatherContext } from './collectors/collector';
import { SCHEMA_VERSION, summarise, type Envelope, type ScheduleRef } from './evidence/envelope';
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
}

export interface RunResult extends WrittenEvidence {
  readonly durationMs: number;
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

/** gather → assess → envelope → store. Throws only when the evidence cannot be written. */
export async function runCollector(collector: AnyCollector, ctx: RunContext): Promise<RunResult> {
  const clock = ctx.now ?? (() => new Date());
  const started = clock();
  const gathered = await collector.gather({
    clients: ctx.clients,
    settings: ctx.settings,
    now: started,
    memo: memoFrom(ctx.memo ?? new Map()),
  });
  const assessment = collector.assess(gathered.facts, ctx.settings, started);
  const runId = ctx.runId ?? newRunId();
  const draft: Omit<Envelope, 'sources'> = {
    schemaVersion: SCHEMA_VERSION,
    collector: collector.id,
    controls: collector.controls,
    account: ctx.account,
    ...(collector.scope === 'global'
      ? { region: 'global' }
      : { region: 'multi-region', regions: [...ctx.settings.regions] }),
    collectedAt: started.toISOString(),
    ...(ctx.schedule ? { schedule: ctx.schedule } : {}),
    policy: collector.policy(ctx.settings),
    summary: summarise(assessment.findings, gathered.errors, assessment.figures),
    findings: assessment.findings,
    errors: gathered.errors,
    producer: { ...PRODUCER, runId, invocationId: ctx.invocationId ?? 'cli' },
  };
  const written = await writeEvidence(ctx.store, draft, gathered.sources, runId);
  return { ...written, durationMs: clock().getTime() - started.getTime() };
}
