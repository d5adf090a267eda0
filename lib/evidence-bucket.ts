import { DefaultStackSynthesizer, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { EVIDENCE_PREFIX } from '../lambdas/evidence/keys';
import { denyKeyDestruction } from './key-protection';

export interface EvidenceBucketProps {
  /**
   * Object Lock default retention applied to every evidence object.
   * COMPLIANCE cannot be shortened or removed by anyone, root included, until it expires.
   * @default { mode: 'COMPLIANCE', days: 400 }
   */
  readonly retention?: { readonly mode: 'COMPLIANCE' | 'GOVERNANCE'; readonly days: number };
  /**
   * The one role that may delete object versions, change the Object Lock configuration or the bucket
   * policy (after retention has expired, for example). Nobody else may, whatever their IAM permissions.
   * @default - nobody (bucket policy and versioning changes stay possible for CloudFormation deployments only)
   */
  readonly breakGlassRoleArn?: string;
}

/** Actions that destroy or hide evidence, or open a way to: nobody but the break-glass role may use them. */
export const EVIDENCE_DESTROYING_ACTIONS = [
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:BypassGovernanceRetention',
  's3:PutLifecycleConfiguration',
  's3:DeleteBucket',
] as const;

/** Actions that change the bucket's protections; CloudFormation must keep them to update this stack. */
export const PROTECTION_CHANGING_ACTIONS = [
  's3:PutBucketObjectLockConfiguration',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:PutBucketVersioning',
  's3:PutBucketPublicAccessBlock',
  's3:PutBucketOwnershipControls',
  's3:PutBucketAcl',
  's3:PutBucketLogging',
  's3:PutEncryptionConfiguration',
] as const;

/**
 * The evidence bucket: Object Lock (set at creation; CloudFormation replaces a bucket to change it),
 * versioning, SSE-KMS with a rotating customer-managed key and bucket keys, no public access, TLS 1.2+ only,
 * access logs to a separate bucket (a locked bucket cannot be a log target), and never removed by a stack
 * deletion.
 */
export class EvidenceBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: EvidenceBucketProps = {}) {
    super(scope, id);
    const retention = props.retention ?? { mode: 'COMPLIANCE', days: 400 };

    this.key = new kms.Key(this, 'Key', {
      description: 'soc2-evidence: encrypts the evidence bucket',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    denyKeyDestruction(this.key, props.breakGlassRoleArn);

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      // S3 server access logs can only be delivered to a bucket encrypted with SSE-S3.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    NagSuppressions.addResourceSuppressions(this.accessLogs, [
      {
        id: 'AwsSolutions-S1',
        reason: 'This is the access-log bucket itself; logging it to itself would loop.',
      },
    ]);

    this.bucket = new s3.Bucket(this, 'Bucket', {
      objectLockEnabled: true,
      objectLockDefaultRetention:
        retention.mode === 'COMPLIANCE'
          ? s3.ObjectLockRetention.compliance(Duration.days(retention.days))
          : s3.ObjectLockRetention.governance(Duration.days(retention.days)),
      // Implied by Object Lock, but CloudFormation only emits it when set.
      versioned: true,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'evidence-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.denyTampering(props.breakGlassRoleArn);
  }

  /**
   * Object Lock already stops deletion of locked versions; this also stops anyone hiding evidence behind
   * delete markers, deleting versions once their lock expires, adding a lifecycle rule that would, or
   * loosening the bucket itself. IAM permissions cannot override an explicit Deny in a bucket policy.
   */
  private denyTampering(breakGlassRoleArn: string | undefined): void {
    const exempt = (arns: string[]) =>
      arns.length > 0 ? { ArnNotEquals: { 'aws:PrincipalArn': arns } } : undefined;
    const breakGlass = breakGlassRoleArn ? [breakGlassRoleArn] : [];
    const synthesizer = Stack.of(this).synthesizer;
    const deployer =
      synthesizer instanceof DefaultStackSynthesizer
        ? [Fn.sub(synthesizer.cloudFormationExecutionRoleArn)]
        : [];
    const resources = [this.bucket.bucketArn, this.bucket.arnForObjects('*')];
    const statement = (sid: string, actions: readonly string[], exemptArns: string[]) => {
      const condition = exempt(exemptArns);
      return new iam.PolicyStatement({
        sid,
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [...actions],
        resources,
        ...(condition ? { conditions: condition } : {}),
      });
    };
    this.bucket.addToResourcePolicy(
      statement('DenyEvidenceDeletion', EVIDENCE_DESTROYING_ACTIONS, breakGlass),
    );
    this.bucket.addToResourcePolicy(
      statement('DenyProtectionChanges', PROTECTION_CHANGING_ACTIONS, [...breakGlass, ...deployer]),
    );
    // A PutObject without If-None-Match could add a new current version over evidence: the locked version
    // survives but is hidden from plain reads. Refuse unconditional writes from everyone (this also refuses
    // CopyObject and multipart uploads into the bucket, which the software never uses).
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyOverwrites',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: { Null: { 's3:if-none-match': 'true' } },
      }),
    );
  }

  /** Lets `grantee` create new evidence objects under `evidence/`, and nothing else in the bucket. */
  grantWriteEvidence(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${EVIDENCE_PREFIX}*`)],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['kms:GenerateDataKey'], resources: [this.key.keyArn] }),
    );
  }
}
