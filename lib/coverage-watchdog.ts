import * as path from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import type { ScheduleRef } from '../lambdas/evidence/envelope';
import { EVIDENCE_PREFIX } from '../lambdas/evidence/keys';
import { WATCHDOG_PRODUCER } from '../lambdas/evidence/producers';
import { ENV, METRICS_NAMESPACE } from '../lambdas/runtime/runtime-env';
import { COVERAGE_COLLECTOR, WATCHDOG_CRON, WATCHDOG_ENV } from '../lambdas/watchdog/watchdog';
import type { ScheduleConfig } from './config';
import { EVIDENCE_KIND_RESOURCE_REGEX, kindsWrittenBy, type EvidenceBucket } from './evidence-bucket';
import type { SigningKeys } from './signing-keys';
import { ALARM_PERIOD, alarmOnAny, deadManAlarm, functionFailedAlarm } from './alarm';
import { addScheduledFunction } from './scheduled-function';

export interface CoverageWatchdogProps {
  readonly evidence: EvidenceBucket;
  readonly alarmTopic: sns.ITopic;
  /** Every collector's schedule from config; only enabled ones are judged. */
  readonly schedules: Readonly<Record<string, ScheduleConfig>>;
  /** The time zone the watchdog's own schedule runs in. */
  readonly timeZone: string;
  /** Receives scheduler deliveries that failed after their retries (its alarm already exists). */
  readonly scheduleDeadLetterQueue?: sqs.IQueue;
  /**
   * The stack's signing keys: the watchdog signs its coverage evidence with its own key, and may read every
   * producer's public key (PRODUCER_SIGNING_KEYS) to count only evidence its own producer signed.
   */
  readonly signingKeys: SigningKeys;
  /** @default WATCHDOG_CRON */
  readonly cron?: string;
}

/** The schedules the watchdog judges, as passed in its environment: the enabled ones. */
export function judgedSchedules(
  schedules: Readonly<Record<string, ScheduleConfig>>,
): Record<string, ScheduleRef> {
  return Object.fromEntries(
    Object.entries(schedules)
      .filter(([, s]) => s.enabled)
      .map(([id, s]) => [id, { expression: s.cron, timeZone: s.timeZone }]),
  );
}

/**
 * The daily coverage check (lambdas/handlers/watchdog.ts): lists the evidence of the last complete UTC
 * days, writes a `coverage` envelope, and alarms on any expected run without usable evidence, or when it has
 * not run for more than a day (its heartbeat). Its role reads under `evidence/`, writes new `coverage`
 * objects, signs with its own key and reads the producers' public keys, nothing else.
 */
export class CoverageWatchdog extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly schedule: scheduler.Schedule;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: CoverageWatchdogProps) {
    super(scope, id);
    const stackName = Stack.of(this).stackName;
    const cron = props.cron ?? WATCHDOG_CRON;
    const { bucket } = props.evidence;
    const signingKey = props.signingKeys.keyFor(WATCHDOG_PRODUCER);

    const scheduled = addScheduledFunction(this, {
      functionName: `${stackName}-coverage-watchdog`,
      entry: path.join(__dirname, '..', 'lambdas', 'handlers', 'watchdog.ts'),
      description:
        'soc2-evidence: coverage watchdog, every enabled collector left its scheduled evidence (CC4.1, CC7.2)',
      roleDescription:
        'soc2-evidence coverage watchdog: lists and reads evidence/, writes its coverage evidence',
      memorySize: 256,
      timeout: Duration.minutes(5),
      environment: {
        [ENV.bucket]: bucket.bucketName,
        [WATCHDOG_ENV.schedules]: JSON.stringify(judgedSchedules(props.schedules)),
        [ENV.scheduleExpression]: cron,
        [ENV.scheduleTimeZone]: props.timeZone,
        [ENV.signingKeyArn]: signingKey.keyArn,
        [ENV.producerKeys]: Stack.of(this).toJsonString(props.signingKeys.keyArns()),
      },
      schedule: {
        cron,
        timeZone: props.timeZone,
        description: 'soc2-evidence coverage watchdog (daily)',
        collectorId: COVERAGE_COLLECTOR,
        ...(props.scheduleDeadLetterQueue ? { deadLetterQueue: props.scheduleDeadLetterQueue } : {}),
      },
    });
    this.function = scheduled.function;
    this.role = scheduled.role;
    this.schedule = scheduled.schedule;
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${EVIDENCE_PREFIX}*`] } },
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects(`${EVIDENCE_PREFIX}*`)],
      }),
    );
    props.evidence.grantWriteEvidence(this.role, kindsWrittenBy(WATCHDOG_PRODUCER));
    props.signingKeys.grantSign(WATCHDOG_PRODUCER, this.role);
    props.signingKeys.grantReadPublicKeys(this.role);

    this.alarms.push(
      alarmOnAny(
        this,
        'GapAlarm',
        new cloudwatch.Metric({
          namespace: METRICS_NAMESPACE,
          metricName: 'CoverageGaps',
          dimensionsMap: { Collector: COVERAGE_COLLECTOR },
          period: ALARM_PERIOD,
          statistic: 'Maximum',
        }),
        {
          alarmName: `${stackName}-evidence-gap`,
          alarmDescription:
            'A scheduled collector run left no evidence, or only ERROR evidence, on a day it was due. See the coverage envelope and docs/OPERATIONS.md.',
          topic: props.alarmTopic,
        },
      ),
      functionFailedAlarm(this, this.function, {
        alarmName: `${stackName}-coverage-watchdog-failed`,
        alarmDescription:
          'The coverage watchdog threw (e.g. it could not list the bucket): gaps are not being checked. See docs/OPERATIONS.md.',
        topic: props.alarmTopic,
      }),
      deadManAlarm(this, 'HeartbeatAlarm', WATCHDOG_PRODUCER, {
        alarmName: `${stackName}-coverage-watchdog-heartbeat-missing`,
        alarmDescription:
          'The coverage watchdog has not finished a run for more than a day (no Heartbeat metric): gaps are not being checked, and nothing else would say so. Check its schedule, its function and its log. See docs/OPERATIONS.md.',
        topic: props.alarmTopic,
      }),
    );

    NagSuppressions.addResourceSuppressions(
      this.role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'Evidence keys are created daily under evidence/ and are not known in advance: the watchdog reads objects under that prefix of one bucket and writes only its coverage kind there.',
          appliesTo: [
            { regex: '/^Resource::<.*Bucket.*\\.Arn>\\/evidence\\/\\*$/g' },
            { regex: EVIDENCE_KIND_RESOURCE_REGEX },
          ],
        },
      ],
      true,
    );
    NagSuppressions.addStackSuppressions(Stack.of(this), [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'EventBridge Scheduler may invoke only the watchdog function, including its versions (ARN:*).',
        appliesTo: [{ regex: '/^Resource::<CoverageWatchdogFunction[0-9A-F]*\\.Arn>:\\*$/g' }],
      },
    ]);
  }
}
