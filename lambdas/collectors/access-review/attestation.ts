import { sha256Hex } from '../../evidence/canonical-json';
import { draftEnvelope } from '../../evidence/draft';
import { runOutcome, type Envelope, type Finding } from '../../evidence/envelope';
import { dayPrefix, EVIDENCE_PREFIX, parseEvidenceKey } from '../../evidence/keys';
import type { EvidenceReader } from '../../evidence/read-store';
import type { EvidenceStore } from '../../evidence/store';
import { writeEvidence, type WrittenEvidence } from '../../evidence/write-evidence';
import { newRunId } from '../../run-collector';
import type { AccessReviewAttestationCheck } from './checks';
import { accessReview, POPULATION_SOURCE } from './collector';
import { validateDecisions } from './decisions';
import { ORGANIZATION_COLLECTOR, ORGANIZATION_POPULATION_SOURCE } from './organization';
import { validateOrganizationDecisions } from './organization-decisions';
import type { OrganizationPopulation } from './organization-population';
import { readPopulation, type Population } from './population';
import { EMAIL_COLLECTOR } from './review';

import { ATTESTATION_COLLECTOR } from './checks';
export { ATTESTATION_COLLECTOR };

export interface FrozenReview {
  readonly envelopeKey: string;
  readonly envelopeSha256: string;
  readonly populationKey: string;
  readonly populationSha256: string;
  readonly population: Population;
}

const QUARTER = /^(\d{4})-Q([1-4])$/;

/**
 * The review of a quarter is the one actually sent: the latest `access-review-email` envelope with an SES
 * message id, not a dry run, and labelled with the quarter (labels follow the schedule's time zone). Keys
 * are UTC, so the search covers the quarter's three UTC months plus the last day of the month before (a
 * quarter starting at 09:00 in Auckland starts the previous day in UTC) and the first day of the month after
 * (a quarter's last evening in the Americas is the next day in UTC). Returns the email envelope's key.
 */
async function sentReviewKey(reader: EvidenceReader, quarter: string): Promise<string> {
  const [, year, q] = QUARTER.exec(quarter)!;
  const first = (Number(q) - 1) * 3; // zero-based month
  const month = (m: number) => {
    const d = new Date(Date.UTC(Number(year), m, 1));
    return `${EVIDENCE_PREFIX}${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/`;
  };
  const day = (d: Date) => dayPrefix(d.toISOString().slice(0, 10));
  const prefixes = [
    day(new Date(Date.UTC(Number(year), first, 0))),
    month(first),
    month(first + 1),
    month(first + 2),
    day(new Date(Date.UTC(Number(year), first + 3, 1))),
  ];
  const keys = (await Promise.all(prefixes.map((p) => reader.list(p)))).flat();
  const emails = keys
    .filter((k) => {
      const p = parseEvidenceKey(k);
      return p?.collector === EMAIL_COLLECTOR && p.source === undefined;
    })
    .sort();
  const seen: string[] = [];
  // Keys sort by date then time: walk back from the latest.
  for (const key of emails.reverse()) {
    const email = JSON.parse((await reader.get(key)).toString('utf8')) as Envelope;
    const p = email.policy;
    const sent = typeof p.sesMessageId === 'string' && p.dryRun !== true && email.errors.length === 0;
    if (p.quarter === quarter && sent) return key;
    seen.push(
      `${key} (quarter ${String(p.quarter)}, ${sent ? 'sent' : p.dryRun === true ? 'dry run' : `not sent, ${runOutcome(email.summary).status}`})`,
    );
  }
  const populations = keys.filter((k) => {
    const p = parseEvidenceKey(k);
    return p?.collector === accessReview.id && p.source === undefined;
  });
  throw new Error(
    [
      `no access review email sent for ${quarter} (looked under ${prefixes.join(', ')})`,
      ...(seen.length > 0
        ? ['email evidence found, none sent for the quarter:', ...seen.map((s) => `  ${s}`)]
        : []),
      ...(populations.length > 0
        ? [
            'populations found (pass one with --review if it is the one reviewed):',
            ...populations.map((k) => `  ${k}`),
          ]
        : []),
    ].join('\n'),
  );
}

/** Finds the frozen population a decision file is about, from a quarter (`2026-Q4`), the population
 * envelope's key, or the email envelope's key, and checks the population against its recorded digest. */
export async function readFrozenReview(reader: EvidenceReader, review: string): Promise<FrozenReview> {
  const found = await readReview(reader, review);
  if (found.scope === 'organization')
    throw new Error(`${found.frozen.envelopeKey} is an organization review; record it with recordDecisions`);
  return found.frozen;
}

/** The organization review's frozen population, as `review record` checks decisions against it. */
export interface FrozenOrganizationReview extends Omit<FrozenReview, 'population'> {
  readonly population: OrganizationPopulation;
}

type FoundReview =
  | { readonly scope: 'account'; readonly frozen: FrozenReview }
  | { readonly scope: 'organization'; readonly frozen: FrozenOrganizationReview };

