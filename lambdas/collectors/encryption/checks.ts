import type { CollectorIdentity } from '../collector';
import { defineChecks } from '../check-catalogue';

/** The checks of `encryption`, in the order of its `checks` list. */
export const ENCRYPTION_CHECKS = defineChecks({
  's3-default-encryption': {
    title: 'S3 buckets have default encryption',
    description:
      'One finding per S3 bucket in the account, including buckets outside the configured regions (marked as such). It FAILs when the bucket has no default encryption configuration, or when `requireKmsForBuckets` is true (default false) and the default is SSE-S3 (AES256) rather than SSE-KMS or DSSE-KMS; otherwise it PASSes. The algorithm and KMS key are always recorded. Since January 2023 S3 encrypts new objects with SSE-S3 when nothing else is set, so the useful question is usually whether customer-controlled KMS keys are used, which is what the setting enforces.',
    criteria: ['CC6.1', 'C1.1'],
    severity: 'medium',
    remediation:
      'Set default encryption on the bucket (S3 console > bucket > Properties > Default encryption), with SSE-KMS and a customer managed key where KMS is required: `aws s3api put-bucket-encryption`.',
  },
  'rds-storage-encrypted': {
    title: 'Database storage is encrypted',
    description:
      'One finding per RDS, Aurora, Neptune or DocumentDB database in the configured regions: each cluster, and each instance outside a cluster (cluster members are judged through their cluster). It PASSes when storage encryption is on and FAILs when it is off; the KMS key is recorded. An unencrypted database leaves its data, snapshots and backups readable to anyone who obtains the storage or a shared snapshot, and encryption cannot be turned on for an existing database in place.',
    criteria: ['CC6.1', 'C1.1'],
    severity: 'high',
    remediation:
      'Take a snapshot, copy it with encryption (`aws rds copy-db-snapshot --kms-key-id KEY`), restore a new database from the encrypted copy and move traffic to it.',
  },
  'ebs-encryption-by-default': {
    title: 'EBS encryption by default is on',
    description:
      'One finding per configured region: PASS when EC2 encryption by default is enabled, so every new EBS volume and snapshot copy is encrypted, and FAIL when it is off. It is a preventive setting that makes new volumes safe without relying on each launch template to ask for encryption; existing volumes are judged by ebs-unencrypted-volumes.',
    criteria: ['CC6.1', 'C1.1'],
    severity: 'medium',
    remediation: 'Enable it in each region: `aws ec2 enable-ebs-encryption-by-default --region REGION`.',
  },
  'ebs-unencrypted-volumes': {
    title: 'No EBS volume is unencrypted',
    description:
      'One finding per configured region: PASS when no EBS volume there is unencrypted, FAIL when any is, listing the volume ids. Turning on encryption by default does not encrypt volumes that already exist, so this shows whether data written before the setting, or with it off, is still stored in the clear.',
    criteria: ['CC6.1', 'C1.1'],
    severity: 'high',
    remediation:
      'Snapshot each listed volume, copy the snapshot with encryption (`aws ec2 copy-snapshot --encrypted`), create a volume from the copy and swap it in; then delete the unencrypted volume and snapshot.',
  },
});

export type EncryptionCheck = keyof typeof ENCRYPTION_CHECKS;

/** What `encryption` is: its id, title, criteria, schedule class and checks; collector.ts adds how it reads AWS. */
export const ENCRYPTION_IDENTITY: CollectorIdentity<EncryptionCheck> = {
  id: 'encryption',
  title: 'Encryption at rest: RDS, S3 and EBS',
  controls: ['CC6.1', 'C1.1'],
  scope: 'regional',
  frequency: 'weekly',
  checks: ENCRYPTION_CHECKS,
};
