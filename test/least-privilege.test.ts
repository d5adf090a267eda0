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
 * The sealer, the tamper watch and the risk register read no account: they run against a versioned bucket
 * modelled in-process (the sealer: a day to seal, from scratch and continuing a signed chain), a CloudTrail
 * event, and a risk decision with its signed STS request (STS's answer stood in for). Every
 * function that judges a signature gets real P-256 public keys, one per producer, as the template wires them.
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
import { COLLECTOR_IDS } from '../lambdas/collectors/registry';
import type { Answers } from '../cli/demo/offline-clients';
import { canonicalBytes } from '../lambdas/evidence/canonical-json';
import { DIGEST_PREFIX, digestBytes, digestKey, SEAL_DELAY_MS } from '../lambdas/evidence/digest';
import { draftEnvelope } from '../lambdas/evidence/draft';
import type { Envelope } from '../lambdas/evidence/envelope';
import { dayPrefix, envelopeKey, type EvidenceKeyParts } from '../lambdas/evidence/keys';
import { SEALER_PRODUCER, TAMPER_WATCH_KIND } from '../lambdas/evidence/producers';
import { LocalSigner, SIGNATURE_METADATA, SIGNING_KEY_METADATA } from '../lambdas/evidence/signer';
import { addDays, buildDigest, lastSealableDay } from '../lambdas/sealer/day-digest';
import { ONLY_FROM_ITS_FUNCTION_ACTIONS, OUTSIDE_ITS_FUNCTION_SID } from '../lib/scheduled-function';
import { acceptToday, CALLER_ARN, signedFor, stsXml } from './risk-register/fixtures';
import { scheduleKeyDeletion } from './tamper-watch/events';
import { BASE_CONFIG, synth } from './lib/stack-fixture';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;
interface Statement {
  Sid?: string;
  Effect: string;
  Action?: string | string[];
  Principal?: unknown;
}

const NOW = new Date('2026-03-02T06:00:00Z');
const ACCOUNT = '123456789012';

/**
 * The IAM action that authorises each SDK operation. S3 and SES do not name their actions after the API, and
 * S3 authorises a read of a given version (`+VersionId`, see sentApi) under another action than the current one.
 */
const S3_ACTIONS: Record<string, string> = {
  ListBuckets: 's3:ListAllMyBuckets',
  GetBucketEncryption: 's3:GetEncryptionConfiguration',
  GetBucketLocation: 's3:GetBucketLocation',
  GetBucketPolicy: 's3:GetBucketPolicy',
  ListObjectsV2: 's3:ListBucket',
  ListObjectVersions: 's3:ListBucketVersions',
  GetObject: 's3:GetObject',
  'GetObject+VersionId': 's3:GetObjectVersion',
  PutObject: 's3:PutObject',
  GetBucketPolicyStatus: 's3:GetBucketPolicyStatus',
  GetPublicAccessBlock: 's3:GetBucketPublicAccessBlock',
  GetBucketAcl: 's3:GetBucketAcl',
  GetBucketOwnershipControls: 's3:GetBucketOwnershipControls',
  GetBucketVersioning: 's3:GetBucketVersioning',
  GetBucketTagging: 's3:GetBucketTagging',
  GetBucketLogging: 's3:GetBucketLogging',
};
/** S3 Control's account-level operations (the account's Block Public Access). */
const S3_CONTROL_ACTIONS: Record<string, string> = {
  GetPublicAccessBlock: 's3:GetAccountPublicAccessBlock',
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
  ElasticLoadBalancing: 'elasticloadbalancing',
  KMS: 'kms',
  GuardDuty: 'guardduty',
  SecurityHub: 'securityhub',
  AccessAnalyzer: 'access-analyzer',
  ConfigService: 'config',
  CloudWatchLogs: 'logs',
  Inspector2: 'inspector2',
  SecretsManager: 'secretsmanager',
  DynamoDB: 'dynamodb',
  STS: 'sts',
};

/** What a sent command is recorded as: its `Service:Operation`, qualified where the request decides the action. */
function sentApi(api: string, input: Record<string, unknown>): string {
  return api === 'S3:GetObject' && input.VersionId !== undefined ? `${api}+VersionId` : api;
}

export function iamActionFor(api: string): string {
  const [service = '', operation = ''] = api.split(':');
  const table =
    service === 'S3'
      ? S3_ACTIONS
      : service === 'S3Control'
        ? S3_CONTROL_ACTIONS
        : service === 'SESv2'
          ? SESV2_ACTIONS
          : undefined;
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

/** A sample ARN for each producer's signing key: what the template's references to the keys resolve to. */
const keyArnOf = (producer: string) => `arn:aws:kms:us-east-1:${ACCOUNT}:key/sample-${producer}`;
/** One real P-256 key pair per producer, standing in for its KMS key. */
const SIGNERS = new Map<string, LocalSigner>();
function signerOf(producer: string): LocalSigner {
  let signer = SIGNERS.get(producer);
  if (!signer) SIGNERS.set(producer, (signer = LocalSigner.generate(keyArnOf(producer))));
  return signer;
}

/** Answers for the write path, the public keys and the email, which the sample account does not model. */
function writeAnswers(): Answers {
  return {
    'S3:PutObject': (input) => ({ ChecksumSHA256: input.ChecksumSHA256, VersionId: 'v1' }),
    'KMS:Sign': (input) => ({ Signature: new Uint8Array(70).fill(1), KeyId: input.KeyId }),
    // The real public half (SPKI DER, as KMS returns it) of the producer whose key the ARN names.
    'KMS:GetPublicKey': (input) => {
      const producer = stack.signing.producers.find((p) => keyArnOf(p) === input.KeyId);
      if (!producer) throw new Error(`no signing key ${String(input.KeyId)}`);
      return {
        KeyId: input.KeyId,
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        PublicKey: new Uint8Array(signerOf(producer).publicKey.export({ type: 'spki', format: 'der' })),
      };
    },
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
  'public-access': ['S3:GetBucketLocation'],
  resilience: ['S3:GetBucketTagging'],
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
    sent.add(sentApi(api, c.input));
    const answer = answers[api];
    if (!answer) throw new Error(`no answer for ${api}`);
    const region = await this.config.region();
    return { $metadata: { httpStatusCode: 200 }, ...(answer(c.input, region) as object) };
  } as never);
  return sent;
}

// A versioning exemption tag makes resilience read an unversioned bucket's tags (GetBucketTagging), which it
// grants whether or not the tag is configured: the scenario must reach that call for the equality to prove it.
const { stack, template } = synth({ ...BASE_CONFIG, versioningExemptTag: { key: 'Purpose', value: 'logs' } });
const resources = (template.toJSON() as { Resources: Resources }).Resources;

/** The actions granted (allowed) to a role by its identity policies, wherever they are attached. */
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
  const denies: Statement[] = [];
  for (const doc of documents)
    for (const s of doc.Statement) {
      if (s.Effect === 'Deny') denies.push(s);
      else {
        expect(s.Effect).toBe('Allow');
        for (const a of [s.Action ?? []].flat()) actions.add(a);
      }
    }
  // A Deny grants nothing, so it is not counted; the only one a function role holds is the Deny of signing and
  // writing outside its own function (test/lib/function-roles.test.ts checks its condition).
  expect(denies.map((d) => ({ Sid: d.Sid, Action: d.Action }))).toEqual([
    { Sid: OUTSIDE_ITS_FUNCTION_SID, Action: [...ONLY_FROM_ITS_FUNCTION_ACTIONS] },
  ]);
  return actions;
}

