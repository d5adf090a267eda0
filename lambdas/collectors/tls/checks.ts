import type { CollectorIdentity } from '../collector';
import { defineChecks } from '../check-catalogue';

/** The checks of `tls`, in the order of its `checks` list. */
export const TLS_CHECKS = defineChecks({
  'listener-tls-policy': {
    title: 'Load balancer TLS listeners refuse old protocols',
    description:
      "One finding per HTTPS listener of an Application Load Balancer, TLS listener of a Network Load Balancer, and HTTPS or SSL listener of a Classic Load Balancer in the configured regions, judged by the protocols its security policy actually allows, never by the policy name: for ALB and NLB the protocols DescribeSSLPolicies lists for the policy, for a Classic Load Balancer the Protocol-* attributes enabled in the listener's SSL negotiation policy (its Reference-Security-Policy is recorded). It FAILs when the policy allows any protocol below `minimumTlsVersion` (default TLSv1.2), such as TLSv1 or TLSv1.1, and PASSes when it does not. It WARNs when the policy lists a protocol that cannot be placed, lists no protocols, is not returned by AWS, or when the listener names no policy. TLS 1.0 and 1.1 have known weaknesses and are no longer accepted by most compliance regimes.",
    criteria: ['CC6.7'],
    severity: 'high',
    remediation:
      'Switch the listener to a security policy that allows only TLS 1.2 and 1.3, for example ELBSecurityPolicy-TLS13-1-2-2021-06: `aws elbv2 modify-listener --listener-arn ARN --ssl-policy POLICY`; on a Classic Load Balancer, create a policy referencing ELBSecurityPolicy-TLS-1-2-2017-01 (`aws elb create-load-balancer-policy`) and attach it with `aws elb set-load-balancer-policies-of-listener`.',
  },
  'listener-http-redirect': {
    title: 'HTTP listeners redirect to HTTPS',
    description:
      'One finding per plain HTTP listener of an Application Load Balancer or a Classic Load Balancer in the configured regions. An ALB listener PASSes only when the default action redirects to HTTPS and every other rule either redirects to HTTPS or returns a fixed response; it FAILs when the default action forwards or does anything else, or when any rule answers over plain HTTP. A Classic Load Balancer HTTP listener always FAILs: Classic Load Balancers have no redirect action, so the listener serves plain HTTP. TCP and UDP listeners of Network Load Balancers and TCP listeners of Classic Load Balancers are not judged (TLS may pass through them to the targets). Anything served over plain HTTP, including session cookies and form posts, can be read and changed in transit.',
    criteria: ['CC6.7'],
    severity: 'high',
    remediation:
      "Change the listener's default action to a redirect to HTTPS on port 443 with status HTTP_301, and change any rule that forwards to do the same. A Classic Load Balancer cannot redirect: remove the HTTP listener (`aws elb delete-load-balancer-listeners --load-balancer-name NAME --load-balancer-ports 80`) or move to an Application Load Balancer.",
  },
  's3-tls-only-policy': {
    title: 'S3 bucket policies refuse plain HTTP',
    description:
      'One finding per S3 bucket in the account, including buckets outside the configured regions. It PASSes when the bucket policy has a Deny statement for Principal "*" covering s3:GetObject and s3:PutObject on the bucket\'s objects, whose only condition is aws:SecureTransport false, or s3:TlsVersion less than 1.2 or higher. It FAILs otherwise, including when the bucket has no policy; statements that nearly qualify (an extra condition, a narrower principal or action, NotPrincipal, NotAction or NotResource) are listed as near misses. S3 accepts plain HTTP requests unless a policy refuses them, so without it a misconfigured client can move data unencrypted.',
    criteria: ['CC6.7'],
    severity: 'medium',
    remediation:
      'Add a statement to the bucket policy that denies `s3:*` to Principal `*` on the bucket and its objects when `aws:SecureTransport` is `false` (`aws s3api put-bucket-policy`).',
  },
  'rds-tls-enforced': {
    title: 'Databases refuse unencrypted connections',
    description:
      'One finding per RDS, Aurora, Neptune or DocumentDB database in the configured regions (each cluster, and each instance outside a cluster), judged by the parameter that makes its engine refuse plain connections: rds.force_ssl (PostgreSQL, SQL Server), require_secure_transport (MySQL, MariaDB) or tls (DocumentDB). It PASSes when the parameter group sets it on, FAILs when it is set off, and WARNs when it is set on but the parameter group is pending a reboot, when the group leaves the engine default (not stated, and different by engine and version), when the value is not recognised, when no parameter group is reported, or when no such parameter is read for the engine (Oracle and Neptune, for example). A database that accepts unencrypted connections leaves credentials and query results readable on the network.',
    criteria: ['CC6.7'],
    severity: 'medium',
    remediation:
      'Set the parameter to 1 (or tls to enabled for DocumentDB) in a custom parameter group attached to the database, then reboot it: `aws rds modify-db-parameter-group` or `modify-db-cluster-parameter-group`.',
  },
});

export type TlsCheck = keyof typeof TLS_CHECKS;

/** What `tls` is: its id, title, criteria, schedule class and checks; collector.ts adds how it reads AWS. */
export const TLS_IDENTITY: CollectorIdentity<TlsCheck> = {
  id: 'tls',
  title: 'TLS in transit: load balancers, S3 bucket policies, databases',
  controls: ['CC6.7'],
  scope: 'regional',
  frequency: 'weekly',
  checks: TLS_CHECKS,
};
