import * as path from 'node:path';
import { ArnFormat, Duration, Fn, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { TAMPER_WATCH_KIND, TAMPER_WATCH_PRODUCER } from '../lambdas/evidence/producers';
import {
  ENV,
  METRICS_NAMESPACE,
  TAMPER_EVENTS_DIMENSION,
  TAMPER_EVENTS_METRIC,
} from '../lambdas/runtime/runtime-env';
import { ALARM_PERIOD, alarmOnAny, functionFailedAlarm } from './alarm';
import type { AlarmTopic } from './alarm-topic';
import { EVIDENCE_KIND_RESOURCE_REGEX, type EvidenceBucket } from './evidence-bucket';
import { addStackFunction } from './scheduled-function';
import { signingKeyAliasPrefix, type SigningKeys } from './signing-keys';

/**
 * The dimension the tamper watch emits TamperEvents with (emfLine takes exactly one): the same `Producer`
 * dimension as the heartbeat, valued with its producer id. The alarm below matches exactly this.
 */
export { TAMPER_EVENTS_DIMENSION };

/** The detail-type EventBridge gives management events recorded by CloudTrail. */
export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/** One EventBridge rule: the calls of one service on this stack's resources that the tamper watch records. */
/**
 * Producer roles named in one rule: EventBridge refuses a pattern over 2,048 characters, and a role ARN at its
 * longest (a 64-character name in aws-us-gov) takes about 105 in the pattern, so ten leave room for the rest.
 * The roles are spread over as many rules as they need; the first keeps the rule's plain id.
 */
export const ROLES_PER_RULE = 10;

function inChunks<T>(items: readonly T[]): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += ROLES_PER_RULE) chunks.push(items.slice(i, i + ROLES_PER_RULE));
  return chunks;
}

const chunkId = (id: string, i: number) => (i === 0 ? id : `${id}-${i + 1}`);

function chunkNote(i: number, total: number): string {
  if (total <= ROLES_PER_RULE) return '';
  const from = i * ROLES_PER_RULE + 1;
  return ` (producer roles ${from} to ${Math.min(total, from + ROLES_PER_RULE - 1)} of ${total})`;
}

/** The function's thin handler (replaced by the tamper-watch implementation; the stack only names it). */
export const TAMPER_WATCH_ENTRY = path.join(__dirname, '..', 'lambdas', 'handlers', 'tamper-watch.ts');

export interface WatchedCalls {
  /** Short rule id; the rule is named `<stack>-tamper-<id>`. */
  readonly id: string;
  readonly description: string;
  /** CloudTrail's `eventSource`, e.g. `kms.amazonaws.com`. */
  readonly eventSource: string;
  /** EventBridge matchers on `eventName` (exact names, or prefixes where names carry version suffixes). */
  readonly eventName: unknown[];
  /** A pattern on `requestParameters` that picks this stack's resources; absent: every call is recorded. */
  readonly requestParameters?: Record<string, unknown[]>;
}

export interface TamperWatchProps {
  readonly evidence: EvidenceBucket;
  readonly alarms: AlarmTopic;
  readonly signingKeys: SigningKeys;
  /** Receives invocations whose handler still failed after Lambda's async retries (already alarmed on). */
  readonly failedInvocationQueue: sqs.IQueue;
  /**
   * Organization mode: the member StackSet's name. The fan-out state machines (`<stack>-<collector>`) and
   * the StackSet decide which accounts are read: a change to either could leave an account out silently.
   */
  readonly organization?: { readonly stackSetName: string };
}

/**
 * Which management calls count as tampering with this stack: every change that could destroy, forge,
 * back-date or silence evidence. Filters use only fields CloudTrail reliably records: `requestParameters`
 * keys are the API's member names with a lower-case first letter (KMS `keyId`, S3 `bucketName`, Lambda
 * `functionName`). Where the name of the resource is not reliably in the record (EventBridge Scheduler's
 * schedules, CloudTrail's trails) every such call in the account and region is recorded: they are rare.
 */
