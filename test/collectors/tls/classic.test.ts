import {
  DescribeLoadBalancerPoliciesCommand,
  DescribeLoadBalancersCommand as DescribeClassicLoadBalancersCommand,
  ElasticLoadBalancingClient,
  type LoadBalancerDescription,
  type PolicyDescription,
} from '@aws-sdk/client-elastic-load-balancing';
import {
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import {
  assessClassicHttpListener,
  assessClassicTlsListener,
  assessTls,
  tls,
} from '../../../lambdas/collectors/tls/collector';
import type { ClassicListenerFacts } from '../../../lambdas/collectors/tls/classic-load-balancers';
import { runInTempDir } from '../../helpers/run';
import { awsError, regionOf } from '../../helpers/regional-mock';

const classic = mockClient(ElasticLoadBalancingClient);
const elbv2 = mockClient(ElasticLoadBalancingV2Client);
const rds = mockClient(RDSClient);
const s3 = mockClient(S3Client);

const ACCOUNT = '123456789012';
const arnOf = (name: string, region = 'us-east-1') =>
  `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:loadbalancer/${name}`;

beforeEach(() => {
  for (const m of [classic, elbv2, rds, s3]) m.reset();
  elbv2.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [] });
  rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
  rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
  s3.on(ListBucketsCommand).resolves({ Buckets: [] });
});

function listener(protocol: string, over: Partial<ClassicListenerFacts> = {}): ClassicListenerFacts {
  return {
    region: 'us-east-1',
    loadBalancerName: 'legacy-web',
    loadBalancerArn: arnOf('legacy-web'),
    scheme: 'internet-facing',
    port: protocol === 'HTTP' ? 80 : protocol === 'TCP' ? 22 : 443,
    protocol,
    instanceProtocol: 'HTTP',
    instancePort: 8080,
    policyNames: [],
    ...over,
  };
}

const sslPolicy = (protocols: string[], reference = 'ELBSecurityPolicy-2016-08') => ({
  name: 'my-negotiation-policy',
  source: 'load-balancer' as const,
  referenceSecurityPolicy: reference,
  protocols,
});