/** Either review: an account's `access-review` population or the organization's `access-review-organization`. */
async function readReview(reader: EvidenceReader, review: string): Promise<FoundReview> {
  let key = QUARTER.test(review) ? await sentReviewKey(reader, review) : review;
  const parsed = parseEvidenceKey(key);
  if (!parsed || parsed.source !== undefined)
    throw new Error(`${review} is neither a quarter such as 2026-Q4 nor an envelope key`);
  let collector = parsed.collector;
  if (collector === EMAIL_COLLECTOR) {
    const email = JSON.parse((await reader.get(key)).toString('utf8')) as Envelope;
    const linked = email.policy.populationEnvelopeKey;
    if (typeof linked !== 'string') throw new Error(`${key} does not name its population`);
    key = linked;
    collector = parseEvidenceKey(key)?.collector ?? accessReview.id;
  } else if (collector !== accessReview.id && collector !== ORGANIZATION_COLLECTOR) {
    throw new Error(`${key} is ${collector} evidence, not an access review`);
  }
  const organization = collector === ORGANIZATION_COLLECTOR;
  const sourceName = organization ? ORGANIZATION_POPULATION_SOURCE : POPULATION_SOURCE;
  const body = await reader.get(key);
  const envelope = JSON.parse(body.toString('utf8')) as Envelope;
  const source = envelope.sources.find((s) => s.name === sourceName);
  if (!source) throw new Error(`${key} has no ${sourceName} source`);
  const raw = await reader.get(source.key);
  if (sha256Hex(raw) !== source.sha256)
    throw new Error(`${source.key} does not match the SHA-256 its envelope records`);
  const frozen = {
    envelopeKey: key,
    envelopeSha256: sha256Hex(body),
    populationKey: source.key,
    populationSha256: source.sha256,
  };
  const population: unknown = JSON.parse(raw.toString('utf8'));
  return organization
    ? { scope: 'organization', frozen: { ...frozen, population: population as OrganizationPopulation } }
    : { scope: 'account', frozen: { ...frozen, population: readPopulation(population) } };
}

export interface AttestationInput {
  readonly reader: EvidenceReader;
  readonly store: EvidenceStore;
  readonly review: string;
  readonly reviewer: string;
  readonly decisionsCsv: Uint8Array;
  readonly now?: Date;
  readonly runId?: string;
}

/** Validates the decisions against the frozen population (nothing is written when any is wrong), then writes
 * the attestation, linked to the review by the population's digest, with the decisions file verbatim. */
export async function recordDecisions(input: AttestationInput): Promise<WrittenEvidence> {
  const found = await readReview(input.reader, input.review);
  if (found.scope === 'organization') return recordOrganizationDecisions(input, found.frozen);
  const frozen = found.frozen;
  const decisions = validateDecisions(
    Buffer.from(input.decisionsCsv).toString('utf8'),
    frozen.population,
    input.reviewer,
  );
  const findings: Finding<AccessReviewAttestationCheck>[] = decisions.map((d) => ({
    resource: d.arn,
    check: 'access-decision',
    // A self-review stands, but an auditor should see it at a glance.
    status: d.selfReview ? 'WARN' : 'INFO',
    detail: {
      principal: d.principal,
      decision: d.decision,
      justification: d.justification,
      selfReview: d.selfReview,
    },
  }));
  return writeAttestation(input, {
    account: frozen.population.account,
    frozen,
    decisions,
    findings,
  });
}

/** The organization review's attestation: one finding per decided row (resource: the row id), written under
 * the hub account beside the review, linked to the organization population by its digest. */
async function recordOrganizationDecisions(
  input: AttestationInput,
  frozen: FrozenOrganizationReview,
): Promise<WrittenEvidence> {
  const decisions = validateOrganizationDecisions(
    Buffer.from(input.decisionsCsv).toString('utf8'),
    frozen.population,
    input.reviewer,
  );
  const findings: Finding<AccessReviewAttestationCheck>[] = decisions.map((d) => ({
    resource: d.id,
    check: 'access-decision',
    status: d.selfReview ? 'WARN' : 'INFO',
    detail: {
      account: d.account,
      principal: d.principal,
      permission: d.permission,
      decision: d.decision,
      justification: d.justification,
      selfReview: d.selfReview,
    },
  }));
  return writeAttestation(input, {
    account: frozen.population.hubAccount,
    scope: 'organization',
    frozen,
    decisions,
    findings,
  });
}

/**
 * The attestation envelope, either review's: the reviewer, the review it decides on (linked by the frozen
 * population's digests), one finding per decision, the counts, and the decisions file verbatim.
 */
function writeAttestation(
  input: AttestationInput,
  a: {
    readonly account: string;
    readonly scope?: 'organization';
    readonly frozen: {
      readonly envelopeKey: string;
      readonly envelopeSha256: string;
      readonly populationKey: string;
      readonly populationSha256: string;
      readonly population: { readonly frozenAt: string };
    };
    readonly decisions: readonly { readonly decision: string; readonly selfReview: boolean }[];
    readonly findings: readonly Finding<AccessReviewAttestationCheck>[];
  },
): Promise<WrittenEvidence> {
  const count = (x: string) => a.decisions.filter((d) => d.decision === x).length;
  const runId = input.runId ?? newRunId();
  const draft = draftEnvelope({
    collector: ATTESTATION_COLLECTOR,
    controls: accessReview.controls,
    account: a.account,
    region: 'global',
    collectedAt: input.now ?? new Date(),
    policy: {
      reviewer: input.reviewer,
      ...(a.scope ? { scope: a.scope } : {}),
      review: {
        populationEnvelopeKey: a.frozen.envelopeKey,
        populationEnvelopeSha256: a.frozen.envelopeSha256,
        populationKey: a.frozen.populationKey,
        populationSha256: a.frozen.populationSha256,
        frozenAt: a.frozen.population.frozenAt,
      },
    },
    findings: a.findings,
    errors: [],
    figures: {
      decisions: a.decisions.length,
      keep: count('keep'),
      remove: count('remove'),
      modify: count('modify'),
      selfReviews: a.decisions.filter((d) => d.selfReview).length,
    },
    runId,
  });
  return writeEvidence(
    input.store,
    draft,
    [{ name: 'decisions.csv', api: 'reviewer:decisions', contentType: 'text/csv', body: input.decisionsCsv }],
    runId,
  );
}
