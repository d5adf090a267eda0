/**
 * The organization access review, run once after the Distributed Map has frozen each in-scope account's
 * `access-review` population (OrganizationReviewEvent), in the order the single-account review keeps:
 * 1. read back each account's population written by the Map (the latest of the last 24 hours, checked
 *    against the SHA-256 its envelope records) and read IAM Identity Center with the hub's credentials;
 * 2. freeze the organization population as `access-review-organization` evidence under the hub account
 *    (identity-center.json, organization-population.json, the CSV) before anything is sent;
 * 3. email it once (emailReview: raw message kept, digests linking it to the population, retry guard).
 */
import type { ManagedPolicyDetail } from '@aws-sdk/client-iam';
import { errorEntry, messageOf } from '../../aws/aws-error';
import { canonicalBytes, sha256Hex } from '../../evidence/canonical-json';
import { draftEnvelope } from '../../evidence/draft';
import { runOutcome, type Envelope, type ErrorEntry } from '../../evidence/envelope';
import { evidenceFolder, parseEvidenceKey } from '../../evidence/keys';
import type { EvidenceReader } from '../../evidence/read-store';
import { writeEvidence, type WrittenEvidence } from '../../evidence/write-evidence';
import { readIdentityCenter, type IdentityCenterSnapshot } from '../../identity-center/reader';
import { mapWithConcurrency } from '../../aws/concurrency';
import {
  ACCOUNT_IN_SCOPE_CHECK,
  ACCOUNTS_KIND,
  type OrganizationReviewEvent,
  type OrganizationSettings,
} from '../../organization/contract';
import { newRunId } from '../../run-collector';
import { accessReview, POPULATION_SOURCE } from './collector';
import {
  buildOrganizationPopulation,
  type AccountReadback,
  type OrganizationPopulation,
} from './organization-population';
import {
  assessOrganization,
  organizationCsvFilename,
  organizationSubject,
  renderOrganizationCsv,
  renderOrganizationHtml,
  renderOrganizationText,
} from './organization-render';
import { readPopulation } from './population';
import { quarterOf, type ReviewMeta } from './render';
import { emailReview, ReviewError, type ReviewContext, type ReviewResult } from './review';

import { ORGANIZATION_COLLECTOR } from './checks';
export { ORGANIZATION_COLLECTOR };
export const ORGANIZATION_POPULATION_SOURCE = 'organization-population.json';
export const ORGANIZATION_CSV_SOURCE = 'organization-access-review.csv';
export const IDENTITY_CENTER_SOURCE = 'identity-center.json';
const AUTH_DETAILS_SOURCE = 'authorization-details.json';
const DAY_MS = 86_400_000;

export interface OrganizationReviewContext extends ReviewContext {
  readonly event: OrganizationReviewEvent;
  /** Organization settings (ORGANIZATION_ENV); Identity Center is read when `identityCenterRegion` is set. */
  readonly organization?: OrganizationSettings;
  readonly reader: EvidenceReader;
}

export interface OrganizationReviewResult extends Omit<ReviewResult, 'population'> {
  readonly population: WrittenEvidence;
  readonly organization: OrganizationPopulation;
}

/**
 * An account's population as the Map froze it: the latest `access-review` envelope of the account written
 * in the 24 hours before `now` (today's and yesterday's UTC folders, so a run across midnight is found),
 * with its population matching the recorded SHA-256. Never throws: what went wrong is the status and reason.
 */
