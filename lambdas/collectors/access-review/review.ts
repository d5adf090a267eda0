import { SESv2Client } from '@aws-sdk/client-sesv2';
import { errorEntry } from '../../aws/aws-error';
import { sha256Hex } from '../../evidence/canonical-json';
import { draftEnvelope, type EnvelopeDraft } from '../../evidence/draft';
import type { Envelope, ErrorEntry, Finding } from '../../evidence/envelope';
import { evidenceFolder, parseEvidenceKey } from '../../evidence/keys';
import type { EvidenceReader } from '../../evidence/read-store';
import { writeEvidence, type WrittenEvidence } from '../../evidence/write-evidence';
import { newRunId, runCollector, type RunContext, type RunResult } from '../../run-collector';
import type { AccessReviewEmailCheck } from './checks';
import { accessReview, POPULATION_SOURCE } from './collector';
import { buildRawMessage } from './message';
import {
  csvFilename,
  quarterOf,
  renderHtml,
  renderText,
  reviewSubject,
  type EvidenceLocation,
  type ReviewMeta,
} from './render';
import { sendRawEmail } from './send';

import { EMAIL_COLLECTOR } from './checks';
export { EMAIL_COLLECTOR };
export const MESSAGE_SOURCE = 'message.eml';

export interface ReviewContext extends RunContext {
  readonly senderEmail: string;
  readonly securityEmail: string;
  /** Where `store` keeps the evidence (its bucket, or the `--dir` directory): the email's record command names it. */
  readonly location: EvidenceLocation;
  /** Quarter labels follow the schedule's time zone. @default 'UTC' */
  readonly timeZone?: string;
  /** Render and store the message, but do not send it. */
  readonly dryRun?: boolean;
  /** Reads back this invocation's email evidence, so a retry does not send twice; without it, no check. */
  readonly reader?: EvidenceReader;
}

