import { PRODUCER } from '../producer';
import {
  SCHEMA_VERSION,
  summarise,
  type Envelope,
  type ErrorEntry,
  type Finding,
  type ScheduleRef,
} from './envelope';

export type EnvelopeDraft = Omit<Envelope, 'sources'>;

export interface DraftInput {
  /** The evidence kind's id: the `<collector>` segment of the key. */
  readonly collector: string;
  readonly controls: readonly string[];
  readonly account: string;
  /** `global`, one region code (an event recorded where it happened), or the regions a multi-region run
   * covered. */
  readonly region: string | { readonly regions: readonly string[] };
  readonly collectedAt: Date;
  readonly period?: Envelope['period'];
  readonly schedule?: ScheduleRef;
  readonly policy: Record<string, unknown>;
  readonly findings: readonly Finding[];
  readonly errors: readonly ErrorEntry[];
  readonly figures?: Record<string, number>;
  readonly runId: string;
  /** The Lambda request id; `cli` when a person ran the command. */
  readonly invocationId?: string;
}

/**
 * The one place an envelope is drafted: schema version, summary and producer are filled in the same way for
 * every kind of evidence (collector runs, the review email and attestation, coverage). `writeEvidence`
 * adds the sources.
 */
export function draftEnvelope(input: DraftInput): EnvelopeDraft {
  return {
    schemaVersion: SCHEMA_VERSION,
    collector: input.collector,
    controls: input.controls,
    account: input.account,
    ...(typeof input.region === 'string'
      ? { region: input.region }
      : { region: 'multi-region', regions: [...input.region.regions] }),
    collectedAt: input.collectedAt.toISOString(),
    ...(input.period ? { period: input.period } : {}),
    ...(input.schedule ? { schedule: input.schedule } : {}),
    policy: input.policy,
    summary: summarise(input.findings, input.errors, input.figures),
    findings: input.findings,
    errors: input.errors,
    producer: { ...PRODUCER, runId: input.runId, invocationId: input.invocationId ?? 'cli' },
  };
}