const BUCKET = 'soc2-evidence-bucket-example';
const bucketResource = stack.evidence.bucket.node.defaultChild as CfnElement;

/**
 * A synthesised value with its CloudFormation references replaced by sample values: the evidence bucket's
 * name, and each signing key's sample ARN (keyArnOf), joined as the template joins them (PRODUCER_SIGNING_KEYS).
 */
function resolved(name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if (JSON.stringify(v) === JSON.stringify({ Ref: stack.getLogicalId(bucketResource) })) return BUCKET;
  const getAtt = v['Fn::GetAtt'] as [string, string] | undefined;
  const producer =
    getAtt?.[1] === 'Arn'
      ? stack.signing.producers.find(
          (p) => stack.getLogicalId(stack.signing.keyFor(p).node.defaultChild as CfnElement) === getAtt[0],
        )
      : undefined;
  if (producer) return keyArnOf(producer);
  const join = v['Fn::Join'] as [string, unknown[]] | undefined;
  if (join) return join[1].map((part) => resolved(name, part)).join(join[0]);
  throw new Error(`environment variable ${name} holds a reference this test does not resolve`);
}

/** The function's environment as synthesised, with CloudFormation references replaced by sample values. */
function environmentOf(fn: CfnElement): Record<string, string> {
  const vars = (
    resources[stack.getLogicalId(fn)]?.Properties?.Environment as { Variables: Record<string, unknown> }
  ).Variables;
  return Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, resolved(k, v)]));
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

