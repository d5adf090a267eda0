import * as path from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import type { AnyCollector } from '../lambdas/collectors/collector';
import { ENV, METRICS_NAMESPACE } from '../lambdas/runtime/runtime-env';
import type { CollectorSettings } from '../lambdas/settings';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import { accessReview } from '../lambdas/collectors/access-review/collector';
import { hubCollectorRoleName, MEMBER_ROLE_ENV } from '../lambdas/organization/contract';
import { ALARM_PERIOD, alarmOnAny, functionFailedAlarm } from './alarm';
import {
  addSchedule,
  addScheduledFunction,
  addStackFunction,
  scheduleTargetProps,
  type StackSchedule,
} from './scheduled-function';
import type { OrganizationConfig, ScheduleConfig } from './config';
import { CollectorFanOut } from './organization/fan-out';
import { grantAssumeMemberRole } from './organization/member-access';
import { EVIDENCE_KIND_RESOURCE_REGEX, kindsWrittenBy, type EvidenceBucket } from './evidence-bucket';
import type { SigningKeys } from './signing-keys';
import { COLLECTOR_TIMEOUT_SECONDS, collectorMemoryMb } from './collector-sizing';

export interface ScheduledCollectorProps {
  readonly collector: AnyCollector;
  readonly schedule: ScheduleConfig;
  readonly settings: CollectorSettings;
  readonly evidence: EvidenceBucket;
  readonly alarmTopic: sns.ITopic;
  /** Receives scheduler deliveries that failed after their retries. */
  readonly scheduleDeadLetterQueue: sqs.IQueue;
  /** Receives invocations whose handler still failed after Lambda's async retries. */
  readonly failedInvocationQueue: sqs.IQueue;
  /** The stack's signing keys: this collector's own key signs its evidence (its role is the only signer). */
  readonly signingKeys: SigningKeys;
  /** @default COLLECTOR_TIMEOUT_SECONDS (lib/collector-sizing.ts) */
  readonly timeout?: Duration;
  /** @default collectorMemoryMb(collector.id) (lib/collector-sizing.ts) */
  readonly memorySize?: number;
  /** @default logs.RetentionDays.THIRTEEN_MONTHS (at least a year of run history for the audit period) */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Organization mode: the collector runs in every in-scope account through its fan-out state machine, with
   * the member role's credentials only.
   * @default - single-account mode: the schedule invokes the function, which reads its own account
   */
  readonly organization?: {
    readonly config: OrganizationConfig;
    /** The organization-accounts function, the state machine's first task. */
    readonly accountsFunction: lambda.IFunction;
  };
}

/** Where each collector's thin handler lives; one file per collector id. */
export function handlerEntry(collectorId: string): string {
  return path.join(__dirname, '..', 'lambdas', 'handlers', `${collectorId}.ts`);
}

/**
 * One collector in production: its bundled function with a role holding exactly the collector's read
 * actions plus writing under `evidence/`, a JSON log group kept over a year, a Scheduler schedule in the
 * configured time zone with retries and a dead-letter queue, async retries with an on-failure queue, and
 * alarms for a crash and for a run that could not read everything.
 */
