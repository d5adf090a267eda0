import type { CollectorIdentity } from '../collector';
import { defineChecks } from '../check-catalogue';

/**
 * The checks of the access review. The population collector (`collector.ts`), the review email
 * (`review.ts`, evidence `access-review-email`) and the reviewer's attestation (`attestation.ts`, evidence
 * `access-review-attestation`) write separate evidence, so each has its own catalogue; all three share the
 * access review's controls.
 */
export const ACCESS_REVIEW_CHECKS = defineChecks({
  'user-access': {
    title: 'Every IAM user is listed for review',
    description:
      "An INFO finding for every IAM user in the quarterly review population, read from the account authorization details and the IAM credential report. Each records whether the user is admin-equivalent or near-admin through attached, inline or group policies, whether it has console access and MFA, and whether it is inactive (no credential used within `inactiveAfterDays` days, default 90). Nothing is judged here: the judgement is the reviewer's keep, remove or modify decision. The frozen list, stored with a CSV copy, is what auditors compare the reviewer's decisions against to show that access was reviewed periodically.",
    criteria: ['CC6.2', 'CC6.3'],
    severity: 'info',
    remediation:
      'Nothing to fix in the finding itself; the reviewer decides keep, remove or modify for each user, and each remove or modify should be carried out (leave groups, detach policies, delete credentials or the user).',
  },
  'role-access': {
    title: 'Roles people can assume are listed for review',
    description:
      'An INFO finding for every IAM role whose trust policy lets people in: a SAML or OIDC provider, another AWS account, this account as a whole, or a named user or role of it. Roles trusted only by AWS services are left out. Each records who the role trusts and whether its attached or inline policies make it admin-equivalent or near-admin. Nothing is judged here; the reviewer may decide on roles too. Federated and cross-account roles are how most people reach an account, so a review of IAM users alone would miss most of the access.',
    criteria: ['CC6.2', 'CC6.3'],
    severity: 'info',
    remediation:
      "Where the reviewer decides remove or modify, narrow the role's trust policy or permissions, or delete the role.",
  },
});

export type AccessReviewCheck = keyof typeof ACCESS_REVIEW_CHECKS;

export const ACCESS_REVIEW_EMAIL_CHECKS = defineChecks({
  'review-email-sent': {
    title: 'The quarterly access review was emailed',
    description:
      'One finding for the email that sends the frozen review population to the security address. It PASSes when SES accepted the message and returned a message id, and FAILs when the send failed (the error is recorded and the run ends in an error, so it alarms and can be retried). It is INFO for a dry run, and INFO when a retry of the same invocation found that an earlier attempt had already sent it. It WARNs when an earlier attempt called SES but recorded no outcome, so the review may or may not have arrived and is not sent twice. The evidence keeps the raw message and SHA-256 digests linking it to the population, which shows auditors that the review was actually started and what the reviewer received.',
    criteria: ['CC6.2', 'CC6.3'],
    severity: 'high',
    remediation:
      'Read the error entry (often an unverified sender identity, the SES sandbox or a missing ses:SendEmail permission), fix it and run `soc2-evidence review send` again; on a WARN, check the security inbox before resending.',
  },
  'review-email-sending': {
    title: 'The review email send is recorded before SES is called',
    description:
      'An INFO marker written just before the review email is handed to SES, when the run can read back its own evidence. It judges nothing: it lets a retry of the same invocation tell that an earlier attempt may have sent the email, so the team is not emailed twice. A marker with no `review-email-sent` evidence from the same attempt means the outcome of that send is unknown.',
    criteria: ['CC6.2', 'CC6.3'],
    severity: 'info',
    remediation:
      'Nothing to do on its own; if no review-email-sent evidence follows it for the same attempt, check the security inbox for the review before sending it again.',
  },
});

export type AccessReviewEmailCheck = keyof typeof ACCESS_REVIEW_EMAIL_CHECKS;

export const ACCESS_REVIEW_ATTESTATION_CHECKS = defineChecks({
  'access-decision': {
    title: 'Each principal has a recorded review decision',
    description:
      "One finding per row of the reviewer's decisions file, recorded only after the file has been checked against the frozen population: every user must have exactly one decision of keep, remove or modify (roles may be decided too), and a file with any problem is rejected and nothing is written. A decision is INFO; it WARNs when it is a self-review, the reviewer deciding on their own access, which is allowed only with a justification. The attestation is linked to the population by its digest, so auditors can see who reviewed which access and what they decided.",
    criteria: ['CC6.2', 'CC6.3'],
    severity: 'low',
    remediation:
      "For a self-review, have a second person confirm the reviewer's own access and keep that record; carry out every remove and modify decision and keep the change record.",
  },
});

export type AccessReviewAttestationCheck = keyof typeof ACCESS_REVIEW_ATTESTATION_CHECKS;

/**
 * The organization review's own evidence (`access-review-organization`, under the hub account): Identity
 * Center's assignments judged, and which accounts' populations it could read. The accounts' own IAM users
 * and roles are listed (and judged) in each account's `access-review` evidence.
 */