describe('Classic listeners (assess)', () => {
  it.each([
    ['an HTTPS listener negotiating TLS 1.0', 'HTTPS', ['TLSv1', 'TLSv1.1', 'TLSv1.2'], 'FAIL', 'TLSv1'],
    ['an SSL listener on TLS 1.2 only', 'SSL', ['TLSv1.2'], 'PASS', 'TLSv1.2'],
    ['a custom policy still enabling SSLv3', 'SSL', ['SSLv3', 'TLSv1.2'], 'FAIL', 'SSLv3'],
    ['a policy with every protocol disabled', 'HTTPS', [], 'WARN', undefined],
  ])('%s', (_name, protocol, protocols, status, lowest) => {
    const f = assessClassicTlsListener(listener(protocol, { sslPolicy: sslPolicy(protocols) }), 'TLSv1.2');
    expect(f).toMatchObject({
      resource: `${arnOf('legacy-web')}/listener/443`,
      check: 'listener-tls-policy',
      status,
      detail: {
        loadBalancerType: 'classic',
        loadBalancerArn: arnOf('legacy-web'),
        port: 443,
        protocol,
        sslPolicy: 'my-negotiation-policy',
        policySource: 'load-balancer',
        referenceSecurityPolicy: 'ELBSecurityPolicy-2016-08',
        protocols,
        minimumTlsVersion: 'TLSv1.2',
      },
    });
    expect(f.detail.lowestProtocol).toBe(lowest);
  });

  it('fails TLS 1.2 when the minimum is TLS 1.3, which no Classic policy offers', () => {
    const f = assessClassicTlsListener(listener('HTTPS', { sslPolicy: sslPolicy(['TLSv1.2']) }), 'TLSv1.3');
    expect(f.status).toBe('FAIL');
  });

  it('warns when the listener names no SSL negotiation policy, or one AWS did not return', () => {
    expect(assessClassicTlsListener(listener('HTTPS'), 'TLSv1.2')).toMatchObject({
      status: 'WARN',
      detail: { reason: 'the listener names no SSL negotiation policy' },
    });
    expect(
      assessClassicTlsListener(listener('HTTPS', { unreadPolicy: 'ELBSecurityPolicy-gone' }), 'TLSv1.2'),
    ).toMatchObject({
      status: 'WARN',
      detail: {
        sslPolicy: 'ELBSecurityPolicy-gone',
        reason: 'policy ELBSecurityPolicy-gone was not returned by DescribeLoadBalancerPolicies',
      },
    });
  });

  it('fails every HTTP listener: a Classic Load Balancer cannot redirect', () => {
    const f = assessClassicHttpListener(listener('HTTP'));
    expect(f).toMatchObject({
      resource: `${arnOf('legacy-web')}/listener/80`,
      check: 'listener-http-redirect',
      status: 'FAIL',
      detail: { loadBalancerType: 'classic', port: 80, protocol: 'HTTP' },
    });
    expect(f.detail.reason).toMatch(/cannot redirect HTTP to HTTPS/);
  });

  it('judges HTTPS, SSL and HTTP listeners, counts TCP ones as not judged, and counts Classic figures', () => {
    const { findings, figures } = assessTls(
      {
        listeners: [],
        classicListeners: [
          {
            region: 'us-east-1',
            loadBalancers: 2,
            listeners: [
              listener('HTTPS', { sslPolicy: sslPolicy(['TLSv1.2']) }),
              listener('HTTP'),
              listener('TCP'),
            ],
          },
        ],
        buckets: [],
        databases: [],
      },
      { minimumTlsVersion: 'TLSv1.2' },
    );
    expect(findings.map((f) => [f.check, f.status])).toEqual([
      ['listener-tls-policy', 'PASS'],
      ['listener-http-redirect', 'FAIL'],
    ]);
    expect(figures).toMatchObject({
      classicLoadBalancers: 2,
      classicListeners: 3,
      listenersNotJudged: 1,
      httpListenersServingPlainHttp: 1,
    });
  });

  it('reads facts recorded before Classic Load Balancers were read', () => {
    const { figures } = assessTls(
      { listeners: [], buckets: [], databases: [] },
      { minimumTlsVersion: 'TLSv1.2' },
    );
    expect(figures).toMatchObject({ classicLoadBalancers: 0, classicListeners: 0 });
  });
});

// ---- gather ---------------------------------------------------------------------------------------------

interface SpecListener {
  protocol: string;
  port: number;
  policies?: string[];
}

function lb(name: string, listeners: SpecListener[]): LoadBalancerDescription {
  return {
    LoadBalancerName: name,
    Scheme: 'internet-facing',
    ListenerDescriptions: listeners.map((l) => ({
      Listener: {
        Protocol: l.protocol,
        LoadBalancerPort: l.port,
        InstanceProtocol: l.protocol.toUpperCase() === 'SSL' ? 'tcp' : 'HTTP',
        InstancePort: 8080,
      },
      PolicyNames: l.policies ?? [],
    })),
  };
}

/** An SSL negotiation policy as DescribeLoadBalancerPolicies returns it (ciphers left out). */
function negotiation(name: string, enabled: string[] | undefined, reference?: string): PolicyDescription {
  return {
    PolicyName: name,
    PolicyTypeName: 'SSLNegotiationPolicyType',
    PolicyAttributeDescriptions: [
      ...(reference ? [{ AttributeName: 'Reference-Security-Policy', AttributeValue: reference }] : []),
      ...(enabled
        ? ['Protocol-SSLv3', 'Protocol-TLSv1', 'Protocol-TLSv1.1', 'Protocol-TLSv1.2'].map((p) => ({
            AttributeName: p,
            AttributeValue: String(enabled.includes(p.slice('Protocol-'.length))),
          }))
        : []),
      { AttributeName: 'ECDHE-RSA-AES128-GCM-SHA256', AttributeValue: 'true' },
    ],
  };
}

