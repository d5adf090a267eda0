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
    props.collector.function.addEnvironment(ENV.senderEmail, props.senderEmail);
    props.collector.function.addEnvironment(ENV.securityEmail, props.securityEmail);
  }
}
