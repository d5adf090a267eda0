import { DefaultStackSynthesizer, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { EVIDENCE_KINDS } from '../lambdas/collectors/registry';
import { DIGEST_PREFIX } from '../lambdas/evidence/digest';
import { EVIDENCE_PREFIX } from '../lambdas/evidence/keys';

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

/** The Sid of the bucket policy's Deny of digest writes to every principal but the sealer's role. */
export const DIGESTS_WRITER_SID = 'OnlyTheSealerWritesDigests';

/** Destroying actions denied on the access-log bucket (it has no Object Lock: see EvidenceBucket). */
export const ACCESS_LOG_DESTROYING_ACTIONS = [
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:PutLifecycleConfiguration',
  's3:DeleteBucket',
] as const;

/** Protection-changing actions denied on the access-log bucket to all but break-glass and CloudFormation. */
export const ACCESS_LOG_PROTECTION_ACTIONS = [
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:PutBucketVersioning',
  's3:PutBucketOwnershipControls',
  's3:PutBucketAcl',
  's3:PutBucketPublicAccessBlock',
  's3:PutEncryptionConfiguration',
] as const;

/**
 * Where evidence of one kind is written: `evidence/YYYY/MM/DD/<kind>/...` (lambdas/evidence/keys.ts). IAM
 * matches `?` to exactly one character, so the date segments cannot hold a `/` and the kind is pinned.
 */
export function evidenceKindPattern(kind: string): string {
  return `${EVIDENCE_PREFIX}????/??/??/${kind}/*`;
}

/** cdk-nag's rendering of an evidenceKindPattern resource, for IAM5 acknowledgements. */
export const EVIDENCE_KIND_RESOURCE_REGEX =
  '/^Resource::<.*Bucket.*\\.Arn>\\/evidence\\/\\?{4}\\/\\?{2}\\/\\?{2}\\/[A-Za-z0-9._-]+\\/\\*$/g';
/** cdk-nag's rendering of the `digests/*` resource. */
export const DIGESTS_RESOURCE_REGEX = '/^Resource::<.*Bucket.*\\.Arn>\\/digests\\/\\*$/g';

/**
 * The evidence kinds whose registry entry names `producer` as their signer: what its role may write. Kinds of
 * organization mode only (the account list, the organization review) are left out of a single-account stack.
 */
export function kindsWrittenBy(producer: string, organizationMode = false): string[] {
  return EVIDENCE_KINDS.filter(
    (k) => k.producer === producer && (organizationMode || !k.organizationOnly),
  ).map((k) => k.id);
}

/**
 * The evidence bucket: Object Lock (set at creation; CloudFormation replaces a bucket to change it),
 * versioning, SSE-S3, no public access, TLS 1.2+ only, access logs to a separate bucket (a locked bucket
 * cannot be a log target), and never removed by a stack deletion.
 *
 * SSE-S3, not SSE-KMS, on purpose (docs/ARCHITECTURE.md, "Chain of custody"): a customer-managed key whose
 * policy delegates to IAM adds no confidentiality beyond IAM, and it hands every administrator a way to make
 * each locked object unreadable for good (PutKeyPolicy, then ScheduleKeyDeletion). With SSE-S3 nobody in the
 * account can make a locked version unreadable before its retention ends.
 */
export class EvidenceBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;
  private digestWriter: iam.IRole | undefined;

  constructor(scope: Construct, id: string, props: EvidenceBucketProps = {}) {
    super(scope, id);
    const retention = props.retention ?? { mode: 'COMPLIANCE', days: 400 };

    // No Object Lock here: S3 refuses a bucket with Object Lock (or a default retention) as the target of server
    // access logs ("S3 buckets with Object Lock can't be used as destination buckets for server access logs",
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html). Versioning and the
    // bucket policy below (no version deletion, no lifecycle rule, no loosening) protect the logs instead.
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
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'evidence-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const breakGlass = props.breakGlassRoleArn ? [props.breakGlassRoleArn] : [];
    const deployer = deployerRoleArns(this);
    denyTo(this.bucket, 'DenyEvidenceDeletion', EVIDENCE_DESTROYING_ACTIONS, breakGlass);
    denyTo(this.bucket, 'DenyProtectionChanges', PROTECTION_CHANGING_ACTIONS, [...breakGlass, ...deployer]);
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
    // The access log names who wrote an unsigned object: it must outlive the administrators it records.
    denyTo(this.accessLogs, 'DenyLogDeletion', ACCESS_LOG_DESTROYING_ACTIONS, breakGlass);
    denyTo(this.accessLogs, 'DenyLogProtectionChanges', ACCESS_LOG_PROTECTION_ACTIONS, [
      ...breakGlass,
      ...deployer,
    ]);
    this.node.addValidation({
      validate: () =>
        this.digestWriter
          ? []
          : [
              'the evidence bucket has no digest writer (grantWriteDigests): anyone could write under digests/',
            ],
    });
  }

  /**
   * Lets `grantee` create new evidence objects of the given kinds (`evidence/YYYY/MM/DD/<kind>/...`), and
   * nothing else in the bucket: a producer cannot write another producer's kind.
   */
  grantWriteEvidence(grantee: iam.IGrantable, kinds: readonly string[]): void {
    if (kinds.length === 0) throw new Error('grantWriteEvidence needs at least one evidence kind');
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: kinds.map((kind) => this.bucket.arnForObjects(evidenceKindPattern(kind))),
      }),
    );
  }

  /**
   * Makes `role` the one writer of digests: lets it create new digests under `digests/` (and nothing else in
   * the bucket), and denies `s3:PutObject` under `digests/` in the bucket policy to every other principal, so
   * that nobody (an administrator, the account root) can plant a digest for a day not yet sealed. Evidence
   * writes are not so restricted: people write unsigned attestations under `evidence/` with their own
   * credentials. The bucket policy names the role's ARN, which depends on nothing of the bucket's.
   */
  grantWriteDigests(role: iam.IRole): void {
    if (this.digestWriter) throw new Error('the digests already have their one writer');
    this.digestWriter = role;
    const digests = this.bucket.arnForObjects(`${DIGEST_PREFIX}*`);
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [digests] }));
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: DIGESTS_WRITER_SID,
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [digests],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': role.roleArn } },
      }),
    );
  }
}

/** CloudFormation's deployment role, which must keep updating the buckets' own settings. */
function deployerRoleArns(scope: Construct): string[] {
  const synthesizer = Stack.of(scope).synthesizer;
  return synthesizer instanceof DefaultStackSynthesizer
    ? [Fn.sub(synthesizer.cloudFormationExecutionRoleArn)]
    : [];
}

/**
 * Object Lock already stops deletion of locked versions; a Deny in the bucket policy also stops anyone
 * hiding evidence behind delete markers, deleting versions once their lock expires, adding a lifecycle rule
 * that would, or loosening the bucket itself. IAM permissions cannot override an explicit Deny in a bucket
 * policy, account root's included.
 */
function denyTo(bucket: s3.Bucket, sid: string, actions: readonly string[], exemptArns: string[]): void {
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid,
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: [...actions],
      resources: [bucket.bucketArn, bucket.arnForObjects('*')],
      ...(exemptArns.length > 0 ? { conditions: { ArnNotEquals: { 'aws:PrincipalArn': exemptArns } } } : {}),
    }),
  );
}
