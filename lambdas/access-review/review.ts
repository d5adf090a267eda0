import { SESv2Client } from '@aws-sdk/client-sesv2';
import { errorEntry } from '../aws/error-entry';
import type { AnyCollector } from '../collectors/collector';
import { sha256Hex } from '../evidence/canonical-json';
import {
  SCHEMA_VERSION,
  summarise,
  type Envelope,
  type ErrorEntry,
  type Finding,
} from '../evidence/envelope';
import { writeEvidence, type WrittenEvidence } from '../evidence/write-evidence';
import { PRODUCER } from '../producer';
import { newRunId, runCollector, type RunContext, type RunResult } from '../run-collector';
import { accessReview, POPULATION_SOURCE, type AccessReviewFacts } from './collector';
import { buildRawMessage } from './message';
import { quarterOf, renderHtml, renderText, reviewSubject } from './render';
import { sendRawEmail } from './send';

/** The evidence of the email itself, beside the population evidence (`access-review`). */
export const EMAIL_COLLECTOR = 'access-review-email';
export const MESSAGE_SOURCE = 'message.eml';

export interface ReviewContext extends RunContext {
  readonly senderEmail: string;
  readonly securityEmail: string;
  /** Quarter labels follow the schedule's time zone. @default 'UTC' */
  readonly timeZone?: string;
  /** Render and store the message, but do not send it. */
  readonly dryRun?: boolean;
}

export interface ReviewResult {
  readonly quarter: string;
  readonly population: RunResult;
  readonly email: WrittenEvidence;
  readonly messageId?: string;
  readonly raw: Buffer;
}

export class ReviewError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReviewError';
  }
}

/**
 * The quarterly review, in an order an auditor can rely on:
 * 1. freeze the population and write it as evidence (population.json, access-review.csv), before anything
 *    is sent, so the list reviewed cannot differ from the list kept;
 * 2. build the raw message and send those exact bytes with SES;
 * 3. write the email evidence: SES message id, SHA-256 of the CSV and of the raw message, the message itself.
 * A failed send is written as an error entry, then thrown, so the run alarms and Lambda retries it.
 */
export async function runAccessReview(ctx: ReviewContext): Promise<ReviewResult> {
  const runId = ctx.runId ?? newRunId();
  let facts: AccessReviewFacts = {};
  const capturing: AnyCollector = {
    ...accessReview,
    gather: async (g) => {
      const gathered = await accessReview.gather(g);
      facts = gathered.facts;
      return gathered;
    },
  };
  const population = await runCollector(capturing, { ...ctx, runId });
  const { population: frozen, csv } = facts;
  if (!frozen || csv === undefined) {
    throw new ReviewError(
      `the access review population could not be read (${population.envelope.errors.map((e) => `${e.api} ${e.code}`).join(', ')}); evidence ${population.envelopeObject.location}`,
    );
  }

  const clock = ctx.now ?? (() => new Date());
  const sentAt = clock();
  const quarter = quarterOf(new Date(population.envelope.collectedAt), ctx.timeZone);
  const meta = { quarter, account: ctx.account };
  const subject = reviewSubject(meta);
  const raw = await buildRawMessage({
    from: ctx.senderEmail,
    to: ctx.securityEmail,
    subject,
    text: renderText(frozen, meta),
    html: renderHtml(frozen, meta),
    csv,
    csvFilename: `access-review-${quarter}.csv`,
    date: sentAt,
  });

  const errors: ErrorEntry[] = [];
  let messageId: string | undefined;
  if (!ctx.dryRun) {
    try {
      messageId = await sendRawEmail(ctx.clients.get(SESv2Client), {
        from: ctx.senderEmail,
        to: ctx.securityEmail,
        raw,
      });
    } catch (err) {
      errors.push(errorEntry(err, 'global', 'ses:SendEmail'));
    }
  }

  const sourceSha = (name: string) =>
    population.envelope.sources.find((s) => s.name === name)?.sha256 ?? null;
  const link = {
    quarter,
    populationEnvelopeKey: population.envelopeObject.key,
    populationEnvelopeSha256: population.envelopeObject.sha256,
    populationSha256: sourceSha(POPULATION_SOURCE),
    csvSha256: sha256Hex(csv),
    messageSha256: sha256Hex(raw),
  };
  const finding: Finding = {
    resource: `mailto:${ctx.securityEmail}`,
    check: 'review-email-sent',
    status: ctx.dryRun ? 'INFO' : messageId ? 'PASS' : 'FAIL',
    detail: {
      ...link,
      from: ctx.senderEmail,
      to: ctx.securityEmail,
      subject,
      sesMessageId: messageId ?? null,
      dryRun: Boolean(ctx.dryRun),
    },
  };
  const draft: Omit<Envelope, 'sources'> = {
    schemaVersion: SCHEMA_VERSION,
    collector: EMAIL_COLLECTOR,
    controls: accessReview.controls,
    account: ctx.account,
    region: 'global',
    collectedAt: sentAt.toISOString(),
    ...(ctx.schedule ? { schedule: ctx.schedule } : {}),
    policy: { ...link, sesMessageId: messageId ?? null, dryRun: Boolean(ctx.dryRun) },
    summary: summarise([finding], errors),
    findings: [finding],
    errors,
    producer: { ...PRODUCER, runId, invocationId: ctx.invocationId ?? 'cli' },
  };
  const email = await writeEvidence(
    ctx.store,
    draft,
    [{ name: MESSAGE_SOURCE, api: 'ses:SendEmail', contentType: 'message/rfc822', body: raw }],
    runId,
  );
  if (errors.length > 0) {
    throw new ReviewError(
      `the access review email was not sent (${errors.map((e) => `${e.code}: ${e.message}`).join('; ')}); evidence ${email.envelopeObject.location}`,
    );
  }
  return { quarter, population, email, raw, ...(messageId ? { messageId } : {}) };
}
