import { ArnFormat, AssetHashType, Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import * as path from 'node:path';
import { bundleInputsHash } from './bundle-hash';
import { LAMBDA_BUNDLING } from './bundle/bundle-function';
import { FunctionBundling } from './bundle/local-bundling';

/** The bundler's own sources: a change to them re-bundles every function. */
const BUNDLER_SOURCES = ['bundle-function.ts', 'bundle-cli.ts', 'sdk-schema-keys.ts', 'local-bundling.ts'];

/** How every function of the stack is bundled: lib/bundle/bundle-function.ts. */
export { LAMBDA_BUNDLING } from './bundle/bundle-function';

const ROOT = path.join(__dirname, '..');

/** bundleInputsHash with this project's root, lockfile, tsconfig and LAMBDA_BUNDLING. */
export function functionBundleHash(entry: string): string {
  return bundleInputsHash(entry, {
    root: ROOT,
    alwaysRead: [
      path.join(ROOT, 'package-lock.json'),
      path.join(ROOT, 'tsconfig.json'),
      ...BUNDLER_SOURCES.map((f) => path.join(ROOT, 'lib', 'bundle', f)),
    ],
    bundling: LAMBDA_BUNDLING,
  });
}

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
  /**
   * A fixed name for the role, when another account's policy must name it (organization mode: the member
   * role trusts the hub collector roles by ARN).
   * @default - a name CloudFormation generates
   */
  readonly roleName?: string;
}

/** A schedule of the stack: when, in which time zone, and what to do with deliveries that failed. */
export interface StackSchedule {
  readonly cron: string;
  readonly timeZone: string;
  readonly enabled?: boolean;
  readonly description: string;
  /** Sent as the event, so a log line says which schedule invoked the function. */
  readonly collectorId: string;
  /** Receives deliveries that failed after their retries. */
  readonly deadLetterQueue?: sqs.IQueue;
}

export interface ScheduledFunctionProps extends StackFunctionProps {
  readonly schedule: StackSchedule;
}

export interface StackFunction {
  readonly function: lambda.Function;
  /**
   * Holds only the log-writing actions and the OUTSIDE_ITS_FUNCTION_SID Deny; the caller adds what the
   * function itself calls.
   */
  readonly role: iam.Role;
}

/** The Sid of the Deny, in each function role's own inline policy, of signing and writing outside that function. */
export const OUTSIDE_ITS_FUNCTION_SID = 'DenyOutsideItsOwnFunction';

/**
 * What a role may do only from its own function's code: signing evidence and writing objects. Every role of the
 * stack trusts lambda.amazonaws.com, so anyone allowed lambda:CreateFunction and iam:PassRole could run their
 * own code under it; the Deny makes that code unable to sign or write as the producer.
 */
export const ONLY_FROM_ITS_FUNCTION_ACTIONS = ['kms:Sign', 's3:PutObject'] as const;

/**
 * The unqualified ARN of the function named `functionName` in this stack's account and region, built from the
 * name (`arn:<partition>:lambda:<region>:<account>:function:<name>`) rather than referenced: the function
 * depends on its role, so the role's policy cannot reference the function.
 */
export function functionArnFromName(scope: Construct, functionName: string): string {
  return Stack.of(scope).formatArn({
    service: 'lambda',
    resource: 'function',
    resourceName: functionName,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/**
 * Denies ONLY_FROM_ITS_FUNCTION_ACTIONS to the role's sessions unless the request comes from the code of the
 * function `functionName`. Lambda puts the calling function's ARN in the request context of every call its
 * code makes with the execution role's credentials, as `lambda:SourceFunctionArn`, a key usable in identity
 * policies only (https://docs.aws.amazon.com/lambda/latest/dg/permissions-source-function-arn.html). A function
 * of another name created with this role (lambda:CreateFunction --role) carries its own ARN and is denied; so are
 * the role's credentials used anywhere else, where the key is absent (a negated condition operator matches a
 * missing key).
 */
export function denyOutsideItsFunction(scope: Construct, functionName: string): iam.PolicyDocument {
  return new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: OUTSIDE_ITS_FUNCTION_SID,
        effect: iam.Effect.DENY,
        actions: [...ONLY_FROM_ITS_FUNCTION_ACTIONS],
        resources: ['*'],
        conditions: {
          ArnNotEquals: { 'lambda:SourceFunctionArn': functionArnFromName(scope, functionName) },
        },
      }),
    ],
  });
}

export interface ScheduledFunction extends StackFunction {
  readonly schedule: scheduler.Schedule;
}

/**
 * What every function of the stack has in common: a JSON log group kept over a year, a role that may write
 * only to it and that signs or writes objects only from this function's code (denyOutsideItsFunction), and an
 * arm64 Node.js 24 function bundled with LAMBDA_BUNDLING. Children are created directly in `scope`, so callers
 * keep their construct ids.
 */
export function addStackFunction(scope: Construct, props: StackFunctionProps): StackFunction {
  const logGroup = new logs.LogGroup(scope, 'Logs', {
    retention: props.logRetention ?? logs.RetentionDays.THIRTEEN_MONTHS,
  });
  const role = new iam.Role(scope, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: props.roleDescription,
    ...(props.roleName ? { roleName: props.roleName } : {}),
    // In the role itself, so it holds from the role's creation, before any Allow is attached to it.
    inlinePolicies: { [OUTSIDE_ITS_FUNCTION_SID]: denyOutsideItsFunction(scope, props.functionName) },
  });
  role.addToPolicy(
    new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }),
  );
  const fn = new lambda.Function(scope, 'Function', {
    functionName: props.functionName,
    // Keyed by what the bundle is made of, so an unchanged function is not bundled again by the next synth.
    code: lambda.Code.fromAsset(path.dirname(props.entry), {
      assetHash: functionBundleHash(props.entry),
      assetHashType: AssetHashType.CUSTOM,
      bundling: {
        // Never pulled: local bundling always bundles or fails; CDK's type requires an image.
        image: lambda.Runtime.NODEJS_24_X.bundlingImage,
        local: new FunctionBundling(props.entry),
      },
    }),
    handler: 'index.handler',
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: props.memorySize,
    timeout: props.timeout,
    role,
    logGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
    description: props.description,
    environment: { ...props.environment, POWERTOOLS_SERVICE_NAME: 'soc2-evidence' },
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
  const scheduled = addSchedule(
    scope,
    schedule,
    new targets.LambdaInvoke(fn, {
      ...scheduleTargetProps(schedule),
      input: scheduler.ScheduleTargetInput.fromObject({
        source: 'soc2-evidence.schedule',
        collector: schedule.collectorId,
      }),
    }),
  );
  return { function: fn, role, schedule: scheduled };
}

/** Retries, the age past which a delivery is dropped, and the dead-letter queue of every schedule target. */
export function scheduleTargetProps(schedule: StackSchedule): targets.ScheduleTargetBaseProps {
  return {
    ...(schedule.deadLetterQueue ? { deadLetterQueue: schedule.deadLetterQueue } : {}),
    retryAttempts: 5,
    maxEventAge: Duration.hours(6),
  };
}

/** The schedule (`Schedule` in `scope`) in the configured time zone, invoking `target`. */
export function addSchedule(
  scope: Construct,
  schedule: StackSchedule,
  target: scheduler.IScheduleTarget,
): scheduler.Schedule {
  return new scheduler.Schedule(scope, 'Schedule', {
    description: schedule.description,
    schedule: scheduler.ScheduleExpression.expression(schedule.cron, TimeZone.of(schedule.timeZone)),
    ...(schedule.enabled === undefined ? {} : { enabled: schedule.enabled }),
    target,
  });
}
