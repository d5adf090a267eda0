import {
  Annotations,
  CfnOutput,
  CfnParameter,
  CfnRule,
  Duration,
  Fn,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import type { AnyCollector } from '../lambdas/collectors/collector';
import { COLLECTORS } from '../lambdas/collectors/registry';
import { SEALER_PRODUCER, TAMPER_WATCH_PRODUCER, WATCHDOG_PRODUCER } from '../lambdas/evidence/producers';
import { RISK_REGISTER_PRODUCER } from '../lambdas/evidence/risk-acceptance';
import { ACCOUNTS_PRODUCER } from '../lambdas/organization/contract';
import { AccessReviewEmail } from './access-review-email';
import { ALARM_PERIOD, alarmOnAny } from './alarm';
import { AlarmTopic } from './alarm-topic';
import { AuditorRole } from './auditor-role';
import {
  collectorSettings,
  placeholderAddresses,
  placeholderRefusal,
  type Soc2EvidenceConfig,
} from './config';
import { CoverageWatchdog } from './coverage-watchdog';
import { EvidenceBucket } from './evidence-bucket';
import { memberStackId, memberTemplate } from './organization/member-stack';
import { MemberStackSet } from './organization/member-stack-set';
import { OrganizationAccounts } from './organization/organization-accounts';
import { grantOrganizationReview } from './organization/organization-review';
import { ScheduledCollector } from './scheduled-collector';
import { RiskRegister } from './risk-register';
import { Sealer } from './sealer';
import { SigningKeys, signingKeyAliasPrefix } from './signing-keys';
import { TamperWatch } from './tamper-watch';

export interface Soc2EvidenceStackProps extends StackProps {
  readonly config: Soc2EvidenceConfig;
}

/** Everything soc2-evidence deploys into one account and region. */
export class Soc2EvidenceStack extends Stack {
  readonly evidence: EvidenceBucket;
  readonly collectors: Record<string, ScheduledCollector> = {};
  readonly watchdog: CoverageWatchdog;
  readonly sealer: Sealer;
  readonly tamperWatch: TamperWatch;
  readonly riskRegister: RiskRegister;
  readonly signing: SigningKeys;
  /** Organization mode only: the account list function and the member role's StackSet. */
  readonly organization?: { readonly accounts: OrganizationAccounts; readonly members: MemberStackSet };

  constructor(scope: Construct, id: string, props: Soc2EvidenceStackProps) {
    super(scope, id, props);
    const { config } = props;
    if (!config.alarmEmail) throw new Error('soc2Evidence.alarmEmail is required to deploy the stack');
    refuseDeployWithPlaceholders(this, config);

    this.evidence = new EvidenceBucket(this, 'Evidence', {
      retention: config.retention,
      ...(config.breakGlassRoleArn ? { breakGlassRoleArn: config.breakGlassRoleArn } : {}),
    });
    const alarms = new AlarmTopic(this, 'Alarms', { email: config.alarmEmail });
    this.signing = new SigningKeys(this, 'Signing', {
      ...(config.breakGlassRoleArn ? { breakGlassRoleArn: config.breakGlassRoleArn } : {}),
    });
    const signing = this.signing;
    // One key per producer actually deployed, all created first so that the functions reading every public key
    // (watchdog, sealer, auditor) are given all of them.
    const collectors = deployedCollectors(config);
    const org = config.organization;
    for (const producer of [
      ...collectors.map((c) => c.id),
      ...(org ? [ACCOUNTS_PRODUCER] : []),
      WATCHDOG_PRODUCER,
      SEALER_PRODUCER,
      TAMPER_WATCH_PRODUCER,
      RISK_REGISTER_PRODUCER,
    ])
      signing.keyFor(producer);

    const queue = (qid: string) => {
      const q = new sqs.Queue(this, qid, {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      NagSuppressions.addResourceSuppressions(q, [
        {
          id: 'AwsSolutions-SQS3',
          reason: 'This queue is itself a dead-letter queue; its depth is alarmed on.',
        },
      ]);
      return q;
    };
    const scheduleDlq = queue('ScheduleDeadLetters');
    const failedInvocations = queue('FailedInvocations');
    for (const [qid, q, what, description] of [
      [
        'ScheduleDeadLettersAlarm',
        scheduleDlq,
        'schedule-delivery-failed',
        'EventBridge Scheduler could not invoke a collector after its retries: that run did not happen.',
      ],
      [
        'FailedInvocationsAlarm',
        failedInvocations,
        'collector-retries-exhausted',
        'A collector failed on every Lambda retry: that run wrote no evidence.',
      ],
    ] as const) {
      alarmOnAny(
        this,
        qid,
        q.metricApproximateNumberOfMessagesVisible({ period: ALARM_PERIOD, statistic: 'Maximum' }),
        {
          alarmName: `${this.stackName}-${what}`,
          alarmDescription: description,
          topic: alarms.topic,
        },
      );
    }

    const accounts = org
      ? new OrganizationAccounts(this, 'OrganizationAccounts', {
          organization: org,
          evidence: this.evidence,
          signingKeys: signing,
          alarmTopic: alarms.topic,
        })
      : undefined;
    const settings = collectorSettings(config);
    for (const collector of collectors) {
      const schedule = config.schedules[collector.id]!;
      this.collectors[collector.id] = new ScheduledCollector(this, `Collector-${collector.id}`, {
        collector,
        schedule,
        settings,
        evidence: this.evidence,
        alarmTopic: alarms.topic,
        scheduleDeadLetterQueue: scheduleDlq,
        failedInvocationQueue: failedInvocations,
        signingKeys: signing,
        ...(org && accounts ? { organization: { config: org, accountsFunction: accounts.function } } : {}),
      });
    }
    if (org && accounts) {
      const review = this.collectors['access-review'];
      if (review) grantOrganizationReview(review, this.evidence, org);
      const members = new MemberStackSet(this, 'Members', {
        organization: org,
        template: memberTemplate(
          memberStackId(this.stackName),
          { hubStackName: this.stackName, organization: org, collectors },
          this.node.getAllContext(),
        ),
      });
      this.organization = { accounts, members };
      // Every daily collector's Map starts at the same hour: a throttled item is retried, but one whose retries
      // and RecordFailure's all run out leaves its account without evidence while the execution succeeds. The
      // account-wide Throttles metric (no dimension: every function of the account and region) says so at once.
      alarmOnAny(
        this,
        'LambdaThrottledAlarm',
        new cloudwatch.Metric({
          namespace: 'AWS/Lambda',
          metricName: 'Throttles',
          period: ALARM_PERIOD,
          statistic: 'Sum',
        }),
        {
          alarmName: `${this.stackName}-lambda-throttled`,
          alarmDescription:
            "Lambda throttled invocations in this account and region: organization runs may have left accounts without evidence. Lower organization.maxConcurrency or stagger the schedules, or raise the account's Lambda concurrency (docs/OPERATIONS.md).",
          topic: alarms.topic,
        },
      );
    }

    this.watchdog = new CoverageWatchdog(this, 'CoverageWatchdog', {
      evidence: this.evidence,
      alarmTopic: alarms.topic,
      schedules: config.schedules,
      timeZone: config.timeZone,
      scheduleDeadLetterQueue: scheduleDlq,
      signingKeys: signing,
    });
    this.sealer = new Sealer(this, 'Sealer', {
      evidence: this.evidence,
      alarmTopic: alarms.topic,
      signingKeys: signing,
      scheduleDeadLetterQueue: scheduleDlq,
    });
    // Before the tamper watch, which watches every producer role.
    this.riskRegister = new RiskRegister(this, 'RiskRegister', {
      evidence: this.evidence,
      alarmTopic: alarms.topic,
      signingKeys: signing,
    });
    this.tamperWatch = new TamperWatch(this, 'TamperWatch', {
      evidence: this.evidence,
      alarms,
      signingKeys: signing,
      failedInvocationQueue: failedInvocations,
      ...(this.organization
        ? { organization: { stackSetName: this.organization.members.stackSet.stackSetName! } }
        : {}),
    });

    const review = this.collectors['access-review'];
    if (review && config.senderEmail && config.securityEmail) {
      new AccessReviewEmail(this, 'AccessReviewEmail', {
        collector: review,
        evidence: this.evidence,
        senderEmail: config.senderEmail,
        securityEmail: config.securityEmail,
      });
    }

    // Scheduler's shared invoke role: aws-scheduler-targets grants the function and its versions (`:*`).
    NagSuppressions.addStackSuppressions(this, [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'EventBridge Scheduler may invoke only the collector functions, including their versions (ARN:*).',
        appliesTo: [{ regex: '/^Resource::<Collector.*Function[0-9A-F]*\\.Arn>:\\*$/g' }],
      },
    ]);

    new CfnOutput(this, 'EvidenceBucketName', { value: this.evidence.bucket.bucketName });
    new CfnOutput(this, 'SigningKeyAliasPrefix', {
      value: signingKeyAliasPrefix(this.stackName),
      description:
        'Each producer signs with the key alias/<stack>/signing/<producer>. Pin their public keys before the audit period with: soc2-evidence pin --stack <stack name> (docs/AUDITOR.md)',
    });
    if (config.auditor) {
      const auditor = new AuditorRole(this, 'Auditor', {
        auditor: config.auditor,
        bucket: this.evidence.bucket,
        signingKeys: signing,
      });
      new CfnOutput(this, 'AuditorRoleArn', { value: auditor.role.roleArn });
    }
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topic.topicArn });
  }
}

