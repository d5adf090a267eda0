import { SINGLE_ACCOUNT_PRODUCER_IDS as PRODUCER_IDS } from '../../lambdas/collectors/registry';
import { Template } from 'aws-cdk-lib/assertions';
import { ACCOUNTS_PRODUCER } from '../../lambdas/organization/contract';
import { AUDITOR_SIGNING_KEY_ACTIONS } from '../../lib/auditor-role';
import { ConfigError, parseConfig } from '../../lib/config';
import { Soc2EvidenceStack } from '../../lib/soc2-evidence-stack';
import { testApp } from './stack-fixture';

const EMAILS = {
  securityEmail: 'security@example.com',
  senderEmail: 'soc2@example.com',
  alarmEmail: 'alerts@example.com',
};
const AUDITOR = {
  principalArns: ['arn:aws:iam::111122223333:role/ExampleAuditFirm', 'arn:aws:iam::444455556666:root'],
  externalId: 'audit-2026-example',
};

/** The stack alone (no cdk-nag) with the shipped feature flags; each call is one synthesis. */
function synth(extra: Record<string, unknown>) {
  const app = testApp();
  const stack = new Soc2EvidenceStack(app, 'T', {
    config: parseConfig({ ...EMAILS, ...extra }, { requireEmails: true }),
  });
  return Template.fromStack(stack);
}

type Statement = {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: unknown;
};
const asList = <T>(a: T | T[]) => (Array.isArray(a) ? a : [a]);

describe('auditor role', () => {
  const template = synth({ auditor: AUDITOR });
  const [roleId, role] = Object.entries(template.findResources('AWS::IAM::Role')).find(([id]) =>
    id.startsWith('AuditorRole'),
  )!;
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
    asList(p.Properties.Roles).some((r: unknown) => JSON.stringify(r).includes(roleId)),
  );
  const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
  const ids = (kind: string) =>
    Object.keys(template.findResources('AWS::KMS::Key')).filter((k) => k.includes(kind));

  it('is assumable only by the configured principals with the external id', () => {
    const trust = role.Properties.AssumeRolePolicyDocument.Statement as Statement[];
    expect(trust).toHaveLength(1);
    expect(trust[0]!.Action).toBe('sts:AssumeRole');
    expect(trust[0]!.Condition).toEqual({ StringEquals: { 'sts:ExternalId': 'audit-2026-example' } });
    expect(JSON.stringify(trust[0]!.Principal)).toContain('arn:aws:iam::111122223333:role/ExampleAuditFirm');
    expect(JSON.stringify(trust[0]!.Principal)).toContain(':iam::444455556666:root');
  });

  it('holds exactly the read actions on the evidence bucket and the signing key reads, nothing else', () => {
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const actions = statements.flatMap((s) => asList(s.Action)).sort();
    expect(actions).toEqual(
      [
        'kms:DescribeKey',
        'kms:GetKeyPolicy',
        'kms:GetPublicKey',
        'kms:ListGrants',
        'kms:Verify',
        's3:GetBucketObjectLockConfiguration',
        's3:GetObject',
        's3:GetObjectAttributes',
        's3:GetObjectLegalHold',
        's3:GetObjectRetention',
        's3:GetObjectVersion',
        's3:GetObjectVersionAttributes',
        's3:ListBucket',
        's3:ListBucketVersions',
      ].sort(),
    );
    for (const s of statements) expect(s.Effect).toBe('Allow');
    const resourceOf = (action: string) =>
      JSON.stringify(statements.find((s) => asList(s.Action).includes(action))!.Resource);
    // Every signing key, one statement (no kms:Decrypt: the bucket is SSE-S3).
    const keyStatement = statements.find((s) => asList(s.Action).includes('kms:Verify'))!;
    expect(asList(keyStatement.Action).sort()).toEqual([
      'kms:DescribeKey',
      'kms:GetKeyPolicy',
      'kms:GetPublicKey',
      // `pin` lists the key's grants to check that none exists.
      'kms:ListGrants',
      'kms:Verify',
    ]);
    expect((keyStatement.Resource as unknown[]).map((r) => JSON.stringify(r)).sort()).toEqual(
      ids('SigningKey')
        .sort()
        .map((k) => JSON.stringify({ 'Fn::GetAtt': [k, 'Arn'] })),
    );
    // One per producer: PRODUCER_IDS (the collectors, the watchdog, the sealer, the tamper watch, the risk register)
    // but the account list's, deployed in organization mode only.
    const singleAccount = PRODUCER_IDS.filter((p) => p !== ACCOUNTS_PRODUCER);
    expect(ids('SigningKey')).toHaveLength(singleAccount.length);
    expect(singleAccount).toHaveLength(20);
    // Objects under evidence/ and digests/ only; the bucket listing itself.
    const objects = statements.find((s) => asList(s.Action).includes('s3:GetObject'))!;
    expect(objects.Resource).toEqual([
      {
        'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^EvidenceBucket/), 'Arn'] }, '/digests/*']],
      },
      {
        'Fn::Join': [
          '',
          [{ 'Fn::GetAtt': [expect.stringMatching(/^EvidenceBucket/), 'Arn'] }, '/evidence/*'],
        ],
      },
    ]);
    expect(resourceOf('s3:ListBucket')).not.toContain('/*');
  });

  it('is granted the key reads by IAM alone: each key policy delegates them to the account and names nobody else', () => {
    for (const keyId of ids('SigningKey')) {
      const key = template.findResources('AWS::KMS::Key')[keyId]!;
      const keyStatements = key.Properties.KeyPolicy.Statement as Statement[];
      expect(keyStatements.some((s) => JSON.stringify(s.Principal).includes(roleId))).toBe(false);
      const account = keyStatements.find((s) => JSON.stringify(s.Principal).includes(':root'))!;
      for (const action of AUDITOR_SIGNING_KEY_ACTIONS) expect(asList(account.Action)).toContain(action);
      expect(asList(account.Action)).toContain('kms:ListGrants');
    }
    template.hasOutput('AuditorRoleArn', {});
  });

  it('is absent by default', () => {
    const none = synth({});
    expect(
      Object.keys(none.findResources('AWS::IAM::Role')).filter((id) => id.startsWith('AuditorRole')),
    ).toEqual([]);
  });

  it.each<[unknown, RegExp]>([
    [
      { principalArns: ['bob'], externalId: 'abc' },
      /soc2Evidence\.auditor\.principalArns\[0\] must be an IAM principal ARN/,
    ],
    [
      { principalArns: [], externalId: 'abc' },
      /soc2Evidence\.auditor\.principalArns must be a list of one or more IAM principal ARNs/,
    ],
    [
      { principalArns: ['arn:aws:iam::123456789012:role/A'] },
      /soc2Evidence\.auditor\.externalId is required/,
    ],
    [
      { principalArns: ['arn:aws:iam::123456789012:role/A'], externalId: 'x' },
      /externalId must be an external id of 2 to 1224/,
    ],
  ])('refuses auditor %j with a clear message', (auditor, message) => {
    expect(() => parseConfig({ auditor })).toThrow(ConfigError);
    expect(() => parseConfig({ auditor })).toThrow(message);
  });
});
