import type { Logger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import { accessReview } from '../collectors/access-review/collector';
import { runOrganizationReview } from '../collectors/access-review/organization';
import { runAccessReview } from '../collectors/access-review/review';
import { parseOrganizationSettings } from '../organization/contract';
import { s3Reader } from '../evidence/read-store';
import {
  ORGANIZATION_ENV,
  ORGANIZATION_REVIEW_SOURCE,
  isAccountRunEvent,
  type OrganizationReviewEvent,
  type OrganizationSettings,
} from '../organization/contract';
import {
  accountRunTarget,
  evidenceHandler,
  hubRun,
  runOnTarget,
  metricsLine,
  type FunctionWiring,
} from '../runtime/lambda-runtime';
import { ENV } from '../runtime/runtime-env';

/** Throws a one-line error naming the field and the expected form. */
export function parseOrganizationReviewEvent(event: unknown): OrganizationReviewEvent {
  const e = (event ?? {}) as Record<string, unknown>;
  const bad = (name: string, form: string) =>
    new Error(
      `organization review event: ${name} must be ${form}, got ${JSON.stringify(e[name]) ?? 'nothing'}`,
    );
  if (e.source !== ORGANIZATION_REVIEW_SOURCE) throw bad('source', `"${ORGANIZATION_REVIEW_SOURCE}"`);
  if (typeof e.execution !== 'string' || e.execution.length === 0)
    throw bad('execution', 'a Step Functions execution id');
  if (!Array.isArray(e.accounts) || !e.accounts.every((a) => typeof a === 'string' && /^\d{12}$/.test(a)))
    throw bad('accounts', 'a list of 12-digit account ids');
  if (e.listKey !== undefined && (typeof e.listKey !== 'string' || !e.listKey.startsWith('evidence/')))
    throw bad('listKey', 'the account list envelope key, evidence/YYYY/MM/DD/organization-accounts/...');
  return {
    source: ORGANIZATION_REVIEW_SOURCE,
    execution: e.execution,
    accounts: e.accounts as string[],
    ...(typeof e.listKey === 'string' ? { listKey: e.listKey } : {}),
  };
}

/** ORGANIZATION_ENV as the stack sets it in organization mode (checked as the account list's function checks
 * it); undefined in single-account mode. */
export function organizationSettings(env: NodeJS.ProcessEnv = process.env): OrganizationSettings | undefined {
  const raw = env[ORGANIZATION_ENV];
  return raw ? parseOrganizationSettings(raw, ORGANIZATION_ENV) : undefined;
}

/**
 * One function, three invocations:
 * - the schedule (single-account mode): freeze the population as evidence, email it, record the sending;
 * - an AccountRunEvent (a Map item in organization mode): freeze that account's population with the member
 *   role's credentials, and nothing else (no email);
 * - an OrganizationReviewEvent (after the Map): the organization review, one email for the organization.
 */
export const handler = evidenceHandler('access-review', async (w, logger, event) => {
  if (isAccountRunEvent(event)) return accountRun(w, event, logger);
  if ((event as { source?: unknown } | null)?.source === ORGANIZATION_REVIEW_SOURCE)
    return organizationReview(w, parseOrganizationReviewEvent(event), logger);
  hubRun(accessReview.id, w); // refused in organization mode, where the state machine runs the review

  const result = await runAccessReview({
    clients: w.clients,
    // Signed like every other collector's evidence: the review is the evidence most likely to be challenged.
    store: w.store,
    location: { bucket: w.bucket },
    account: w.account,
    settings: w.settings(),
    invocationId: w.invocationId,
    // Lambda's async retries keep the request id: the review reads back this invocation's email evidence.
    reader: s3Reader(w.clients.get(S3Client), w.bucket),
    schedule: w.schedule,
    timeZone: w.schedule.timeZone,
    senderEmail: w.required(ENV.senderEmail),
    securityEmail: w.required(ENV.securityEmail),
  });
  const { summary, errors } = result.population.envelope;
  console.log(metricsLine('access-review', summary, errors.length, result.population.durationMs, new Date()));
  logger.info(result.skipped ? 'access review not sent again' : 'access review sent', {
    quarter: result.quarter,
    ...(result.skipped ? { skipped: result.skipped } : {}),
    messageId: result.messageId,
    population: result.population.envelopeObject.key,
    email: result.email.envelopeObject.key,
  });
  return {
    collector: 'access-review',
    quarter: result.quarter,
    key: result.population.envelopeObject.key,
    emailKey: result.email.envelopeObject.key,
    messageId: result.messageId,
    summary,
  };
});

/** A Map item: this account's population as today's `access-review` evidence, and no email. */
async function accountRun(w: FunctionWiring, event: unknown, logger: Logger) {
  // The same checks, session, metrics and logs as every collector's Map item.
  return runOnTarget(accessReview, w, logger, await accountRunTarget(accessReview, w, event));
}

async function organizationReview(w: FunctionWiring, event: OrganizationReviewEvent, logger: Logger) {
  const schedule = w.schedule;
  const organization = organizationSettings();
  const result = await runOrganizationReview({
    event,
    ...(organization ? { organization } : {}),
    clients: w.clients,
    store: w.store,
    location: { bucket: w.bucket },
    account: w.account,
    settings: w.settings(),
    // The retry guard finds an earlier attempt's email by this id: Step Functions' retries are new Lambda
    // invocations (new request ids), the execution is the same.
    invocationId: event.execution,
    reader: s3Reader(w.clients.get(S3Client), w.bucket),
    schedule,
    timeZone: schedule.timeZone,
    senderEmail: w.required(ENV.senderEmail),
    securityEmail: w.required(ENV.securityEmail),
  });
  const { summary } = result.population.envelope;
  logger.info(
    result.skipped ? 'organization access review not sent again' : 'organization access review sent',
    {
      quarter: result.quarter,
      messageId: result.messageId,
      population: result.population.envelopeObject.key,
      email: result.email.envelopeObject.key,
      accounts: event.accounts.length,
    },
  );
  return {
    collector: 'access-review',
    quarter: result.quarter,
    key: result.population.envelopeObject.key,
    emailKey: result.email.envelopeObject.key,
    messageId: result.messageId,
    summary,
  };
}
