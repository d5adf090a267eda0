import type { CollectorIdentity } from '../collector';
import { defineChecks } from '../check-catalogue';

/** The checks of `threat-detection`, in the order of its `checks` list. */
export const THREAT_DETECTION_CHECKS = defineChecks({
  'guardduty-enabled': {
    title: 'GuardDuty is enabled in every region',
    description:
      "One finding per configured region: PASS when the region has a GuardDuty detector whose status is ENABLED, FAIL when it has none (GuardDuty was never turned on, or was disabled, which deletes the detector) or only a DISABLED (suspended) one. The detector's protection plans (features such as S3, EKS audit logs, EBS malware protection, RDS and Lambda protection, runtime monitoring) are recorded with their status, and the disabled ones listed, without changing the verdict. GuardDuty is the account's continuous threat detection: a region without it is a region where compromised credentials, crypto-mining or data exfiltration go unnoticed, and attackers favour regions nobody watches.",
    criteria: ['CC7.2', 'CC7.3'],
    severity: 'high',
    remediation:
      'Turn GuardDuty on in the region (`aws guardduty create-detector --enable --region REGION`), or resume a suspended detector (`aws guardduty update-detector --detector-id ID --enable --region REGION`); in an organization, auto-enable it from the GuardDuty administrator account.',
  },
  'guardduty-finding-response': {
    title: 'High and critical GuardDuty findings are handled within their response window',
    description:
      "One finding per active (unarchived) GuardDuty finding of severity 7 or more, in every region whose detector could be read: High is 7 to 8.9, Critical 9 to 10. Its age runs from the finding's CreatedAt, when GuardDuty first raised it, not from UpdatedAt, which moves every time the same activity recurs and would restart the clock for a threat that is still active; UpdatedAt, the occurrence count and the affected resource are recorded. A finding older than its window in `threatResponseHours` (default critical 24 hours, high 72) FAILs; one still within it WARNs with its due time, since it is an open threat being worked on. A region with no such finding gets one PASS. Auditors read this as evidence that detected incidents are triaged and closed, not just detected (CC7.3).",
    criteria: ['CC7.2', 'CC7.3'],
    severity: 'high',
    remediation:
      'Investigate the finding (GuardDuty console > Findings, or `aws guardduty get-findings --detector-id ID --finding-ids FINDING`), contain and fix the cause, then archive it (`aws guardduty archive-findings --detector-id ID --finding-ids FINDING`; in an organization only the administrator account can archive).',
  },
  'securityhub-enabled': {
    title: 'Security Hub is enabled where it is used',
    description:
      'One finding per configured region, from Security Hub CSPM\'s DescribeHub. PASS when the hub is enabled there. When it is not, DescribeHub answers InvalidAccessException, which AWS also uses for a caller not allowed to use the hub: the finding records the answer and says it means "not enabled or not allowed". A region without it FAILs only when `requireSecurityHub` is true; otherwise it WARNs when Security Hub is enabled in another configured region (it is in use, and this region\'s findings never reach it), and when it is enabled in no configured region it is INFO, since Security Hub aggregates findings but is not itself a detective control. An AccessDeniedException is an error entry, not a verdict.',
    criteria: ['CC7.2', 'CC7.3'],
    severity: 'medium',
    remediation:
      "Enable Security Hub in the region (`aws securityhub enable-security-hub --region REGION`), or from the organization's delegated administrator with central configuration, and add the region to cross-region aggregation.",
  },
  'access-analyzer-enabled': {
    title: 'IAM Access Analyzer watches external access in every region',
    description:
      'One finding per configured region: PASS when an ACTIVE analyzer of type ACCOUNT or ORGANIZATION exists there (the analyzers that report resources shared outside the account or organization), WARN when such an analyzer is still CREATING, and FAIL when there is none, when it is DISABLED or FAILED (the reason is recorded), or when the region has only unused-access or internal-access analyzers, which answer other questions. Every analyzer is listed with its type and status. Analyzers are regional, so a bucket, key, role trust or snapshot shared with an outside account in an unwatched region is never reported. An organization analyzer lives in the management or delegated administrator account and is not listed in a member account.',
    criteria: ['CC7.2', 'CC7.3'],
    severity: 'medium',
    remediation:
      'Create an external-access analyzer in the region (`aws accessanalyzer create-analyzer --analyzer-name external-access --type ACCOUNT --region REGION`), or an ORGANIZATION analyzer from the delegated administrator account.',
  },
});

export type ThreatDetectionCheck = keyof typeof THREAT_DETECTION_CHECKS;

/** What `threat-detection` is: its id, title, criteria, schedule class and checks; collector.ts adds how it reads AWS. */
export const THREAT_DETECTION_IDENTITY: CollectorIdentity<ThreatDetectionCheck> = {
  id: 'threat-detection',
  title: 'Threat detection: GuardDuty, its findings, Security Hub and IAM Access Analyzer',
  controls: ['CC7.2', 'CC7.3'],
  scope: 'regional',
  frequency: 'daily',
  checks: THREAT_DETECTION_CHECKS,
};
