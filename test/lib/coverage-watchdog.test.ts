import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { judgedSchedules } from '../../lib/coverage-watchdog';
import { BASE_CONFIG, expectOnlyItsOwnFunctionDeny, synth } from './stack-fixture';

const { stack, template } = synth({
  ...BASE_CONFIG,
  schedules: { tls: { enabled: false }, 'iam-mfa': { cron: 'cron(30 0 * * ? *)', timeZone: 'UTC' } },
});
const watchdog = stack.watchdog;
const id = (e: unknown) => stack.getLogicalId(e as CfnElement);
type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };

function roleStatements(): Statement[] {
  const roleId = id(watchdog.role.node.defaultChild);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

describe('CoverageWatchdog', () => {
  it('runs daily at noon in the configured time zone with the retried, dead-lettered scheduler target', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 12 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [id(watchdog.function.node.defaultChild), 'Arn'] },
        DeadLetterConfig: Match.objectLike({ Arn: Match.anyValue() }),
        RetryPolicy: { MaximumEventAgeInSeconds: 21600, MaximumRetryAttempts: 5 },
      }),
    });
  });

  it('passes the enabled schedules only, and signs', () => {
    const fn = template.findResources('AWS::Lambda::Function')[id(watchdog.function.node.defaultChild)]!;
    const env = (fn.Properties as { Environment: { Variables: Record<string, unknown> } }).Environment
      .Variables;
    const schedules = JSON.parse(env.COLLECTOR_SCHEDULES as string) as Record<string, unknown>;
    expect(Object.keys(schedules).sort()).toEqual([
      'access-review',
      'audit-logging',
      'backups',
      'console-signins',
      'encryption',
      'iam-mfa',
      'iam-privilege',
      'inactive-users',
      'key-rotation',
      'network-exposure',
      'password-policy',
      'public-access',
      'resilience',
      'threat-detection',
      'vulnerabilities',
    ]);
    expect(schedules['iam-mfa']).toEqual({ expression: 'cron(30 0 * * ? *)', timeZone: 'UTC' });
    expect(schedules.backups).toEqual({ expression: 'cron(0 6 * * ? *)', timeZone: 'Europe/Paris' });
    expect(env.SIGNING_KEY_ARN).toEqual({
      'Fn::GetAtt': [id(stack.signing.keyFor('coverage-watchdog').node.defaultChild), 'Arn'],
    });
    // Every producer's key, so it can count only evidence its own producer signed.
    const producerKeys = JSON.stringify(env.PRODUCER_SIGNING_KEYS);
    for (const producer of stack.signing.producers) {
      expect(producerKeys).toContain(`\\"${producer}\\":\\"`);
      expect(producerKeys).toContain(id(stack.signing.keyFor(producer).node.defaultChild));
    }
    expect(judgedSchedules({ a: { cron: 'rate(1 day)', timeZone: 'UTC', enabled: false } })).toEqual({});
  });

  it('keeps its JSON logs 13 months', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 400 });
    const fn = template.findResources('AWS::Lambda::Function')[id(watchdog.function.node.defaultChild)]!;
    expect(fn.Properties).toMatchObject({ LoggingConfig: { LogFormat: 'JSON' }, Runtime: 'nodejs24.x' });
  });

  it('has a role with exactly: list and read evidence/, write coverage only, sign with its key, read public keys, its logs', () => {
    const bucket = id(stack.evidence.bucket.node.defaultChild);
    const statements = roleStatements().map((s) => ({ ...s, Action: [s.Action].flat().sort() }));
    expect(statements).toEqual(
      [
        {
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Effect: 'Allow',
          Resource: expect.anything(),
        },
        {
          Action: ['s3:ListBucket'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [bucket, 'Arn'] },
          Condition: { StringLike: { 's3:prefix': ['evidence/*'] } },
        },
        {
          Action: ['s3:GetObject'],
          Effect: 'Allow',
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/evidence/*']] },
        },
        {
          Action: ['s3:PutObject'],
          Effect: 'Allow',
          Resource: {
            'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/evidence/????/??/??/coverage/*']],
          },
        },
        {
          Action: ['kms:Sign'],
          Effect: 'Allow',
          Resource: {
            'Fn::GetAtt': [id(stack.signing.keyFor('coverage-watchdog').node.defaultChild), 'Arn'],
          },
        },
        {
          Action: ['kms:GetPublicKey'],
          Effect: 'Allow',
          // Every producer's key (sorted: the CDK orders a minimized statement's resources).
          Resource: stack.signing.producers
            .map((p) => id(stack.signing.keyFor(p).node.defaultChild))
            .sort()
            .map((keyId) => ({ 'Fn::GetAtt': [keyId, 'Arn'] })),
        },
      ].map((s) => expect.objectContaining(s)),
    );
    expect(statements).toHaveLength(6);
    expectOnlyItsOwnFunctionDeny(
      template.findResources('AWS::IAM::Role')[id(watchdog.role.node.defaultChild)]!.Properties,
    );
  });

  it('alarms to the alarm topic on any gap and on its own errors', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Soc2Evidence-evidence-gap',
      Namespace: 'Soc2Evidence',
      MetricName: 'CoverageGaps',
      Dimensions: [{ Name: 'Collector', Value: 'coverage' }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Soc2Evidence-coverage-watchdog-failed',
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: id(watchdog.function.node.defaultChild) } }],
      Threshold: 1,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }],
    });
  });

  it('alarms when it has not sent a heartbeat for more than a day: 26 empty hours, missing data breaching', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Soc2Evidence-coverage-watchdog-heartbeat-missing',
      Namespace: 'Soc2Evidence',
      MetricName: 'Heartbeat',
      Dimensions: [{ Name: 'Producer', Value: 'coverage-watchdog' }],
      Statistic: 'Sum',
      Period: 3600,
      EvaluationPeriods: 26,
      DatapointsToAlarm: 26,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }],
    });
  });
});
