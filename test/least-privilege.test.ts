/**
 * Least privilege, proven: every function's synthesised role grants exactly the AWS actions its code sends
 * (plus the few the platform needs on its behalf), no more and no fewer.
 *
 * The calls are measured, not declared: each function's real Lambda handler runs against the bundled
 * sample account, with every SDK client's `send` answered in-process, so whatever the handler sends (gather,
 * evidence writes, signatures, the review email) is recorded as `Service:Operation`. A second scenario
 * changes the answers to reach the rarer paths (a ListBuckets without BucketRegion makes the collectors ask
 * GetBucketLocation). Each operation maps to its IAM action through an explicit table, never a guess.
 *
 * It runs against the demo's sample account (cli/demo/sample-answers.ts) and pins what that account
 * reaches: RARE_PATHS below holds only while the sample keeps, for instance, an HTTP listener that redirects
 * to HTTPS (its rules are read: DescribeRules) and a root user with MFA (ListVirtualMFADevices). If an edit
 * of the sample account drops one of those, this test fails and names the call it no longer reaches.
 */
import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import type { CfnElement } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { sampleAnswers } from '../cli/demo/sample-answers';
import type { Answers } from '../cli/demo/offline-clients';
import { envelopeKey } from '../lambdas/evidence/keys';
import { ENV } from '../lambdas/runtime/runtime-env';
import { synth } from './lib/stack-fixture';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;
interface Statement {
  Effect: string;
  Action?: string | string[];
  Principal?: unknown;
}

