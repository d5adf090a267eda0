import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import {
  ACCOUNT_RUN_SOURCE,
  LIST_ACCOUNTS_SOURCE,
  ORGANIZATION_REVIEW_SOURCE,
} from '../../lambdas/organization/contract';
import { ALARM_PERIOD, alarmOnAny } from '../alarm';

/** The states of every fan-out state machine, by name (a contract with the runbook and the tests). */
export const FAN_OUT_STATES = {
  listAccounts: 'ListAccounts',
  map: 'EveryAccount',
  runCollector: 'RunCollector',
  recordFailure: 'RecordFailure',
  organizationReview: 'OrganizationReview',
} as const;

/**
 * What a Lambda task retries: Lambda's own transient failures (service errors, throttling, an SDK error
 * reaching it), never the function's error, which the function records itself or RecordFailure records.
 */
export const RETRIED_LAMBDA_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
] as const;

/** Where a caught error is put beside the item's event, so that RecordFailure still has the account. */
export const CAUGHT_PATH = '$.caught';

/**
 * A daily collector's run must end (or time out, which is alarmed) before the next one starts: 1,000 accounts
 * at the default concurrency of 10 and a few minutes each take a few hours.
 */
export const FAN_OUT_TIMEOUT = Duration.hours(23);

export interface CollectorFanOutProps {
  readonly collectorId: string;
  /** The collector's function: one invocation per account (AccountRunEvent). */
  readonly collectorFunction: lambda.IFunction;
  /** The organization-accounts function: the signed list of accounts the run covers. */
  readonly accountsFunction: lambda.IFunction;
  /** Accounts run at once (config `organization.maxConcurrency`). */
  readonly maxConcurrency: number;
  /** Access review only: after every account, one organization review by the same function. */
  readonly organizationReview: boolean;
  readonly alarmTopic: sns.ITopic;
}

/**
 * One collector's run over the organization: a STANDARD state machine `<stack>-<collector>` that lists the
 * in-scope accounts, then runs the collector once per account in a Distributed Map of bounded concurrency.
 * An item that fails in a way its function could not record (timeout, out of memory, Lambda refusing the
 * invocation) is caught and recorded by the same function as an ERROR envelope for that account, so no
 * account is left silent; every item is tolerated to fail, since each records its own failure.
 */
