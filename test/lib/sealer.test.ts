import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { SEALER_CRON } from '../../lambdas/evidence/producers';
import { SEALER_ENTRY } from '../../lib/sealer';
import { BASE_CONFIG, expectOnlyItsOwnFunctionDeny, synth } from './stack-fixture';

const { stack, template } = synth(BASE_CONFIG);
const sealer = stack.sealer;
const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown; Effect: string };

function roleStatements(): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: id(sealer.role) }]))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

describe('Sealer', () => {
  const bucketArn = { 'Fn::GetAtt': [id(stack.evidence.bucket), 'Arn'] };
  const objects = (prefix: string) => ({ 'Fn::Join': ['', [bucketArn, `/${prefix}*`]] });
  const keyArn = (producer: string) => ({ 'Fn::GetAtt': [id(stack.signing.keyFor(producer)), 'Arn'] });

  it('is <stack>-sealer from lambdas/handlers/sealer.ts, 512 MB, 10 minutes, scheduled daily in UTC', () => {
    const fn = template.toJSON().Resources[id(sealer.function)];
    expect(fn.Properties).toMatchObject({
      FunctionName: 'Soc2Evidence-sealer',
      MemorySize: 512,
      Timeout: 600,
      Runtime: 'nodejs24.x',
    });
    expect(SEALER_ENTRY).toBe(join(__dirname, '..', '..', 'lambdas', 'handlers', 'sealer.ts'));
    expect(existsSync(SEALER_ENTRY)).toBe(true);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: SEALER_CRON,
      // The configured time zone is Europe/Paris: the sealer runs in UTC anyway, as evidence keys are dated.
      ScheduleExpressionTimezone: 'UTC',
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [id(sealer.function), 'Arn'] },
        DeadLetterConfig: Match.objectLike({ Arn: Match.anyValue() }),
      }),
    });
  });

  it('gets the bucket and its own key, and no other producer key (its handler reads none)', () => {
    const env = template.toJSON().Resources[id(sealer.function)].Properties.Environment.Variables;
    expect(env.EVIDENCE_BUCKET).toEqual({ Ref: id(stack.evidence.bucket) });
    expect(env.SIGNING_KEY_ARN).toEqual(keyArn('sealer'));
    expect(env.PRODUCER_SIGNING_KEYS).toBeUndefined();
  });

  it('has a role with exactly: list versions of evidence/ and digests/, read versions, write digests, sign with and read its own key', () => {
    const statements = roleStatements().map((s) => ({ ...s, Action: [s.Action].flat().sort() }));
    expect(statements).toEqual([
      expect.objectContaining({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'] }),
      // ListObjectVersions only (no ListObjectsV2: no s3:ListBucket), and GetObject always with the listed
      // VersionId (s3:GetObjectVersion, not s3:GetObject): what test/least-privilege.test.ts measures.
      {
        Action: ['s3:ListBucketVersions'],
        Effect: 'Allow',
        Resource: bucketArn,
        Condition: { StringLike: { 's3:prefix': ['evidence/*', 'digests/*'] } },
      },
      {
        Action: ['s3:GetObjectVersion'],
        Effect: 'Allow',
        Resource: [objects('digests/'), objects('evidence/')],
      },
      { Action: ['s3:PutObject'], Effect: 'Allow', Resource: objects('digests/') },
      // Its own key only: it checks the digest each chain continues from against its own public key.
      { Action: ['kms:GetPublicKey', 'kms:Sign'], Effect: 'Allow', Resource: keyArn('sealer') },
    ]);
    expectOnlyItsOwnFunctionDeny(template.toJSON().Resources[id(sealer.role)].Properties);
  });

  it('alarms on its errors and when it has not sent a heartbeat for more than a day', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Soc2Evidence-sealer-failed',
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: id(sealer.function) } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Soc2Evidence-sealer-heartbeat-missing',
      Namespace: 'Soc2Evidence',
      MetricName: 'Heartbeat',
      Dimensions: [{ Name: 'Producer', Value: 'sealer' }],
      Period: 3600,
      EvaluationPeriods: 26,
      DatapointsToAlarm: 26,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }],
    });
  });
});
