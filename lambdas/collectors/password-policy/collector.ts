import { GetAccountPasswordPolicyCommand, IAMClient, type PasswordPolicy } from '@aws-sdk/client-iam';
import { errorEntry, isAwsError, withApi } from '../../aws/aws-error';
import type { ErrorEntry, Finding, FindingStatus } from '../../evidence/envelope';
import { jsonSource, type RawSource } from '../../evidence/write-evidence';
import { gatherCredentialReport, reportAgeMinutes } from '../../readers/credential-report/source';
import type { CollectorSettings, PasswordPolicyMinimums } from '../../settings';
import type { Collector } from '../collector';
import { PASSWORD_POLICY_IDENTITY, type PasswordPolicyCheck } from './checks';

const API = 'iam:GetAccountPasswordPolicy';

/** Console users named in a no-policy finding; the count is always complete. */
export const MAX_LISTED_USERS = 50;

/** The finding's resource: the password policy is an account setting with no ARN of its own. */
export const PASSWORD_POLICY_RESOURCE = 'iam:account-password-policy';

/** The rules IAM applies when an account has no password policy (IAM User Guide, "Default password
 * policy"), recorded so a FAIL for "no policy" says what users get instead. */
export const AWS_DEFAULT_PASSWORD_RULES = {
  minimumLength: 8,
  characterClasses: 'at least three of uppercase, lowercase, numbers and symbols',
  reusePrevention: 0,
  maxAgeDays: null,
} as const;

/** The account password policy as IAM returned it, reduced to what is judged or worth recording. */
export interface AccountPasswordPolicy {
  readonly minimumLength?: number;
  readonly requireSymbols: boolean;
  readonly requireNumbers: boolean;
  readonly requireUppercase: boolean;
  readonly requireLowercase: boolean;
  /** Previous passwords remembered; absent: reuse is not prevented. */
  readonly reusePrevention?: number;
  /** Days a password lives; absent: passwords never expire. */
  readonly maxAgeDays?: number;
  readonly hardExpiry?: boolean;
  readonly allowUsersToChangePassword?: boolean;
}

export interface PasswordPolicyFacts {
  /** `null`: IAM answered NoSuchEntity, the account has no password policy. Absent: it could not be read
   * (an error entry says why), and nothing is judged. */
  readonly policy?: AccountPasswordPolicy | null;
  /** IAM users whose console password is enabled; absent when the credential report could not be read. */
  readonly consoleUsers?: readonly string[];
  readonly reportGeneratedAt?: string;
}

export type Requirement =
  | 'minimumLength'
  | 'requireSymbols'
  | 'requireNumbers'
  | 'requireUppercase'
  | 'requireLowercase'
  | 'reusePrevention'
  | 'maxAgeDays';

/** One requirement: the configured minimum, what the policy says, and whether it meets it. */
export interface RequirementResult {
  readonly requirement: Requirement;
  /** `null` for maxAgeDays when no maximum age is required. */
  readonly required: number | boolean | null;
  /** `null` when the account has no policy, or the policy leaves the value unset (never expires). */
  readonly actual: number | boolean | null;
  readonly meets: boolean;
}

export function reducePolicy(p: PasswordPolicy): AccountPasswordPolicy {
  return {
    ...(p.MinimumPasswordLength !== undefined ? { minimumLength: p.MinimumPasswordLength } : {}),
    requireSymbols: p.RequireSymbols === true,
    requireNumbers: p.RequireNumbers === true,
    requireUppercase: p.RequireUppercaseCharacters === true,
    requireLowercase: p.RequireLowercaseCharacters === true,
    ...(p.PasswordReusePrevention ? { reusePrevention: p.PasswordReusePrevention } : {}),
    // ExpirePasswords is false exactly when MaxPasswordAge is 0 or absent: both mean "never expires".
    ...(p.MaxPasswordAge ? { maxAgeDays: p.MaxPasswordAge } : {}),
    ...(p.HardExpiry !== undefined ? { hardExpiry: p.HardExpiry } : {}),
    ...(p.AllowUsersToChangePassword !== undefined
      ? { allowUsersToChangePassword: p.AllowUsersToChangePassword }
      : {}),
  };
}