export class ScheduledCollector extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly schedule: scheduler.Schedule;
  readonly alarms: cloudwatch.Alarm[] = [];
  /** Organization mode only: the state machine that runs the collector in every in-scope account. */
  readonly fanOut?: CollectorFanOut;

  constructor(scope: Construct, id: string, props: ScheduledCollectorProps) {
    super(scope, id);
    const { collector } = props;
    const name = `${Stack.of(this).stackName}-${collector.id}`;
    // A collector is its own producer (registry: collectorKind); it writes the kinds that name it.
    const producer = collector.id;
    const signingKey = props.signingKeys.keyFor(producer);

    const environment = {
      [ENV.bucket]: props.evidence.bucket.bucketName,
      [ENV.settings]: JSON.stringify(props.settings),
      [ENV.scheduleExpression]: props.schedule.cron,
      [ENV.scheduleTimeZone]: props.schedule.timeZone,
      [ENV.signingKeyArn]: signingKey.keyArn,
    };
    const functionProps = {
      functionName: name,
      entry: handlerEntry(collector.id),
      description: `soc2-evidence: ${collector.title} (${collector.controls.join(', ')})`,
      roleDescription: `soc2-evidence ${collector.id} collector: read-only ${collector.iamActions.join(', ')}; writes evidence`,
      memorySize: props.memorySize ?? collectorMemoryMb(collector.id),
      timeout: props.timeout ?? Duration.seconds(COLLECTOR_TIMEOUT_SECONDS),
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
    };
    const schedule: StackSchedule = {
      cron: props.schedule.cron,
      timeZone: props.schedule.timeZone,
      enabled: props.schedule.enabled,
      description: `soc2-evidence ${collector.id} (${collector.frequency})`,
      collectorId: collector.id,
      deadLetterQueue: props.scheduleDeadLetterQueue,
    };
    const org = props.organization;
    if (!org) {
      const scheduled = addScheduledFunction(this, { ...functionProps, environment, schedule });
      this.function = scheduled.function;
      this.role = scheduled.role;
      this.schedule = scheduled.schedule;
      this.role.addToPolicy(
        new iam.PolicyStatement({ actions: [...collector.iamActions], resources: ['*'] }),
      );
    } else {
      // No read action of its own: it reads each account as that account's member role, which trusts this
      // role by its fixed name (lib/organization/member-stack.ts).
      const created = addStackFunction(this, {
        ...functionProps,
        roleDescription: `soc2-evidence ${collector.id} collector (organization hub): assumes ${org.config.memberRoleName} in the organization's accounts; writes evidence`,
        roleName: hubCollectorRoleName(Stack.of(this).stackName, collector.id),
        environment: { ...environment, [MEMBER_ROLE_ENV]: org.config.memberRoleName },
      });
      this.function = created.function;
      this.role = created.role;
      grantAssumeMemberRole(this.role, org.config);
      this.fanOut = new CollectorFanOut(this, 'FanOut', {
        collectorId: collector.id,
        collectorFunction: this.function,
        accountsFunction: org.accountsFunction,
        maxConcurrency: org.config.maxConcurrency,
        organizationReview: collector.id === accessReview.id,
        alarmTopic: props.alarmTopic,
      });
      this.alarms.push(...this.fanOut.alarms);
      this.schedule = addSchedule(
        this,
        schedule,
        new targets.StepFunctionsStartExecution(this.fanOut.stateMachine, {
          ...scheduleTargetProps(schedule),
          input: scheduler.ScheduleTargetInput.fromObject({ collector: collector.id }),
        }),
      );
    }
    props.evidence.grantWriteEvidence(this.role, kindsWrittenBy(producer, props.organization !== undefined));
    props.signingKeys.grantSign(producer, this.role);

    // Single-account mode only: in organization mode Step Functions invokes the function synchronously, retries
    // it and records what still fails (RecordFailure), so there is no asynchronous invocation to retry.
    if (!org)
      this.function.configureAsyncInvoke({
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
        onFailure: new destinations.SqsDestination(props.failedInvocationQueue),
      });

    this.alarms.push(
      functionFailedAlarm(this, this.function, {
        alarmName: `${name}-collector-failed`,
        alarmDescription: `The ${collector.id} collector threw: its evidence for this run may be missing. See docs/OPERATIONS.md.`,
        topic: props.alarmTopic,
      }),
      alarmOnAny(
        this,
        'IncompleteAlarm',
        new cloudwatch.Metric({
          namespace: METRICS_NAMESPACE,
          metricName: 'CollectionErrors',
          dimensionsMap: { Collector: collector.id },
          period: ALARM_PERIOD,
          statistic: 'Sum',
        }),
        {
          alarmName: `${name}-evidence-incomplete`,
          alarmDescription: `The ${collector.id} collector wrote evidence with errors (PARTIAL, ERROR, or FAIL with complete: false): some APIs or regions could not be read.`,
          topic: props.alarmTopic,
        },
      ),
    );

    NagSuppressions.addResourceSuppressions(
      this.role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'The collector read actions (e.g. iam:GetCredentialReport, list/describe calls) do not support resource-level permissions; writes are limited to its own kinds under evidence/YYYY/MM/DD/ of one bucket.',
          appliesTo: ['Resource::*', { regex: EVIDENCE_KIND_RESOURCE_REGEX }],
        },
      ],
      true,
    );
  }
}