export function watchedCalls(stackName: string, p: TamperWatchProps): WatchedCalls[] {
  const keys = [...p.signingKeys.producers.map((id) => p.signingKeys.keyFor(id)), p.alarms.key];
  const prefix = `${stackName}-`;
  // Every producer's role: created before the tamper watch (Soc2EvidenceStack), its own included.
  const producerRoles = p.signingKeys.signerRoles();
  return [
    {
      id: 'keys',
      description: 'Changes to the signing keys and the alarm topic key (policy, state, deletion, grants)',
      eventSource: 'kms.amazonaws.com',
      eventName: [
        'CancelKeyDeletion',
        'CreateGrant',
        'DisableKey',
        'EnableKey',
        'PutKeyPolicy',
        'RetireGrant',
        'RevokeGrant',
        'ScheduleKeyDeletion',
        'UpdateKeyDescription',
      ],
      // These APIs take the key id or the key ARN (not an alias): both forms are listed.
      requestParameters: { keyId: keys.flatMap((k) => [k.keyId, k.keyArn]) },
    },
    {
      id: 'key-aliases',
      description: 'Changes to the signing key aliases, including a new alias under their prefix',
      eventSource: 'kms.amazonaws.com',
      eventName: ['CreateAlias', 'DeleteAlias', 'UpdateAlias'],
      requestParameters: { aliasName: events.Match.prefix(signingKeyAliasPrefix(stackName)) },
    },
    {
      id: 'buckets',
      description: 'Changes to the evidence and access-log buckets (policy, Object Lock, versioning, ...)',
      eventSource: 's3.amazonaws.com',
      // Every bucket-level change: PutBucketPolicy, PutBucketVersioning, PutBucketEncryption, PutBucketLifecycle,
      // PutBucketLogging, PutBucketPublicAccessBlock, PutBucketAcl, PutBucketOwnershipControls and their
      // Delete* forms, DeleteBucket; Object Lock's API is PutObjectLockConfiguration.
      eventName: events.Match.anyOf(
        events.Match.prefix('PutBucket'),
        events.Match.prefix('DeleteBucket'),
        events.Match.exactString('PutObjectLockConfiguration'),
      ),
      requestParameters: { bucketName: [p.evidence.bucket.bucketName, p.evidence.accessLogs.bucketName] },
    },
    {
      id: 'functions',
      description:
        "Changes to the stack's functions: code, configuration, concurrency, permissions, deletion",
      eventSource: 'lambda.amazonaws.com',
      // Lambda's CloudTrail event names carry API versions (UpdateFunctionCode20150331v2,
      // UpdateFunctionConfiguration20150331v2, DeleteFunction20150331, PutFunctionConcurrency20171031,
      // RemovePermission20150331v2, ...; https://docs.aws.amazon.com/lambda/latest/dg/logging-using-cloudtrail.html):
      // prefixes match them whatever the suffix. `DeleteFunction` also matches DeleteFunctionConcurrency and
      // DeleteFunctionEventInvokeConfig (which drops the on-failure queue). PutFunctionConcurrency to 0
      // silences a function.
      eventName: events.Match.anyOf(
        ...[
          'UpdateFunctionCode',
          'UpdateFunctionConfiguration',
          'DeleteFunction',
          'PutFunctionConcurrency',
          'PutFunctionEventInvokeConfig',
          'UpdateFunctionEventInvokeConfig',
          'AddPermission',
          'RemovePermission',
        ].map((name) => events.Match.prefix(name)),
      ),
      // A function is named by its name, its ARN or a partial ARN (`<account>:function:<name>`).
      requestParameters: {
        functionName: events.Match.anyOf(
          events.Match.prefix(prefix),
          events.Match.wildcard(`*:function:${prefix}*`),
        ),
      },
    },
    ...inChunks(producerRoles).map((roles, i) => ({
      id: chunkId('producer-roles', i),
      description: `Any function, whatever its name, created or reconfigured to run with a producer role${chunkNote(i, producerRoles.length)}`,
      eventSource: 'lambda.amazonaws.com',
      // CreateFunction20150331 and UpdateFunctionConfiguration20150331v2, whatever the API version suffix. Every
      // producer role trusts lambda.amazonaws.com: a function of another name run with it could sign and write
      // as the producer but for the role's Deny outside its own function (lib/scheduled-function.ts), and this
      // records the attempt. CreateFunctionUrlConfig also has the prefix but no `role` parameter.
      eventName: events.Match.anyOf(
        events.Match.prefix('CreateFunction'),
        events.Match.prefix('UpdateFunctionConfiguration'),
      ),
      // Lambda takes the role as an ARN; IAM role names are unique whatever their case, so match it so.
      requestParameters: {
        role: events.Match.anyOf(...roles.map((r) => events.Match.equalsIgnoreCase(r.roleArn))),
      },
    })),
    {
      id: 'schedules',
      description: 'Schedule changes or deletions (every EventBridge Scheduler schedule of the account)',
      eventSource: 'scheduler.amazonaws.com',
      eventName: ['DeleteSchedule', 'DeleteScheduleGroup', 'UpdateSchedule'],
    },
    {
      id: 'alarms',
      description: "Deleting or disabling the stack's alarms",
      eventSource: 'monitoring.amazonaws.com',
      eventName: ['DeleteAlarms', 'DisableAlarmActions'],
      requestParameters: { alarmNames: events.Match.prefix(prefix) },
    },
    {
      id: 'alarm',
      description: "Replacing or forcing the state of one of the stack's alarms",
      eventSource: 'monitoring.amazonaws.com',
      eventName: ['PutMetricAlarm', 'SetAlarmState'],
      requestParameters: { alarmName: events.Match.prefix(prefix) },
    },
    {
      id: 'rules',
      description: "Disabling, deleting or replacing the tamper watch's own rules",
      eventSource: 'events.amazonaws.com',
      eventName: ['DeleteRule', 'DisableRule', 'PutRule'],
      requestParameters: { name: events.Match.prefix(`${prefix}tamper-`) },
    },
    {
      id: 'rule-targets',
      description: "Changing the tamper watch's rule targets",
      eventSource: 'events.amazonaws.com',
      eventName: ['PutTargets', 'RemoveTargets'],
      requestParameters: { rule: events.Match.prefix(`${prefix}tamper-`) },
    },
    {
      id: 'trails',
      description: 'Stopping, deleting or narrowing any CloudTrail trail (the source of these events)',
      eventSource: 'cloudtrail.amazonaws.com',
      eventName: ['DeleteTrail', 'PutEventSelectors', 'StopLogging', 'UpdateTrail'],
    },
    ...inChunks(producerRoles).map((roles, i) => ({
      id: chunkId('roles', i),
      description: `Changes to the stack's IAM roles (delivered in us-east-1 only)${chunkNote(i, producerRoles.length)}`,
      eventSource: 'iam.amazonaws.com',
      eventName: [
        'AttachRolePolicy',
        'DeleteRole',
        'DeleteRolePermissionsBoundary',
        'DeleteRolePolicy',
        'DetachRolePolicy',
        'PutRolePermissionsBoundary',
        'PutRolePolicy',
        'UpdateAssumeRolePolicy',
        'UpdateRole',
      ],
      // CloudFormation names the roles `<stack>-<logical id>-<suffix>` (the stack name cut short when the whole
      // would pass 64 characters): the producer roles are also matched by their exact names, whatever the case.
      requestParameters: {
        roleName: events.Match.anyOf(
          ...(i === 0 ? [events.Match.prefix(prefix)] : []),
          ...roles.map((r) => events.Match.equalsIgnoreCase(r.roleName)),
        ),
      },
    })),
    {
      id: 'alarm-topic',
      description: 'Changes to the alarm topic, which every alarm and this watch notify',
      eventSource: 'sns.amazonaws.com',
      eventName: ['AddPermission', 'DeleteTopic', 'RemovePermission', 'SetTopicAttributes'],
      requestParameters: { topicArn: [p.alarms.topic.topicArn] },
    },
    {
      id: 'alarm-subscriptions',
      description: "Unsubscribing or changing the alarm topic's subscriptions",
      eventSource: 'sns.amazonaws.com',
      eventName: ['SetSubscriptionAttributes', 'Unsubscribe'],
      requestParameters: {
        subscriptionArn: events.Match.prefix(Fn.join('', [p.alarms.topic.topicArn, ':'])),
      },
    },
    ...(p.organization
      ? [
          {
            id: 'state-machines',
            description:
              'Changes to the fan-out state machines (which accounts each run covers, and how failures are recorded)',
            eventSource: 'states.amazonaws.com',
            eventName: ['DeleteStateMachine', 'UpdateStateMachine'],
            requestParameters: {
              stateMachineArn: events.Match.prefix(
                Stack.of(p.evidence.bucket).formatArn({
                  service: 'states',
                  resource: 'stateMachine',
                  resourceName: prefix,
                  arnFormat: ArnFormat.COLON_RESOURCE_NAME,
                }),
              ),
            },
          },
          {
            id: 'executions',
            description:
              'Stopped executions, changed Map runs (concurrency, tolerated failures) and changed aliases of every state machine of the account: their ARNs are not filterable by name',
            eventSource: 'states.amazonaws.com',
            // UpdateStateMachineAlias names the alias (stateMachineAliasArn), not the machine: it is heard here.
            eventName: ['StopExecution', 'UpdateMapRun', 'UpdateStateMachineAlias'],
          },
          {
            id: 'stack-set',
            description:
              "Changes to the member StackSet (its template, its targets, its instances): the member roles' reach",
            eventSource: 'cloudformation.amazonaws.com',
            eventName: [
              'CreateStackInstances',
              'DeleteStackInstances',
              'DeleteStackSet',
              'UpdateStackInstances',
              'UpdateStackSet',
            ],
            requestParameters: { stackSetName: events.Match.prefix(p.organization.stackSetName) },
          },
        ]
      : []),
  ];
}

