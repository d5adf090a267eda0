import { CfnResource, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { COLLECTORS } from '../../lambdas/collectors/registry';
import { BASE_CONFIG, synth, testApp } from './stack-fixture';

// The default stack, synthesised once for the whole file, and the one synthesis of the tests that runs
// CloudFormation's built-in template validation (strictly: any error or warning fails it, and the file).
const { app, stack, template } = synth(BASE_CONFIG, { validate: true });

const BREAK_GLASS_ROLE = 'arn:aws:iam::123456789012:role/EvidenceBreakGlass';
/**
 * Every non-default setting the tests below read, in one stack synthesised once (on first use): each test
 * asserts only on what its own setting changes.
 */
const VARIANT = {
  ...BASE_CONFIG,
  breakGlassRoleArn: BREAK_GLASS_ROLE,
  retention: { mode: 'GOVERNANCE', days: 30, acknowledgeGovernanceBypass: true },
  schedules: { 'iam-mfa': { enabled: false } },
};

function resourceOf(type: string, predicate: (r: { Properties: Record<string, unknown> }) => boolean) {
  return Object.entries(template.findResources(type)).find(([, r]) =>
    predicate(r as { Properties: Record<string, unknown> }),
  );
}

describe('evidence bucket', () => {
  const [bucketId, bucket] = resourceOf('AWS::S3::Bucket', (r) => Boolean(r.Properties.ObjectLockEnabled))!;
  const props = (bucket as { Properties: Record<string, unknown> }).Properties;

  it('is created with Object Lock, COMPLIANCE for 400 days by default, and explicit versioning', () => {
    expect(props.ObjectLockEnabled).toBe(true);
    expect(props.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 400 } },
    });
    expect(props.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  it('is kept when the stack is deleted', () => {
    const raw = template.toJSON().Resources[bucketId];
    expect(raw.DeletionPolicy).toBe('Retain');
    expect(raw.UpdateReplacePolicy).toBe('Retain');
  });

  it('uses SSE-KMS with a rotating customer-managed key and bucket keys', () => {
    expect(props.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: {
            SSEAlgorithm: 'aws:kms',
            KMSMasterKeyID: { 'Fn::GetAtt': [expect.stringMatching(/^EvidenceKey/), 'Arn'] },
          },
        },
      ],
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      Description: 'soc2-evidence: encrypts the evidence bucket',
    });
  });

  it('blocks all public access and logs to a separate, unlocked, encrypted bucket', () => {
    expect(props.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    const logTarget = (props.LoggingConfiguration as { DestinationBucketName: { Ref: string } })
      .DestinationBucketName.Ref;
    const logBucket = template.toJSON().Resources[logTarget];
    expect(logBucket.Properties.ObjectLockEnabled).toBeUndefined();
    expect(
      logBucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault
        .SSEAlgorithm,
    ).toBe('AES256');
  });

  it('denies requests without TLS and below TLS 1.2', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
          }),
        ]),
      },
    });
  });

  it('denies deleting or hiding evidence to every principal when no break-glass role is configured', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'DenyEvidenceDeletion',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: [
              's3:BypassGovernanceRetention',
              's3:DeleteBucket',
              's3:DeleteObject',
              's3:DeleteObjectVersion',
              's3:PutLifecycleConfiguration',
            ],
            Resource: Match.anyValue(),
          },
          Match.objectLike({
            Sid: 'DenyProtectionChanges',
            Effect: 'Deny',
            Action: [
              's3:DeleteBucketPolicy',
              's3:PutBucketAcl',
              's3:PutBucketLogging',
              's3:PutBucketObjectLockConfiguration',
              's3:PutBucketOwnershipControls',
              's3:PutBucketPolicy',
              's3:PutBucketPublicAccessBlock',
              's3:PutBucketVersioning',
              's3:PutEncryptionConfiguration',
            ],
            // Only CloudFormation's deployment role may still update the bucket's own settings.
            Condition: {
              ArnNotEquals: { 'aws:PrincipalArn': [{ 'Fn::Sub': Match.stringLikeRegexp('cfn-exec-role') }] },
            },
          }),
        ]),
      },
    });
  });

  it('refuses any write without If-None-Match, so nothing can be written over evidence', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'DenyOverwrites',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:PutObject',
            Condition: { Null: { 's3:if-none-match': 'true' } },
          }),
        ]),
      },
    });
  });

  it('denies disabling or deleting the bucket key to everyone', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      Description: 'soc2-evidence: encrypts the evidence bucket',
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'DenyKeyDestruction',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: ['kms:DisableKey', 'kms:ScheduleKeyDeletion'],
            Resource: '*',
          },
        ]),
      },
    });
  });

  it('exempts only the configured break-glass role', () => {
    const role = BREAK_GLASS_ROLE;
    const { template: t } = synth(VARIANT);
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'DenyEvidenceDeletion',
            Condition: { ArnNotEquals: { 'aws:PrincipalArn': [role] } },
          }),
          Match.objectLike({
            Sid: 'DenyProtectionChanges',
            Condition: { ArnNotEquals: { 'aws:PrincipalArn': Match.arrayWith([role]) } },
          }),
        ]),
      },
    });
    for (const description of [
      'soc2-evidence: encrypts the evidence bucket',
      Match.stringLikeRegexp('signs the SHA-256'),
    ]) {
      t.hasResourceProperties('AWS::KMS::Key', {
        Description: description,
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: 'DenyKeyDestruction',
              Condition: { ArnNotEquals: { 'aws:PrincipalArn': [role] } },
            }),
          ]),
        },
      });
    }
  });

  it('refuses to synthesise GOVERNANCE retention whose bypass is not acknowledged', () => {
    expect(() => synth({ ...BASE_CONFIG, retention: { mode: 'GOVERNANCE', days: 30 } })).toThrow(
      /soc2Evidence\.retention\.acknowledgeGovernanceBypass must be true/,
    );
  });

  it('takes retention from config', () => {
    const { template: t } = synth(VARIANT);
    t.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } },
      },
    });
  });
});

