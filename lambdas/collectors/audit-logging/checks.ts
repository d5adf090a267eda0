import type { CollectorIdentity } from '../collector';
import { defineChecks } from '../check-catalogue';

/** The checks of `audit-logging`, in the order of its `checks` list. */
export const AUDIT_LOGGING_CHECKS = defineChecks({
  'cloudtrail-multi-region': {
    title: 'A multi-region CloudTrail trail records management events',
    description:
      'One finding for the account. PASS when at least one trail (the account’s own, or an organization trail reaching it) is multi-region, logging, validates its log files, and records management events both read and write, whether its event selectors are basic or advanced and whatever they are named. WARN when the best trail would qualify but excludes some management event sources (e.g. KMS or RDS Data API events) or its latest delivery to S3 failed, or when a trail that might qualify could not be read in full. FAIL when no trail qualifies; the finding names each trail and why it falls short. An organization trail owned by the management account is judged from a member account on what the member can see (it reaches the account, is multi-region, validates its log files, and is logging); its event selectors only the management account can read, so its PASS assumes they record management reads and writes, as an organization trail does unless its selectors exclude them, and says so: the management account’s own evidence judges those selectors (if even its logging status is refused to the member, it WARNs). Without such a trail there is no complete, tamper-evident record of who changed what in the account, the basis of any investigation of a security event.',
    criteria: ['CC7.2', 'CC2.1'],
    severity: 'high',
    remediation:
      'Create or fix a multi-region trail with validation and all management events: `aws cloudtrail update-trail --name <trail> --is-multi-region-trail --enable-log-file-validation`, `aws cloudtrail put-event-selectors --trail-name <trail> --event-selectors \'[{"ReadWriteType":"All","IncludeManagementEvents":true}]\'`, and `aws cloudtrail start-logging --name <trail>`.',
  },
  'config-recorder': {
    title: 'AWS Config records all resource types in every region',
    description:
      'One finding per configured region. PASS when the customer-managed configuration recorder records all supported resource types and is recording without failure. WARN when it records all supported types except some named exclusions (listed for the auditor). FAIL when there is no customer-managed recorder (a service-linked recorder does not count: one with INTERNAL scope delivers no configuration items to the account, and any service-linked recorder records only what its service needs), when it is stopped or failing, or when it records only chosen resource types. AWS Config is the history of how each resource was configured, which change investigations and the evidence of many other controls rely on.',
    criteria: ['CC7.2', 'CC2.1'],
    severity: 'medium',
    remediation:
      'Record all supported types and start the recorder: `aws configservice put-configuration-recorder --configuration-recorder name=default,roleARN=<role-arn> --recording-group allSupported=true`, then `aws configservice start-configuration-recorder --configuration-recorder-name default` (a delivery channel must exist).',
  },
  'log-group-retention': {
    title: 'CloudWatch Logs groups keep events long enough',
    description:
      'One finding per log group. FAIL when its retention is shorter than `logRetentionDays` (default 365), since logs deleted before the audit period ends cannot evidence anything in it. PASS when retention is at least that long, or when events never expire (recorded as `neverExpires`, so unbounded retention stays visible). INFO for DELIVERY class log groups, whose events CloudWatch keeps one day by design on the way to their destination, where retention must be judged. Retention set by an account-level policy is the one judged, and its name is recorded.',
    criteria: ['CC7.2', 'CC2.1'],
    severity: 'medium',
    remediation:
      'Set the retention to at least the threshold: `aws logs put-retention-policy --log-group-name <name> --retention-in-days 365`.',
  },
  'vpc-flow-logs': {
    title: 'Every VPC has flow logs',
    description:
      'One finding per VPC. PASS when an ACTIVE flow log whose resource is the VPC itself records ALL traffic and its delivery has not failed. WARN when the VPC flow logs record only ACCEPT or only REJECT traffic. FAIL when the VPC has no flow log, or only ones that are not active or whose delivery fails; subnet and network-interface flow logs do not count, since they leave out the VPC’s other subnets and interfaces and any added later. INFO for a VPC shared into the account by another account, whose flow logs only the owner can create and see. Flow logs are the record of who talked to what on the network, needed to investigate an intrusion or exfiltration.',
    criteria: ['CC7.2', 'CC2.1'],
    severity: 'medium',
    remediation:
      'Create a VPC flow log of all traffic: `aws ec2 create-flow-logs --resource-type VPC --resource-ids <vpc-id> --traffic-type ALL --log-destination-type s3 --log-destination arn:aws:s3:::<bucket>` (or delete an unused default VPC).',
  },
  'load-balancer-access-logs': {
    title: 'Load balancers keep access logs',
    description:
      'One finding per Application, Network and Classic Load Balancer. PASS when access logs to S3 are on (`access_logs.s3.enabled`, or `AccessLog.Enabled` for a Classic Load Balancer). FAIL when they are off. INFO for a Network Load Balancer without a TLS listener: ELB writes NLB access logs for TLS connections only, so there is nothing to log and its traffic is in VPC flow logs. Gateway Load Balancers have no access logs and are not judged (counted in the figures). Access logs via CloudWatch Logs vended delivery are not read. Access logs are the record of each request that reached an internet-facing service, needed to trace an attack on it.',
    criteria: ['CC7.2', 'CC2.1'],
    severity: 'low',
    remediation:
      'Turn access logs on: `aws elbv2 modify-load-balancer-attributes --load-balancer-arn <arn> --attributes Key=access_logs.s3.enabled,Value=true Key=access_logs.s3.bucket,Value=<bucket>`; for a Classic Load Balancer, `aws elb modify-load-balancer-attributes --load-balancer-name <name> --load-balancer-attributes "AccessLog={Enabled=true,S3BucketName=<bucket>,EmitInterval=60}"`.',
  },
});

export type AuditLoggingCheck = keyof typeof AUDIT_LOGGING_CHECKS;

/** What `audit-logging` is: its id, title, criteria, schedule class and checks; collector.ts adds how it reads AWS. */
export const AUDIT_LOGGING_IDENTITY: CollectorIdentity<AuditLoggingCheck> = {
  id: 'audit-logging',
  title: 'Audit logging: CloudTrail, AWS Config, log retention, VPC flow logs, load balancer access logs',
  controls: ['CC7.2', 'CC2.1'],
  scope: 'regional',
  frequency: 'daily',
  checks: AUDIT_LOGGING_CHECKS,
};