/**
 * The tamper watch: EventBridge rules on the default bus match CloudTrail's record of every change to this
 * stack's protected resources (watchedCalls) and send it both to the tamper-watch function, which writes it as
 * signed `tamper-watch` evidence and emits TamperEvents, and straight to the alarm topic, so the notification
 * does not depend on the function surviving. Needs a CloudTrail trail that is logging in the account
 * (docs/OPERATIONS.md); IAM's events reach EventBridge in us-east-1 only.
 */
export class TamperWatch extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly rules: events.Rule[] = [];
  readonly deadLetters: sqs.Queue;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: TamperWatchProps) {
    super(scope, id);
    const stackName = Stack.of(this).stackName;
    const signingKey = props.signingKeys.keyFor(TAMPER_WATCH_PRODUCER);

    const fn = addStackFunction(this, {
      functionName: `${stackName}-tamper-watch`,
      entry: TAMPER_WATCH_ENTRY,
      description: "soc2-evidence: tamper watch, records changes to the stack's protected resources (CC7.2)",
      roleDescription: 'soc2-evidence tamper watch: writes tamper-watch evidence, signs with its own key',
      memorySize: 256,
      timeout: Duration.minutes(1),
      environment: {
        [ENV.bucket]: props.evidence.bucket.bucketName,
        [ENV.signingKeyArn]: signingKey.keyArn,
      },
    });
    this.function = fn.function;
    this.role = fn.role;
    props.evidence.grantWriteEvidence(this.role, [TAMPER_WATCH_KIND]);
    props.signingKeys.grantSign(TAMPER_WATCH_PRODUCER, this.role);
    this.function.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new destinations.SqsDestination(props.failedInvocationQueue),
    });

    // Deliveries EventBridge could not make (to the function or the topic) after its retries.
    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    NagSuppressions.addResourceSuppressions(this.deadLetters, [
      {
        id: 'AwsSolutions-SQS3',
        reason: 'This queue is itself a dead-letter queue; its depth is alarmed on.',
      },
    ]);

    const message = events.RuleTargetInput.fromText(
      `soc2-evidence tamper watch (${stackName}): ${events.EventField.fromPath('$.detail.eventName')} ` +
        `on ${events.EventField.fromPath('$.detail.eventSource')} ` +
        `by ${events.EventField.fromPath('$.detail.userIdentity.arn')} ` +
        `at ${events.EventField.fromPath('$.detail.eventTime')} in ${events.EventField.fromPath('$.detail.awsRegion')} ` +
        `(error: ${events.EventField.fromPath('$.detail.errorCode')}). ` +
        'A change to a resource that protects the evidence; see docs/OPERATIONS.md, "Tamper watch".',
    );
    for (const watched of watchedCalls(stackName, props)) {
      const rule = new events.Rule(this, `Rule-${watched.id}`, {
        ruleName: `${stackName}-tamper-${watched.id}`,
        description: `soc2-evidence tamper watch: ${watched.description}`,
        eventPattern: {
          detailType: [CLOUDTRAIL_DETAIL_TYPE],
          detail: {
            eventSource: [watched.eventSource],
            eventName: watched.eventName,
            ...(watched.requestParameters ? { requestParameters: watched.requestParameters } : {}),
          },
        },
      });
      rule.addTarget(
        new eventTargets.LambdaFunction(this.function, {
          deadLetterQueue: this.deadLetters,
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
        }),
      );
      rule.addTarget(
        new eventTargets.SnsTopic(props.alarms.topic, {
          message,
          deadLetterQueue: this.deadLetters,
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
        }),
      );
      this.rules.push(rule);
    }

    this.alarms.push(
      alarmOnAny(
        this,
        'TamperAlarm',
        new cloudwatch.Metric({
          namespace: METRICS_NAMESPACE,
          metricName: TAMPER_EVENTS_METRIC,
          dimensionsMap: { [TAMPER_EVENTS_DIMENSION.name]: TAMPER_EVENTS_DIMENSION.value },
          period: ALARM_PERIOD,
          statistic: 'Sum',
        }),
        {
          alarmName: `${stackName}-tamper-detected`,
          alarmDescription:
            'The tamper watch recorded a change to a resource that protects the evidence (a key, a bucket, a function, a schedule, an alarm, a trail, a role). Read the tamper-watch evidence of the day; a deploy of this stack is one too. See docs/OPERATIONS.md.',
          topic: props.alarms.topic,
        },
      ),
      functionFailedAlarm(this, this.function, {
        alarmName: `${stackName}-tamper-watch-failed`,
        alarmDescription:
          'The tamper-watch function threw: a change may be unrecorded as evidence (its email was still sent). See docs/OPERATIONS.md.',
        topic: props.alarms.topic,
      }),
      alarmOnAny(
        this,
        'DeliveryFailedAlarm',
        this.deadLetters.metricApproximateNumberOfMessagesVisible({
          period: ALARM_PERIOD,
          statistic: 'Maximum',
        }),
        {
          alarmName: `${stackName}-tamper-watch-delivery-failed`,
          alarmDescription:
            'EventBridge could not deliver a tamper-watch event to the function or the alarm topic after its retries: the message in the queue holds the change. See docs/OPERATIONS.md.',
          topic: props.alarms.topic,
        },
      ),
    );

    NagSuppressions.addResourceSuppressions(
      this.role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'Tamper-watch evidence keys carry their date and run id, unknown in advance: the role writes only its own kind under evidence/YYYY/MM/DD/ of one bucket.',
          appliesTo: [{ regex: EVIDENCE_KIND_RESOURCE_REGEX }],
        },
      ],
      true,
    );
  }
}