const CLASS_NAMES: Record<
  Exclude<Requirement, 'minimumLength' | 'reusePrevention' | 'maxAgeDays'>,
  string
> = {
  requireSymbols: 'symbols',
  requireNumbers: 'numbers',
  requireUppercase: 'uppercase letters',
  requireLowercase: 'lowercase letters',
};

/** Pure: every requirement of `min` against `policy` (`null`: no policy, so nothing is met). */
export function judgeRequirements(
  policy: AccountPasswordPolicy | null,
  min: PasswordPolicyMinimums,
): RequirementResult[] {
  const results: RequirementResult[] = [];
  const length = policy?.minimumLength ?? null;
  results.push({
    requirement: 'minimumLength',
    required: min.minimumLength,
    actual: length,
    meets: length !== null && length >= min.minimumLength,
  });
  for (const req of Object.keys(CLASS_NAMES) as (keyof typeof CLASS_NAMES)[]) {
    const actual = policy ? policy[req] : null;
    // A class not required is met whatever the policy says; a required one only by a policy requiring it.
    results.push({ requirement: req, required: min[req], actual, meets: !min[req] || actual === true });
  }
  const reuse = policy ? (policy.reusePrevention ?? 0) : null;
  results.push({
    requirement: 'reusePrevention',
    required: min.reusePrevention,
    actual: reuse,
    meets: min.reusePrevention <= 0 || (reuse !== null && reuse >= min.reusePrevention),
  });
  const age = policy?.maxAgeDays ?? null;
  results.push({
    requirement: 'maxAgeDays',
    required: min.maxAgeDays ?? null,
    actual: age,
    meets: min.maxAgeDays === undefined || (age !== null && age <= min.maxAgeDays),
  });
  return results;
}

/** One line per requirement not met, in the words an auditor reads. */
export function shortfall(r: RequirementResult): string {
  switch (r.requirement) {
    case 'minimumLength':
      return `minimum length is ${r.actual ?? 'not set'}, required at least ${String(r.required)}`;
    case 'reusePrevention':
      return r.actual
        ? `${String(r.actual)} previous passwords are remembered, required at least ${String(r.required)}`
        : `password reuse is not prevented, required ${String(r.required)} remembered`;
    case 'maxAgeDays':
      return r.actual === null
        ? `passwords never expire, required at most ${String(r.required)} days`
        : `passwords expire after ${String(r.actual)} days, required at most ${String(r.required)}`;
    default:
      return `${CLASS_NAMES[r.requirement]} are not required`;
  }
}

