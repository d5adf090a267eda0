import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SINGLE_ACCOUNT_PRODUCER_IDS as PRODUCER_IDS } from '../../lambdas/collectors/registry';
import { SEALER_PRODUCER, TAMPER_WATCH_PRODUCER } from '../../lambdas/evidence/producers';
import { ACCOUNTS_PRODUCER } from '../../lambdas/organization/contract';
import { ENV } from '../../lambdas/runtime/runtime-env';
import { parseConfig } from '../../lib/config';
import {
  ACCOUNT_KEY_ACTIONS,
  BREAK_GLASS_KEY_ACTIONS,
  BREAK_GLASS_ONLY_KEY_ACTIONS,
  NOBODY_KEY_ACTIONS,
  SIGNER_KEY_ACTIONS,
  SigningKeys,
} from '../../lib/signing-keys';
import { Soc2EvidenceStack } from '../../lib/soc2-evidence-stack';
import { testApp } from './stack-fixture';

const EMAILS = {
  securityEmail: 'security@example.com',
  senderEmail: 'soc2@example.com',
  alarmEmail: 'alerts@example.com',
};
const BREAK_GLASS = 'arn:aws:iam::123456789012:role/EvidenceBreakGlass';

/** The stack alone (no cdk-nag) with the shipped feature flags. */
function synth(extra: Record<string, unknown> = {}) {
  const stack = new Soc2EvidenceStack(testApp(), 'Soc2Evidence', {
    config: parseConfig({ ...EMAILS, ...extra }, { requireEmails: true }),
  });
  return { stack, template: Template.fromStack(stack) };
}
const { stack, template } = synth();

type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Principal: unknown;
  Resource: unknown;
  Condition?: unknown;
};
const asList = (a: string | string[]) => (Array.isArray(a) ? a : [a]);
const ROOT = {
  AWS: {
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']],
  },
};
const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);

/** Every producer role the stack deploys, by producer id. */
function producerRoles(s: Soc2EvidenceStack): Record<string, iam.Role> {
  return {
    ...Object.fromEntries(Object.entries(s.collectors).map(([cid, c]) => [cid, c.role])),
    'coverage-watchdog': s.watchdog.role,
    sealer: s.sealer.role,
    'tamper-watch': s.tamperWatch.role,
    'risk-register': s.riskRegister.role,
  };
}