export interface ReviewResult {
  readonly quarter: string;
  readonly population: RunResult;
  readonly email: WrittenEvidence;
  readonly messageId?: string;
  readonly raw: Buffer;
  /** The HTML body and CSV attachment inside `raw`, for a preview without parsing the message. */
  readonly html: string;
  readonly csv: string;
  /** Set when a retry did not send, because an earlier attempt of the invocation sent (or may have). */
  readonly skipped?: { readonly reason: string; readonly previousEmailEnvelopeKey: string };
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
 * A failed send is written as an error entry, then thrown, so the run alarms and Lambda retries it. With a
 * reader, a retry of the same invocation that finds the review sent (or possibly sent) does not send again.
 */
export async function runAccessReview(ctx: ReviewContext): Promise<ReviewResult> {
  const runId = ctx.runId ?? newRunId();
  const population = await runCollector(accessReview, { ...ctx, runId });
  const { population: frozen, csv } = population.facts ?? {};
  if (!frozen || csv === undefined) {
    throw new ReviewError(
      `the access review population could not be read (${population.envelope.errors.map((e) => `${e.api} ${e.code}`).join(', ')}); evidence ${population.envelopeObject.location}`,
    );
  }

  const clock = ctx.now ?? (() => new Date());
  const sentAt = clock();
  const quarter = quarterOf(new Date(population.envelope.collectedAt), ctx.timeZone);
  // A dry run is never found by its quarter (only a sent review is): its command names the population itself.
  const meta: ReviewMeta = {
    quarter,
    account: ctx.account,
    location: ctx.location,
    ...(ctx.dryRun ? { review: population.envelopeObject.key } : {}),
  };
  const sent = await emailReview(ctx, {
    runId,
    quarter,
    sentAt,
    subject: reviewSubject(meta),
    text: renderText(frozen, meta),
    html: renderHtml(frozen, meta),
    csv,
    csvFilename: csvFilename(quarter),
    population: population.envelopeObject,
    populationSha256: population.envelope.sources.find((s) => s.name === POPULATION_SOURCE)?.sha256 ?? null,
  });
  return { ...sent, population };
}

/** What the review email is about and carries: the frozen population it links to, and the rendered message. */
export interface ReviewEmailInput {
  readonly runId: string;
  readonly quarter: string;
  readonly sentAt: Date;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly csv: string;
  readonly csvFilename: string;
  /** The population envelope as written (its key and SHA-256). */
  readonly population: { readonly key: string; readonly sha256: string };
  /** The SHA-256 of the population source inside it. */
  readonly populationSha256: string | null;
}

/**
 * Steps 2 and 3 of a review (the single-account review above and the organization review): builds the raw
 * message, sends it unless a retry of the same invocation finds it sent (or possibly sent), and writes the
 * email evidence linked to the population by its digests. Throws ReviewError after recording a failed send.
 */
export async function emailReview(
  ctx: ReviewContext,
  input: ReviewEmailInput,
): Promise<Omit<ReviewResult, 'population'>> {
  const { runId, quarter, sentAt, subject, html, csv } = input;
  const raw = await buildRawMessage({
    from: ctx.senderEmail,
    to: ctx.securityEmail,
    subject,
    text: input.text,
    html,
    csv,
    csvFilename: input.csvFilename,
    date: sentAt,
  });

  const link = {
    quarter,
    populationEnvelopeKey: input.population.key,
    populationEnvelopeSha256: input.population.sha256,
    populationSha256: input.populationSha256,
    csvSha256: sha256Hex(csv),
    messageSha256: sha256Hex(raw),
  };
  const emailDraft = (
    finding: Finding<AccessReviewEmailCheck>,
    errors: ErrorEntry[],
    policy: Record<string, unknown>,
    at: Date,
  ): EnvelopeDraft =>
    draftEnvelope({
      collector: EMAIL_COLLECTOR,
      controls: accessReview.controls,
      account: ctx.account,
      region: 'global',
      collectedAt: at,
      ...(ctx.schedule ? { schedule: ctx.schedule } : {}),
      policy: { ...link, ...policy },
      findings: [finding],
      errors,
      runId,
      ...(ctx.invocationId ? { invocationId: ctx.invocationId } : {}),
    });
  const message = [{ name: MESSAGE_SOURCE, api: 'ses:SendEmail', contentType: 'message/rfc822', body: raw }];
  const detail = { ...link, from: ctx.senderEmail, to: ctx.securityEmail, subject };

  // A retry of this invocation (Lambda's async retries keep the request id) must not email the team twice.
  const retryGuard = !ctx.dryRun && ctx.reader && ctx.invocationId ? ctx : undefined;
  if (retryGuard) {
    const prior = await priorAttempt(retryGuard.reader!, ctx.account, retryGuard.invocationId!, sentAt);
    if (prior) {
      const finding: Finding<AccessReviewEmailCheck> = {
        resource: `mailto:${ctx.securityEmail}`,
        check: 'review-email-sent',
        // Already sent: nothing to do. Outcome unknown: someone should check the inbox, not get a second copy.
        status: prior.sesMessageId ? 'INFO' : 'WARN',
        detail: {
          ...detail,
          sesMessageId: null,
          resend: 'skipped',
          reason: prior.reason,
          previousEmailEnvelopeKey: prior.key,
          previousSesMessageId: prior.sesMessageId,
        },
      };
      const email = await writeEvidence(
        ctx.store,
        emailDraft(
          finding,
          [],
          {
            sesMessageId: null,
            dryRun: false,
            resend: 'skipped',
            previousEmailEnvelopeKey: prior.key,
            previousSesMessageId: prior.sesMessageId,
          },
          sentAt,
        ),
        message,
        runId,
      );
      return {
        quarter,
        email,
        raw,
        html,
        csv,
        skipped: { reason: prior.reason, previousEmailEnvelopeKey: prior.key },
        ...(prior.sesMessageId ? { messageId: prior.sesMessageId } : {}),
      };
    }
    // Recorded before SES is called: if the send succeeds and the evidence below is not written, a retry
    // finds this and does not send again.
    await writeEvidence(
      ctx.store,
      emailDraft(
        {
          resource: `mailto:${ctx.securityEmail}`,
          check: 'review-email-sending',
          status: 'INFO',
          detail: { ...detail, sesMessageId: null },
        },
        [],
        { sesMessageId: null, dryRun: false, phase: SENDING_PHASE },
        sentAt,
      ),
      [],
      `${runId}${SENDING_SUFFIX}`,
    );
  }

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

  const finding: Finding<AccessReviewEmailCheck> = {
    resource: `mailto:${ctx.securityEmail}`,
    check: 'review-email-sent',
    status: ctx.dryRun ? 'INFO' : messageId ? 'PASS' : 'FAIL',
    detail: { ...detail, sesMessageId: messageId ?? null, dryRun: Boolean(ctx.dryRun) },
  };
  const email = await writeEvidence(
    ctx.store,
    emailDraft(finding, errors, { sesMessageId: messageId ?? null, dryRun: Boolean(ctx.dryRun) }, sentAt),
    message,
    runId,
  );
  if (errors.length > 0) {
    throw new ReviewError(
      `the access review email was not sent (${errors.map((e) => `${e.code}: ${e.message}`).join('; ')}); evidence ${email.envelopeObject.location}`,
    );
  }
  return { quarter, email, raw, html, csv, ...(messageId ? { messageId } : {}) };
}

const SENDING_PHASE = 'sending';
/** The marker's key gets its own run id suffix: it is written in the same second as the email evidence. */
const SENDING_SUFFIX = '-sending';

interface PriorAttempt {
  readonly key: string;
  readonly sesMessageId: string | null;
  readonly reason: string;
}

/**
 * An earlier attempt of this invocation that sent, or may have sent, the review: an email envelope of the
 * same invocation id with an SES message id, or a "sending" marker whose attempt recorded no outcome (the
 * send may have succeeded before its evidence failed). Attempts whose send failed and was recorded do not
 * count: those are what a retry is for. Looks under today and yesterday (UTC): retries stop after 6 hours.
 */
async function priorAttempt(
  reader: EvidenceReader,
  account: string,
  invocationId: string,
  now: Date,
): Promise<PriorAttempt | undefined> {
  const folders = [new Date(now.getTime() - 86_400_000), now].map((collectedAt) =>
    evidenceFolder({ collectedAt, collector: EMAIL_COLLECTOR, account, region: 'global' }),
  );
  const keys = (await Promise.all(folders.map((f) => reader.list(f))))
    .flat()
    .filter((k) => parseEvidenceKey(k)?.source === undefined && k.endsWith('.json'));
  const mine: { key: string; envelope: Envelope }[] = [];
  for (const key of keys) {
    const envelope = JSON.parse((await reader.get(key)).toString('utf8')) as Envelope;
    if (envelope.producer.invocationId === invocationId) mine.push({ key, envelope });
  }
  const sent = mine.find((e) => typeof e.envelope.policy.sesMessageId === 'string');
  if (sent)
    return {
      key: sent.key,
      sesMessageId: sent.envelope.policy.sesMessageId as string,
      reason: `attempt ${sent.envelope.producer.runId} of this invocation already sent it`,
    };
  const outcomes = new Set(
    mine.filter((e) => e.envelope.policy.phase !== SENDING_PHASE).map((e) => e.envelope.producer.runId),
  );
  const unknown = mine.find(
    (e) => e.envelope.policy.phase === SENDING_PHASE && !outcomes.has(e.envelope.producer.runId),
  );
  if (unknown)
    return {
      key: unknown.key,
      sesMessageId: null,
      reason: `attempt ${unknown.envelope.producer.runId} of this invocation called SES and recorded no outcome; check the inbox before sending again`,
    };
  return undefined;
}
