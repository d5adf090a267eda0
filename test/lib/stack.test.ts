import { CfnResource, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { COLLECTORS } from '../../lambdas/collectors/registry';
import { MEMBER_ROLE_ENV, ORGANIZATION_ENV } from '../../lambdas/organization/contract';
import { DIGESTS_WRITER_SID, EvidenceBucket } from '../../lib/evidence-bucket';
import { BASE_CONFIG, synth, testApp } from './stack-fixture';
import { COLLECTOR_MEMORY_MB, DEFAULT_COLLECTOR_MEMORY_MB } from '../../lib/collector-sizing';

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

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };
type Resource = { Type: string; Properties: Record<string, unknown> };
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const STACK = 'Soc2Evidence';
/** The statements of every identity policy attached to `role`. */
function roleStatements(role: { node: { defaultChild?: unknown } }): Statement[] {
  const roleId = stack.getLogicalId(role.node.defaultChild as never);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

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

  it('uses SSE-S3: no customer-managed key anyone in the account could disable or delete', () => {
    expect(props.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    // Only the signing keys (asymmetric) and the alarm topic's key exist; none encrypts evidence.
    const keys = Object.values(template.findResources('AWS::KMS::Key')) as {
      Properties: { KeySpec?: string; Description: string };
    }[];
    expect(
      keys.filter((k) => k.Properties.KeySpec !== 'ECC_NIST_P256').map((k) => k.Properties.Description),
    ).toEqual(['soc2-evidence: encrypts the alarm topic']);
    template.resourcePropertiesCountIs(
      'AWS::KMS::Key',
      { KeySpec: 'ECC_NIST_P256' },
      stack.signing.producers.length,
    );
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

  it("denies writing under digests/ to every principal but the sealer's role, and leaves evidence/ writable", () => {
    const sealerRoleId = stack.getLogicalId(stack.sealer.role.node.defaultChild as never);
    const [policyId, policy] = resourceOf(
      'AWS::S3::BucketPolicy',
      (r) => JSON.stringify(r.Properties.Bucket) === JSON.stringify({ Ref: bucketId }),
    )!;
    const statements = (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties
      .PolicyDocument.Statement;
    expect(statements).toContainEqual({
      Sid: DIGESTS_WRITER_SID,
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:PutObject',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/digests/*']] },
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': { 'Fn::GetAtt': [sealerRoleId, 'Arn'] } } },
    });
    // The sealer's role is the only one allowed to write there.
    const digestWriters = Object.entries(template.findResources('AWS::IAM::Policy'))
      .filter(([, p]) =>
        (p.Properties.PolicyDocument.Statement as Statement[]).some(
          (st) =>
            [st.Action].flat().includes('s3:PutObject') && JSON.stringify(st.Resource).includes('/digests/'),
        ),
      )
      .map(([, p]) => p.Properties.Roles as unknown);
    expect(digestWriters).toEqual([[{ Ref: sealerRoleId }]]);
    // No cycle: the policy names the role, and the role depends on nothing of the bucket policy.
    const sealerRole = template.toJSON().Resources[sealerRoleId];
    expect(JSON.stringify(sealerRole)).not.toContain(policyId);
    // People write unsigned attestations (`review record`) under evidence/ with their own credentials: the only
    // Deny of s3:PutObject there is the one refusing writes without If-None-Match.
    const putDenies = (statements as (Statement & { Sid?: string; Effect: string })[])
      .filter((st) => st.Effect === 'Deny' && [st.Action].flat().includes('s3:PutObject'))
      .map((st) => st.Sid);
    expect(putDenies.sort()).toEqual(['DenyOverwrites', DIGESTS_WRITER_SID].sort());
  });

  it('refuses a stack whose evidence bucket has no digest writer', () => {
    const s = new Stack(testApp(), 'NoSealer');
    new EvidenceBucket(s, 'Evidence');
    expect(() => Template.fromStack(s)).toThrow(/no digest writer/);
  });

  it('protects the access-log bucket like the evidence: no deletion, no lifecycle, no loosening', () => {
    const logTarget = (props.LoggingConfiguration as { DestinationBucketName: { Ref: string } })
      .DestinationBucketName.Ref;
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logTarget },
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'DenyLogDeletion',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: [
              's3:DeleteBucket',
              's3:DeleteObject',
              's3:DeleteObjectVersion',
              's3:PutLifecycleConfiguration',
            ],
            Resource: [
              { 'Fn::GetAtt': [logTarget, 'Arn'] },
              { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logTarget, 'Arn'] }, '/*']] },
            ],
          },
          Match.objectLike({
            Sid: 'DenyLogProtectionChanges',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: [
              's3:DeleteBucketPolicy',
              's3:PutBucketAcl',
              's3:PutBucketOwnershipControls',
              's3:PutBucketPolicy',
              's3:PutBucketPublicAccessBlock',
              's3:PutBucketVersioning',
              's3:PutEncryptionConfiguration',
            ],
            Condition: {
              ArnNotEquals: { 'aws:PrincipalArn': [{ 'Fn::Sub': Match.stringLikeRegexp('cfn-exec-role') }] },
            },
          }),
        ]),
      },
    });
    // S3 refuses an Object Lock bucket as a server access log target: the policy is the protection.
    const logBucket = template.toJSON().Resources[logTarget];
    expect(logBucket.Properties.ObjectLockConfiguration).toBeUndefined();
    expect(logBucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(logBucket.DeletionPolicy).toBe('Retain');
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
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'DenyLogDeletion',
            Condition: { ArnNotEquals: { 'aws:PrincipalArn': [role] } },
          }),
          Match.objectLike({
            Sid: 'DenyLogProtectionChanges',
            Condition: { ArnNotEquals: { 'aws:PrincipalArn': Match.arrayWith([role]) } },
          }),
        ]),
      },
    });
    // Every signing key exempts the same role (test/lib/signing-keys.test.ts checks the whole policy).
    const keys = Object.values(
      t.findResources('AWS::KMS::Key', { Properties: { KeySpec: 'ECC_NIST_P256' } }),
    );
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys)
      expect(key.Properties.KeyPolicy.Statement).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Sid: 'OnlyBreakGlassChangesTheKey',
            Condition: { ArnNotEquals: { 'aws:PrincipalArn': [role] } },
          }),
        ]),
      );
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

  it('has a role with exactly the collector read actions, writing its own kind, and signing with its own key', () => {
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
        'kms:Sign', // its own signing key only (test/lib/signing-keys.test.ts)
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        's3:PutObject',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SendMessage',
      ].sort(),
    );
    const put = statements.find((s) => s.Action === 's3:PutObject')!;
    expect(put.Resource).toEqual({
      'Fn::Join': [
        '',
        [
          { 'Fn::GetAtt': [expect.stringMatching(/^EvidenceBucket/), 'Arn'] },
          '/evidence/????/??/??/iam-mfa/*',
        ],
      ],
    });
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

  it('may write only the evidence kinds whose producer it is, and sign only with its own key', () => {
    const bucket = stack.getLogicalId(stack.evidence.bucket.node.defaultChild as never);
    const writes: Record<string, string[]> = {};
    for (const [id, collector] of Object.entries(stack.collectors)) {
      const statements = roleStatements(collector.role);
      const puts = statements.filter((s) => [s.Action].flat().includes('s3:PutObject'));
      writes[id] = puts
        .flatMap((s) => [s.Resource].flat())
        .map((r) => {
          const parts = (r as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
          expect(parts[0]).toEqual({ 'Fn::GetAtt': [bucket, 'Arn'] });
          return parts[1] as string;
        });
      const sign = statements.filter((s) => [s.Action].flat().includes('kms:Sign'));
      expect(sign.map((s) => s.Resource)).toEqual([
        { 'Fn::GetAtt': [stack.getLogicalId(stack.signing.keyFor(id).node.defaultChild as never), 'Arn'] },
      ]);
    }
    expect(writes).toEqual({
      'iam-mfa': ['/evidence/????/??/??/iam-mfa/*'],
      'inactive-users': ['/evidence/????/??/??/inactive-users/*'],
      'access-review': ['/evidence/????/??/??/access-review-email/*', '/evidence/????/??/??/access-review/*'],
      'network-exposure': ['/evidence/????/??/??/network-exposure/*'],
      'console-signins': ['/evidence/????/??/??/console-signins/*'],
      backups: ['/evidence/????/??/??/backups/*'],
      encryption: ['/evidence/????/??/??/encryption/*'],
      tls: ['/evidence/????/??/??/tls/*'],
      'iam-privilege': ['/evidence/????/??/??/iam-privilege/*'],
      'password-policy': ['/evidence/????/??/??/password-policy/*'],
      'key-rotation': ['/evidence/????/??/??/key-rotation/*'],
      'public-access': ['/evidence/????/??/??/public-access/*'],
      'threat-detection': ['/evidence/????/??/??/threat-detection/*'],
      'audit-logging': ['/evidence/????/??/??/audit-logging/*'],
      vulnerabilities: ['/evidence/????/??/??/vulnerabilities/*'],
      resilience: ['/evidence/????/??/??/resilience/*'],
    });
  });

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

  it('outputs the bucket name, the signing key alias prefix with how to pin, and the alarm topic ARN', () => {
    expect(Object.keys(template.toJSON().Outputs).sort()).toEqual(
      ['AlarmTopicArn', 'EvidenceBucketName', 'SigningKeyAliasPrefix'].sort(),
    );
    template.hasOutput('SigningKeyAliasPrefix', {
      Value: 'alias/Soc2Evidence/signing/',
      Description: Match.stringLikeRegexp('soc2-evidence pin --stack'),
    });
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

describe('function environments', () => {
  /**
   * Lambda refuses a function whose environment variables take more than 4 KB in all, at deploy time. The
   * template holds references, not values: each is counted at the longest value it can take (a key ARN in
   * aws-us-gov's longest region, a 64-character name), so it holds in any partition and account. The coverage
   * watchdog is the largest (a key ARN per producer and every schedule: 3,662 bytes at worst with 20 producers);
   * more producers need its keys passed in a shorter form (key ids under one ARN prefix).
   */
  const LONGEST_ARN = 'arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef'
    .length;
  function resolvedLength(v: unknown): number {
    if (typeof v === 'string') return v.length;
    if (Array.isArray(v)) return v.reduce((n: number, x) => n + resolvedLength(x), 0);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ('Fn::Join' in o) {
        const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
        return parts.reduce((n: number, p) => n + resolvedLength(p), 0) + sep.length * (parts.length - 1);
      }
      if ('Fn::GetAtt' in o || 'Ref' in o) return Math.max(LONGEST_ARN, 64);
      return JSON.stringify(v).length;
    }
    return String(v).length;
  }

  it('every function keeps its variables within 4 KB, every reference at its longest', () => {
    const sizes = Object.entries(template.findResources('AWS::Lambda::Function')).map(([id, f]) => {
      const vars = ((f.Properties as { Environment?: { Variables?: Record<string, unknown> } }).Environment
        ?.Variables ?? {}) as Record<string, unknown>;
      return [id, Object.entries(vars).reduce((n, [k, v]) => n + k.length + resolvedLength(v), 0)] as const;
    });
    expect(sizes.length).toBeGreaterThanOrEqual(16);
    for (const [id, size] of sizes)
      expect({ id, size, under: size <= 4096 }).toEqual({ id, size, under: true });
  });
});

/**
 * Organization mode (test/lib/organization.test.ts) leaves the single-account stack as it was. These tests
 * read the default stack synthesised above (the same configuration: one synthesis serves both files' needs).
 */
describe('single-account mode is unchanged', () => {
  const single = synth(BASE_CONFIG, { validate: true });
  const singleResources = single.template.toJSON().Resources as Record<string, Resource>;

  it('synthesises the same resources, by logical id and type, as before organization mode', () => {
    const ids = Object.entries(singleResources)
      .map(([id, r]) => `${id} ${r.Type}`)
      .sort();
    expect(ids).toMatchSnapshot();
  });

  it('has no state machine, StackSet, fixed role name, organization variable, member stack or assume-role', () => {
    const types = new Set(Object.values(singleResources).map((r) => r.Type));
    expect(types.has('AWS::StepFunctions::StateMachine')).toBe(false);
    expect(types.has('AWS::CloudFormation::StackSet')).toBe(false);
    for (const r of Object.values(singleResources).filter((r) => r.Type === 'AWS::IAM::Role'))
      expect(r.Properties.RoleName).toBeUndefined();
    const json = JSON.stringify(singleResources);
    expect(json).not.toContain(MEMBER_ROLE_ENV);
    expect(json).not.toContain(ORGANIZATION_ENV);
    const identityPolicies = JSON.stringify(
      Object.values(singleResources).filter((r) => r.Type === 'AWS::IAM::Policy'),
    );
    expect(identityPolicies).not.toContain('sts:AssumeRole');
    expect(single.app.node.children.map((c) => c.node.id).filter((id) => id.startsWith(STACK))).toEqual([
      STACK,
    ]);
    expect(single.stack.organization).toBeUndefined();
  });

  it('keeps each collector reading its own account with its own read actions', () => {
    for (const c of COLLECTORS) {
      const roleId = single.stack.getLogicalId(
        single.stack.collectors[c.id]!.role.node.defaultChild as never,
      );
      const actions = Object.values(singleResources)
        .filter(
          (p) =>
            p.Type === 'AWS::IAM::Policy' &&
            JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]),
        )
        .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
        .flatMap(actionsOf);
      for (const a of c.iamActions)
        expect({ c: c.id, a, granted: actions.includes(a) }).toEqual({ c: c.id, a, granted: true });
    }
  });
});

