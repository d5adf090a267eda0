import type { CollectorIdentity } from '../collector';
import { defineChecks } from '../check-catalogue';

/** The checks of `resilience`, in the order of its `checks` list. */
export const RESILIENCE_CHECKS = defineChecks({
  'rds-multi-az': {
    title: 'Production databases run in more than one Availability Zone',
    description:
      "One finding per RDS, Aurora, Neptune or DocumentDB database in the configured regions: each cluster, judged on the cluster's own MultiAZ (instances in more than one Availability Zone; the members' instance-level field does not apply), and each instance outside a cluster, judged on its MultiAZ standby. A production database without Multi-AZ FAILs and one with it PASSes. Which databases are production is set by `productionTag` (absent: all of them); the others are INFO, as are read replicas, whose source is judged. A single-AZ database is down for as long as its Availability Zone is, which is the availability commitment auditors test under A1.2.",
    criteria: ['A1.2'],
    severity: 'medium',
    remediation:
      'Convert the database to Multi-AZ (`aws rds modify-db-instance --db-instance-identifier ID --multi-az --apply-immediately`); for an Aurora cluster, add a reader in another Availability Zone (`aws rds create-db-instance --db-cluster-identifier CLUSTER --db-instance-identifier ID --engine aurora-postgresql --db-instance-class CLASS --availability-zone AZ`).',
  },
  'rds-deletion-protection': {
    title: 'Production databases have deletion protection',
    description:
      "One finding per database, as for rds-multi-az: a cluster is judged on the cluster's DeletionProtection (deleting its instances leaves the cluster volume), an instance outside a cluster on its own. A production database without deletion protection FAILs and one with it PASSes; non-production databases (by `productionTag`) and read replicas are INFO. Deletion protection makes deleting a production database a deliberate two-step change instead of one mistaken or malicious API call.",
    criteria: ['A1.2'],
    severity: 'medium',
    remediation:
      'Turn it on: `aws rds modify-db-instance --db-instance-identifier ID --deletion-protection --apply-immediately` (for a cluster, `aws rds modify-db-cluster --db-cluster-identifier ID --deletion-protection --apply-immediately`).',
  },
  'dynamodb-pitr': {
    title: 'DynamoDB tables have point-in-time recovery',
    description:
      'One finding per DynamoDB table in the configured regions, judged on PointInTimeRecoveryStatus (ContinuousBackupsStatus is always ENABLED and says nothing). ENABLED PASSes, with the recovery period recorded; DISABLED FAILs. Without point-in-time recovery a table damaged by a bad write or deletion can be restored only to the last on-demand or AWS Backup backup, and every change since is lost.',
    criteria: ['A1.2'],
    severity: 'medium',
    remediation:
      'Enable it: `aws dynamodb update-continuous-backups --table-name TABLE --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true`.',
  },
  's3-versioning': {
    title: 'S3 buckets keep object versions',
    description:
      'One finding per S3 bucket of the account, judged on GetBucketVersioning: Enabled PASSes; Suspended FAILs (versions already kept stay, but new overwrites and deletes are final); a bucket never versioned FAILs. A bucket carrying `versioningExemptTag` (for example log buckets, protected by other means) is INFO instead of failing; its tags are read only then. MFA delete is recorded when set. Versioning is what lets an overwritten or deleted object be recovered.',
    criteria: ['A1.2'],
    severity: 'medium',
    remediation:
      'Enable versioning (`aws s3api put-bucket-versioning --bucket BUCKET --versioning-configuration Status=Enabled`) with a lifecycle rule that expires noncurrent versions, or tag the bucket with the exemption tag if it is exempt by policy.',
  },
  'backup-plan-coverage': {
    title: 'Production data stores are backed up by AWS Backup',
    description:
      'One finding per database (cluster, or instance outside a cluster) and DynamoDB table in each region whose AWS Backup protected resources could be read, matched against ListProtectedResources: the resources AWS Backup actually holds recovery points of, whichever plan made them (a plan whose selection matches but whose jobs fail protects nothing). PASS when the latest recovery point is at most 35 days old; WARN when it is older (a one-off backup, or a plan that no longer selects the resource); FAIL for a production resource AWS Backup has never backed up. A non-production database (by `productionTag`) that is not backed up, and a read replica, are INFO; every DynamoDB table is judged. RDS automated backups are judged by the `backups` collector; this check shows the independent, longer-retained copies an auditor expects for disaster recovery.',
    criteria: ['A1.2'],
    severity: 'high',
    remediation:
      'Assign the resource to a backup plan, by ARN or by a tag the plan selects on (`aws backup create-backup-selection --backup-plan-id PLAN --backup-selection file://selection.json`), then check that its first backup job completes.',
  },
  'backup-vault-lock': {
    title: 'Backup vaults are locked against deletion',
    description:
      'One finding per AWS Backup vault in the configured regions, from ListBackupVaults (which carries the lock fields). PASS for a vault locked in compliance mode whose lock date has passed: nobody, the root user included, can delete its recovery points early or remove the lock. WARN for a lock that can still be removed: compliance mode within its grace period (lock date in the future), or governance mode (no lock date). FAIL for an unlocked vault holding recovery points, since anyone allowed to delete recovery points, or an attacker with an administrator credential, can erase every backup at once; an unlocked empty vault is INFO. Immutable backups are the recovery path auditors look for against ransomware and insider deletion.',
    criteria: ['A1.2'],
    severity: 'medium',
    remediation:
      'Lock the vault: `aws backup put-backup-vault-lock-configuration --backup-vault-name VAULT --min-retention-days 7 --changeable-for-days 3` (the lock becomes immutable after the 3-day grace period; leave out --changeable-for-days only for a governance-mode lock).',
  },
});

export type ResilienceCheck = keyof typeof RESILIENCE_CHECKS;

/** What `resilience` is: its id, title, criteria, schedule class and checks; collector.ts adds how it reads AWS. */
export const RESILIENCE_IDENTITY: CollectorIdentity<ResilienceCheck> = {
  id: 'resilience',
  title:
    'Resilience: Multi-AZ, deletion protection, point-in-time recovery, versioning, backup plans and vault lock',
  controls: ['A1.2'],
  scope: 'regional',
  frequency: 'weekly',
  checks: RESILIENCE_CHECKS,
};