export const ORGANIZATION_REVIEW_CHECKS = defineChecks({
  'account-population-read': {
    title: "Each in-scope account's access review population is in the organization review",
    description:
      "One finding per in-scope account of the organization review. It PASSes when the account's `access-review` population frozen by this quarter's run (the latest of the last 24 hours) was read back and matched the SHA-256 its envelope records, and FAILs when there is none (the account's run left no evidence), when that run could not read IAM (its envelope has no population), or when the population does not match its recorded digest. A failing account is listed in the email and the CSV as not reviewed, never dropped, so the review cannot silently cover fewer accounts than the organization has in scope.",
    criteria: ['CC6.2', 'CC6.3'],
    severity: 'high',
    remediation:
      "Read the account's own `access-review` evidence and the state machine's execution for why its run failed (often the member role missing or not trusting the hub), fix it and run the review again for the quarter.",
  },
  'identity-center-admin-access': {
    title: 'Identity Center users holding an admin-equivalent permission set are listed for decision',
    description:
      "One finding per Identity Center user, account and permission set where the permission set is admin-equivalent in that account by the access review's rules (AdministratorAccess; an inline or customer managed policy allowing Action `*` on Resource `*`, or the NotAction and NotResource forms that still reach IAM), assigned to the user directly or through a group. It WARNs: approvedAdministrators names IAM ARNs only, so an Identity Center administrator is approved by the reviewer's recorded keep decision on the row (the attestation), which every such row requires. It also WARNs when the verdict is unknown (a customer managed policy missing from the account's frozen IAM population, or a policy API that failed), since the access may be admin. Administrator access across accounts is the access auditors sample first.",
    criteria: ['CC6.2', 'CC6.3'],
    severity: 'high',
    remediation:
      'Decide keep, remove or modify on the row in the review CSV; for remove or modify, delete the account assignment (or the group membership it comes through) in IAM Identity Center, or narrow the permission set.',
  },
  'identity-center-direct-admin-assignment': {
    title: 'Admin-equivalent permission sets are assigned through groups, not to users directly',
    description:
      'One finding per Identity Center user assigned an admin-equivalent permission set directly (not through a group) in an account. It WARNs: direct assignments are invisible in group membership reviews and tend to outlive the need for them; assigning through a group keeps who holds administrator access in one reviewable place.',
    criteria: ['CC6.2', 'CC6.3'],
    severity: 'medium',
    remediation:
      'Add the user to a group that holds the assignment and delete the direct account assignment in IAM Identity Center.',
  },
  'identity-center-disabled-user-assigned': {
    title: 'Disabled Identity Center users hold no account assignments',
    description:
      "One finding per Identity Center user whose UserStatus is DISABLED and who still holds an assignment in an in-scope account, directly or through a group. It FAILs: a disabled user cannot sign in today, but re-enabling the user (or a synchronisation from the identity provider) restores every assignment at once, so leavers' access is not removed until the assignments are. Users whose status the identity store does not report are not judged.",
    criteria: ['CC6.2', 'CC6.3'],
    severity: 'medium',
    remediation:
      'Remove the user from the groups holding assignments and delete their direct account assignments in IAM Identity Center (or delete the user).',
  },
  'identity-center-user-access': {
    title: 'Every Identity Center user with access to an in-scope account is listed for review',
    description:
      "An INFO finding per Identity Center user holding at least one assignment in an in-scope account, naming the accounts and permission sets and whether each is admin-equivalent. Nothing is judged here; the judgement is the reviewer's decision on the rows of the CSV. Identity Center is how most people reach the accounts of an organization, so a review of each account's IAM users alone would miss most of the access.",
    criteria: ['CC6.2', 'CC6.3'],
    severity: 'info',
    remediation:
      'Nothing to fix in the finding itself; the reviewer decides on the rows, and each remove or modify is carried out in IAM Identity Center.',
  },
});

export type OrganizationReviewCheck = keyof typeof ORGANIZATION_REVIEW_CHECKS;

/** What `access-review` is: its id, title, criteria, schedule class and checks; collector.ts adds how it reads AWS. */
export const ACCESS_REVIEW_IDENTITY: CollectorIdentity<AccessReviewCheck> = {
  id: 'access-review',
  title: 'Quarterly access review population',
  controls: ['CC6.2', 'CC6.3'],
  scope: 'global',
  frequency: 'quarterly',
  checks: ACCESS_REVIEW_CHECKS,
};

// The kind ids written beside the population, here so that lambdas/collectors/kinds.ts imports no collector code.
/** The evidence of the email itself, beside the population evidence (`access-review`). */
export const EMAIL_COLLECTOR = 'access-review-email';
export const ATTESTATION_COLLECTOR = 'access-review-attestation';
/** The organization population's evidence kind, beside the review email under the hub account. */
export const ORGANIZATION_COLLECTOR = 'access-review-organization';
