import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { ONLY_FROM_ITS_FUNCTION_ACTIONS, OUTSIDE_ITS_FUNCTION_SID } from '../../lib/scheduled-function';
import { BASE_CONFIG, synth } from './stack-fixture';

const { stack, template } = synth(BASE_CONFIG);
const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
const resources = template.toJSON().Resources as Record<
  string,
  { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] }
>;

/** Every producer: its function and the role that function runs with. */
const producers: Record<string, { function: lambda.Function; role: iam.Role }> = {
  ...stack.collectors,
  'coverage-watchdog': stack.watchdog,
  sealer: stack.sealer,
  'tamper-watch': stack.tamperWatch,
  'risk-register': stack.riskRegister,
};

/** Resolves the pseudo parameters of a synthesised Fn::Join as they would be in one account and region. */
function resolvePseudo(value: unknown, pseudo: Record<string, string>): string {
  if (typeof value === 'string') return value;
  const v = value as { Ref?: string; 'Fn::Join'?: [string, unknown[]] };
  if (v.Ref && pseudo[v.Ref]) return pseudo[v.Ref]!;
  if (v['Fn::Join']) return v['Fn::Join'][1].map((p) => resolvePseudo(p, pseudo)).join(v['Fn::Join'][0]);
  throw new Error(`unexpected reference ${JSON.stringify(value)}`);
}

describe('producer roles: signing and writing only from their own function', () => {
  it('covers every producer the stack signs for', () => {
    expect(Object.keys(producers).sort()).toEqual([...stack.signing.producers].sort());
  });

  it.each(Object.keys(producers))(
    '%s: its role denies kms:Sign and s3:PutObject unless lambda:SourceFunctionArn is its own function',
    (producer) => {
      const { function: fn, role } = producers[producer]!;
      const fnProps = resources[id(fn)]!.Properties;
      expect(fnProps.Role).toEqual({ 'Fn::GetAtt': [id(role), 'Arn'] });
      const functionName = fnProps.FunctionName as string;
      expect(functionName).toMatch(/^Soc2Evidence-/);

      const roleProps = resources[id(role)]!.Properties;
      // The trust is any Lambda function (a service role cannot name its function): hence the Deny.
      expect(roleProps.AssumeRolePolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [
          { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
        ],
      });
      const functionArn = {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':lambda:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            `:function:${functionName}`,
          ],
        ],
      };
      expect(roleProps.Policies).toEqual([
        {
          PolicyName: OUTSIDE_ITS_FUNCTION_SID,
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: OUTSIDE_ITS_FUNCTION_SID,
                Effect: 'Deny',
                Action: ['kms:Sign', 's3:PutObject'],
                Resource: '*',
                Condition: { ArnNotEquals: { 'lambda:SourceFunctionArn': functionArn } },
              },
            ],
          },
        },
      ]);
      // The ARN Lambda puts in the request context of the function's own calls (unqualified).
      expect(
        resolvePseudo(functionArn, {
          'AWS::Partition': 'aws',
          'AWS::Region': 'eu-west-1',
          'AWS::AccountId': '123456789012',
        }),
      ).toBe(`arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`);

      // Built from the name, not referenced: the role (and so the function) does not depend on the function.
      const roleJson = JSON.stringify(resources[id(role)]);
      expect(roleJson).not.toContain(id(fn));
    },
  );

  it('denies exactly what signs or writes evidence', () => {
    expect([...ONLY_FROM_ITS_FUNCTION_ACTIONS]).toEqual(['kms:Sign', 's3:PutObject']);
  });

  it('no other role of the stack holds an identity-policy Deny', () => {
    const producerRoleIds = new Set(Object.values(producers).map((p) => id(p.role)));
    const withDeny = Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::Role')
      .filter(([, r]) => JSON.stringify(r.Properties.Policies ?? []).includes('"Deny"'))
      .map(([rid]) => rid);
    expect(withDeny.sort()).toEqual([...producerRoleIds].sort());
  });
});
