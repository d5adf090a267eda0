import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { DIGEST_PREFIX } from '../lambdas/evidence/digest';
import { EVIDENCE_PREFIX } from '../lambdas/evidence/keys';
import type { AuditorConfig } from './config';
import { DIGESTS_RESOURCE_REGEX } from './evidence-bucket';
import type { SigningKeys } from './signing-keys';

export interface AuditorRoleProps {
  readonly auditor: AuditorConfig;
  /** The evidence bucket (SSE-S3: reading needs no key permission). */
  readonly bucket: s3.IBucket;
  /** Every producer's signing key: the auditor reads their public keys and policies and verifies with them. */
  readonly signingKeys: SigningKeys;
}

/** Object-level reads: the evidence, its versions, retention, legal hold and checksums. */
export const AUDITOR_OBJECT_ACTIONS = [
  's3:GetObject',
  's3:GetObjectVersion',
  's3:GetObjectRetention',
  's3:GetObjectAttributes',
  's3:GetObjectVersionAttributes',
  's3:GetObjectLegalHold',
] as const;
export const AUDITOR_BUCKET_ACTIONS = [
  's3:ListBucket',
  's3:ListBucketVersions',
  's3:GetBucketObjectLockConfiguration',
] as const;
/**
 * On every signing key: the public key to pin, the key's metadata and policy (to see that only its producer
 * can sign), its grants (`pin` checks that none exists: a grant could let someone else sign), and verification
 * in KMS. Granted by IAM alone: each key policy delegates exactly these reads to the account
 * (ACCOUNT_KEY_ACTIONS in signing-keys.ts), and it cannot name the auditor itself, since nobody but the
 * break-glass role can change a signing key's policy after it is created.
 */
export const AUDITOR_SIGNING_KEY_ACTIONS = [
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:GetPublicKey',
  'kms:ListGrants',
  'kms:Verify',
] as const;

/**
 * A read-only role an auditor assumes (with the agreed external id) to pull and verify evidence: it can list
 * the bucket, read the evidence and the digests, and check signatures, and nothing else: no write, no delete,
 * no other bucket, no kms:Sign.
 */
export class AuditorRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: AuditorRoleProps) {
    super(scope, id);
    const principals = props.auditor.principalArns.map((arn) =>
      /:root$/.test(arn) ? new iam.AccountPrincipal(arn.split(':')[4]!) : new iam.ArnPrincipal(arn),
    );
    this.role = new iam.Role(this, 'Role', {
      description: 'soc2-evidence auditor: read-only access to the evidence bucket and signature checks',
      assumedBy: new iam.CompositePrincipal(...principals).withConditions({
        StringEquals: { 'sts:ExternalId': props.auditor.externalId },
      }),
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: [...AUDITOR_OBJECT_ACTIONS],
        resources: [EVIDENCE_PREFIX, DIGEST_PREFIX].map((p) => props.bucket.arnForObjects(`${p}*`)),
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: [...AUDITOR_BUCKET_ACTIONS], resources: [props.bucket.bucketArn] }),
    );
    props.signingKeys.grantReadPublicKeys(this.role, AUDITOR_SIGNING_KEY_ACTIONS);
    NagSuppressions.addResourceSuppressions(
      this.role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'Auditors read every evidence object and every digest in the bucket (read-only actions, one bucket).',
          appliesTo: [
            { regex: '/^Resource::<.*Bucket.*\\.Arn>\\/evidence\\/\\*$/g' },
            { regex: DIGESTS_RESOURCE_REGEX },
          ],
        },
      ],
      true,
    );
  }
}