describe('signing keys', () => {
  const roles = producerRoles(stack);

  it('creates one key per deployed producer: every registry producer, the tamper watch among them', () => {
    // The tamper watch is a registry producer (its evidence is a kind), so it is counted once, in PRODUCER_IDS.
    expect(PRODUCER_IDS).toContain(TAMPER_WATCH_PRODUCER);
    // The account list's producer is deployed in organization mode only (test/lib/organization.test.ts).
    const singleAccount = PRODUCER_IDS.filter((p) => p !== ACCOUNTS_PRODUCER);
    expect(stack.signing.producers.sort()).toEqual([...singleAccount].sort());
    expect(Object.keys(roles).sort()).toEqual(stack.signing.producers.sort());
  });

  it.each(Object.keys(producerRoles(stack)))(
    '%s: a retained P-256 signing key with its protected alias and the locked policy, signed by its role only',
    (producer) => {
      const key = stack.signing.keyFor(producer);
      const raw = template.toJSON().Resources[id(key)];
      expect(raw.DeletionPolicy).toBe('Retain');
      expect(raw.Properties).toMatchObject({
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        BypassPolicyLockoutSafetyCheck: true,
      });
      template.hasResource('AWS::KMS::Alias', {
        Properties: {
          AliasName: `alias/Soc2Evidence/signing/${producer}`,
          TargetKeyId: { 'Fn::GetAtt': [id(key), 'Arn'] },
        },
        DeletionPolicy: 'Retain',
      });
      // The whole policy, statement by statement: nothing else is in it (no CDK default kms:* to the root).
      expect(raw.Properties.KeyPolicy.Statement).toEqual([
        {
          Sid: 'AccountReadsAndHousekeeping',
          Effect: 'Allow',
          Principal: ROOT,
          Action: [...ACCOUNT_KEY_ACTIONS],
          Resource: '*',
        },
        {
          Sid: 'OnlyBreakGlassChangesTheKey',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: [...BREAK_GLASS_ONLY_KEY_ACTIONS],
          Resource: '*',
        },
        {
          Sid: 'NobodyGrants',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 'kms:CreateGrant',
          Resource: '*',
        },
        {
          Sid: 'ProducerSigns',
          Effect: 'Allow',
          // The role itself (KMS keeps its unique id), not an aws:PrincipalArn condition a re-created role passes.
          Principal: { AWS: { 'Fn::GetAtt': [id(roles[producer]!), 'Arn'] } },
          Action: [...SIGNER_KEY_ACTIONS],
          Resource: '*',
        },
      ]);
    },
  );

  it('gives the account only reads and the housekeeping CloudFormation needs: never sign, never change', () => {
    expect([...ACCOUNT_KEY_ACTIONS].sort()).toEqual([
      'kms:CreateAlias', // AWS::KMS::Alias create handler
      'kms:DescribeKey', // AWS::KMS::Key read handler, auditors
      'kms:GetKeyPolicy',
      'kms:GetKeyRotationStatus',
      'kms:GetPublicKey',
      'kms:ListGrants',
      'kms:ListKeyPolicies',
      'kms:ListResourceTags',
      'kms:TagResource', // stack tags
      'kms:UntagResource',
      'kms:Verify',
    ]);
    for (const denied of [...BREAK_GLASS_ONLY_KEY_ACTIONS, ...NOBODY_KEY_ACTIONS])
      expect(ACCOUNT_KEY_ACTIONS).not.toContain(denied);
    expect(ACCOUNT_KEY_ACTIONS).not.toContain('kms:Sign');
  });

  it('sets every function ENV.signingKeyArn to its own producer key', () => {
    const fns = {
      ...Object.fromEntries(Object.entries(stack.collectors).map(([cid, c]) => [cid, c.function])),
      'coverage-watchdog': stack.watchdog.function,
      sealer: stack.sealer.function,
      'tamper-watch': stack.tamperWatch.function,
      'risk-register': stack.riskRegister.function,
    };
    for (const [producer, fn] of Object.entries(fns)) {
      const env = template.toJSON().Resources[id(fn)].Properties.Environment.Variables;
      expect(env[ENV.signingKeyArn]).toEqual({ 'Fn::GetAtt': [id(stack.signing.keyFor(producer)), 'Arn'] });
    }
  });

  it('grants kms:Sign in IAM only to each producer role, on its own key', () => {
    const signStatements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as Statement[])
        .filter((s) => asList(s.Action).includes('kms:Sign'))
        .map((s) => ({ roles: p.Properties.Roles as unknown, statement: s })),
    );
    expect(signStatements).toHaveLength(Object.keys(roles).length);
    for (const [producer, role] of Object.entries(roles)) {
      const mine = signStatements.filter(
        (s) => JSON.stringify(s.roles) === JSON.stringify([{ Ref: id(role) }]),
      );
      expect(mine.map((s) => s.statement)).toEqual([
        {
          // The sealer also reads its own key's public half; the CDK merges the two grants on the one key.
          Action: producer === SEALER_PRODUCER ? ['kms:GetPublicKey', 'kms:Sign'] : 'kms:Sign',
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [id(stack.signing.keyFor(producer)), 'Arn'] },
        },
      ]);
    }
  });

  it('with a break-glass role: it alone administers every key, never signs or grants, and is exempt from the change Deny only', () => {
    const { stack: s, template: t } = synth({ breakGlassRoleArn: BREAK_GLASS });
    for (const producer of s.signing.producers) {
      const key = t.toJSON().Resources[s.getLogicalId(s.signing.keyFor(producer).node.defaultChild as never)];
      const statements = key.Properties.KeyPolicy.Statement as Statement[];
      expect(statements.map((x) => x.Sid)).toEqual([
        'AccountReadsAndHousekeeping',
        'BreakGlassAdministers',
        'OnlyBreakGlassChangesTheKey',
        'NobodyGrants',
        'ProducerSigns',
      ]);
      expect(statements[1]).toEqual({
        Sid: 'BreakGlassAdministers',
        Effect: 'Allow',
        Principal: { AWS: BREAK_GLASS },
        Action: [...BREAK_GLASS_KEY_ACTIONS],
        Resource: '*',
      });
      expect(statements[2]).toEqual({
        Sid: 'OnlyBreakGlassChangesTheKey',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: [...BREAK_GLASS_ONLY_KEY_ACTIONS],
        Resource: '*',
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': [BREAK_GLASS] } },
      });
      // No exemption: not even break-glass may grant (a grant signs without a PutKeyPolicy event).
      expect(statements[3]).toEqual({
        Sid: 'NobodyGrants',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'kms:CreateGrant',
        Resource: '*',
      });
      // Only the producer role is allowed kms:Sign, by any pattern.
      const allowsSign = statements.filter(
        (x) => x.Effect === 'Allow' && asList(x.Action).some((a) => a === 'kms:Sign' || a.endsWith('*')),
      );
      expect(allowsSign.map((x) => x.Sid)).toEqual(['ProducerSigns']);
    }
  });

  it('gives break-glass administration only: state, policy, aliases, tags, rotation, deletion', () => {
    expect([...BREAK_GLASS_KEY_ACTIONS].sort()).toEqual([
      'kms:CancelKeyDeletion',
      'kms:CreateAlias',
      'kms:DeleteAlias',
      'kms:DescribeKey',
      'kms:DisableKey',
      'kms:DisableKeyRotation',
      'kms:EnableKey',
      'kms:EnableKeyRotation',
      'kms:GetKeyPolicy',
      'kms:GetKeyRotationStatus',
      'kms:ListGrants',
      'kms:ListKeyPolicies',
      'kms:ListResourceTags',
      'kms:PutKeyPolicy',
      'kms:RevokeGrant',
      'kms:ScheduleKeyDeletion',
      'kms:TagResource',
      'kms:UntagResource',
      'kms:UpdateAlias',
      'kms:UpdateKeyDescription',
    ]);
    for (const a of BREAK_GLASS_KEY_ACTIONS) expect(a).not.toMatch(/\*/);
    for (const forbidden of [
      'kms:Sign',
      'kms:CreateGrant',
      'kms:Decrypt',
      'kms:Encrypt',
      'kms:GenerateDataKey',
      'kms:GenerateDataKeyPair',
      'kms:ReEncryptFrom',
      'kms:ReEncryptTo',
    ])
      expect(BREAK_GLASS_KEY_ACTIONS).not.toContain(forbidden);
    // It may do everything the change Deny exempts it from.
    for (const a of BREAK_GLASS_ONLY_KEY_ACTIONS) expect(BREAK_GLASS_KEY_ACTIONS).toContain(a);
    expect(NOBODY_KEY_ACTIONS).toEqual(['kms:CreateGrant']);
  });

  it('refuses a producer key without a signing role, and a second signer', () => {
    const app = new App();
    const s = new Stack(app, 'S');
    const keys = new SigningKeys(s, 'Keys');
    keys.keyFor('lonely');
    expect(() => app.synth()).toThrow(/producer "lonely" has no role allowed to sign/);

    const s2 = new Stack(new App(), 'S2');
    const keys2 = new SigningKeys(s2, 'Keys');
    const role = (n: string) =>
      new iam.Role(s2, n, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    keys2.grantSign('p', role('A'));
    expect(() => keys2.grantSign('p', role('B'))).toThrow(/already has a signing role/);
  });
});
