import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  /** Receives every alarm of the stack. The address must confirm the SNS subscription once. */
  readonly email: string;
}

/** The one place every failure ends: an encrypted SNS topic with the operator's email subscribed. */
export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;
  /** Encrypts the topic. Its policy is the CDK default (the account administers it). */
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    // CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key, so the topic has its own.
    this.key = new kms.Key(this, 'Key', {
      description: 'soc2-evidence: encrypts the alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // CloudWatch alarms publish to it, and so do the tamper watch's EventBridge rules (a notification that does
    // not depend on the tamper-watch function surviving): each publisher's service needs the data key.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [
          new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
          new iam.ServicePrincipal('events.amazonaws.com'),
        ],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'soc2-evidence alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
  }
}
