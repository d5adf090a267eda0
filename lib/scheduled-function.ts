import { Duration, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * How every function of the stack is bundled (bench/bundles.ts measures the same options):
 * - the SDK clients are bundled too, so checksum and retry behaviour are the versions tested here;
 * - packages' ES-module builds come first, so esbuild can drop what a handler never imports (the CommonJS
 *   builds cannot be tree-shaken: the encryption bundle is 2.0 MB with them, 1.2 MB without).
 */
export const LAMBDA_BUNDLING: nodejs.BundlingOptions = {
  externalModules: [],
  mainFields: ['module', 'main'],
  minify: true,
  target: 'node24',
  sourceMap: false,
};

export interface StackFunctionProps {
  /** A stable name operators can type: `aws lambda invoke --function-name <stack>-<id>`. */
  readonly functionName: string;
  readonly entry: string;
  readonly description: string;
  readonly roleDescription: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly memorySize: number;
  readonly timeout: Duration;
  /** @default logs.RetentionDays.THIRTEEN_MONTHS (at least a year of run history for the audit period) */
  readonly logRetention?: logs.RetentionDays;
}

export interface ScheduledFunctionProps extends StackFunctionProps {
  readonly schedule: {
    readonly cron: string;
    readonly timeZone: string;
    readonly enabled?: boolean;
    readonly description: string;
    /** Sent as the event, so a log line says which schedule invoked the function. */
    readonly collectorId: string;
    /** Receives deliveries that failed after their retries. */
    readonly deadLetterQueue?: sqs.IQueue;
  };
}

export interface StackFunction {
  readonly function: nodejs.NodejsFunction;
  /** Holds only the log-writing actions; the caller adds what the function itself calls. */
  readonly role: iam.Role;
}

export interface ScheduledFunction extends StackFunction {
  readonly schedule: scheduler.Schedule;
}

/**
 * What every function of the stack has in common: a JSON log group kept over a year, a role that may write
 * only to it, and an arm64 Node.js 24 function bundled with LAMBDA_BUNDLING. Children are created directly in
 * `scope`, so callers keep their construct ids.
 */
export function addStackFunction(scope: Construct, props: StackFunctionProps): StackFunction {
  const logGroup = new logs.LogGroup(scope, 'Logs', {
    retention: props.logRetention ?? logs.RetentionDays.THIRTEEN_MONTHS,
  });
  const role = new iam.Role(scope, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: props.roleDescription,
  });
  role.addToPolicy(
    new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }),
  );
  const fn = new nodejs.NodejsFunction(scope, 'Function', {
    functionName: props.functionName,
    entry: props.entry,
    handler: 'handler',
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: props.memorySize,
    timeout: props.timeout,
    role,
    logGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
    description: props.description,
    environment: { ...props.environment, POWERTOOLS_SERVICE_NAME: 'soc2-evidence' },
    bundling: LAMBDA_BUNDLING,
  });
  return { function: fn, role };
}

/**
 * A stack function (addStackFunction) with an EventBridge Scheduler schedule in the configured time zone,
 * retries, and a dead-letter queue when given.
 */
export function addScheduledFunction(scope: Construct, props: ScheduledFunctionProps): ScheduledFunction {
  const { function: fn, role } = addStackFunction(scope, props);
  const { schedule } = props;
  const scheduled = new scheduler.Schedule(scope, 'Schedule', {
    description: schedule.description,
    schedule: scheduler.ScheduleExpression.expression(schedule.cron, TimeZone.of(schedule.timeZone)),
    ...(schedule.enabled === undefined ? {} : { enabled: schedule.enabled }),
    target: new targets.LambdaInvoke(fn, {
      ...(schedule.deadLetterQueue ? { deadLetterQueue: schedule.deadLetterQueue } : {}),
      retryAttempts: 5,
      maxEventAge: Duration.hours(6),
      input: scheduler.ScheduleTargetInput.fromObject({
        source: 'soc2-evidence.schedule',
        collector: schedule.collectorId,
      }),
    }),
  });
  return { function: fn, role, schedule: scheduled };
}