/** The calls the sealer's bucket model answers. */
const SEALER_APIS = ['S3:ListObjectVersions', 'S3:GetObject', 'S3:PutObject'];

interface StoredVersion {
  readonly versionId: string;
  readonly body: Uint8Array;
  readonly metadata: Record<string, string>;
  readonly lastModified: Date;
}

/**
 * The versioned evidence bucket as the sealer sees it on the day after `day` (the last day it may seal): one
 * iam-mfa envelope of `day`, and with `previousDigest` the digest of the day before, signed by the sealer's
 * key. Answers ListObjectVersions (with and without the delimiter), GetObject (a listed version only) and
 * PutObject (new keys under digests/ only), and records in `reached` which of the sealer's paths were taken.
 */
async function sealerBucket(previousDigest: boolean, reached: Set<string>) {
  const day = lastSealableDay(new Date(), SEAL_DELAY_MS);
  const objects = new Map<string, StoredVersion>();
  objects.set(`${dayPrefix(day)}iam-mfa/${ACCOUNT}/global/060000Z-run-1.json`, {
    versionId: 'e1',
    body: Buffer.from('{"summary":{"status":"PASS"}}'),
    metadata: { [SIGNING_KEY_METADATA]: keyArnOf('iam-mfa') },
    lastModified: new Date(`${day}T06:00:05Z`),
  });
  if (previousDigest) {
    const before = addDays(day, -1);
    const body = digestBytes(
      buildDigest({
        date: before,
        account: ACCOUNT,
        ownAccount: ACCOUNT,
        seen: [],
        previous: null,
        sealedAt: new Date(`${day}T00:30:00Z`),
        runId: 'earlier',
      }),
    );
    const sealer = signerOf(SEALER_PRODUCER);
    objects.set(digestKey(before, ACCOUNT), {
      versionId: 'd0',
      body,
      metadata: {
        [SIGNATURE_METADATA]: (await sealer.sign(body)).signature,
        [SIGNING_KEY_METADATA]: sealer.keyId,
      },
      lastModified: new Date(`${day}T00:30:02Z`),
    });
  }
  const written: string[] = [];
  const answers: Answers = {
    'S3:ListObjectVersions': (input) => {
      const prefix = String(input.Prefix);
      const under = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort();
      const folderOf = (k: string) => k.slice(0, k.indexOf('/', prefix.length) + 1);
      const delimited = input.Delimiter === '/';
      if (delimited) reached.add('folders listed with a delimiter');
      else reached.add('versions listed');
      const keys = delimited ? under.filter((k) => !folderOf(k)) : under;
      return {
        IsTruncated: false,
        Versions: keys.map((Key) => ({
          Key,
          VersionId: objects.get(Key)!.versionId,
          IsLatest: true,
          LastModified: objects.get(Key)!.lastModified,
          Size: objects.get(Key)!.body.byteLength,
        })),
        ...(delimited
          ? {
              CommonPrefixes: [...new Set(under.map(folderOf).filter(Boolean))].map((Prefix) => ({ Prefix })),
            }
          : {}),
      };
    },
    'S3:GetObject': (input) => {
      const key = String(input.Key);
      const o = objects.get(key);
      if (!o || input.VersionId !== o.versionId)
        throw new Error(`the sealer read ${key} version ${String(input.VersionId)}, which was not listed`);
      // A digest's bytes are checked against the sealer's public key (KMS:GetPublicKey): `problems: 0` in the
      // run's result says the signature verified.
      reached.add(key.startsWith(DIGEST_PREFIX) ? 'digest read by version' : 'evidence read by version');
      return {
        Body: { transformToByteArray: () => Promise.resolve(o.body) },
        VersionId: o.versionId,
        LastModified: o.lastModified,
        Metadata: o.metadata,
      };
    },
    'S3:PutObject': (input) => {
      const key = String(input.Key);
      if (!key.startsWith(DIGEST_PREFIX))
        throw new Error(`the sealer wrote ${key}, outside ${DIGEST_PREFIX}`);
      if (objects.has(key) || input.IfNoneMatch !== '*') throw new Error(`the sealer replaced ${key}`);
      const body = input.Body as Uint8Array;
      objects.set(key, {
        versionId: `d${objects.size}`,
        body,
        metadata: input.Metadata as Record<string, string>,
        lastModified: new Date(),
      });
      written.push(key);
      return { ChecksumSHA256: input.ChecksumSHA256, VersionId: objects.get(key)!.versionId };
    },
  };
  return { day, answers, digestsWritten: () => [...written] };
}

