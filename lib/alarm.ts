import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

export interface AlarmOnAnyProps {
  /** Shows in the notification's subject, so it says what broke: `<stack>-<what>`. */
  readonly alarmName: string;
  /** What it means and where to look; shows in the notification's body. */
  readonly alarmDescription: string;
  readonly topic: sns.ITopic;
}

/**
 * Every alarm of this stack has one shape: any occurrence in a 5-minute period notifies the alarm topic, and
 * no data (no run, no error) is not an alarm.
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