describe('iam-mfa collector', () => {
  it('runs on Node.js 24 with JSON logs kept 13 months, under a name operators can type', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'Soc2Evidence-iam-mfa',
      Runtime: 'nodejs24.x',
      Description: Match.stringLikeRegexp('IAM MFA status'),
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }),
    });
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 400 });
  });

  it('is scheduled daily at 06:00 in the configured time zone, with retries and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Description: 'soc2-evidence iam-mfa (daily)',
      ScheduleExpression: 'cron(0 6 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      State: 'ENABLED',
      Target: Match.objectLike({
        RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 21600 },
        DeadLetterConfig: { Arn: Match.anyValue() },
      }),
    });
  });

  it('retries async failures and sends what still fails to a queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });

  it('has a role with exactly the collector read actions, the evidence prefix and the KMS data key', () => {
    const role = stack.collectors['iam-mfa']!.role;
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: stack.getLogicalId(role.node.defaultChild as never) }] },
    });
    const statements = Object.values(policies).flatMap(
      (p) =>
        (
          p as {
            Properties: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } };
          }
        ).Properties.PolicyDocument.Statement,
    );
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();
    // Lambda sends failed async events to the on-failure queue with the function's own role: the sqs actions.
    expect(actions).toEqual(
      [
        'iam:GenerateCredentialReport',
        'iam:GetCredentialReport',
        'iam:ListVirtualMFADevices',
        'kms:GenerateDataKey',
        'kms:Sign', // the evidence signing key only (test/lib/signing-key.test.ts)
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        's3:PutObject',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SendMessage',
      ].sort(),
    );
    const put = statements.find((s) => s.Action === 's3:PutObject')!;
    expect(JSON.stringify(put.Resource)).toContain('/evidence/*');
    expect(actions.some((a) => a.endsWith('*'))).toBe(false);
  });
});

describe('every collector', () => {
  it.each(COLLECTORS.map((c) => [c.id, c]))(
    '%s has a schedule, a function and alarms that name it',
    (id, collector) => {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        Description: `soc2-evidence ${id} (${collector.frequency})`,
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `Soc2Evidence-${id}-collector-failed`,
        MetricName: 'Errors',
        Threshold: 1,
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `Soc2Evidence-${id}-evidence-incomplete`,
        Namespace: 'Soc2Evidence',
        MetricName: 'CollectionErrors',
        Dimensions: [{ Name: 'Collector', Value: id }],
      });
    },
  );

  it('can be disabled from config', () => {
    const { template: t } = synth(VARIANT);
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      Description: 'soc2-evidence iam-mfa (daily)',
      State: 'DISABLED',
    });
  });
});

describe('alarms and outputs', () => {
  it('sends every alarm to one encrypted topic with the alarm email subscribed', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'alerts@example.com',
    });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThanOrEqual(2 * COLLECTORS.length + 2);
    for (const alarm of alarms)
      expect((alarm as { Properties: { AlarmActions: unknown[] } }).Properties.AlarmActions).toHaveLength(1);
  });

  it('alarms on schedule dead letters and exhausted retries', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Soc2Evidence-schedule-delivery-failed',
      MetricName: 'ApproximateNumberOfMessagesVisible',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Soc2Evidence-collector-retries-exhausted',
    });
  });

  it('outputs the bucket name, the key ARN and the alarm topic ARN', () => {
    for (const name of ['EvidenceBucketName', 'EvidenceKeyArn', 'AlarmTopicArn'])
      template.hasOutput(name, {});
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('has no unacknowledged finding', () => {
    // The messages of the assembly synthesised above (Annotations.fromStack would synthesise it again).
    const findings = app
      .synth()
      .getStackArtifact(stack.artifactId)
      .messages.filter((m) => m.level !== 'info' && /AwsSolutions-/.test(String(m.entry.data)))
      .map((f) => `${f.id}: ${String(f.entry.data).split(':')[0]}`);
    expect(findings).toEqual([]);
  });

  it('gives every acknowledgement a real reason', () => {
    const json = JSON.stringify(template.toJSON());
    const reasons = [...json.matchAll(/"reason":"([^"]*)"/g)].map((m) => m[1]!);
    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) expect(reason.length).toBeGreaterThan(40);
  });
});

describe('CloudFormation template validation', () => {
  // The default stack above was synthesised with it, so it passed; this shows the strict setting bites.
  it('fails the synthesis on a property CloudFormation does not know', () => {
    const app = testApp({}, { validate: true });
    new CfnResource(new Stack(app, 'Invalid'), 'Bucket', {
      type: 'AWS::S3::Bucket',
      properties: { NotABucketProperty: true },
    });
    expect(() => app.synth()).toThrow(/NotABucketProperty: Additional properties are not allowed/);
  });
});