describe("least privilege: each role grants exactly what its code sends, against the demo's sample account", () => {
  it('synthesises one function per collector', () => {
    expect(Object.keys(stack.collectors).sort()).toEqual([...COLLECTOR_IDS].sort());
    expect(COLLECTOR_IDS.length).toBeGreaterThanOrEqual(16);
  });

  for (const id of COLLECTOR_IDS) {
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

  it('coverage watchdog: granted = sent + its logs, judging signatures with the public keys', async () => {
    const watchdog = stack.watchdog;
    const { handler } = await import('../lambdas/handlers/watchdog');
    // Yesterday (UTC), inside the judged window: an iam-mfa run signed by iam-mfa's key, and one signed by
    // another producer's key, which the watchdog must refuse to count (one function forging another's run).
    const now = new Date();
    const yesterday = (hour: number) =>
      new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 1, hour, 0, 5));
    const objects = new Map<string, { body: Uint8Array; signature: string }>();
    for (const [hour, signer] of [
      [6, 'iam-mfa'],
      [7, 'backups'],
    ] as const) {
      const parts: EvidenceKeyParts = {
        collectedAt: yesterday(hour),
        collector: 'iam-mfa',
        account: ACCOUNT,
        region: 'global',
        runId: `run-${hour}`,
      };
      const envelope: Envelope = {
        ...draftEnvelope({
          ...parts,
          controls: ['CC6.1'],
          policy: {},
          findings: [{ resource: 'user:alice', check: 'console-user-mfa', status: 'PASS', detail: {} }],
          errors: [],
        }),
        sources: [],
      };
      const body = canonicalBytes(envelope);
      objects.set(envelopeKey(parts), { body, signature: (await signerOf(signer).sign(body)).signature });
    }
    const written: { key: string; body: Uint8Array }[] = [];
    const evidence: Answers = {
      'S3:ListObjectsV2': (input) => ({
        Contents: [...objects.keys()]
          .filter((k) => k.startsWith(String(input.Prefix)))
          .map((Key) => ({ Key })),
        IsTruncated: false,
      }),
      'S3:GetObject': (input) => {
        const o = objects.get(String(input.Key));
        if (!o) throw new Error(`no object ${String(input.Key)}`);
        return {
          Body: { transformToByteArray: () => Promise.resolve(o.body) },
          Metadata: { [SIGNATURE_METADATA]: o.signature },
        };
      },
      'S3:PutObject': (input) => {
        written.push({ key: String(input.Key), body: input.Body as Uint8Array });
        return { ChecksumSHA256: input.ChecksumSHA256, VersionId: 'v1' };
      },
    };
    const { actions, apis } = await measuredActions(
      'watchdog',
      watchdog.function.node.defaultChild as CfnElement,
      (ctx) => handler({}, ctx),
      evidence,
    );
    expect(sorted(apis)).toEqual([
      'KMS:GetPublicKey',
      'KMS:Sign',
      'S3:GetObject',
      'S3:ListObjectsV2',
      'S3:PutObject',
    ]);
    // The signature-judging path was reached, with the keys PRODUCER_SIGNING_KEYS names: the run signed by
    // its producer's key counted, the other was refused for its signature.
    const coverage = written
      .filter((w) => w.key.includes('/coverage/') && !w.key.includes('--'))
      .map((w) => JSON.parse(Buffer.from(w.body).toString()) as Envelope);
    expect(coverage).toHaveLength(Object.keys(SCENARIOS).length);
    for (const c of coverage) {
      expect(c.summary.figures).toMatchObject({ envelopesRead: 1, envelopesRejected: 1 });
      expect(c.findings).toContainEqual(
        expect.objectContaining({
          check: 'envelope-authentic',
          status: 'FAIL',
          detail: expect.objectContaining({ signature: 'wrong-producer', signedBy: 'backups' }),
        }),
      );
      expect(c.policy.signatures).toMatch(/^judged with the public keys of .*iam-mfa/);
    }
    const granted = grantedActions(watchdog.role);
    const expected = new Set([...actions, ...LOG_ACTIONS]);
    expect({
      missing: sorted([...expected].filter((a) => !granted.has(a))),
      extra: sorted([...granted].filter((a) => !expected.has(a))),
    }).toEqual({ missing: [], extra: [] });
  });

  it('sealer: granted = sent + its logs, sealing a day from scratch and continuing a signed chain', async () => {
    const sealer = stack.sealer;
    const { handler } = await import('../lambdas/handlers/sealer');
    const reached = new Set<string>();
    let bucket: Awaited<ReturnType<typeof sealerBucket>> | undefined;
    const delegate =
      (api: string): Answers[string] =>
      (input, region) =>
        bucket!.answers[api]!(input, region);
    const { actions, apis } = await measuredActions(
      SEALER_PRODUCER,
      sealer.function.node.defaultChild as CfnElement,
      async (ctx) => {
        // A first run finds no digest (it walks evidence/ by folders to its first day); a later run continues
        // the chain from the previous day's digest, whose signature it checks with its own public key.
        for (const previousDigest of [false, true]) {
          bucket = await sealerBucket(previousDigest, reached);
          const result = await handler({}, ctx);
          expect(result).toEqual({
            producer: SEALER_PRODUCER,
            days: [bucket.day],
            digests: 1,
            remainingDays: 0,
            problems: 0,
            keys: [digestKey(bucket.day, ACCOUNT)],
          });
          expect(bucket.digestsWritten()).toEqual([digestKey(bucket.day, ACCOUNT)]);
        }
      },
      Object.fromEntries(SEALER_APIS.map((api) => [api, delegate(api)])),
    );
    expect(sorted(reached)).toEqual([
      'digest read by version',
      'evidence read by version',
      'folders listed with a delimiter',
      'versions listed',
    ]);
    expect(sorted(apis)).toEqual([
      'KMS:GetPublicKey',
      'KMS:Sign',
      'S3:GetObject+VersionId',
      'S3:ListObjectVersions',
      'S3:PutObject',
    ]);
    const granted = grantedActions(sealer.role);
    const expected = new Set([...actions, ...LOG_ACTIONS]);
    expect({
      missing: sorted([...expected].filter((a) => !granted.has(a))),
      extra: sorted([...granted].filter((a) => !expected.has(a))),
    }).toEqual({ missing: [], extra: [] });
  });

  it('tamper watch: granted = sent + platform, recording one CloudTrail event', async () => {
    const tamperWatch = stack.tamperWatch;
    const { handler } = await import('../lambdas/handlers/tamper-watch');
    const keys: string[] = [];
    const { actions, apis } = await measuredActions(
      TAMPER_WATCH_KIND,
      tamperWatch.function.node.defaultChild as CfnElement,
      async (ctx) => {
        const result = await handler(scheduleKeyDeletion, ctx);
        expect(result).toMatchObject({ collector: TAMPER_WATCH_KIND, status: 'FAIL' });
      },
      {
        'S3:PutObject': (input) => {
          keys.push(String(input.Key));
          return { ChecksumSHA256: input.ChecksumSHA256, VersionId: 'v1' };
        },
      },
    );
    // The event verbatim and its envelope, under its own kind, each run.
    expect(keys).toHaveLength(2 * Object.keys(SCENARIOS).length);
    for (const key of keys) expect(key).toMatch(/^evidence\/\d{4}\/\d{2}\/\d{2}\/tamper-watch\//);
    expect(sorted(apis)).toEqual(['KMS:Sign', 'S3:PutObject']);
    const granted = grantedActions(tamperWatch.role);
    // Its on-failure destination queue is the platform's (PLATFORM_ACTIONS), as for the collectors.
    const expected = new Set([...actions, ...PLATFORM_ACTIONS]);
    expect({
      missing: sorted([...expected].filter((a) => !granted.has(a))),
      extra: sorted([...granted].filter((a) => !expected.has(a))),
    }).toEqual({ missing: [], extra: [] });
  });

  it('risk register: granted = sent + its logs, recording one decision proven by STS', async () => {
    const register = stack.riskRegister;
    const { handler } = await import('../lambdas/handlers/risk-register');
    // Signed before the SDK is intercepted: the CLI's STS client never sends, and needs no permission.
    const decision = acceptToday();
    const identity = await signedFor(decision);
    const keys: string[] = [];
    const { actions, apis } = await measuredActions(
      'risk-register',
      register.function.node.defaultChild as CfnElement,
      async (ctx) => {
        // The replay to STS is a plain HTTPS request signed by the caller: no permission of the role's.
        const sts = jest
          .spyOn(globalThis, 'fetch')
          .mockImplementation(() => Promise.resolve(new Response(stsXml(CALLER_ARN, ACCOUNT))));
        const result = await handler({ decision, identity }, ctx);
        expect(result).toMatchObject({ action: 'accept', recordedBy: { arn: CALLER_ARN } });
        expect(sts).toHaveBeenCalledTimes(1);
      },
      {
        'S3:PutObject': (input) => {
          keys.push(String(input.Key));
          return { ChecksumSHA256: input.ChecksumSHA256, VersionId: 'v1' };
        },
      },
    );
    // One envelope, under its own kind, each run.
    expect(keys).toHaveLength(Object.keys(SCENARIOS).length);
    for (const key of keys) expect(key).toMatch(/^evidence\/\d{4}\/\d{2}\/\d{2}\/risk-acceptance\//);
    expect(sorted(apis)).toEqual(['KMS:Sign', 'S3:PutObject']);
    const granted = grantedActions(register.role);
    const expected = new Set([...actions, ...LOG_ACTIONS]);
    expect({
      missing: sorted([...expected].filter((a) => !granted.has(a))),
      extra: sorted([...granted].filter((a) => !expected.has(a))),
    }).toEqual({ missing: [], extra: [] });
  });

  it('the mapping table refuses an operation it does not know', () => {
    expect(() => iamActionFor('S3:DeleteObject')).toThrow(/no IAM action is mapped for S3:DeleteObject/);
    expect(iamActionFor('ElasticLoadBalancingV2:DescribeRules')).toBe('elasticloadbalancing:DescribeRules');
    // A read of a given version is s3:GetObjectVersion, and S3 then asks for no s3:GetObject.
    expect(iamActionFor('S3:GetObject')).toBe('s3:GetObject');
    expect(iamActionFor('S3:GetObject+VersionId')).toBe('s3:GetObjectVersion');
    expect(sentApi('S3:GetObject', { Key: 'k', VersionId: 'v1' })).toBe('S3:GetObject+VersionId');
    expect(sentApi('S3:GetObject', { Key: 'k' })).toBe('S3:GetObject');
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
    // reads that leaves out kms:Sign and every change (and a configured break-glass role gets a list of
    // administration actions, no wildcard: test/lib/signing-keys.test.ts).
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