export class CollectorFanOut extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: CollectorFanOutProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const name = `${stack.stackName}-${props.collectorId}`;
    const execution = sfn.JsonPath.stringAt('$$.Execution.Id');
    const retried = (task: tasks.LambdaInvoke) =>
      task.addRetry({
        errors: [...RETRIED_LAMBDA_ERRORS],
        interval: Duration.seconds(2),
        maxAttempts: 6,
        backoffRate: 2,
        jitterStrategy: sfn.JitterType.FULL,
      });

    const listAccounts = retried(
      new tasks.LambdaInvoke(this, FAN_OUT_STATES.listAccounts, {
        lambdaFunction: props.accountsFunction,
        payload: sfn.TaskInput.fromObject({
          source: LIST_ACCOUNTS_SOURCE,
          collector: props.collectorId,
          execution,
        }),
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
      }),
    );

    // The item: the AccountRunEvent the Map's ItemSelector built. Both tasks keep nothing of their result, and
    // their output is empty, so the Map's collected results stay small however many accounts there are.
    const itemEvent = {
      source: ACCOUNT_RUN_SOURCE,
      collector: props.collectorId,
      account: sfn.JsonPath.stringAt('$.account'),
      execution: sfn.JsonPath.stringAt('$.execution'),
    };
    const recordFailure = retried(
      new tasks.LambdaInvoke(this, FAN_OUT_STATES.recordFailure, {
        lambdaFunction: props.collectorFunction,
        payload: sfn.TaskInput.fromObject({
          ...itemEvent,
          failure: {
            error: sfn.JsonPath.stringAt(`${CAUGHT_PATH}.Error`),
            cause: sfn.JsonPath.stringAt(`${CAUGHT_PATH}.Cause`),
          },
        }),
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
        resultPath: sfn.JsonPath.DISCARD,
        outputPath: sfn.JsonPath.DISCARD,
      }),
    );
    const runCollector = retried(
      new tasks.LambdaInvoke(this, FAN_OUT_STATES.runCollector, {
        lambdaFunction: props.collectorFunction,
        payload: sfn.TaskInput.fromObject(itemEvent),
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
        resultPath: sfn.JsonPath.DISCARD,
        outputPath: sfn.JsonPath.DISCARD,
      }),
    ).addCatch(recordFailure, { errors: [sfn.Errors.ALL], resultPath: CAUGHT_PATH });

    const everyAccount = new sfn.DistributedMap(this, FAN_OUT_STATES.map, {
      itemsPath: sfn.JsonPath.stringAt('$.accounts'),
      itemSelector: {
        source: ACCOUNT_RUN_SOURCE,
        collector: props.collectorId,
        account: sfn.JsonPath.stringAt('$$.Map.Item.Value'),
        execution,
      },
      maxConcurrency: props.maxConcurrency,
      toleratedFailurePercentage: 100,
      resultPath: sfn.JsonPath.DISCARD,
    }).itemProcessor(runCollector);

    const definition = listAccounts.next(everyAccount);
    if (props.organizationReview) {
      everyAccount.next(
        retried(
          new tasks.LambdaInvoke(this, FAN_OUT_STATES.organizationReview, {
            lambdaFunction: props.collectorFunction,
            payload: sfn.TaskInput.fromObject({
              source: ORGANIZATION_REVIEW_SOURCE,
              execution,
              accounts: sfn.JsonPath.listAt('$.accounts'),
              listKey: sfn.JsonPath.stringAt('$.listKey'),
            }),
            payloadResponseOnly: true,
            retryOnServiceExceptions: false,
            resultPath: sfn.JsonPath.DISCARD,
          }),
        ),
      );
    }

    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.THIRTEEN_MONTHS });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: name,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout: FAN_OUT_TIMEOUT,
      comment: `soc2-evidence: ${props.collectorId} in every in-scope account of the organization`,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });

    // One alarm for the three ways an execution ends unfinished (a stack holds at most 500 resources, and
    // this is per collector): its description says where to tell them apart.
    const options = { period: ALARM_PERIOD, statistic: 'Sum' };
    this.alarms.push(
      alarmOnAny(
        this,
        'UnfinishedAlarm',
        new cloudwatch.MathExpression({
          expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)',
          usingMetrics: {
            failed: this.stateMachine.metricFailed(options),
            timedOut: this.stateMachine.metricTimedOut(options),
            aborted: this.stateMachine.metricAborted(options),
          },
          period: ALARM_PERIOD,
          label: 'Executions failed, timed out or aborted',
        }),
        {
          alarmName: `${name}-run-unfinished`,
          alarmDescription: `The ${props.collectorId} run over the organization (state machine ${name}) failed (the account list or the organization review failed), timed out (after ${FAN_OUT_TIMEOUT.toHours()} hours) or was stopped: accounts not reached have no evidence for this run. Its execution history says which. See docs/OPERATIONS.md.`,
          topic: props.alarmTopic,
        },
      ),
    );

    NagSuppressions.addResourceSuppressions(this.stateMachine, [
      {
        id: 'AwsSolutions-SF2',
        reason:
          'Each run is recorded by its execution history, its ALL-level log and the evidence it writes (the account list names the execution); X-Ray traces would add nothing an auditor or operator reads.',
      },
    ]);
    // On the state machine and its children: its role, its policy, and the Distributed Map's own policy.
    NagSuppressions.addResourceSuppressions(
      this.stateMachine,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            "CloudWatch Logs log delivery actions support no resource-level permission; the Distributed Map describes, stops and redrives its own child executions (this state machine's execution ARNs only); the tasks invoke their two functions, including their versions (ARN:*).",
          appliesTo: [
            'Resource::*',
            {
              regex:
                '/^Resource::arn:<AWS::Partition>:states:(<AWS::Region>|[a-z0-9-]+):(<AWS::AccountId>|\\d{12}):execution:\\{"Fn::Select":\\[6,\\{"Fn::Split":\\[":",\\{"Ref":"Collector[A-Za-z0-9]+FanOutStateMachine[0-9A-F]+"\\}\\]\\}\\]\\}(\\/\\*)?:\\*$/g',
            },
            { regex: '/^Resource::<(Collector|OrganizationAccounts).*Function[0-9A-F]*\\.Arn>:\\*$/g' },
          ],
        },
      ],
      true,
    );
  }
}
