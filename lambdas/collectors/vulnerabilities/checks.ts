import type { CollectorIdentity } from '../collector';
import { defineChecks } from '../check-catalogue';

/** The checks of `vulnerabilities`, in the order of its `checks` list. */
export const VULNERABILITIES_CHECKS = defineChecks({
  'inspector-enabled': {
    title: 'Amazon Inspector scans EC2, ECR and Lambda',
    description:
      'One finding per configured region and Inspector scan type. EC2 instance, ECR container image and Lambda standard scanning PASS when their status is ENABLED, WARN while ENABLING (being turned on, not scanning yet) and FAIL in any other state (DISABLED, DISABLING, SUSPENDING, SUSPENDED), including a region where Inspector was never enabled, where BatchGetAccountStatus reports it DISABLED or names no status at all. A region where Inspector answers that it could not read the account status (the account in `failedAccounts`, with an error code such as ACCESS_DENIED or INTERNAL_ERROR) is not judged: it is an error entry naming the code, and the run is PARTIAL. Lambda code scanning is recorded as INFO: it is a separately billed add-on offered in fewer regions. A scan type that is off means vulnerabilities in that kind of workload are never detected, so the remediation SLA below cannot be met for them.',
    criteria: ['CC7.1'],
    severity: 'high',
    remediation:
      'Enable Inspector for the missing scan types in each region: `aws inspector2 enable --resource-types EC2 ECR LAMBDA --region REGION` (in an organization, from the delegated administrator with `--account-ids`).',
  },
  'vulnerability-sla': {
    title: 'Critical and high vulnerabilities are fixed within the SLA',
    description:
      'One finding per active critical or high Amazon Inspector finding (keyed by the finding ARN: one vulnerability on one resource, followed day to day), judged against `remediationSlaDays` (default 7 days for critical, 30 for high) counted from its `firstObservedAt`. It FAILs once the finding has been open longer than its SLA and WARNs while it is open within it, with its due date. A severity without an SLA value is counted only. Inspector closes a finding once a rescan no longer sees the vulnerability, so a finding that disappears has been remediated (or its resource is gone). Auditors read this as the proof that identified vulnerabilities are remediated on time.',
    criteria: ['CC7.1'],
    severity: 'high',
    remediation:
      'Patch or rebuild the affected resource with the fixed package version named in the finding (for EC2, e.g. `aws ssm send-command --document-name AWS-RunPatchBaseline`; for ECR, rebuild and push the image; for Lambda, update the dependency and deploy); or record a risk acceptance.',
  },
  'vulnerability-counts': {
    title: 'Active vulnerability counts by severity',
    description:
      'One INFO finding per region where Inspector is on: the active findings counted by severity (critical and high from the full ACTIVE listing, medium and the rest from the account aggregation, whose severity counts have no separate low field) and how many have a fix available. It is not a judgement; it shows the size and trend of the vulnerability backlog an auditor samples from.',
    criteria: ['CC7.1'],
    severity: 'info',
    remediation:
      'None by itself: work the critical and high findings first (vulnerability-sla); list the rest with `aws inspector2 list-findings --filter-criteria findingStatus=[{comparison=EQUALS,value=ACTIVE}]`.',
  },
});

export type VulnerabilitiesCheck = keyof typeof VULNERABILITIES_CHECKS;

/** What `vulnerabilities` is: its id, title, criteria, schedule class and checks; collector.ts adds how it reads AWS. */
export const VULNERABILITIES_IDENTITY: CollectorIdentity<VulnerabilitiesCheck> = {
  id: 'vulnerabilities',
  title: 'Vulnerabilities: Amazon Inspector coverage and findings against the remediation SLA',
  controls: ['CC7.1'],
  scope: 'regional',
  frequency: 'daily',
  checks: VULNERABILITIES_CHECKS,
};
