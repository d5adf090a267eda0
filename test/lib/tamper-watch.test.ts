import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { TAMPER_WATCH_ENTRY } from '../../lib/tamper-watch';
import { BASE_CONFIG, synth } from './stack-fixture';

const { stack, template } = synth(BASE_CONFIG);
const watch = stack.tamperWatch;
const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Principal?: unknown };
type Pattern = { 'detail-type': string[]; detail: Record<string, unknown> };

const rules = Object.fromEntries(
  Object.values(template.findResources('AWS::Events::Rule')).map((r) => [
    r.Properties.Name as string,
    r.Properties as { EventPattern: Pattern; Targets: Record<string, unknown>[]; State: string },
  ]),
);
const rule = (ruleId: string) => rules[`Soc2Evidence-tamper-${ruleId}`]!;
/** Every producer's role: each collector's, the watchdog's, the sealer's, the tamper watch's own and the risk register's. */
const producerRoles = [
  ...Object.values(stack.collectors).map((c) => c.role),
  stack.watchdog.role,
  stack.sealer.role,
  watch.role,
  stack.riskRegister.role,
];

describe('TamperWatch', () => {
  it('is <stack>-tamper-watch from lambdas/handlers/tamper-watch.ts, with the bucket and its own key', () => {
    const fn = template.toJSON().Resources[id(watch.function)].Properties;
    expect(fn.FunctionName).toBe('Soc2Evidence-tamper-watch');
    expect(TAMPER_WATCH_ENTRY).toBe(join(__dirname, '..', '..', 'lambdas', 'handlers', 'tamper-watch.ts'));
    expect(existsSync(TAMPER_WATCH_ENTRY)).toBe(true);
    expect(fn.Environment.Variables).toEqual({
      EVIDENCE_BUCKET: { Ref: id(stack.evidence.bucket) },
      SIGNING_KEY_ARN: { 'Fn::GetAtt': [id(stack.signing.keyFor('tamper-watch')), 'Arn'] },
      POWERTOOLS_SERVICE_NAME: 'soc2-evidence',
    });
  });

  it('has a role with exactly: write tamper-watch evidence, sign with its own key, its logs, its failure queue', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: id(watch.role) }]))
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
      .map((s) => ({ ...s, Action: [s.Action].flat().sort() }));
    const bucketArn = { 'Fn::GetAtt': [id(stack.evidence.bucket), 'Arn'] };
    expect(statements).toEqual([
      expect.objectContaining({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'] }),
      {
        Action: ['s3:PutObject'],
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', [bucketArn, '/evidence/????/??/??/tamper-watch/*']] },
      },
      {
        Action: ['kms:Sign'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [id(stack.signing.keyFor('tamper-watch')), 'Arn'] },
      },
      // Lambda's on-failure destination: the shared FailedInvocations queue.
      expect.objectContaining({ Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'] }),
    ]);
  });

  it('watches CloudTrail records of changes to every protected resource, one rule per service and filter', () => {
    expect(Object.keys(rules).sort()).toEqual(
      [
        'alarm',
        'alarm-subscriptions',
        'alarm-topic',
        'alarms',
        'buckets',
        'functions',
        'key-aliases',
        'keys',
        'producer-roles',
        'producer-roles-2',
        'roles',
        'roles-2',
        'rule-targets',
        'rules',
        'schedules',
        'trails',
      ].map((r) => `Soc2Evidence-tamper-${r}`),
    );
    for (const r of Object.values(rules)) {
      expect(r.State).toBe('ENABLED');
      expect(r.EventPattern['detail-type']).toEqual(['AWS API Call via CloudTrail']);
      expect(Object.keys(r.EventPattern)).toEqual(['detail-type', 'detail']);
    }
  });

  it('keys: policy, state, deletion and grants of every signing key and the alarm key, by id or ARN', () => {
    const detail = rule('keys').EventPattern.detail;
    expect(detail.eventSource).toEqual(['kms.amazonaws.com']);
    expect(detail.eventName).toEqual(
      expect.arrayContaining(['PutKeyPolicy', 'DisableKey', 'ScheduleKeyDeletion', 'CreateGrant']),
    );
    const keyIds = (detail.requestParameters as { keyId: unknown[] }).keyId;
    const keys = [
      ...stack.signing.producers.map((p) => stack.signing.keyFor(p)),
      stack.node.findChild('Alarms'),
    ];
    expect(keyIds).toHaveLength(2 * keys.length);
    for (const producer of stack.signing.producers) {
      const keyId = id(stack.signing.keyFor(producer));
      expect(keyIds).toContainEqual({ Ref: keyId });
      expect(keyIds).toContainEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    }
    expect(JSON.stringify(keyIds)).toContain('AlarmsKey');
    expect(rule('key-aliases').EventPattern.detail).toEqual({
      eventSource: ['kms.amazonaws.com'],
      eventName: ['CreateAlias', 'DeleteAlias', 'UpdateAlias'],
      requestParameters: { aliasName: [{ prefix: 'alias/Soc2Evidence/signing/' }] },
    });
  });

  it('buckets: every bucket-level change to the evidence and access-log buckets', () => {
    expect(rule('buckets').EventPattern.detail).toEqual({
      eventSource: ['s3.amazonaws.com'],
      eventName: [{ prefix: 'PutBucket' }, { prefix: 'DeleteBucket' }, 'PutObjectLockConfiguration'],
      requestParameters: {
        bucketName: [{ Ref: id(stack.evidence.bucket) }, { Ref: id(stack.evidence.accessLogs) }],
      },
    });
  });

  it("functions: code, configuration, concurrency, permissions and deletion of the stack's functions, whatever the API version suffix", () => {
    const detail = rule('functions').EventPattern.detail;
    expect(detail.eventSource).toEqual(['lambda.amazonaws.com']);
    expect(detail.eventName).toEqual(
      [
        'UpdateFunctionCode',
        'UpdateFunctionConfiguration',
        'DeleteFunction',
        'PutFunctionConcurrency',
        'PutFunctionEventInvokeConfig',
        'UpdateFunctionEventInvokeConfig',
        'AddPermission',
        'RemovePermission',
      ].map((prefix) => ({ prefix })),
    );
    expect(detail.requestParameters).toEqual({
      functionName: [{ prefix: 'Soc2Evidence-' }, { wildcard: '*:function:Soc2Evidence-*' }],
    });
    // Every function of the stack is named so.
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function')))
      expect(fn.Properties.FunctionName).toMatch(/^Soc2Evidence-/);
  });

  it('alarms, rules, roles and the topic: filtered by the names the stack gives them', () => {
    expect(rule('alarms').EventPattern.detail).toEqual({
      eventSource: ['monitoring.amazonaws.com'],
      eventName: ['DeleteAlarms', 'DisableAlarmActions'],
      requestParameters: { alarmNames: [{ prefix: 'Soc2Evidence-' }] },
    });
    expect(rule('alarm').EventPattern.detail).toEqual({
      eventSource: ['monitoring.amazonaws.com'],
      eventName: ['PutMetricAlarm', 'SetAlarmState'],
      requestParameters: { alarmName: [{ prefix: 'Soc2Evidence-' }] },
    });
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm')))
      expect(alarm.Properties.AlarmName).toMatch(/^Soc2Evidence-/);
    expect(rule('rules').EventPattern.detail).toEqual({
      eventSource: ['events.amazonaws.com'],
      eventName: ['DeleteRule', 'DisableRule', 'PutRule'],
      requestParameters: { name: [{ prefix: 'Soc2Evidence-tamper-' }] },
    });
    expect(rule('rule-targets').EventPattern.detail).toEqual({
      eventSource: ['events.amazonaws.com'],
      eventName: ['PutTargets', 'RemoveTargets'],
      requestParameters: { rule: [{ prefix: 'Soc2Evidence-tamper-' }] },
    });
    expect(rule('roles').EventPattern.detail).toMatchObject({
      eventSource: ['iam.amazonaws.com'],
      eventName: expect.arrayContaining([
        'PutRolePolicy',
        'AttachRolePolicy',
        'UpdateAssumeRolePolicy',
        'DeleteRole',
      ]),
      requestParameters: {
        roleName: [
          { prefix: 'Soc2Evidence-' },
          ...producerRoles.slice(0, 10).map((r) => ({ 'equals-ignore-case': { Ref: id(r) } })),
        ],
      },
    });
    expect(rule('roles-2').EventPattern.detail.requestParameters).toEqual({
      roleName: producerRoles.slice(10).map((r) => ({ 'equals-ignore-case': { Ref: id(r) } })),
    });
    expect(rule('roles').EventPattern.detail.eventName).toEqual(
      expect.arrayContaining([
        'UpdateAssumeRolePolicy',
        'PutRolePolicy',
        'AttachRolePolicy',
        'DeleteRolePolicy',
        'DetachRolePolicy',
      ]),
    );
    const topic = {
      Ref: id(stack.node.findChild('Alarms').node.findChild('Topic')),
    };
    expect(rule('alarm-topic').EventPattern.detail).toMatchObject({
      requestParameters: { topicArn: [topic] },
    });
    expect(rule('alarm-subscriptions').EventPattern.detail).toMatchObject({
      eventName: ['SetSubscriptionAttributes', 'Unsubscribe'],
      requestParameters: { subscriptionArn: [{ prefix: { 'Fn::Join': ['', [topic, ':']] } }] },
    });
  });

  it('producer roles: any function created or reconfigured with one, whatever its name or the API version suffix', () => {
    expect(producerRoles).toHaveLength(stack.signing.producers.length);
    expect(producerRoles).toContain(watch.role);
    // Ten roles a rule (the pattern size), every producer role in exactly one of them.
    const chunks = [producerRoles.slice(0, 10), producerRoles.slice(10)];
    expect(producerRoles.length).toBeGreaterThan(10);
    expect(producerRoles.length).toBeLessThanOrEqual(20);
    chunks.forEach((roles, i) =>
      expect(rule(i === 0 ? 'producer-roles' : 'producer-roles-2').EventPattern.detail).toEqual({
        eventSource: ['lambda.amazonaws.com'],
        eventName: [{ prefix: 'CreateFunction' }, { prefix: 'UpdateFunctionConfiguration' }],
        requestParameters: {
          role: roles.map((r) => ({ 'equals-ignore-case': { 'Fn::GetAtt': [id(r), 'Arn'] } })),
        },
      }),
    );
    // The event names CloudTrail records (https://docs.aws.amazon.com/lambda/latest/dg/logging-using-cloudtrail.html).
    const names = rule('producer-roles').EventPattern.detail.eventName as { prefix: string }[];
    for (const recorded of ['CreateFunction20150331', 'UpdateFunctionConfiguration20150331v2'])
      expect(names.some((n) => recorded.startsWith(n.prefix))).toBe(true);
  });

  it("keeps the role patterns within EventBridge's default 2,048-character pattern size, role names at their longest", () => {
    // CloudFormation's role names are at most 64 characters; the ARN adds the partition and account.
    const name = 'r'.repeat(64);
    const arn = `arn:aws-us-gov:iam::123456789012:role/${name}`;
    const roleIds = new Set(producerRoles.map((r) => id(r)));
    const resolve = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(resolve);
      if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        const ref = o.Ref as string | undefined;
        const getAtt = o['Fn::GetAtt'] as [string, string] | undefined;
        if (ref && roleIds.has(ref)) return name;
        if (getAtt && roleIds.has(getAtt[0])) return arn;
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, resolve(x)]));
      }
      return v;
    };
    for (const r of ['producer-roles', 'producer-roles-2', 'roles', 'roles-2']) {
      const pattern = JSON.stringify(resolve(rule(r).EventPattern));
      expect(pattern).not.toMatch(/"(Ref|Fn::GetAtt)"/);
      expect(pattern.length).toBeLessThan(2048);
    }
  });

  it('schedules and trails: every such call in the account, unfiltered', () => {
    expect(rule('schedules').EventPattern.detail).toEqual({
      eventSource: ['scheduler.amazonaws.com'],
      eventName: ['DeleteSchedule', 'DeleteScheduleGroup', 'UpdateSchedule'],
    });
    expect(rule('trails').EventPattern.detail).toEqual({
      eventSource: ['cloudtrail.amazonaws.com'],
      eventName: ['DeleteTrail', 'PutEventSelectors', 'StopLogging', 'UpdateTrail'],
    });
  });

  it('sends every match to the function and straight to the alarm topic, with retries and a dead-letter queue', () => {
    const dlq = { 'Fn::GetAtt': [id(watch.deadLetters), 'Arn'] };
    for (const r of Object.values(rules)) {
      expect(r.Targets).toEqual([
        expect.objectContaining({
          Arn: { 'Fn::GetAtt': [id(watch.function), 'Arn'] },
          DeadLetterConfig: { Arn: dlq },
          RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
        }),
        expect.objectContaining({
          Arn: { Ref: expect.stringMatching(/^AlarmsTopic/) },
          DeadLetterConfig: { Arn: dlq },
          InputTransformer: expect.objectContaining({
            InputTemplate: expect.stringContaining(
              'soc2-evidence tamper watch (Soc2Evidence): <detail-eventName>',
            ),
          }),
        }),
      ]);
    }
    template.resourcePropertiesCountIs(
      'AWS::Lambda::Permission',
      { FunctionName: { 'Fn::GetAtt': [id(watch.function), 'Arn'] }, Principal: 'events.amazonaws.com' },
      Object.keys(rules).length,
    );
  });

  it('lets EventBridge publish to the encrypted alarm topic: the topic policy and the key policy', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'events.amazonaws.com' },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      Description: 'soc2-evidence: encrypts the alarm topic',
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
            Resource: '*',
          },
        ]),
      },
    });
  });

  it('alarms on any recorded change, on its own errors and on an undelivered event', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Soc2Evidence-tamper-detected',
      Namespace: 'Soc2Evidence',
      MetricName: 'TamperEvents',
      Dimensions: [{ Name: 'Producer', Value: 'tamper-watch' }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Soc2Evidence-tamper-watch-failed',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: id(watch.function) } }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Soc2Evidence-tamper-watch-delivery-failed',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id(watch.deadLetters), 'QueueName'] } }],
    });
  });
});
