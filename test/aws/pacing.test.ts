import {
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { OfflineClientFactory } from '../../cli/demo/offline-clients';
import { ClientFactory } from '../../lambdas/aws/client-factory';
import { DOCUMENTED_RATES, Pacer } from '../../lambdas/aws/pacing';

/** A clock that only moves when the pacer sleeps. */
function fakeTime() {
  let now = 0;
  const slept: number[] = [];
  return {
    clock: () => now,
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
    slept,
    advance: (ms: number) => (now += ms),
  };
}

describe('Pacer', () => {
  it('lets a burst through, then one call per refill interval, in the order asked', async () => {
    const t = fakeTime();
    const pacer = new Pacer({ perSecond: 10, burst: 3, source: 'test' }, t.clock, t.sleep);
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3, 4].map((i) => pacer.take().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3, 4]);
    // Three from the burst, then two that each wait for a token refilled at 10 a second.
    expect(t.slept).toEqual([100, 100]);
  });

  it('refills while idle, up to the burst and no further', async () => {
    const t = fakeTime();
    const pacer = new Pacer({ perSecond: 10, burst: 2, source: 'test' }, t.clock, t.sleep);
    await pacer.take();
    await pacer.take();
    t.advance(10_000);
    await Promise.all([pacer.take(), pacer.take(), pacer.take()]);
    expect(t.slept).toEqual([100]);
  });
});

describe('client pacing', () => {
  it('paces the services AWS documents a per-account, per-Region rate for, and no other', () => {
    const factory = new ClientFactory();
    const names = (c: { middlewareStack: { identify(): string[] } }) =>
      c.middlewareStack.identify().some((n) => n.startsWith('soc2EvidencePacing'));
    expect(names(factory.get(ElasticLoadBalancingV2Client, 'eu-west-1'))).toBe(true);
    expect(names(factory.get(RDSClient, 'eu-west-1'))).toBe(true);
    expect(names(factory.get(S3Client, 'eu-west-1'))).toBe(false);
    expect(Object.keys(DOCUMENTED_RATES).sort()).toEqual([
      'Elastic Load Balancing',
      'Elastic Load Balancing v2',
      'RDS',
    ]);
  });

  it('holds ELB calls to the documented refill once the burst of 40 is spent', async () => {
    const factory = new OfflineClientFactory({
      'ElasticLoadBalancingV2:DescribeLoadBalancers': () => ({ LoadBalancers: [] }),
    });
    const client = factory.get(ElasticLoadBalancingV2Client, 'eu-west-1');
    const started = Date.now();
    await Promise.all(Array.from({ length: 45 }, () => client.send(new DescribeLoadBalancersCommand({}))));
    // 40 at once, then 5 more at 10 a second: about half a second, not the instant the offline answers take.
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(factory.stats.calls).toBe(45);
  });
});
