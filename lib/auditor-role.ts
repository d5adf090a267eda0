import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import type { AuditorConfig } from './config';

export interface AuditorRoleProps {
  readonly auditor: AuditorConfig;
  readonly bucket: s3.IBucket;
  /** The bucket's SSE-KMS key: objects cannot be read without kms:Decrypt on it. */
  readonly bucketKey: kms.IKey;
  readonly signingKey: kms.IKey;
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
export const AUDITOR_SIGNING_KEY_ACTIONS = ['kms:GetPublicKey', 'kms:Verify'] as const;

/**
 * A read-only role an auditor assumes (with the agreed external id) to pull and verify evidence: it can
 * read the bucket, decrypt its objects and check signatures, and nothing else: no write, no delete, no
 * other bucket, no kms:Sign.
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
        resources: [props.bucket.arnForObjects('*')],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: [...AUDITOR_BUCKET_ACTIONS], resources: [props.bucket.bucketArn] }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [props.bucketKey.keyArn] }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: [...AUDITOR_SIGNING_KEY_ACTIONS],
        resources: [props.signingKey.keyArn],
      }),
    );
    // The signing key's policy delegates only administration to the account: name the auditor in it too.
    props.signingKey.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [this.role],
        actions: [...AUDITOR_SIGNING_KEY_ACTIONS],
        resources: ['*'],
      }),
    );
    NagSuppressions.addResourceSuppressions(
      this.role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason: 'Auditors read every evidence object in the bucket (read-only actions, one bucket).',
          appliesTo: [{ regex: '/^Resource::<.*Bucket.*\\.Arn>\\/\\*$/g' }],
        },
      ],
      true,
    );
  }
}
