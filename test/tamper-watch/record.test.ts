import { canonicalBytes, sha256Hex } from '../../lambdas/evidence/canonical-json';
import { parseEvidenceKey } from '../../lambdas/evidence/keys';
import { MemoryStore } from '../evidence/memory-store';
import { writeEvidence } from '../../lambdas/evidence/write-evidence';
import {
  recordTamperEvent,
  reducedParameters,
  resourceOf,
  type TamperRecordInput,
} from '../../lambdas/tamper-watch/record';
import { expectValidEnvelope } from '../helpers/envelope-schema';
import { ACCOUNT, deniedBucketPolicy, KEY_ARN, scheduleKeyDeletion } from './events';

const NOW = new Date('2026-03-09T10:00:03.250Z');
const input = (event: unknown): TamperRecordInput => ({
  event,
  fallbackAccount: '999999999999',
  now: NOW,
  fallbackRunId: 'fallback-run',
  invocationId: 'req-1',
});

async function written(event: unknown) {
  const store = new MemoryStore();
  const r = recordTamperEvent(input(event));
  const out = await writeEvidence(store, r.draft, r.sources, r.runId);
  expectValidEnvelope(out.envelope);
  return { ...out, store };
}

describe('recordTamperEvent', () => {
  it('records a change as a FAIL naming the key, who changed it, from where, and the change', async () => {
    const { envelope, envelopeObject, store } = await written(scheduleKeyDeletion);
    expect(envelopeObject.key).toBe(
      `evidence/2026/03/09/tamper-watch/${ACCOUNT}/us-east-1/100003Z-0b9c5c6e-7d5e-4a3f-8d6b-2f6a3b5c4d1e.json`,
    );
    expect(envelope).toMatchObject({
      collector: 'tamper-watch',
      controls: ['CC7.2', 'CC8.1'],
      account: ACCOUNT,
      region: 'us-east-1',
      collectedAt: NOW.toISOString(),
      errors: [],
      summary: { status: 'FAIL', failed: 1 },
      producer: { runId: '0b9c5c6e-7d5e-4a3f-8d6b-2f6a3b5c4d1e', invocationId: 'req-1' },
    });
    expect(envelope.findings).toEqual([
      {
        resource: KEY_ARN,
        check: 'protected-resource-changed',
        status: 'FAIL',
        detail: {
          eventName: 'ScheduleKeyDeletion',
          eventSource: 'kms.amazonaws.com',
          eventTime: '2026-03-09T09:59:58Z',
          eventID: '0b9c5c6e-7d5e-4a3f-8d6b-2f6a3b5c4d1e',
          userIdentity: {
            type: 'AssumedRole',
            arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice`,
            principalId: 'AROAEXAMPLEID:alice',
            accountId: ACCOUNT,
            sessionIssuer: `arn:aws:iam::${ACCOUNT}:role/Admin`,
          },
          sourceIPAddress: '203.0.113.7',
          userAgent: 'aws-cli/2.15.0',
          requestParameters: { keyId: KEY_ARN, pendingWindowInDays: 7 },
        },
      },
    ]);
    // The key agrees with the content (the checks pull and the watchdog make), and the event is kept whole.
    const parsed = parseEvidenceKey(envelopeObject.key)!;
    expect([parsed.collector, parsed.account, parsed.region, parsed.runId, parsed.time]).toEqual([
      envelope.collector,
      envelope.account,
      envelope.region,
      envelope.producer.runId,
      '100003',
    ]);
    const raw = store.objects[0]!;
    expect(raw.key).toBe(envelopeObject.key.replace(/\.json$/, '--cloudtrail-event.json'));
    expect(JSON.parse(Buffer.from(raw.body).toString('utf8'))).toEqual(scheduleKeyDeletion);
    expect(envelope.sources).toEqual([
      expect.objectContaining({ name: 'cloudtrail-event.json', sha256: sha256Hex(raw.body) }),
    ]);
    expect(Buffer.from(store.objects[1]!.body)).toEqual(Buffer.from(canonicalBytes(envelope)));
  });

  it('records a refused attempt as a WARN with the error, keeping policy documents to the raw event', async () => {
    const { envelope } = await written(deniedBucketPolicy);
    expect(envelope.summary.status).toBe('PASS'); // a WARN is not a FAIL: the change did not happen
    expect(envelope.summary.warnings).toBe(1);
    expect(envelope.findings[0]).toMatchObject({
      resource: 'arn:aws:s3:::soc2-evidence-bucket',
      check: 'protected-resource-change-denied',
      status: 'WARN',
      detail: {
        eventName: 'PutBucketPolicy',
        errorCode: 'AccessDenied',
        errorMessage: 'Access Denied',
        requestParameters: {
          bucketName: 'soc2-evidence-bucket',
          Host: 'soc2-evidence-bucket.s3.amazonaws.com',
          policy: [''],
        },
        requestParametersInRawEventOnly: ['bucketPolicy'],
      },
    });
  });

  it.each([
    ['a string', 'not an event'],
    ['null', null],
    ['an event without detail', { 'detail-type': 'AWS API Call via CloudTrail', account: ACCOUNT }],
  ])('records %s as an ERROR envelope with the event kept, never dropping it', async (_what, event) => {
    const { envelope, envelopeObject, store } = await written(event);
    expect(envelope.summary.status).toBe('ERROR');
    expect(envelope.findings).toEqual([]);
    expect(envelope.errors.length).toBeGreaterThan(0);
    expect(envelope.errors.every((e) => e.code === 'MalformedEvent')).toBe(true);
    expect(envelope.producer.runId).toBe('fallback-run');
    expect(envelopeObject.key).toContain('/tamper-watch/');
    expect(JSON.parse(Buffer.from(store.objects[0]!.body).toString('utf8'))).toEqual(event);
  });

  it('records what it could read of a partial record, and notes what it could not', async () => {
    const event = {
      detail: {
        eventSource: 'lambda.amazonaws.com',
        requestParameters: { functionName: 'Soc2Evidence-sealer' },
        recipientAccountId: 'not-an-account',
        awsRegion: 'Mars',
        eventID: 'bad--id',
      },
    };
    const { envelope, envelopeObject } = await written(event);
    expect(envelope).toMatchObject({
      account: '999999999999',
      region: 'global',
      summary: { status: 'FAIL', complete: false },
    });
    expect(envelope.producer.runId).toBe('fallback-run');
    expect(envelope.findings[0]).toMatchObject({
      resource: 'arn:aws:lambda:global:999999999999:function:Soc2Evidence-sealer',
      status: 'FAIL',
      detail: { eventName: null, eventTime: null, userIdentity: { type: null, arn: null } },
    });
    expect(envelope.errors.map((e) => e.message)).toEqual([
      expect.stringContaining('no 12-digit account'),
      expect.stringContaining('no region'),
      'the CloudTrail record has no eventName',
      'the CloudTrail record has no eventTime',
    ]);
    expect(envelopeObject.key).toMatch(/^evidence\/2026\/03\/09\/tamper-watch\/999999999999\/global\//);
  });

  it('names an unrecognised resource by its service and event, with an error entry', async () => {
    const { envelope } = await written({
      account: ACCOUNT,
      region: 'eu-west-1',
      detail: {
        eventSource: 'sqs.amazonaws.com',
        eventName: 'DeleteQueue',
        eventTime: '2026-03-09T09:00:00Z',
      },
    });
    expect(envelope.region).toBe('eu-west-1');
    expect(envelope.findings[0]!.resource).toBe('sqs.amazonaws.com:DeleteQueue');
    expect(envelope.errors.map((e) => e.message)).toEqual([
      expect.stringContaining('names no resource this watch recognises'),
    ]);
  });
});

describe('resourceOf', () => {
  const at = (eventSource: string, requestParameters: Record<string, unknown>) =>
    resourceOf({ eventSource, requestParameters }, ACCOUNT, 'eu-west-1');

  it.each([
    ['kms.amazonaws.com', { keyId: 'abcd' }, ['arn:aws:kms:eu-west-1:123456789012:key/abcd']],
    [
      'kms.amazonaws.com',
      { aliasName: 'alias/stack/signing/sealer', targetKeyId: 'k' },
      [
        'arn:aws:kms:eu-west-1:123456789012:key/k',
        'arn:aws:kms:eu-west-1:123456789012:alias/stack/signing/sealer',
      ],
    ],
    ['s3.amazonaws.com', { bucketName: 'b' }, ['arn:aws:s3:::b']],
    [
      'states.amazonaws.com',
      { stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:Soc2Evidence-iam-mfa' },
      ['arn:aws:states:eu-west-1:123456789012:stateMachine:Soc2Evidence-iam-mfa'],
    ],
    [
      'cloudformation.amazonaws.com',
      { stackSetName: 'Soc2Evidence-member' },
      ['arn:aws:cloudformation:eu-west-1:123456789012:stackset/Soc2Evidence-member'],
    ],
    [
      'lambda.amazonaws.com',
      { functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:f' },
      ['arn:aws:lambda:eu-west-1:123456789012:function:f'],
    ],
    [
      'monitoring.amazonaws.com',
      { alarmNames: ['a', 'b'] },
      [
        'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a',
        'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:b',
      ],
    ],
    ['events.amazonaws.com', { name: 'r' }, ['arn:aws:events:eu-west-1:123456789012:rule/r']],
    [
      'events.amazonaws.com',
      { rule: 'r', eventBusName: 'bus' },
      ['arn:aws:events:eu-west-1:123456789012:rule/bus/r'],
    ],
    [
      'scheduler.amazonaws.com',
      { name: 's', groupName: 'g' },
      ['arn:aws:scheduler:eu-west-1:123456789012:schedule/g/s'],
    ],
    ['cloudtrail.amazonaws.com', { name: 't' }, ['arn:aws:cloudtrail:eu-west-1:123456789012:trail/t']],
    ['iam.amazonaws.com', { roleName: 'r' }, ['arn:aws:iam::123456789012:role/r']],
    ['sqs.amazonaws.com', { queueUrl: 'q' }, []],
  ])('%s %j → %j', (source, parameters, expected) => {
    expect(at(source, parameters)).toEqual(expected);
  });

  it("prefers the record's own resources list", () => {
    expect(
      resourceOf(
        {
          eventSource: 's3.amazonaws.com',
          requestParameters: { bucketName: 'b' },
          resources: [{ ARN: 'arn:x' }],
        },
        ACCOUNT,
        'eu-west-1',
      ),
    ).toEqual(['arn:x']);
  });
});

describe('reducedParameters', () => {
  it('keeps short scalars and scalar lists, and names documents and long values only', () => {
    expect(
      reducedParameters({ a: 'x', n: 1, b: true, list: ['p', 'q'], doc: { x: 1 }, long: 'y'.repeat(300) }),
    ).toEqual({ parameters: { a: 'x', n: 1, b: true, list: ['p', 'q'] }, inRawEventOnly: ['doc', 'long'] });
    expect(reducedParameters(undefined)).toEqual({ parameters: {}, inRawEventOnly: [] });
  });
});
