import { bucketKey, DEFAULT_RULE, RATE_RULES, ruleFor } from '../../bench/wire/rates';
import { startWireServer } from '../../bench/wire/server';
import { rateFloorMs, TokenBucket } from '../../bench/wire/token-bucket';
import { serializeError, serviceProtocol, wireError } from '../../bench/wire/serialize';
import { WireClientFactory } from '../../bench/wire/client-factory';
import {
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { readAwsError } from '../../lambdas/aws/aws-error';

describe('TokenBucket', () => {
  it('lets the burst through at once, then one request per refill interval', () => {
    const b = new TokenBucket(3, 2, 0);
    expect([b.take(0), b.take(0), b.take(0), b.take(0)]).toEqual([true, true, true, false]);
    expect(b.take(499)).toBe(false); // 0.998 of a token
    expect(b.take(500)).toBe(true);
    expect(b.take(500)).toBe(false);
    // Never more than the capacity, however long it waited.
    expect(b.available(60_000)).toBe(3);
  });

  it('refuses a nonsense bucket', () => {
    expect(() => new TokenBucket(0, 1, 0)).toThrow(/capacity/);
    expect(() => new TokenBucket(10, 0, 0)).toThrow(/refillPerSecond/);
  });

  it('gives the fewest ms a number of requests can take through a bucket', () => {
    expect(rateFloorMs(40, 40, 10)).toBe(0);
    expect(rateFloorMs(140, 40, 10)).toBe(10_000);
    expect(rateFloorMs(0, 2, 2)).toBe(0);
  });
});

describe('the rate table', () => {
  it('names a source for every rule and the service throttling error', () => {
    for (const r of [...RATE_RULES, DEFAULT_RULE]) {
      expect(r.source).toMatch(/^(documented|assumed)/);
      expect(r.burst).toBeGreaterThanOrEqual(1);
      expect(r.refillPerSecond).toBeGreaterThan(0);
    }
    expect(ruleFor('EC2:DescribeSecurityGroups')).toMatchObject({
      code: 'RequestLimitExceeded',
      status: 503,
    });
    expect(ruleFor('S3:GetBucketPolicy')).toMatchObject({ code: 'SlowDown', status: 503 });
    expect(ruleFor('IAM:GetCredentialReport')).toMatchObject({ code: 'Throttling' });
    expect(ruleFor('CloudTrail:LookupEvents')).toMatchObject({ refillPerSecond: 2 });
    expect(ruleFor('CloudTrail:DescribeTrails')).toBe(DEFAULT_RULE);
    expect(ruleFor('S3Control:GetPublicAccessBlock').match).toBe('S3Control');
  });

  it('shares one bucket per region where AWS does, and one per API elsewhere', () => {
    expect(bucketKey('ElasticLoadBalancingV2:DescribeListeners', 'eu-west-1')).toBe(
      'ElasticLoadBalancingV2@eu-west-1',
    );
    expect(bucketKey('ElasticLoadBalancingV2:DescribeRules', 'eu-west-1')).toBe(
      'ElasticLoadBalancingV2@eu-west-1',
    );
    expect(bucketKey('ElasticLoadBalancing:DescribeLoadBalancers', 'eu-west-1')).toBe(
      'ElasticLoadBalancing@eu-west-1',
    );
    expect(bucketKey('RDS:DescribeDBParameters', 'us-east-1')).toBe('RDS@us-east-1');
    expect(bucketKey('EC2:DescribeVolumes', 'us-east-1')).toBe('EC2:DescribeVolumes@us-east-1');
  });
});

describe('throttling on the wire', () => {
  it('answers a drained bucket with the service error the SDK retries, and counts it', async () => {
    let t = 0;
    const server = await startWireServer({
      answers: { 'ElasticLoadBalancingV2:DescribeLoadBalancers': () => ({ LoadBalancers: [] }) },
      rates: [{ ...ruleFor('ElasticLoadBalancingV2:DescribeLoadBalancers'), burst: 2, refillPerSecond: 1 }],
      now: () => t,
    });
    try {
      const clients = new WireClientFactory(server.port, { maxAttempts: 3 });
      const elb = clients.get(ElasticLoadBalancingV2Client, 'us-east-1');
      await elb.send(new DescribeLoadBalancersCommand({}));
      await elb.send(new DescribeLoadBalancersCommand({}));
      // The clock stands still: every retry finds the bucket empty, and the SDK gives up after its 3 attempts.
      const err = await elb.send(new DescribeLoadBalancersCommand({})).catch((e: unknown) => e);
      expect(readAwsError(err)).toMatchObject({ code: 'ThrottlingException', httpStatus: 400 });
      const s = server.stats();
      expect(s.throttled).toBe(3);
      expect(s.buckets['ElasticLoadBalancingV2@us-east-1']).toMatchObject({ requests: 5, throttled: 3 });
      // With time the bucket refills and the next call goes through.
      t = 1000;
      await expect(elb.send(new DescribeLoadBalancersCommand({}))).resolves.toBeDefined();
    } finally {
      await server.close();
    }
  }, 20_000);

  it('writes each protocol error where the SDK reads it', () => {
    const e = wireError(
      Object.assign(new Error('gone'), { name: 'NoSuchEntity', $metadata: { httpStatusCode: 404 } }),
    );
    expect(e).toEqual({ code: 'NoSuchEntity', message: 'gone', status: 404 });
    expect(wireError(new Error('boom'))).toEqual({ code: 'InternalFailure', message: 'boom', status: 400 });
    const json = serializeError({ protocol: 'awsJson1_1', namespace: 'com.amazonaws.kms' }, e);
    expect(json.headers['x-amzn-errortype']).toBe('NoSuchEntity');
    expect(JSON.parse(String(json.body))).toEqual({
      __type: 'com.amazonaws.kms#NoSuchEntity',
      message: 'gone',
    });
    const ec2 = serializeError({ protocol: 'ec2Query', namespace: 'com.amazonaws.ec2' }, e);
    expect(String(ec2.body)).toContain('<Response><Errors><Error><Code>NoSuchEntity</Code>');
    expect(() => serviceProtocol({ getShapeId: () => 'smithy.protocols#rpcv2Cbor' })).toThrow(
      /unsupported protocol/,
    );
  });
});
