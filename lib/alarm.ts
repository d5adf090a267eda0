import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { HEARTBEAT_DIMENSION, HEARTBEAT_METRIC, METRICS_NAMESPACE } from '../lambdas/runtime/runtime-env';

export interface AlarmOnAnyProps {
  /** Shows in the notification's subject, so it says what broke: `<stack>-<what>`. */
  readonly alarmName: string;
  /** What it means and where to look; shows in the notification's body. */
  readonly alarmDescription: string;
  readonly topic: sns.ITopic;
}

/**
 * Most alarms of this stack have one shape: any occurrence in a 5-minute period notifies the alarm topic, and
 * no data (no run, no error) is not an alarm, since there no data really means nothing happened. The
 * exception is deadManAlarm below, where no data is the failure.
 */
export function alarmOnAny(
  scope: Construct,
  id: string,
  metric: cloudwatch.IMetric,
  props: AlarmOnAnyProps,
): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    metric,
    alarmName: props.alarmName,
    alarmDescription: props.alarmDescription,
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new cwActions.SnsAction(props.topic));
  return alarm;
}

export const ALARM_PERIOD = Duration.minutes(5);

/** The `FailedAlarm` of a function of this stack: it fires when the function threw (any Errors in a period). */
export function functionFailedAlarm(
  scope: Construct,
  fn: lambda.IFunction,
  props: AlarmOnAnyProps,
): cloudwatch.Alarm {
  return alarmOnAny(scope, 'FailedAlarm', fn.metricErrors({ period: ALARM_PERIOD, statistic: 'Sum' }), props);
}

/**
 * Dead-man alarms count hourly periods. CloudWatch caps an alarm's evaluation range (Period × EvaluationPeriods)
 * at one day when the period is under an hour and at seven days otherwise (PutMetricAlarm, `Period`), so "no
 * heartbeat for more than a day" needs periods of at least an hour. With hourly periods the alarm fires only
 * when every one of the last 26 hours had no heartbeat: a daily run leaves 23 empty hours between two
 * heartbeats; 26 allows one more for a daylight-saving change (the watchdog runs in the configured time zone,
 * so its UTC interval is 23 or 25 hours twice a year), one for a run that lands in the next hour (a retry, a
 * heartbeat near the hour's end), and still alarms about 26 hours after the last heartbeat.
 */
export const HEARTBEAT_PERIOD = Duration.hours(1);
export const HEARTBEAT_MISSING_PERIODS = 26;

/**
 * Fires when `producer` has emitted no `Heartbeat` (namespace Soc2Evidence, dimension Producer) in any of the
 * last HEARTBEAT_MISSING_PERIODS hours. Missing data is breaching here, unlike every other alarm of the stack:
 * no data is exactly the failure (a deleted schedule, a function that never starts). A new alarm therefore
 * fires after the first deploy until the producer's first successful run.
 */
export function deadManAlarm(
  scope: Construct,
  id: string,
  producer: string,
  props: AlarmOnAnyProps,
): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    metric: new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: HEARTBEAT_METRIC,
      dimensionsMap: { [HEARTBEAT_DIMENSION]: producer },
      period: HEARTBEAT_PERIOD,
      statistic: 'Sum',
    }),
    alarmName: props.alarmName,
    alarmDescription: props.alarmDescription,
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods: HEARTBEAT_MISSING_PERIODS,
    datapointsToAlarm: HEARTBEAT_MISSING_PERIODS,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  });
  alarm.addAlarmAction(new cwActions.SnsAction(props.topic));
  return alarm;
}