const NOW = new Date('2026-03-02T06:00:00Z');
const ACCOUNT = '123456789012';
const SIGNING_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/0a1b2c3d-0000-4000-8000-00000000000a`;

/** The IAM action that authorises each SDK operation. S3 and SES do not name their actions after the API. */
const S3_ACTIONS: Record<string, string> = {
  ListBuckets: 's3:ListAllMyBuckets',
  GetBucketEncryption: 's3:GetEncryptionConfiguration',
  GetBucketLocation: 's3:GetBucketLocation',
  GetBucketPolicy: 's3:GetBucketPolicy',
  ListObjectsV2: 's3:ListBucket',
  GetObject: 's3:GetObject',
  PutObject: 's3:PutObject',
};
const SESV2_ACTIONS: Record<string, string> = { SendEmail: 'ses:SendEmail' };
/** Services whose IAM actions are the API operation names, under this prefix. */
const SAME_NAME_PREFIX: Record<string, string> = {
  IAM: 'iam',
  EC2: 'ec2',
  RDS: 'rds',
  CloudTrail: 'cloudtrail',
  Backup: 'backup',
  ElasticLoadBalancingV2: 'elasticloadbalancing',
  KMS: 'kms',
};

export function iamActionFor(api: string): string {
  const [service = '', operation = ''] = api.split(':');
  const table = service === 'S3' ? S3_ACTIONS : service === 'SESv2' ? SESV2_ACTIONS : undefined;
  const action = table
    ? table[operation]
    : SAME_NAME_PREFIX[service] && `${SAME_NAME_PREFIX[service]}:${operation}`;
  if (!action) throw new Error(`no IAM action is mapped for ${api}: add it to the table in this test`);
  return action;
}

/**
 * What every function's role holds for the platform, not for its code: writing its own log group, and
 * Lambda's on-failure destination queue. (The bucket is SSE-S3: no KMS data key on S3's behalf.)
 */
const LOG_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
const PLATFORM_ACTIONS = [...LOG_ACTIONS, 'sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'];

/** Answers for the write path and the email, which the sample account does not model. */
function writeAnswers(): Answers {
  return {
    'S3:PutObject': (input) => ({ ChecksumSHA256: input.ChecksumSHA256, VersionId: 'v1' }),
    'KMS:Sign': (input) => ({ Signature: new Uint8Array(70).fill(1), KeyId: input.KeyId }),
    'SESv2:SendEmail': () => ({ MessageId: '0100018e-example-message-id' }),
  };
}

/** The sample account as it would answer a caller whose ListBuckets pages carry no BucketRegion. */
function withoutBucketRegions(answers: Answers): Answers {
  const list = answers['S3:ListBuckets']!;
  return {
    ...answers,
    'S3:ListBuckets': (input, region) => {
      const out = list(input, region) as { Buckets: { Name: string; CreationDate: Date }[] };
      return { Buckets: out.Buckets.map((b) => ({ Name: b.Name, CreationDate: b.CreationDate })) };
    },
    'S3:GetBucketLocation': (input) => {
      const listed = (list({}, 'us-east-1') as { Buckets: { Name: string; BucketRegion: string }[] }).Buckets;
      const region = listed.find((b) => b.Name === input.Bucket)?.BucketRegion;
      return { LocationConstraint: region === 'us-east-1' ? undefined : region };
    },
  };
}

const SCENARIOS: Record<string, () => Answers> = {
  'sample account': () => ({ ...sampleAnswers(NOW), ...writeAnswers() }),
  'ListBuckets without BucketRegion': () => ({
    ...withoutBucketRegions(sampleAnswers(NOW)),
    ...writeAnswers(),
  }),
};

/** Calls made only on some paths, which the scenarios above exist to reach. */
const RARE_PATHS: Record<string, string[]> = {
  encryption: ['S3:GetBucketLocation'],
  tls: ['S3:GetBucketLocation', 'ElasticLoadBalancingV2:DescribeRules'],
  'iam-mfa': ['IAM:ListVirtualMFADevices'],
  'access-review': ['SESv2:SendEmail', 'KMS:Sign'],
};

interface SendTarget {
  constructor: { name: string };
  config: { region: () => Promise<string> };
}

/**
 * Answers every SDK client's `send` from `answers` (all clients share smithy's Client.send) and records
 * each `Service:Operation` sent.
 */
function interceptSdk(answers: Answers): Set<string> {
  const sent = new Set<string>();
  const base = Object.getPrototypeOf(S3Client.prototype) as { send: (command: unknown) => Promise<unknown> };
  jest.spyOn(base, 'send').mockImplementation(async function (this: SendTarget, command: unknown) {
    const c = command as { constructor: { name: string }; input: Record<string, unknown> };
    const api = `${this.constructor.name.replace(/Client$/, '')}:${c.constructor.name.replace(/Command$/, '')}`;
    sent.add(api);
    const answer = answers[api];
    if (!answer) throw new Error(`no answer for ${api}`);
    const region = await this.config.region();
    return { $metadata: { httpStatusCode: 200 }, ...(answer(c.input, region) as object) };
  } as never);
  return sent;
}

const { stack, template } = synth();
const resources = (template.toJSON() as { Resources: Resources }).Resources;

/** The actions granted to a role by its identity policies, wherever they are attached. */
function grantedActions(role: iam.Role): Set<string> {
  const roleId = stack.getLogicalId(role.node.defaultChild as CfnElement);
  const roleProps = resources[roleId]?.Properties ?? {};
  expect(roleProps.ManagedPolicyArns).toBeUndefined();
  const documents = [
    ...((roleProps.Policies as { PolicyDocument: { Statement: Statement[] } }[] | undefined) ?? []).map(
      (p) => p.PolicyDocument,
    ),
    ...Object.values(resources)
      .filter(
        (r) =>
          r.Type === 'AWS::IAM::Policy' &&
          (r.Properties?.Roles as unknown[]).some(
            (x) => JSON.stringify(x) === JSON.stringify({ Ref: roleId }),
          ),
      )
      .map((r) => r.Properties!.PolicyDocument as { Statement: Statement[] }),
  ];
  const actions = new Set<string>();
  for (const doc of documents)
    for (const s of doc.Statement) {
      expect(s.Effect).toBe('Allow');
      for (const a of [s.Action ?? []].flat()) actions.add(a);
    }
  return actions;
}

/** The function's environment as synthesised, with CloudFormation references replaced by sample values. */
function environmentOf(fn: CfnElement): Record<string, string> {
  const vars = (
    resources[stack.getLogicalId(fn)]?.Properties?.Environment as { Variables: Record<string, unknown> }
  ).Variables;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(vars)) {
    if (typeof v === 'string') env[k] = v;
    else if (k === ENV.bucket) env[k] = 'soc2-evidence-bucket-example';
    else if (k === ENV.signingKeyArn) env[k] = SIGNING_KEY;
    else if (k === ENV.producerKeys)
      env[k] = JSON.stringify(Object.fromEntries(stack.signing.producers.map((p) => [p, SIGNING_KEY])));
    else throw new Error(`environment variable ${k} is a reference this test does not resolve`);
  }
  return env;
}

function contextFor(id: string): Context {
  return {
    invokedFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:Soc2Evidence-${id}`,
    awsRequestId: '11111111-2222-3333-4444-555555555555',
    functionName: `Soc2Evidence-${id}`,
    getRemainingTimeInMillis: () => 600_000,
  } as unknown as Context;
}

const savedEnv = { ...process.env };
afterEach(() => {
  jest.restoreAllMocks();
  process.env = { ...savedEnv };
});