/** The collectors the stack deploys (a function each, scheduled or not). */
export function deployedCollectors(config: Soc2EvidenceConfig): readonly AnyCollector[] {
  return COLLECTORS.filter((c) => config.schedules[c.id]);
}

/**
 * The shipped cdk.json holds placeholder addresses at example.com so that `cdk synth`, CI, the demo and the
 * tests work from a fresh clone; a deployment with them would send alarms and access reviews nowhere. The CDK
 * CLI does not tell the app whether it is synthesising or deploying, so the refusal is in the template:
 * a CloudFormation Rule over a parameter holding the placeholders, checked when CloudFormation creates the
 * change set, before any resource is created (the same mechanism as the CDK's own CheckBootstrapVersion
 * rule). `cdk synth` succeeds and warns; `cdk deploy` fails with the Rule's message naming each key to set.
 */
function refuseDeployWithPlaceholders(stack: Stack, config: Soc2EvidenceConfig): void {
  const found = placeholderAddresses(config);
  if (found.length === 0) return;
  const message = placeholderRefusal(found);
  const placeholders = new CfnParameter(stack, 'PlaceholderAddresses', {
    type: 'String',
    default: found.map((f) => f.address).join(','),
    description: 'Placeholder addresses from cdk.json: the stack refuses to deploy until they are replaced.',
  });
  new CfnRule(stack, 'ReplacePlaceholderAddresses', {
    assertions: [{ assert: Fn.conditionEquals(placeholders.valueAsString, ''), assertDescription: message }],
  });
  Annotations.of(stack).addWarningV2(
    'soc2-evidence:placeholder-addresses',
    `${message} (cdk deploy will be refused)`,
  );
}