export function assessPasswordPolicy(
  facts: PasswordPolicyFacts,
  settings: Pick<CollectorSettings, 'passwordPolicy'>,
  now: Date,
): { findings: Finding<PasswordPolicyCheck>[]; figures: Record<string, number> } {
  const figures: Record<string, number> = {};
  if (facts.consoleUsers) figures.consoleUsers = facts.consoleUsers.length;
  const age = reportAgeMinutes(facts.reportGeneratedAt, now);
  if (age !== undefined) figures.reportAgeMinutes = age;
  // Unreadable policy: its error entry is the evidence; no finding claims anything about it.
  if (facts.policy === undefined) return { findings: [], figures };

  const requirements = judgeRequirements(facts.policy, settings.passwordPolicy);
  const unmet = requirements.filter((r) => !r.meets);
  const consoleUsers = facts.consoleUsers ?? null;
  let status: FindingStatus;
  let reason: string;
  if (facts.policy) {
    status = unmet.length === 0 ? 'PASS' : 'FAIL';
    reason = unmet.length === 0 ? 'the policy meets every required minimum' : unmet.map(shortfall).join('; ');
  } else if (consoleUsers === null) {
    status = 'WARN';
    reason =
      'no password policy, and the credential report could not be read to tell whether any IAM user has a console password';
  } else if (consoleUsers.length > 0) {
    status = 'FAIL';
    reason = `no password policy while ${consoleUsers.length} IAM user(s) have a console password: they get only AWS's default rules`;
  } else {
    // Nothing is governed: no IAM user can sign in to the console with a password. A user given a password
    // later gets AWS's default rules, so the absence is recorded, but there is no weak password to fail.
    status = 'INFO';
    reason = 'no password policy, and no IAM user has a console password: no password is governed by it';
  }
  figures.policyPresent = facts.policy ? 1 : 0;
  figures.requirements = requirements.length;
  figures.requirementsMet = requirements.length - unmet.length;
  figures.shortfalls = facts.policy ? unmet.length : 0;
  return {
    findings: [
      {
        resource: PASSWORD_POLICY_RESOURCE,
        check: 'password-policy',
        status,
        detail: {
          policyPresent: facts.policy !== null,
          requirements,
          ...(facts.policy
            ? {
                hardExpiry: facts.policy.hardExpiry ?? false,
                allowUsersToChangePassword: facts.policy.allowUsersToChangePassword ?? false,
              }
            : { awsDefaultRules: AWS_DEFAULT_PASSWORD_RULES }),
          consoleUsers: consoleUsers === null ? null : consoleUsers.length,
          // Without a policy the console users are who is exposed: name them (the count is always complete).
          ...(facts.policy === null && consoleUsers && consoleUsers.length > 0
            ? { consoleUserNames: consoleUsers.slice(0, MAX_LISTED_USERS) }
            : {}),
          reason,
        },
      },
    ],
    figures,
  };
}

export const passwordPolicy: Collector<PasswordPolicyFacts, PasswordPolicyCheck> = {
  ...PASSWORD_POLICY_IDENTITY,
  iamActions: ['iam:GetAccountPasswordPolicy', 'iam:GenerateCredentialReport', 'iam:GetCredentialReport'],
  policy: (s) => ({
    passwordPolicy: { ...s.passwordPolicy, maxAgeDays: s.passwordPolicy.maxAgeDays ?? 'not required' },
    noPolicyWithConsoleUsers: 'FAIL',
    noPolicyWithoutConsoleUsers: 'INFO',
    noPolicyConsoleUsersUnknown: 'WARN',
    consoleUsers: 'credential report password_enabled=true (IAM users; root is not governed by the policy)',
  }),

  async gather(ctx) {
    const errors: ErrorEntry[] = [];
    const [read, report] = await Promise.all([
      withApi(API, () => ctx.clients.get(IAMClient).send(new GetAccountPasswordPolicyCommand({}))).then(
        (out) => ({
          policy: out.PasswordPolicy ? reducePolicy(out.PasswordPolicy) : null,
          raw: out.PasswordPolicy,
        }),
        (err: unknown) => {
          // NoSuchEntity is IAM's answer for "no policy": a fact to judge, not a failure to read.
          if (isAwsError(err, 'NoSuchEntityException') || isAwsError(err, 'NoSuchEntity'))
            return { policy: null, raw: null };
          errors.push(errorEntry(err, 'global', API));
          return undefined;
        },
      ),
      gatherCredentialReport(ctx),
    ]);
    errors.push(...report.errors);
    const sources: RawSource[] = [...report.sources];
    if (read) {
      sources.unshift(jsonSource('password-policy.json', API, { passwordPolicy: read.raw ?? null }, ctx.now));
    }
    const users = report.facts.report?.users;
    return {
      facts: {
        ...(read ? { policy: read.policy } : {}),
        ...(users
          ? { consoleUsers: users.filter((u) => u.passwordEnabled === true).map((u) => u.user) }
          : {}),
        ...(report.facts.generatedAt ? { reportGeneratedAt: report.facts.generatedAt } : {}),
      },
      sources,
      errors,
    };
  },

  assess: (facts, settings, now) => assessPasswordPolicy(facts, settings, now),
};
