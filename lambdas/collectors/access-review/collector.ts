import { errorEntry } from '../../aws/aws-error';
import type { Collector, GatherContext } from '../collector';
import { gatherCredentialReport } from '../../readers/credential-report/source';
import type { ErrorEntry, Finding } from '../../evidence/envelope';
import { canonicalBytes } from '../../evidence/canonical-json';
import { deferredSource, type RawSource } from '../../evidence/write-evidence';
import {
  buildPopulation,
  gatherAuthorizationDetails,
  populationJson,
  problemEntries,
  type AuthorizationDetails,
  type Population,
} from './population';
import { renderCsv, reviewCounts } from './render';
import { ACCESS_REVIEW_IDENTITY, type AccessReviewCheck } from './checks';

export interface AccessReviewFacts {
  /** Undefined when the authorization details could not be read: there is nothing to review. */
  readonly population?: Population;
  /** The CSV exactly as stored beside the population and attached to the email. */
  readonly csv?: string;
}

export const POPULATION_SOURCE = 'population.json';
export const CSV_SOURCE = 'access-review.csv';
const AUTH_API = 'iam:GetAccountAuthorizationDetails';

/**
 * Reads the credential report and the authorization details, keeps both raw sources (the details as canonical
 * JSON, made once) and builds the population. The parsed report and details are needed only to build it, so
 * they live in this function alone and are released when it returns, before the population is serialized.
 * Undefined when the authorization details could not be read (the error is in `errors`).
 */
async function freezePopulation(
  ctx: GatherContext,
  errors: ErrorEntry[],
  sources: RawSource[],
): Promise<{ population: Population } | undefined> {
  const report = await gatherCredentialReport(ctx);
  errors.push(...report.errors);
  sources.push(...report.sources);
  let details: AuthorizationDetails;
  try {
    details = await gatherAuthorizationDetails(ctx);
  } catch (err) {
    errors.push(errorEntry(err, 'global', AUTH_API));
    return undefined;
  }
  sources.push({
    name: 'authorization-details.json',
    api: AUTH_API,
    contentType: 'application/json',
    body: canonicalBytes(details),
  });
  // Any ARN of the account names it; the trust analysis needs it to tell other accounts from this one.
  const anyArn = [...details.users, ...details.roles, ...details.groups].find((d) => d.Arn)?.Arn;
  const account = anyArn?.split(':')[4] ?? 'unknown';
  const { population, problems } = buildPopulation(details, report.facts.report, {
    account,
    now: ctx.now,
    inactiveAfterDays: ctx.settings.inactiveAfterDays,
    ...(report.facts.generatedAt ? { credentialReportGeneratedAt: report.facts.generatedAt } : {}),
  });
  errors.push(...problemEntries(problems));
  return { population };
}

/**
 * The quarterly access review's population, as a collector: the stack schedules it from the registry like
 * any other, and `collect access-review` freezes a population without emailing it. The handler and
 * `review send` run it through `runAccessReview`, which also emails the review and records the sending.
 */
export const accessReview: Collector<AccessReviewFacts, AccessReviewCheck> = {
  ...ACCESS_REVIEW_IDENTITY,
  iamActions: ['iam:GenerateCredentialReport', 'iam:GetCredentialReport', AUTH_API],
  policy: (settings) => ({
    inactiveAfterDays: settings.inactiveAfterDays,
    adminEquivalent:
      'arn:aws:iam::aws:policy/AdministratorAccess; an Allow of Action "*" (or "*:*") on Resource "*"; NotAction on Resource "*" that still allows IAM policy writes; Action "*" with NotResource that does not exclude IAM',
    nearAdmin:
      'IAMFullAccess, PowerUserAccess; NotAction on Resource "*" excluding IAM policy writes; Action "*" with NotResource excluding IAM; iam:Put*Policy, iam:Attach*Policy, iam:CreatePolicyVersion or iam:PassRole on Resource "*"',
    rolesListed:
      'roles trusting a SAML or OIDC provider, another AWS account, this account (account:self) or a named user or role of it',
  }),

  async gather(ctx) {
    const errors: ErrorEntry[] = [];
    const sources: RawSource[] = [];
    const frozen = await freezePopulation(ctx, errors, sources);
    if (!frozen) return { facts: {}, sources, errors };
    const { population } = frozen;
    const csv = renderCsv(population);
    // Made from the facts when they are written, not held beside the other sources (deferredSource).
    sources.push(
      deferredSource({ name: POPULATION_SOURCE, api: AUTH_API, contentType: 'application/json' }, () =>
        populationJson(population),
      ),
      deferredSource({ name: CSV_SOURCE, api: AUTH_API, contentType: 'text/csv' }, () =>
        Buffer.from(csv, 'utf8'),
      ),
    );
    return { facts: { population, csv }, sources, errors };
  },

  assess(facts) {
    const p = facts.population;
    if (!p) return { findings: [], figures: {} };
    // Each principal is listed for the reviewer, not judged: the judgements are the reviewer's decisions.
    const findings: Finding<AccessReviewCheck>[] = [
      ...p.users.map((u) => ({
        resource: u.arn,
        check: 'user-access' as const,
        status: 'INFO' as const,
        detail: {
          user: u.name,
          admin: u.admin,
          nearAdmin: u.nearAdmin,
          consoleAccess: u.consoleAccess,
          mfa: u.mfa,
          inactive: u.inactive,
        },
      })),
      ...p.roles.map((r) => ({
        resource: r.arn,
        check: 'role-access' as const,
        status: 'INFO' as const,
        detail: { role: r.name, admin: r.admin, nearAdmin: r.nearAdmin, trustedBy: r.trustedBy },
      })),
    ];
    return { findings, figures: { ...reviewCounts(p) } };
  },
};
