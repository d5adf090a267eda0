import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { ENV } from '../lambdas/runtime-env';
import type { ScheduledCollector } from './scheduled-collector';

export interface AccessReviewEmailProps {
  /** The access-review function the stack created from the registry (quarterly schedule included). */
  readonly collector: ScheduledCollector;
  /** The From address; SES sends a verification email to it on deploy, which someone must click. */
  readonly senderEmail: string;
  /** Who receives the review. */
  readonly securityEmail: string;
  /**
   * Whether the account's SES is still in the sandbox in this region. There SES also authorises against the
   * recipient's identity, so the grant includes it (the recipient must be verified separately).
   * @default false
   */
  readonly sandbox?: boolean;
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
    const resources = [this.identity.emailIdentityArn];
    if (props.sandbox) {
      resources.push(
        Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: props.securityEmail }),
      );
    }
    props.collector.role.addToPolicy(new iam.PolicyStatement({ actions: ['ses:SendEmail'], resources }));
    props.collector.function.addEnvironment(ENV.senderEmail, props.senderEmail);
    props.collector.function.addEnvironment(ENV.securityEmail, props.securityEmail);
  }
}