const STICKY: PolicyDescription = {
  PolicyName: 'sticky',
  PolicyTypeName: 'LBCookieStickinessPolicyType',
  PolicyAttributeDescriptions: [{ AttributeName: 'CookieExpirationPeriod', AttributeValue: '60' }],
};

describe('Classic listeners (gather)', () => {
  it('pages by Marker at 400, reads one policy call per TLS load balancer, and judges every listener', async () => {
    // The SDK's paginator reuses one input object: copy each as it is sent.
    const pagesAsked: object[] = [];
    classic.on(DescribeClassicLoadBalancersCommand).callsFake(async (input: { Marker?: string }) => {
      pagesAsked.push({ ...input });
      if (!input.Marker)
        return {
          LoadBalancerDescriptions: [
            lb('legacy-web', [
              { protocol: 'HTTPS', port: 443, policies: ['old-policy', 'sticky'] },
              { protocol: 'SSL', port: 8443, policies: ['old-policy'] },
              { protocol: 'HTTP', port: 80 },
            ]),
          ],
          NextMarker: 'm2',
        };
      if (input.Marker === 'm2') return { LoadBalancerDescriptions: [], NextMarker: 'm3' }; // an empty page
      return {
        LoadBalancerDescriptions: [
          lb('payments-classic', [{ protocol: 'ssl', port: 443, policies: ['tls12'] }]),
          lb('plain', [{ protocol: 'TCP', port: 5432 }]),
        ],
      };
    });
    classic
      .on(DescribeLoadBalancerPoliciesCommand)
      .callsFake(async (input: { LoadBalancerName?: string }) => ({
        PolicyDescriptions:
          input.LoadBalancerName === 'legacy-web'
            ? [
                negotiation('old-policy', ['TLSv1', 'TLSv1.1', 'TLSv1.2'], 'ELBSecurityPolicy-2016-08'),
                STICKY,
              ]
            : [negotiation('tls12', ['TLSv1.2'], 'ELBSecurityPolicy-TLS-1-2-2017-01')],
      }));

    const { written, sourceObjects } = await runInTempDir(tls, { regions: ['us-east-1'] });

    expect(pagesAsked).toEqual([
      { PageSize: 400 },
      { PageSize: 400, Marker: 'm2' },
      { PageSize: 400, Marker: 'm3' },
    ]);
    // One per load balancer with an HTTPS or SSL listener, naming its listeners' policies together.
    expect(classic.commandCalls(DescribeLoadBalancerPoliciesCommand).map((c) => c.args[0].input)).toEqual([
      { LoadBalancerName: 'legacy-web', PolicyNames: ['old-policy', 'sticky'] },
      { LoadBalancerName: 'payments-classic', PolicyNames: ['tls12'] },
    ]);
    expect(written.errors).toEqual([]);
    expect(written.findings.map((f) => [f.resource, f.check, f.status])).toEqual([
      [`${arnOf('legacy-web')}/listener/443`, 'listener-tls-policy', 'FAIL'],
      [`${arnOf('legacy-web')}/listener/8443`, 'listener-tls-policy', 'FAIL'],
      [`${arnOf('legacy-web')}/listener/80`, 'listener-http-redirect', 'FAIL'],
      [`${arnOf('payments-classic')}/listener/443`, 'listener-tls-policy', 'PASS'],
    ]);
    expect(written.findings[0]!.detail).toMatchObject({
      sslPolicy: 'old-policy',
      referenceSecurityPolicy: 'ELBSecurityPolicy-2016-08',
      protocols: ['TLSv1', 'TLSv1.1', 'TLSv1.2'],
      lowestProtocol: 'TLSv1',
    });
    expect(written.findings[3]!.detail).toMatchObject({ protocol: 'SSL', instanceProtocol: 'TCP' });
    expect(written.summary.figures).toMatchObject({
      classicLoadBalancers: 3,
      classicListeners: 5,
      listenersNotJudged: 1,
    });
    const source = written.sources.find((s) => s.name === 'classic-listeners.json')!;
    const raw = readFileSync(sourceObjects[written.sources.indexOf(source)]!.location, 'utf8');
    expect(raw).not.toContain('ECDHE-RSA'); // ciphers are not kept, only the enabled protocols
    expect(JSON.parse(raw)).toMatchObject({
      regions: [{ region: 'us-east-1', loadBalancers: 3, listeners: expect.any(Array) }],
    });
  });

  it('reads a predefined policy named on the listener without a load balancer name, once for the region', async () => {
    classic.on(DescribeClassicLoadBalancersCommand).resolves({
      LoadBalancerDescriptions: [
        lb('a', [{ protocol: 'HTTPS', port: 443, policies: ['ELBSecurityPolicy-2016-08'] }]),
        lb('b', [{ protocol: 'HTTPS', port: 443, policies: ['ELBSecurityPolicy-2016-08'] }]),
      ],
    });
    classic
      .on(DescribeLoadBalancerPoliciesCommand)
      .callsFake(async (input: { LoadBalancerName?: string; PolicyNames?: string[] }) => {
        if (input.LoadBalancerName && input.PolicyNames)
          throw awsError(
            'PolicyNotFound',
            'There is no policy with name ELBSecurityPolicy-2016-08 for load balancer',
          );
        if (input.LoadBalancerName) return { PolicyDescriptions: [STICKY] };
        return {
          PolicyDescriptions: [negotiation('ELBSecurityPolicy-2016-08', ['TLSv1', 'TLSv1.1', 'TLSv1.2'])],
        };
      });
    const { written } = await runInTempDir(tls, { regions: ['us-east-1'] });
    const inputs = classic.commandCalls(DescribeLoadBalancerPoliciesCommand).map((c) => c.args[0].input);
    expect(inputs.filter((i) => !i.LoadBalancerName)).toEqual([
      { PolicyNames: ['ELBSecurityPolicy-2016-08'] },
    ]);
    expect(written.errors).toEqual([]);
    expect(written.findings.map((f) => [f.status, f.detail.policySource, f.detail.sslPolicy])).toEqual([
      ['FAIL', 'predefined', 'ELBSecurityPolicy-2016-08'],
      ['FAIL', 'predefined', 'ELBSecurityPolicy-2016-08'],
    ]);
  });

  it('judges a load balancer policy that states only its reference by the referenced policy', async () => {
    classic.on(DescribeClassicLoadBalancersCommand).resolves({
      LoadBalancerDescriptions: [lb('a', [{ protocol: 'HTTPS', port: 443, policies: ['mine'] }])],
    });
    classic
      .on(DescribeLoadBalancerPoliciesCommand)
      .callsFake(async (input: { LoadBalancerName?: string }) =>
        input.LoadBalancerName
          ? { PolicyDescriptions: [negotiation('mine', undefined, 'ELBSecurityPolicy-TLS-1-2-2017-01')] }
          : { PolicyDescriptions: [negotiation('ELBSecurityPolicy-TLS-1-2-2017-01', ['TLSv1.2'])] },
      );
    const { written } = await runInTempDir(tls, { regions: ['us-east-1'] });
    expect(written.findings[0]).toMatchObject({
      status: 'PASS',
      detail: {
        sslPolicy: 'mine',
        referenceSecurityPolicy: 'ELBSecurityPolicy-TLS-1-2-2017-01',
        protocolsFromReference: true,
        protocols: ['TLSv1.2'],
      },
    });
  });

  it('warns on a named policy that AWS returns nowhere', async () => {
    classic.on(DescribeClassicLoadBalancersCommand).resolves({
      LoadBalancerDescriptions: [lb('a', [{ protocol: 'SSL', port: 443, policies: ['ghost'] }])],
    });
    classic
      .on(DescribeLoadBalancerPoliciesCommand)
      .callsFake(async (input: { LoadBalancerName?: string; PolicyNames?: string[] }) => {
        if (input.PolicyNames) throw awsError('PolicyNotFound');
        return {
          PolicyDescriptions: input.LoadBalancerName
            ? []
            : [negotiation('ELBSample-OpenSSLDefault', ['TLSv1'])],
        };
      });
    const { written } = await runInTempDir(tls, { regions: ['us-east-1'] });
    expect(written.errors).toEqual([]);
    expect(written.findings[0]).toMatchObject({
      status: 'WARN',
      detail: { reason: 'policy ghost was not returned by DescribeLoadBalancerPolicies' },
    });
  });

  it('leaves out the TLS listeners of a load balancer whose policies are denied, keeping the rest', async () => {
    classic.on(DescribeClassicLoadBalancersCommand).resolves({
      LoadBalancerDescriptions: [
        lb('denied', [
          { protocol: 'HTTPS', port: 443, policies: ['p'] },
          { protocol: 'HTTP', port: 80 },
        ]),
        lb('fine', [{ protocol: 'HTTPS', port: 443, policies: ['p'] }]),
      ],
    });
    classic
      .on(DescribeLoadBalancerPoliciesCommand)
      .callsFake(async (input: { LoadBalancerName?: string }) => {
        if (input.LoadBalancerName === 'denied') throw awsError('AccessDenied', 'not authorized');
        return { PolicyDescriptions: [negotiation('p', ['TLSv1.2'])] };
      });
    const { written } = await runInTempDir(tls, { regions: ['us-east-1'] });
    expect(written.errors).toEqual([
      {
        region: 'us-east-1',
        api: 'elasticloadbalancing:DescribeLoadBalancerPolicies',
        code: 'AccessDenied',
        message: `${arnOf('denied')}: not authorized`,
      },
    ]);
    expect(written.findings.map((f) => [f.resource, f.status])).toEqual([
      [`${arnOf('denied')}/listener/80`, 'FAIL'],
      [`${arnOf('fine')}/listener/443`, 'PASS'],
    ]);
    expect(written.summary).toMatchObject({ status: 'FAIL', complete: false });
  });

  it('records a denied region as a named error and keeps the other region; ', async () => {
    classic.on(DescribeClassicLoadBalancersCommand).callsFake(async (_input, getClient) => {
      const region = await regionOf(getClient);
      if (region === 'eu-west-1') throw awsError('AccessDenied', 'not authorized');
      return { LoadBalancerDescriptions: [lb('web', [{ protocol: 'HTTP', port: 80 }])] };
    });
    const { written } = await runInTempDir(tls, { regions: ['us-east-1', 'eu-west-1'] });
    expect(written.errors).toEqual([
      {
        region: 'eu-west-1',
        api: 'elasticloadbalancing:DescribeLoadBalancers',
        code: 'AccessDenied',
        message: 'Classic Load Balancers: not authorized',
      },
    ]);
    expect(written.findings.map((f) => f.resource)).toEqual([`${arnOf('web')}/listener/80`]);
    expect(classic.commandCalls(DescribeLoadBalancerPoliciesCommand)).toHaveLength(0);
  });

  it("builds the ARN in the region's partition", async () => {
    classic.on(DescribeClassicLoadBalancersCommand).resolves({
      LoadBalancerDescriptions: [lb('cn', [{ protocol: 'HTTP', port: 80 }])],
    });
    const { written } = await runInTempDir(tls, { regions: ['cn-north-1'] });
    expect(written.findings[0]!.resource).toBe(
      `arn:aws-cn:elasticloadbalancing:cn-north-1:${ACCOUNT}:loadbalancer/cn/listener/80`,
    );
  });
});