// Collector memory (moved from collector-memory.test.ts to reuse this file's synthesis of the same stack).
const memoryResources = template.toJSON().Resources as Record<
  string,
  { Properties: Record<string, unknown> }
>;

function memoryOf(collectorId: string): unknown {
  const collector = stack.collectors[collectorId];
  if (!collector) throw new Error(`the stack has no collector ${collectorId}`);
  const id = stack.getLogicalId(collector.function.node.defaultChild as never);
  return memoryResources[id]?.Properties.MemorySize;
}

describe('collector functions are deployed with their measured memory (docs/PERFORMANCE.md)', () => {
  // The sizes issue 18's measurements chose, written out: a change to lib/collector-sizing.ts must change this too.
  it.each([
    ['public-access', 1024],
    ['encryption', 512],
    ['tls', 512],
    ['resilience', 512],
  ])('%s: %i MB', (collectorId, mb) => {
    expect(memoryOf(collectorId)).toBe(mb);
    expect(COLLECTOR_MEMORY_MB[collectorId]).toBe(mb);
  });

  it('every other collector keeps the default', () => {
    const others = Object.keys(stack.collectors).filter((id) => !(id in COLLECTOR_MEMORY_MB));
    expect(others.length).toBeGreaterThan(5);
    for (const id of others) expect([id, memoryOf(id)]).toEqual([id, DEFAULT_COLLECTOR_MEMORY_MB]);
  });
});
