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
