import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { NagSuppressions } from 'cdk-nag';
import { ENV } from '../lambdas/runtime/runtime-env';
import { EMAIL_COLLECTOR } from '../lambdas/collectors/access-review/review';
import { EVIDENCE_KIND_RESOURCE_REGEX, evidenceKindPattern, type EvidenceBucket } from './evidence-bucket';
import type { ScheduledCollector } from './scheduled-collector';

export interface AccessReviewEmailProps {
  /** The access-review function the stack created from the registry (quarterly schedule included). */
  readonly collector: ScheduledCollector;
  /** The From address; SES sends a verification email to it on deploy, which someone must click. */
  readonly senderEmail: string;
  /** Who receives the review. */
  readonly securityEmail: string;
  /** Read back: a retried invocation looks for its own email evidence before sending again. */
  readonly evidence?: EvidenceBucket;
}

/**
 * Lets the access review send its email: an SES identity for the sender, `ses:SendEmail` on exactly that
 * identity (SES v2 SendEmail, raw content included, is authorised by `ses:SendEmail` against the identity
 * ARNs), and the addresses in the function's environment.
 */
export class AccessReviewEmail extends Construct {
  readonly identity: ses.EmailIdentity;

  constructor(scope: Construct, id: string, props: AccessReviewEmailProps) {
    super(scope, id);
    this.identity = new ses.EmailIdentity(this, 'Sender', {
      identity: ses.Identity.email(props.senderEmail),
    });
    // While the account's SES is in the sandbox (every new account, per region), SES also authorises the send
    // against the recipient's verified identity. Granting that one identity too means the first quarterly
    // review works before production access is granted; it allows nothing once SES is out of the sandbox.
    const resources = [
      this.identity.emailIdentityArn,
      Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: props.securityEmail }),
    ];
    props.collector.role.addToPolicy(new iam.PolicyStatement({ actions: ['ses:SendEmail'], resources }));
    if (props.evidence) {
      // Only the email evidence (`evidence/YYYY/MM/DD/access-review-email/...`), which the retry check reads.
      // Its writing is granted with the collector's kinds (the registry names access-review its producer).
      const emailEvidence = evidenceKindPattern(EMAIL_COLLECTOR);
      props.collector.role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [props.evidence.bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [emailEvidence] } },
        }),
      );
      props.collector.role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['s3:GetObject'],
          resources: [props.evidence.bucket.arnForObjects(emailEvidence)],
        }),
      );
      NagSuppressions.addResourceSuppressions(
        props.collector.role,
        [
          {
            id: 'AwsSolutions-IAM5',
            reason:
              'Email evidence keys carry the date and run id, unknown in advance: the review reads only access-review-email objects under evidence/ of one bucket.',
            appliesTo: [{ regex: EVIDENCE_KIND_RESOURCE_REGEX }],
          },
        ],
        true,
      );
    }
    props.collector.function.addEnvironment(ENV.senderEmail, props.senderEmail);
    props.collector.function.addEnvironment(ENV.securityEmail, props.securityEmail);
  }
}
