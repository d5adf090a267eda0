import type { CollectorIdentity } from '../collector';
import { defineChecks } from '../check-catalogue';

/** The checks of `public-access`, in the order of its `checks` list. */
export const PUBLIC_ACCESS_CHECKS = defineChecks({
  's3-account-public-access-block': {
    title: 'S3 Block Public Access is fully on for the account',
    description:
      "One finding for the account: PASS when the account's effective S3 Block Public Access configuration (which may be inherited from an organization-level policy) has all four settings on, FAIL when any is off or none is configured, listing those that are off. BlockPublicAcls and BlockPublicPolicy stop new public ACLs and policies; IgnorePublicAcls and RestrictPublicBuckets neutralise the public ACLs and policies that already exist. With all four on, no bucket of the account can be made public by a mistaken policy or ACL, which is the preventive control an auditor looks for before sampling buckets.",
    criteria: ['CC6.1', 'CC6.6'],
    severity: 'high',
    remediation:
      'Turn on all four settings for the account: `aws s3control put-public-access-block --account-id ACCOUNT --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`.',
  },
  's3-bucket-public': {
    title: 'No S3 bucket is public',
    description:
      "One FAIL per bucket that is public in effect: its bucket policy is public (GetBucketPolicyStatus) and neither the account nor the bucket restricts public buckets, or its ACL grants the AllUsers or AuthenticatedUsers group and neither ignores public ACLs. A bucket whose policy or ACL is public but neutralised by Block Public Access is INFO (the grant is still there and returns if the setting is lifted); when the account's own setting cannot be read, an exposed bucket is WARN. One account-wide finding sums up: PASS when no bucket is public (or when the account ignores public ACLs and restricts public policies, which makes every bucket non-public, so no per-bucket read is needed), INFO when some buckets could not be read. Object ACLs and access points are not judged. A public bucket is readable, or writable, by anyone on the internet.",
    criteria: ['CC6.1', 'CC6.6'],
    severity: 'critical',
    remediation:
      'Remove the public statement from the bucket policy or the public grants from its ACL, then turn on Block Public Access for the bucket: `aws s3api put-public-access-block --bucket BUCKET --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`.',
  },
  'rds-public-instance': {
    title: 'No database instance is publicly accessible',
    description:
      'One FAIL per RDS, Aurora, Neptune or DocumentDB instance in the configured regions whose PubliclyAccessible flag is on, cluster members included (the flag is set per instance); one PASS per region where none is. The flag gives the endpoint a public IP address, so a single security group rule that admits the internet exposes the database; whether the groups admit it today is judged by network-exposure. AWS Config (rds-instance-public-access-check) and Security Hub judge the flag the same way.',
    criteria: ['CC6.1', 'CC6.6'],
    severity: 'high',
    remediation:
      'Turn the flag off (the instance keeps its private address): `aws rds modify-db-instance --db-instance-identifier ID --no-publicly-accessible --apply-immediately`.',
  },
  'rds-public-snapshot': {
    title: 'No database snapshot is shared with everyone',
    description:
      "One FAIL per manual DB snapshot or DB cluster snapshot in the configured regions whose `restore` attribute includes `all`, which lets any AWS account copy or restore it (only manual snapshots can be shared); one PASS per region where none is. The snapshot's encryption is recorded. A public snapshot is a full copy of the database's data, available to anyone.",
    criteria: ['CC6.1', 'CC6.6'],
    severity: 'critical',
    remediation:
      'Stop sharing it with everyone: `aws rds modify-db-snapshot-attribute --db-snapshot-identifier ID --attribute-name restore --values-to-remove all` (`modify-db-cluster-snapshot-attribute --db-cluster-snapshot-identifier ID` for a cluster snapshot).',
  },
  'ebs-public-snapshot': {
    title: 'No EBS snapshot is public',
    description:
      "One FAIL per EBS snapshot owned by the account in the configured regions whose create-volume permission is granted to everyone, and one PASS per region where none is. The region's block public access for snapshots state is recorded: in block-all-sharing mode a snapshot shared with everyone is not publicly available, so it is INFO (the permission remains and returns if the mode changes); block-new-sharing leaves existing public snapshots public. Anyone can create a volume from a public snapshot and read the disk.",
    criteria: ['CC6.1', 'CC6.6'],
    severity: 'critical',
    remediation:
      'Remove the public permission: `aws ec2 modify-snapshot-attribute --snapshot-id ID --attribute createVolumePermission --operation-type remove --group-names all`; then `aws ec2 enable-snapshot-block-public-access --state block-all-sharing` in the region.',
  },
  'ami-public': {
    title: 'No AMI owned by the account is public',
    description:
      "One FAIL per AMI owned by the account in the configured regions with public launch permissions, and one PASS per region where none is. The region's block public access for AMIs state is recorded; it only blocks new public sharing, so an AMI that was already public stays public and still FAILs. Anyone can launch a public AMI and read what was baked into it (code, configuration, sometimes credentials).",
    criteria: ['CC6.1', 'CC6.6'],
    severity: 'high',
    remediation:
      'Make the AMI private: `aws ec2 modify-image-attribute --image-id ID --launch-permission "Remove=[{Group=all}]"`; then `aws ec2 enable-image-block-public-access --image-block-public-access-state block-new-sharing` in the region.',
  },
});

export type PublicAccessCheck = keyof typeof PUBLIC_ACCESS_CHECKS;

/** What `public-access` is: its id, title, criteria, schedule class and checks; collector.ts adds how it reads AWS. */
export const PUBLIC_ACCESS_IDENTITY: CollectorIdentity<PublicAccessCheck> = {
  id: 'public-access',
  title: 'Public access: S3 Block Public Access, public buckets, databases, snapshots and AMIs',
  controls: ['CC6.1', 'CC6.6'],
  scope: 'regional',
  frequency: 'daily',
  checks: PUBLIC_ACCESS_CHECKS,
};
