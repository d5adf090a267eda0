import type { CollectorIdentity } from '../collector';
import { defineChecks } from '../check-catalogue';

/** The checks of `password-policy`, in the order of its `checks` list. */
export const PASSWORD_POLICY_CHECKS = defineChecks({
  'password-policy': {
    title: 'The account password policy meets the required minimums',
    description:
      "One finding for the account, from IAM's account password policy and the credential report. Each requirement in `passwordPolicy` is compared with the policy: minimum length (default 14), symbols, numbers, upper and lower case (each required by default), passwords remembered against reuse (default 24) and, only when `maxAgeDays` is set, the longest a password may live. It PASSes when every requirement is met and FAILs when any falls short, listing each shortfall. With no policy at all it FAILs when any IAM user has a console password (those users then get only AWS's default rules: 8 characters and three of four character classes, no reuse prevention, no expiry); it is INFO when no IAM user has a console password, since no password is governed (people sign in through single sign-on or not at all), and WARN when the credential report could not be read to tell. The policy is the account's only control over the strength of IAM console passwords, which are guessed, sprayed and reused from other breaches.",
    criteria: ['CC6.1'],
    severity: 'medium',
    remediation:
      'Set the policy to the required minimums: `aws iam update-account-password-policy --minimum-password-length 14 --require-symbols --require-numbers --require-uppercase-characters --require-lowercase-characters --password-reuse-prevention 24` (add `--max-password-age DAYS` where a maximum age is required).',
  },
});

export type PasswordPolicyCheck = keyof typeof PASSWORD_POLICY_CHECKS;

/** What `password-policy` is: its id, title, criteria, schedule class and checks; collector.ts adds how it reads AWS. */
export const PASSWORD_POLICY_IDENTITY: CollectorIdentity<PasswordPolicyCheck> = {
  id: 'password-policy',
  title: 'Password policy: the account password policy against the required minimums',
  controls: ['CC6.1'],
  scope: 'global',
  frequency: 'weekly',
  checks: PASSWORD_POLICY_CHECKS,
};