/** Runs the function's handler in every scenario; returns the IAM actions its code sent. */
async function measuredActions(
  id: string,
  fn: CfnElement,
  run: (context: Context) => Promise<unknown>,
  extra: Answers = {},
): Promise<{ actions: Set<string>; apis: Set<string> }> {
  const apis = new Set<string>();
  for (const [, answers] of Object.entries(SCENARIOS)) {
    jest.restoreAllMocks();
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    process.env = { ...savedEnv, ...environmentOf(fn) };
    const sent = interceptSdk({ ...answers(), ...extra });
    await run(contextFor(id));
    for (const api of sent) apis.add(api);
  }
  return { actions: new Set([...apis].map(iamActionFor)), apis };
}

const sorted = (s: Iterable<string>) => [...s].sort();

/** The review reads back today's email evidence before sending: one envelope, of another invocation. */
function reviewRetryCheck(): Answers {
  const key = envelopeKey({
    collectedAt: new Date(),
    collector: 'access-review-email',
    account: ACCOUNT,
    region: 'global',
    runId: 'earlier',
  });
  const body = JSON.stringify({ policy: {}, producer: { runId: 'earlier', invocationId: 'another' } });
  return {
    'S3:ListObjectsV2': (input) => ({
      Contents: key.startsWith(String(input.Prefix)) ? [{ Key: key }] : [],
      IsTruncated: false,
    }),
    'S3:GetObject': () => ({
      Body: { transformToByteArray: () => Promise.resolve(new Uint8Array(Buffer.from(body))) },
    }),
  };
}

describe("least privilege: each role grants exactly what its code sends, against the demo's sample account", () => {
  it('synthesises one function per collector', () => {
    expect(Object.keys(stack.collectors).sort()).toEqual([
      'access-review',
      'backups',
      'console-signins',
      'encryption',
      'iam-mfa',
      'inactive-users',
      'network-exposure',
      'tls',
    ]);
  });

  for (const id of [
    'iam-mfa',
    'inactive-users',
    'access-review',
    'network-exposure',
    'console-signins',
    'backups',
    'encryption',
    'tls',
  ]) {
    it(`${id}: granted = sent + platform`, async () => {
      const collector = stack.collectors[id]!;
      const { handler } = (await import(`../lambdas/handlers/${id}`)) as {
        handler: (event: unknown, context: Context) => Promise<unknown>;
      };
      const { actions, apis } = await measuredActions(
        id,
        collector.function.node.defaultChild as CfnElement,
        (ctx) => handler({ source: 'soc2-evidence.schedule', collector: id }, ctx),
        id === 'access-review' ? reviewRetryCheck() : {},
      );
      // The scenarios must reach the rare paths, or the equality below would not prove they are granted.
      expect(sorted(apis)).toEqual(expect.arrayContaining(RARE_PATHS[id] ?? []));
      const granted = grantedActions(collector.role);
      const expected = new Set([...actions, ...PLATFORM_ACTIONS]);
      expect({
        missing: sorted([...expected].filter((a) => !granted.has(a))),
        extra: sorted([...granted].filter((a) => !expected.has(a))),
      }).toEqual({ missing: [], extra: [] });
    });
  }

  it('coverage watchdog: granted = sent + its logs + the public-key read its contract promises', async () => {
    const watchdog = stack.watchdog;
    const { handler } = await import('../lambdas/handlers/watchdog');
    const yesterday = new Date(Date.now() - 86_400_000);
    const key = envelopeKey({
      collectedAt: yesterday,
      collector: 'iam-mfa',
      account: ACCOUNT,
      region: 'global',
      runId: 'r1',
    });
    const evidence: Answers = {
      'S3:ListObjectsV2': (input) => ({
        Contents: String(input.Prefix) === key.slice(0, String(input.Prefix).length) ? [{ Key: key }] : [],
        IsTruncated: false,
      }),
      'S3:GetObject': () => ({
        Body: { transformToString: () => Promise.resolve('{"summary":{"status":"PASS"}}') },
      }),
    };
    const { actions, apis } = await measuredActions(
      'watchdog',
      watchdog.function.node.defaultChild as CfnElement,
      (ctx) => handler({}, ctx),
      evidence,
    );
    expect(sorted(apis)).toEqual(['KMS:Sign', 'S3:GetObject', 'S3:ListObjectsV2', 'S3:PutObject']);
    const granted = grantedActions(watchdog.role);
    // PRODUCER_SIGNING_KEYS (lambdas/runtime/runtime-env.ts) promises the watchdog every producer's public key
    // (kms:GetPublicKey), so it can count only evidence its own producer signed. Granted with the contract,
    // before the watchdog's code sends it; once it does, this line changes nothing.
    const expected = new Set([...actions, ...LOG_ACTIONS, 'kms:GetPublicKey']);
    expect({
      missing: sorted([...expected].filter((a) => !granted.has(a))),
      extra: sorted([...granted].filter((a) => !expected.has(a))),
    }).toEqual({ missing: [], extra: [] });
  });

  /**
   * The sealer and the tamper watch ship as placeholder handlers (their code is written separately): until
   * they send anything, their roles are proven against the actions their designs need, written out here, and
   * the first test below fails as soon as a handler is real, asking for its calls to be measured instead.
   */
  const DECLARED: Record<string, { role: () => iam.Role; handler: string; actions: string[] }> = {
    sealer: {
      role: () => stack.sealer.role,
      handler: '../lambdas/handlers/sealer',
      actions: [
        ...LOG_ACTIONS,
        's3:ListBucket', // ListObjectsV2 of a day under evidence/ and of digests/ (the previous digest)
        's3:ListBucketVersions', // other versions and delete markers of the day's keys
        's3:GetObject',
        's3:GetObjectVersion',
        's3:PutObject', // digests/ only
        'kms:Sign', // its own key
        'kms:GetPublicKey', // every producer's key
      ],
    },
    'tamper-watch': {
      role: () => stack.tamperWatch.role,
      handler: '../lambdas/handlers/tamper-watch',
      actions: [...PLATFORM_ACTIONS, 's3:PutObject', 'kms:Sign'],
    },
  };
  for (const [name, declared] of Object.entries(DECLARED)) {
    it(`${name}: granted = declared, while its handler is a placeholder`, async () => {
      const { handler } = (await import(declared.handler)) as { handler: () => Promise<unknown> };
      await expect(handler()).rejects.toThrow(/not implemented yet/);
      const granted = grantedActions(declared.role());
      expect(sorted(granted)).toEqual(sorted(new Set(declared.actions)));
    });
  }

  it('the mapping table refuses an operation it does not know', () => {
    expect(() => iamActionFor('S3:DeleteObject')).toThrow(/no IAM action is mapped for S3:DeleteObject/);
    expect(iamActionFor('ElasticLoadBalancingV2:DescribeRules')).toBe('elasticloadbalancing:DescribeRules');
  });
});