export async function readAccountPopulation(
  reader: EvidenceReader,
  account: string,
  now: Date,
): Promise<AccountReadback> {
  try {
    const folders = [new Date(now.getTime() - DAY_MS), now].map((collectedAt) =>
      evidenceFolder({ collectedAt, collector: accessReview.id, account, region: 'global' }),
    );
    const keys = (await Promise.all(folders.map((f) => reader.list(f))))
      .flat()
      .filter((k) => parseEvidenceKey(k) !== undefined && parseEvidenceKey(k)!.source === undefined)
      .sort();
    let latest: { key: string; body: Buffer; envelope: Envelope } | undefined;
    for (const key of keys.reverse()) {
      const body = await reader.get(key);
      const envelope = JSON.parse(body.toString('utf8')) as Envelope;
      const at = Date.parse(envelope.collectedAt);
      if (at <= now.getTime() && now.getTime() - at <= DAY_MS) {
        latest = { key, body, envelope };
        break;
      }
    }
    if (!latest)
      return {
        account,
        status: 'missing',
        reason: `no access-review evidence under ${folders.join(' or ')} from the last 24 hours`,
      };
    const base = { account, envelopeKey: latest.key, envelopeSha256: sha256Hex(latest.body) };
    const source = latest.envelope.sources.find((s) => s.name === POPULATION_SOURCE);
    if (!source || runOutcome(latest.envelope.summary).status === 'ERROR') {
      const why = latest.envelope.errors.map((e) => `${e.api} ${e.code}: ${e.message}`).join('; ');
      return {
        ...base,
        status: 'error',
        reason: `the account's run froze no population${why ? ` (${why})` : ''}`,
      };
    }
    const raw = await reader.get(source.key);
    if (sha256Hex(raw) !== source.sha256)
      return {
        ...base,
        status: 'unverified',
        reason: `${source.key} does not match the SHA-256 its envelope records`,
      };
    const population = readPopulation(JSON.parse(raw.toString('utf8')));
    let customerPolicies: readonly ManagedPolicyDetail[] | undefined;
    const details = latest.envelope.sources.find((s) => s.name === AUTH_DETAILS_SOURCE);
    if (details) {
      const d = await reader.get(details.key);
      // A document that fails its digest is not used: customer managed references then resolve as unknown.
      if (sha256Hex(d) === details.sha256)
        customerPolicies =
          (JSON.parse(d.toString('utf8')) as { policies?: ManagedPolicyDetail[] }).policies ?? [];
    }
    return {
      ...base,
      status: 'read',
      populationKey: source.key,
      populationSha256: source.sha256,
      ...(population ? { population } : {}),
      ...(customerPolicies ? { customerPolicies } : {}),
    };
  } catch (err) {
    return { account, status: 'error', reason: `reading it back failed: ${messageOf(err)}` };
  }
}

/** Account populations read back at once by the organization review. */
export const READBACK_CONCURRENCY = 4;

/**
 * The in-scope accounts of the execution's signed account list (event.listKey): it must be an
 * organization-accounts envelope of the hub's account, written for this collector's run under this execution.
 * Anything else is recorded as an error and the event's own list is used, so the review still goes out and the
 * auditor sees why its population may be in question.
 */
async function accountsOfList(
  ctx: OrganizationReviewContext,
  errors: ErrorEntry[],
): Promise<string[] | undefined> {
  const key = ctx.event.listKey!;
  try {
    const parsed = parseEvidenceKey(key);
    if (
      !parsed ||
      parsed.source !== undefined ||
      parsed.collector !== ACCOUNTS_KIND ||
      parsed.account !== ctx.account
    )
      throw new Error(`${key} is not an ${ACCOUNTS_KIND} envelope of the hub account ${ctx.account}`);
    const list = JSON.parse((await ctx.reader.get(key)).toString('utf8')) as Envelope;
    if (list.policy.execution !== ctx.event.execution || list.policy.collector !== accessReview.id)
      throw new Error(
        `${key} was written for ${String(list.policy.collector)} under ${String(list.policy.execution)}, not for this access review's execution ${ctx.event.execution}`,
      );
    const inScope = list.findings.filter((f) => f.check === ACCOUNT_IN_SCOPE_CHECK).map((f) => f.resource);
    const event = [...new Set(ctx.event.accounts)].sort().join(',');
    if ([...inScope].sort().join(',') !== event)
      errors.push({
        region: 'global',
        api: 'states:OrganizationReview',
        code: 'AccountListMismatch',
        message: `the event named accounts ${event || '(none)'} but the signed list ${key} has ${[...inScope].sort().join(',') || '(none)'} in scope: the list's accounts are reviewed`,
      });
    return inScope;
  } catch (err) {
    errors.push(errorEntry(err, 'global', 's3:GetObject'));
    return undefined;
  }
}

