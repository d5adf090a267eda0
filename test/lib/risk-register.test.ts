import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RISK_REGISTER_ENTRY, riskRegisterFunctionName } from '../../lib/risk-register';
import { BASE_CONFIG, expectOnlyItsOwnFunctionDeny, synth } from './stack-fixture';

const { stack, template } = synth(BASE_CONFIG);
const register = stack.riskRegister;
const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
type Statement = {
  Action: string | string[];
  Resource: unknown;
  Effect: string;
  Sid?: string;
  Condition?: unknown;
};
const resources = template.toJSON().Resources as Record<
  string,
  { Type: string; Properties: Record<string, unknown> }
>;

describe('RiskRegister', () => {
  it('is <stack>-risk-register from lambdas/handlers/risk-register.ts, with the bucket and its own key, on no schedule', () => {
    const fn = resources[id(register.function)]!.Properties;
    expect(fn.FunctionName).toBe('Soc2Evidence-risk-register');
    expect(riskRegisterFunctionName('Soc2Evidence')).toBe('Soc2Evidence-risk-register');
    expect(RISK_REGISTER_ENTRY).toBe(join(__dirname, '..', '..', 'lambdas', 'handlers', 'risk-register.ts'));
    expect(existsSync(RISK_REGISTER_ENTRY)).toBe(true);
    expect(fn.Environment).toEqual({
      Variables: {
        EVIDENCE_BUCKET: { Ref: id(stack.evidence.bucket) },
        SIGNING_KEY_ARN: { 'Fn::GetAtt': [id(stack.signing.keyFor('risk-register')), 'Arn'] },
        POWERTOOLS_SERVICE_NAME: 'soc2-evidence',
      },
    });
    expect(fn.Timeout).toBe(30);
    // Nothing invokes it but people with lambda:InvokeFunction: no schedule, no rule, no resource policy.
    const fnArn = JSON.stringify({ 'Fn::GetAtt': [id(register.function), 'Arn'] });
    for (const [, r] of Object.entries(resources))
      if (['AWS::Scheduler::Schedule', 'AWS::Events::Rule', 'AWS::Lambda::Permission'].includes(r.Type))
        expect(JSON.stringify(r.Properties)).not.toContain(fnArn);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: id(register.function) },
      MaximumRetryAttempts: 0,
    });
  });

  it('has a signing key with its protected alias, signed with by its role only', () => {
    template.hasResource('AWS::KMS::Alias', {
      Properties: {
        AliasName: 'alias/Soc2Evidence/signing/risk-register',
        TargetKeyId: { 'Fn::GetAtt': [id(stack.signing.keyFor('risk-register')), 'Arn'] },
      },
      DeletionPolicy: 'Retain',
    });
    const keyPolicy = resources[id(stack.signing.keyFor('risk-register'))]!.Properties.KeyPolicy as {
      Statement: (Statement & { Principal: unknown })[];
    };
    expect(keyPolicy.Statement.find((s) => s.Sid === 'ProducerSigns')).toMatchObject({
      Principal: { AWS: { 'Fn::GetAtt': [id(register.role), 'Arn'] } },
      Action: ['kms:GetPublicKey', 'kms:Sign'],
    });
  });

  it('has a role with exactly: write risk-acceptance evidence, sign with its own key, its logs', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: id(register.role) }]))
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
      .map((s) => ({ ...s, Action: [s.Action].flat().sort() }));
    const bucketArn = { 'Fn::GetAtt': [id(stack.evidence.bucket), 'Arn'] };
    expect(statements).toEqual([
      {
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^RiskRegisterLogs/), 'Arn'] },
      },
      {
        Action: ['s3:PutObject'],
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', [bucketArn, '/evidence/????/??/??/risk-acceptance/*']] },
      },
      {
        Action: ['kms:Sign'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [id(stack.signing.keyFor('risk-register')), 'Arn'] },
      },
    ]);
  });

  it("denies signing and writing outside its own function, in the role's only inline policy", () => {
    // The statement itself, for every producer's role: test/lib/function-roles.test.ts.
    expectOnlyItsOwnFunctionDeny(resources[id(register.role)]!.Properties);
  });

  it('alarms when the function throws (a refused or failed recording), and the tamper watch watches its role', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Soc2Evidence-risk-register-failed',
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: id(register.function) } }],
      Threshold: 1,
      TreatMissingData: 'notBreaching',
    });
    expect(register.alarms).toHaveLength(1);
    expect(stack.signing.signerRoles()).toContain(register.role);
  });
});