describe('no wildcard actions', () => {
  const wildcard = (a: string) => a === '*' || /^[a-z0-9-]+:\*$/i.test(a);
  const documentsOf = (r: Resources[string]): { Statement: Statement[] }[] => {
    const p = r.Properties ?? {};
    switch (r.Type) {
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
        return [p.PolicyDocument as { Statement: Statement[] }];
      case 'AWS::IAM::Role':
        return ((p.Policies as { PolicyDocument: { Statement: Statement[] } }[] | undefined) ?? []).map(
          (x) => x.PolicyDocument,
        );
      case 'AWS::S3::BucketPolicy':
      case 'AWS::SQS::QueuePolicy':
      case 'AWS::SNS::TopicPolicy':
        return [p.PolicyDocument as { Statement: Statement[] }];
      case 'AWS::KMS::Key':
        return [p.KeyPolicy as { Statement: Statement[] }];
      default:
        return [];
    }
  };

  it('no identity policy allows "*" or "service:*"', () => {
    const found: string[] = [];
    for (const [id, r] of Object.entries(resources))
      if (['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Role'].includes(r.Type))
        for (const doc of documentsOf(r))
          for (const s of doc.Statement)
            for (const a of [s.Action ?? []].flat()) if (wildcard(a)) found.push(`${id}: ${a}`);
    expect(found).toEqual([]);
  });

  it('resource policies allow a wildcard only where KMS requires the account to administer its key', () => {
    // `s3:*`/`sqs:*` appear only in Deny statements (TLS enforcement), which take away, never give. The alarm
    // topic key's default statement gives the account root kms:*; the signing keys replace it with a list of
    // reads that leaves out kms:Sign and every change (and give kms:* only to a configured break-glass role).
    const allowed: string[] = [];
    for (const [id, r] of Object.entries(resources))
      for (const doc of documentsOf(r))
        for (const s of doc.Statement)
          if (s.Effect === 'Allow')
            for (const a of [s.Action ?? []].flat())
              if (wildcard(a))
                allowed.push(
                  `${r.Type} ${id.replace(/[0-9A-F]{8}$/, '')}: ${a} to ${JSON.stringify(s.Principal)}`,
                );
    const root =
      '{"AWS":{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::",{"Ref":"AWS::AccountId"},":root"]]}}';
    expect(allowed.sort()).toEqual([`AWS::KMS::Key AlarmsKey: kms:* to ${root}`]);
  });
});