export async function runOrganizationReview(
  ctx: OrganizationReviewContext,
): Promise<OrganizationReviewResult> {
  const runId = ctx.runId ?? newRunId();
  const clock = ctx.now ?? (() => new Date());
  const started = clock();
  const errors: ErrorEntry[] = [];
  const listed = ctx.event.listKey ? await accountsOfList(ctx, errors) : undefined;
  const accounts = [...new Set(listed ?? ctx.event.accounts)].sort();

  // A few at a time: each read-back holds an account's population and authorization details in memory.
  const readbacks = await mapWithConcurrency(accounts, READBACK_CONCURRENCY, (a) =>
    readAccountPopulation(ctx.reader, a, started),
  );
  const region = ctx.organization?.identityCenterRegion;
  let identityCenter: IdentityCenterSnapshot | undefined;
  if (region) {
    try {
      identityCenter = await readIdentityCenter({
        clients: ctx.clients,
        region,
        accounts,
        concurrency: ctx.settings.concurrency,
      });
      errors.push(...identityCenter.errors);
    } catch (err) {
      errors.push(errorEntry(err, region, 'sso:ListInstances'));
    }
  }
  const organization = buildOrganizationPopulation({
    now: started,
    execution: ctx.event.execution,
    hubAccount: ctx.account,
    accounts: readbacks,
    ...(identityCenter ? { identityCenter } : {}),
  });
  const { findings, figures } = assessOrganization(organization);
  const csv = renderOrganizationCsv(organization);
  const draft = draftEnvelope({
    collector: ORGANIZATION_COLLECTOR,
    controls: accessReview.controls,
    account: ctx.account,
    region: 'global',
    collectedAt: started,
    ...(ctx.schedule ? { schedule: ctx.schedule } : {}),
    policy: {
      ...accessReview.policy(ctx.settings),
      execution: ctx.event.execution,
      accounts,
      accountListKey: ctx.event.listKey ?? null,
      identityCenterRegion: region ?? null,
      decisionRequired:
        'rows admin-equivalent (or undecidable) and IAM users; Identity Center provisioned roles (AWSReservedSSO_) are decided on their Identity Center rows',
    },
    findings,
    errors,
    figures,
    runId,
    ...(ctx.invocationId ? { invocationId: ctx.invocationId } : {}),
  });
  const at = started.toISOString();
  const population = await writeEvidence(
    ctx.store,
    draft,
    [
      ...(identityCenter
        ? [
            {
              name: IDENTITY_CENTER_SOURCE,
              api: 'sso:ListInstances',
              contentType: 'application/json',
              body: canonicalBytes(identityCenter),
              generatedAt: at,
            },
          ]
        : []),
      {
        name: ORGANIZATION_POPULATION_SOURCE,
        api: 'soc2-evidence:OrganizationReview',
        contentType: 'application/json',
        body: canonicalBytes(organization),
        generatedAt: at,
      },
      {
        name: ORGANIZATION_CSV_SOURCE,
        api: 'soc2-evidence:OrganizationReview',
        contentType: 'text/csv',
        body: Buffer.from(csv, 'utf8'),
        generatedAt: at,
      },
    ],
    runId,
  );
  if (organization.accounts.every((a) => a.status !== 'read') && !identityCenter?.instances.length)
    throw new ReviewError(
      `the organization review read no account population and no Identity Center instance; evidence ${population.envelopeObject.location}`,
    );

  const quarter = quarterOf(started, ctx.timeZone);
  const meta: ReviewMeta = {
    quarter,
    account: ctx.account,
    location: ctx.location,
    ...(ctx.dryRun ? { review: population.envelopeObject.key } : {}),
  };
  const sent = await emailReview(ctx, {
    runId,
    quarter,
    sentAt: clock(),
    subject: organizationSubject(organization, quarter),
    text: renderOrganizationText(organization, meta),
    html: renderOrganizationHtml(organization, meta),
    csv,
    csvFilename: organizationCsvFilename(quarter),
    population: population.envelopeObject,
    populationSha256:
      population.envelope.sources.find((s) => s.name === ORGANIZATION_POPULATION_SOURCE)?.sha256 ?? null,
  });
  return { ...sent, population, organization };
}
