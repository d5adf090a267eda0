import { Template } from 'aws-cdk-lib/assertions';
import { parseConfig } from '../../lib/config';
import { SIGNING_KEY_ADMIN_ACTIONS } from '../../lib/signing-key';
import { Soc2EvidenceStack } from '../../lib/soc2-evidence-stack';
import { ENV } from '../../lambdas/runtime/runtime-env';
import { testApp } from './stack-fixture';

const EMAILS = {
  securityEmail: 'security@example.com',
  senderEmail: 'soc2@example.com',
  alarmEmail: 'alerts@example.com',
};
// The stack alone (no cdk-nag) with the shipped feature flags, synthesised once for the file.
const app = testApp();
const stack = new Soc2EvidenceStack(app, 'T', { config: parseConfig(EMAILS, { requireEmails: true }) });
const template = Template.fromStack(stack);

type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Principal: unknown;
  Resource: unknown;
};
const asList = (a: string | string[]) => (Array.isArray(a) ? a : [a]);

const [keyId, key] = Object.entries(
  template.findResources('AWS::KMS::Key', { Properties: { KeySpec: 'ECC_NIST_P256' } }),
)[0]!;
const statements = key.Properties.KeyPolicy.Statement as Statement[];

describe('signing key', () => {
  it('is an asymmetric P-256 signing key kept when the stack is deleted', () => {
    expect(key.Properties).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    expect(key.DeletionPolicy).toBe('Retain');
    template.hasOutput('SigningKeyArn', { Value: { 'Fn::GetAtt': [keyId, 'Arn'] } });
  });

  it('lets the account administer the key but never sign with it', () => {
    const root = statements.find((s) => s.Sid === 'AccountAdministersButCannotSign')!;
    expect(asList(root.Action).sort()).toEqual([...SIGNING_KEY_ADMIN_ACTIONS].sort());
    expect(JSON.stringify(root.Principal)).toContain(':root');
    for (const s of statements) {
      expect(
        asList(s.Action).some((a) => a === 'kms:*' || a === '*' || (a !== 'kms:Sign' && /^kms:Sig/.test(a))),
      ).toBe(false);
    }
  });

  it('grants kms:Sign to exactly the collector roles and the coverage watchdog, in the key policy and in each role policy', () => {
    const signers = statements.filter((s) => asList(s.Action).includes('kms:Sign'));
    const principals = signers.flatMap((s) => {
      const aws = (s.Principal as { AWS: unknown }).AWS;
      return Array.isArray(aws) ? aws : [aws];
    });
    // Every function that writes evidence signs it: the collectors and the watchdog's coverage evidence.
    const collectorRoles = [
      ...Object.keys(stack.collectors).map((id) => stack.resolve(stack.collectors[id]!.role.roleArn)),
      stack.resolve(stack.watchdog.role.roleArn),
    ];
    expect(principals).toHaveLength(collectorRoles.length);
    expect(principals).toEqual(expect.arrayContaining(collectorRoles));
    for (const s of signers) expect(asList(s.Action)).toEqual(['kms:Sign']);

    for (const collector of Object.values(stack.collectors)) {
      const fn = stack.resolve(
        (collector.function.node.defaultChild as { environment?: unknown }).environment,
      );
      expect(JSON.stringify(fn)).toContain(ENV.signingKeyArn);
    }
    const rolePolicies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p).includes('"kms:Sign"'),
    );
    expect(rolePolicies).toHaveLength(collectorRoles.length);
    for (const p of rolePolicies) {
      const sign = (p.Properties.PolicyDocument.Statement as Statement[]).find((s) =>
        asList(s.Action).includes('kms:Sign'),
      )!;
      expect(sign.Resource).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    }
  });
});
