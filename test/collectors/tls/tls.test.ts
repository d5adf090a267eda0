import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeSSLPoliciesCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DescribeDBClusterParametersCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBParametersCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { GetBucketPolicyCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeLoadBalancerPoliciesCommand,
  DescribeLoadBalancersCommand as DescribeClassicLoadBalancersCommand,
  ElasticLoadBalancingClient,
} from '@aws-sdk/client-elastic-load-balancing';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientFactory } from '../../../lambdas/aws/client-factory';
import { DirectoryStore } from '../../../lambdas/evidence/directory-store';
import type { Envelope } from '../../../lambdas/evidence/envelope';
import { runCollector, SOFT_DEADLINE_MARGIN_MS } from '../../../lambdas/run-collector';
import { DEFAULT_SETTINGS } from '../../../lambdas/settings';
import type { DbInstanceFacts } from '../../../lambdas/readers/databases';
import {
  assessBucketTls,
  assessDatabaseTls,
  assessHttpListener,
  assessTlsListener,
  tls,
} from '../../../lambdas/collectors/tls/collector';
import { analyseBucketPolicy } from '../../../lambdas/collectors/tls/bucket-policy';
import type { ActionFacts, ListenerFacts } from '../../../lambdas/collectors/tls/load-balancers';
import { runInTempDir } from '../../helpers/run';
import { awsError, regionOf } from '../../helpers/regional-mock';

const elb = mockClient(ElasticLoadBalancingV2Client);
const rds = mockClient(RDSClient);
const s3 = mockClient(S3Client);
/** No Classic Load Balancers here: test/collectors/tls/classic.test.ts reads them. */
const classic = mockClient(ElasticLoadBalancingClient);
beforeEach(() => {
  elb.reset();
  rds.reset();
  s3.reset();
  classic.reset();
  classic.on(DescribeClassicLoadBalancersCommand).resolves({ LoadBalancerDescriptions: [] });
});

const LB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188';
const POLICIES = [
  { name: 'ELBSecurityPolicy-2016-08', protocols: ['TLSv1', 'TLSv1.1', 'TLSv1.2'] },
  { name: 'ELBSecurityPolicy-TLS13-1-3-2021-06', protocols: ['TLSv1.3'] },
  { name: 'ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04', protocols: ['TLSv1.2', 'TLSv1.3'] },
  { name: 'ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04', protocols: ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] },
];

function listener(protocol: string, over: Partial<ListenerFacts> = {}): ListenerFacts {
  return {
    region: 'us-east-1',
    loadBalancerArn: LB,
    loadBalancerName: 'web',
    loadBalancerType: protocol === 'TLS' ? 'network' : 'application',
    listenerArn: `${LB.replace(':loadbalancer/', ':listener/')}/${protocol.toLowerCase()}`,
    port: protocol === 'HTTP' ? 80 : 443,
    protocol,
    defaultActions: [{ type: 'forward', order: 1 }],
    ...over,
  };
}

const redirect = (protocol = 'HTTPS'): ActionFacts => ({
  type: 'redirect',
  order: 1,
  redirectProtocol: protocol,
});

describe('TLS listeners', () => {
  it.each([
    [
      'the CDK/CLI default ELBSecurityPolicy-2016-08 (allows TLS 1.0)',
      'HTTPS',
      'ELBSecurityPolicy-2016-08',
      'TLSv1.2',
      'FAIL',
    ],
    ['a TLS 1.3-only policy', 'HTTPS', 'ELBSecurityPolicy-TLS13-1-3-2021-06', 'TLSv1.2', 'PASS'],
    [
      'a FIPS policy allowing TLS 1.2+ on an NLB',
      'TLS',
      'ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04',
      'TLSv1.2',
      'PASS',
    ],
    [
      'a FIPS policy that still allows TLS 1.0',
      'TLS',
      'ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04',
      'TLSv1.2',
      'FAIL',
    ],
    [
      'a TLS 1.2 policy when TLS 1.3 is the minimum',
      'HTTPS',
      'ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04',
      'TLSv1.3',
      'FAIL',
    ],
    ['the default policy when TLS 1.0 is allowed', 'HTTPS', 'ELBSecurityPolicy-2016-08', 'TLSv1', 'PASS'],
    ['a policy DescribeSSLPolicies did not return', 'HTTPS', 'Custom-Unknown', 'TLSv1.2', 'WARN'],
  ] as const)('%s', (_name, protocol, policy, minimum, expected) => {
    const f = assessTlsListener(listener(protocol, { sslPolicy: policy }), POLICIES, minimum);
    expect(f.status).toBe(expected);
    expect(f.detail.sslPolicy).toBe(policy);
    if (expected !== 'WARN')
      expect(f.detail.protocols).toEqual(POLICIES.find((p) => p.name === policy)!.protocols);
  });

  it.each([
    ['redirecting to HTTPS', listener('HTTP', { defaultActions: [redirect()], rules: [] }), 'PASS'],
    ['forwarding', listener('HTTP'), 'FAIL'],
    [
      'redirecting but keeping the protocol',
      listener('HTTP', { defaultActions: [redirect('#{protocol}')], rules: [] }),
      'FAIL',
    ],
    [
      'redirecting by default but with a rule that forwards',
      listener('HTTP', {
        defaultActions: [redirect()],
        rules: [
          { ruleArn: 'rule/api', priority: '1', isDefault: false, actions: [{ type: 'forward', order: 1 }] },
          { ruleArn: 'rule/default', isDefault: true, actions: [redirect()] },
        ],
      }),
      'FAIL',
    ],
    [
      'redirecting by default with rules that redirect or answer fixed',
      listener('HTTP', {
        defaultActions: [redirect()],
        rules: [
          { ruleArn: 'rule/a', priority: '1', isDefault: false, actions: [redirect()] },
          {
            ruleArn: 'rule/b',
            priority: '2',
            isDefault: false,
            actions: [{ type: 'fixed-response', order: 1 }],
          },
        ],
      }),
      'PASS',
    ],
  ])('an HTTP listener %s', (_name, l, expected) => {
    expect(assessHttpListener(l).status).toBe(expected);
  });
});

const BUCKET = 'arn:aws:s3:::reports';
const policy = (statement: Record<string, unknown>) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
const SECURE_TRANSPORT = {
  Sid: 'DenyPlainHttp',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [BUCKET, `${BUCKET}/*`],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};
const TLS_VERSION = {
  Sid: 'DenyOldTls',
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: ['s3:GetObject', 's3:PutObject'],
  Resource: `${BUCKET}/*`,
  Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } },
};

describe('bucket TLS-only policies', () => {
  it.each([
    ['Deny * with Bool aws:SecureTransport false', policy(SECURE_TRANSPORT), true],
    ['Deny {"AWS":"*"} with NumericLessThan s3:TlsVersion 1.2', policy(TLS_VERSION), true],
    [
      'the TlsVersion form with 1.3',
      policy({ ...TLS_VERSION, Condition: { NumericLessThan: { 's3:TlsVersion': 1.3 } } }),
      true,
    ],
    [
      'Allow instead of Deny',
      policy({
        ...SECURE_TRANSPORT,
        Effect: 'Allow',
        Condition: { Bool: { 'aws:SecureTransport': 'true' } },
      }),
      false,
    ],
    ['Allow with the same condition', policy({ ...SECURE_TRANSPORT, Effect: 'Allow' }), false],
    [
      'a Principal other than *',
      policy({ ...SECURE_TRANSPORT, Principal: { AWS: 'arn:aws:iam::123456789012:root' } }),
      false,
    ],
    [
      'a TlsVersion limit of 1.0',
      policy({ ...TLS_VERSION, Condition: { NumericLessThan: { 's3:TlsVersion': '1.0' } } }),
      false,
    ],
    [
      'an extra condition that narrows the Deny',
      policy({
        ...SECURE_TRANSPORT,
        Condition: {
          Bool: { 'aws:SecureTransport': 'false' },
          StringEquals: { 'aws:PrincipalAccount': '123456789012' },
        },
      }),
      false,
    ],
    ['only PutObject denied', policy({ ...SECURE_TRANSPORT, Action: 's3:PutObject' }), false],
    ['only the bucket, not its objects', policy({ ...SECURE_TRANSPORT, Resource: BUCKET }), false],
    ['a policy for another bucket', policy({ ...SECURE_TRANSPORT, Resource: 'arn:aws:s3:::other/*' }), false],
  ])('%s', (_name, doc, tlsOnly) => {
    expect(analyseBucketPolicy(doc, BUCKET).tlsOnly).toBe(tlsOnly);
  });

  it('names why a look-alike statement does not count', () => {
    const a = analyseBucketPolicy(policy({ ...SECURE_TRANSPORT, Effect: 'Allow' }), BUCKET);
    expect(a.nearMisses).toEqual(['DenyPlainHttp: Effect is "Allow", not Deny']);
    const f = assessBucketTls({
      name: 'reports',
      arn: BUCKET,
      region: 'us-east-1',
      outsideConfiguredRegions: false,
      policy: policy(TLS_VERSION),
    });
    expect(f).toMatchObject({
      status: 'PASS',
      detail: { form: 's3:TlsVersion', minimumTlsVersion: 1.2, statement: 'DenyOldTls' },
    });
  });

  it('a bucket without a policy is not TLS-only', () => {
    const f = assessBucketTls({
      name: 'reports',
      arn: BUCKET,
      region: 'us-east-1',
      outsideConfiguredRegions: false,
    });
    expect(f).toMatchObject({ status: 'FAIL', detail: { hasPolicy: false, tlsOnly: false } });
  });
});

function db(engine: string, over: Partial<DbInstanceFacts> = {}): DbInstanceFacts {
  return {
    kind: 'instance',
    region: 'us-east-1',
    arn: `arn:aws:rds:us-east-1:123456789012:db:${engine}`,
    id: engine,
    engine,
    backupRetentionPeriod: 7,
    deletionProtection: false,
    storageEncrypted: true,
    parameterGroups: [{ name: 'app', applyStatus: 'in-sync' }],
    ...over,
  };
}

describe('database TLS enforcement', () => {
  it.each([
    [
      'PostgreSQL rds.force_ssl 1',
      {
        db: db('postgres'),
        parameterGroup: 'app',
        parameterName: 'rds.force_ssl',
        value: '1',
        pendingReboot: false,
      },
      'PASS',
    ],
    [
      'SQL Server rds.force_ssl 0',
      {
        db: db('sqlserver-se'),
        parameterGroup: 'app',
        parameterName: 'rds.force_ssl',
        value: '0',
        pendingReboot: false,
      },
      'FAIL',
    ],
    [
      'MySQL require_secure_transport ON',
      {
        db: db('mysql'),
        parameterGroup: 'app',
        parameterName: 'require_secure_transport',
        value: 'ON',
        pendingReboot: false,
      },
      'PASS',
    ],
    [
      'MariaDB require_secure_transport OFF',
      {
        db: db('mariadb'),
        parameterGroup: 'app',
        parameterName: 'require_secure_transport',
        value: 'OFF',
        pendingReboot: false,
      },
      'FAIL',
    ],
    [
      'a value left to the engine default',
      {
        db: db('mysql'),
        parameterGroup: 'default.mysql8.0',
        parameterName: 'require_secure_transport',
        pendingReboot: false,
      },
      'WARN',
    ],
    [
      'enforced but pending reboot',
      {
        db: db('postgres'),
        parameterGroup: 'app',
        parameterName: 'rds.force_ssl',
        value: '1',
        pendingReboot: true,
      },
      'WARN',
    ],
    [
      'DocumentDB tls enabled',
      {
        db: db('docdb'),
        parameterGroup: 'docs',
        parameterName: 'tls',
        value: 'enabled',
        pendingReboot: false,
      },
      'PASS',
    ],
    [
      'an engine without a known parameter',
      { db: db('oracle-ee'), parameterGroup: 'app', pendingReboot: false },
      'WARN',
    ],
  ])('%s', (_name, facts, expected) => {
    expect(assessDatabaseTls(facts).status).toBe(expected);
  });

  it('records "default" when the group states no value', () => {
    const f = assessDatabaseTls({
      db: db('mysql'),
      parameterGroup: 'default.mysql8.0',
      pendingReboot: false,
    });
    expect(f.detail).toMatchObject({ parameter: 'require_secure_transport', value: 'default' });
  });
});

describe('tls collector', () => {
  function mockNoDatabasesOrBuckets() {
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
    s3.on(ListBucketsCommand).resolves({ Buckets: [] });
  }

  it('pages through load balancers, listeners and policies, and keeps a denied region apart', async () => {
    mockNoDatabasesOrBuckets();
    elb.on(DescribeLoadBalancersCommand).callsFake(async (input: { Marker?: string }, getClient) => {
      if ((await regionOf(getClient)) === 'eu-west-1') throw awsError('AccessDenied', 'not authorized');
      return input.Marker
        ? { LoadBalancers: [{ LoadBalancerArn: `${LB}-nlb`, LoadBalancerName: 'nlb', Type: 'network' }] }
        : {
            LoadBalancers: [
              {
                LoadBalancerArn: LB,
                LoadBalancerName: 'web',
                Type: 'application',
                Scheme: 'internet-facing',
              },
            ],
            NextMarker: 'lbs-2',
          };
    });
    elb
      .on(DescribeListenersCommand)
      .callsFake(async (input: { LoadBalancerArn: string; Marker?: string }) => {
        if (input.LoadBalancerArn === `${LB}-nlb`)
          return {
            Listeners: [
              {
                ListenerArn: 'nlb/tls',
                Protocol: 'TLS',
                Port: 443,
                SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04',
              },
              { ListenerArn: 'nlb/tcp', Protocol: 'TCP', Port: 22 },
            ],
          };
        return input.Marker
          ? {
              Listeners: [
                {
                  ListenerArn: 'web/http',
                  Protocol: 'HTTP',
                  Port: 80,
                  DefaultActions: [
                    {
                      Type: 'redirect',
                      Order: 1,
                      RedirectConfig: { Protocol: 'HTTPS', StatusCode: 'HTTP_301' },
                    },
                  ],
                },
              ],
            }
          : {
              Listeners: [
                {
                  ListenerArn: 'web/https',
                  Protocol: 'HTTPS',
                  Port: 443,
                  SslPolicy: 'ELBSecurityPolicy-2016-08',
                },
              ],
              NextMarker: 'listeners-2',
            };
      });
    elb.on(DescribeRulesCommand).resolves({
      Rules: [
        {
          RuleArn: 'web/http/default',
          IsDefault: true,
          Actions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', StatusCode: 'HTTP_301' } }],
        },
      ],
    });
    elb.on(DescribeSSLPoliciesCommand).callsFake(async (input: { Marker?: string }) => {
      const all = POLICIES.map((p) => ({ Name: p.name, SslProtocols: p.protocols }));
      return input.Marker
        ? { SslPolicies: all.slice(2) }
        : { SslPolicies: all.slice(0, 2), NextMarker: 'policies-2' };
    });

    const { written, sourceObjects } = await runInTempDir(tls, { regions: ['us-east-1', 'eu-west-1'] });

    expect(written.summary).toMatchObject({ status: 'FAIL', complete: false });
    expect(written.errors).toEqual([
      expect.objectContaining({
        region: 'eu-west-1',
        api: 'elasticloadbalancing:DescribeLoadBalancers',
        code: 'AccessDenied',
      }),
    ]);
    expect(written.findings.map((f) => [f.resource, f.check, f.status])).toEqual([
      ['web/https', 'listener-tls-policy', 'FAIL'],
      ['web/http', 'listener-http-redirect', 'PASS'],
      ['nlb/tls', 'listener-tls-policy', 'PASS'],
    ]);
    expect(written.findings[0]!.detail).toMatchObject({
      region: 'us-east-1',
      sslPolicy: 'ELBSecurityPolicy-2016-08',
      protocols: ['TLSv1', 'TLSv1.1', 'TLSv1.2'],
      lowestProtocol: 'TLSv1',
    });
    expect(written.summary.figures.listenersNotJudged).toBe(1);
    // Policies are read once for the region, not per listener.
    expect(elb.commandCalls(DescribeSSLPoliciesCommand)).toHaveLength(2);
    expect(elb.commandCalls(DescribeRulesCommand)).toHaveLength(1);
    expect(written.sources.map((s) => s.name)).toEqual(['listeners.json', 'classic-listeners.json']);
    const raw = JSON.parse(readFileSync(sourceObjects[0]!.location, 'utf8')) as {
      regions: { policies: { name: string }[] }[];
    };
    expect(raw.regions[0]!.policies.map((p) => p.name).sort()).toEqual([
      'ELBSecurityPolicy-2016-08',
      'ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04',
    ]);
  });

  it('reads bucket policies in each bucket region; no policy is a FAIL, an unreadable one an error', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
    elb.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [] });
    s3.on(ListBucketsCommand).resolves({
      Buckets: [
        { Name: 'reports', BucketRegion: 'us-east-1' },
        { Name: 'tokyo', BucketRegion: 'ap-northeast-1' },
        { Name: 'secret', BucketRegion: 'us-east-1' },
      ],
    });
    s3.on(GetBucketPolicyCommand).callsFake(async (input: { Bucket: string }, getClient) => {
      const region = await regionOf(getClient);
      if (input.Bucket === 'reports')
        throw awsError('NoSuchBucketPolicy', 'The bucket policy does not exist');
      if (input.Bucket === 'secret') throw awsError('AccessDenied', 'Access Denied');
      expect(region).toBe('ap-northeast-1');
      return { Policy: policy({ ...SECURE_TRANSPORT, Resource: 'arn:aws:s3:::tokyo/*' }) };
    });
    const { written } = await runInTempDir(tls);
    expect(written.findings.map((f) => [f.detail.bucket, f.status])).toEqual([
      ['reports', 'FAIL'],
      ['tokyo', 'PASS'],
    ]);
    expect(written.findings[1]!.detail).toMatchObject({
      region: 'ap-northeast-1',
      outsideConfiguredRegions: true,
    });
    expect(written.errors).toEqual([
      {
        region: 'us-east-1',
        api: 's3:GetBucketPolicy',
        code: 'AccessDenied',
        message: 'secret: Access Denied',
      },
    ]);
  });

  it('reads each parameter group once, with a name filter, and judges cluster members through the cluster', async () => {
    s3.on(ListBucketsCommand).resolves({ Buckets: [] });
    elb.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [] });
    const pg = (id: string) => ({
      DBInstanceArn: `arn:aws:rds:us-east-1:123456789012:db:${id}`,
      DBInstanceIdentifier: id,
      Engine: 'postgres',
      DBParameterGroups: [{ DBParameterGroupName: 'app-pg', ParameterApplyStatus: 'in-sync' }],
    });
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [
        pg('pg1'),
        pg('pg2'),
        {
          DBInstanceArn: 'arn:aws:rds:us-east-1:123456789012:db:aurora-1',
          DBInstanceIdentifier: 'aurora-1',
          Engine: 'aurora-mysql',
          DBClusterIdentifier: 'aurora',
          DBParameterGroups: [{ DBParameterGroupName: 'default.aurora-mysql8.0' }],
        },
      ],
    });
    rds.on(DescribeDBClustersCommand).resolves({
      DBClusters: [
        {
          DBClusterArn: 'arn:aws:rds:us-east-1:123456789012:cluster:aurora',
          DBClusterIdentifier: 'aurora',
          Engine: 'aurora-mysql',
          DBClusterParameterGroup: 'app-aurora',
          DBClusterMembers: [{ DBInstanceIdentifier: 'aurora-1', DBClusterParameterGroupStatus: 'in-sync' }],
        },
      ],
    });
    rds
      .on(DescribeDBParametersCommand)
      .callsFake(async (input: { Marker?: string }) =>
        input.Marker
          ? { Parameters: [{ ParameterName: 'rds.force_ssl', ParameterValue: '1', Source: 'user' }] }
          : { Parameters: [], Marker: 'params-2' },
      );
    rds
      .on(DescribeDBClusterParametersCommand)
      .resolves({ Parameters: [{ ParameterName: 'require_secure_transport', Source: 'engine-default' }] });

    const { written } = await runInTempDir(tls);

    expect(written.findings.map((f) => [f.resource.split(':').pop(), f.status, f.detail.value])).toEqual([
      ['aurora', 'WARN', 'default'],
      ['pg1', 'PASS', '1'],
      ['pg2', 'PASS', '1'],
    ]);
    expect(rds.commandCalls(DescribeDBParametersCommand)).toHaveLength(2); // two pages, one group
    expect(rds.commandCalls(DescribeDBParametersCommand)[0]!.args[0].input).toMatchObject({
      DBParameterGroupName: 'app-pg',
      Filters: [{ Name: 'parameter-name', Values: ['rds.force_ssl'] }],
    });
    expect(rds.commandCalls(DescribeDBClusterParametersCommand)[0]!.args[0].input).toMatchObject({
      DBClusterParameterGroupName: 'app-aurora',
    });
    expect(written.summary.status).toBe('PASS');
  });

  it('records a persistent throttle of one region as an error and keeps the other', async () => {
    mockNoDatabasesOrBuckets();
    // mockClient bypasses the SDK's retry layer: this rejection stands for a throttle that outlasted them.
    elb.on(DescribeLoadBalancersCommand).callsFake(async (_input, getClient) => {
      if ((await regionOf(getClient)) === 'us-west-2') throw awsError('Throttling', 'Rate exceeded');
      return { LoadBalancers: [] };
    });
    const { written } = await runInTempDir(tls, { regions: ['us-east-1', 'us-west-2'] });
    expect(written.errors).toEqual([
      {
        region: 'us-west-2',
        api: 'elasticloadbalancing:DescribeLoadBalancers',
        code: 'Throttling',
        message: 'Rate exceeded',
      },
    ]);
    expect(written.summary.status).toBe('ERROR');
  });
});

describe('tls collector at the deadline', () => {
  // A fake clock: each per-resource read takes 10 s of it; the soft deadline comes 25 s in, during the third.
  let clock = 0;
  beforeEach(() => {
    clock = Date.UTC(2026, 10, 23, 6, 0, 0);
    jest.spyOn(Date, 'now').mockImplementation(() => clock);
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
    s3.on(ListBucketsCommand).resolves({ Buckets: [] });
    elb.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [] });
  });
  afterEach(() => jest.restoreAllMocks());

  async function runToDeadline(): Promise<Envelope> {
    const dir = mkdtempSync(join(tmpdir(), 'soc2-evidence-test-'));
    const result = await runCollector(tls, {
      clients: new ClientFactory(),
      store: new DirectoryStore(dir),
      account: '123456789012',
      settings: { ...DEFAULT_SETTINGS, regions: ['us-east-1'], concurrency: 1 },
      deadline: clock + SOFT_DEADLINE_MARGIN_MS + 25_000,
    });
    return JSON.parse(readFileSync(result.envelopeObject.location, 'utf8')) as Envelope;
  }

  it('reads no load balancer after the soft deadline and keeps the listeners read', async () => {
    elb.on(DescribeLoadBalancersCommand).resolves({
      LoadBalancers: Array.from({ length: 5 }, (_, i) => ({
        LoadBalancerArn: `${LB}-${i}`,
        LoadBalancerName: `web-${i}`,
        Type: 'application',
      })),
    });
    elb.on(DescribeListenersCommand).callsFake(async (input: { LoadBalancerArn: string }) => {
      clock += 10_000;
      return {
        Listeners: [
          {
            ListenerArn: `${input.LoadBalancerArn}/https`,
            Protocol: 'HTTPS',
            Port: 443,
            SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04',
          },
        ],
      };
    });
    elb.on(DescribeSSLPoliciesCommand).resolves({
      SslPolicies: POLICIES.map((p) => ({ Name: p.name, SslProtocols: p.protocols })),
    });

    const written = await runToDeadline();

    expect(written.findings.map((f) => [f.resource, f.status])).toEqual([
      [`${LB}-0/https`, 'PASS'],
      [`${LB}-1/https`, 'PASS'],
      [`${LB}-2/https`, 'PASS'],
    ]);
    expect(written.errors).toEqual([
      {
        region: 'us-east-1',
        api: 'elasticloadbalancing:DescribeListeners',
        code: 'DeadlineExceeded',
        message:
          '2 of 5 load balancers in us-east-1 were not read: the run stopped before the Lambda time limit',
      },
    ]);
    expect(written.summary).toMatchObject({ status: 'PARTIAL', complete: false });
  });

  it('reads no parameter group after the soft deadline and keeps the databases read', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: Array.from({ length: 4 }, (_, i) => ({
        DBInstanceArn: `arn:aws:rds:us-east-1:123456789012:db:pg${i}`,
        DBInstanceIdentifier: `pg${i}`,
        Engine: 'postgres',
        DBParameterGroups: [{ DBParameterGroupName: `group-${i}`, ParameterApplyStatus: 'in-sync' }],
      })),
    });
    rds.on(DescribeDBParametersCommand).callsFake(async () => {
      clock += 10_000;
      return { Parameters: [{ ParameterName: 'rds.force_ssl', ParameterValue: '1', Source: 'user' }] };
    });

    const written = await runToDeadline();

    expect(written.findings.map((f) => [f.resource.split(':').pop(), f.status])).toEqual([
      ['pg0', 'PASS'],
      ['pg1', 'PASS'],
      ['pg2', 'PASS'],
    ]);
    expect(written.errors).toEqual([
      {
        region: 'us-east-1',
        api: 'rds:DescribeDBParameters',
        code: 'DeadlineExceeded',
        message:
          '1 of 4 DB instances in us-east-1 were not read: the run stopped before the Lambda time limit',
      },
    ]);
    expect(written.summary.status).toBe('PARTIAL');
  });

  it('reads no Classic load balancer policy after the soft deadline, keeping the plain listeners of those left', async () => {
    classic.on(DescribeClassicLoadBalancersCommand).resolves({
      LoadBalancerDescriptions: Array.from({ length: 4 }, (_, i) => ({
        LoadBalancerName: `legacy-${i}`,
        ListenerDescriptions: [
          {
            Listener: {
              Protocol: 'HTTPS',
              LoadBalancerPort: 443,
              InstanceProtocol: 'HTTP',
              InstancePort: 80,
            },
            PolicyNames: ['tls-policy'],
          },
          { Listener: { Protocol: 'TCP', LoadBalancerPort: 22, InstanceProtocol: 'TCP', InstancePort: 22 } },
        ],
      })),
    });
    classic.on(DescribeLoadBalancerPoliciesCommand).callsFake(async () => {
      clock += 10_000;
      return {
        PolicyDescriptions: [
          {
            PolicyName: 'tls-policy',
            PolicyTypeName: 'SSLNegotiationPolicyType',
            PolicyAttributeDescriptions: [{ AttributeName: 'Protocol-TLSv1.2', AttributeValue: 'true' }],
          },
        ],
      };
    });

    const written = await runToDeadline();

    expect(written.findings.map((f) => [f.resource.split('/').slice(-3).join('/'), f.status])).toEqual([
      ['legacy-0/listener/443', 'PASS'],
      ['legacy-1/listener/443', 'PASS'],
      ['legacy-2/listener/443', 'PASS'],
    ]);
    expect(written.summary.figures.classicListeners).toBe(7); // four TCP listeners, three HTTPS read
    expect(written.errors).toEqual([
      {
        region: 'us-east-1',
        api: 'elasticloadbalancing:DescribeLoadBalancerPolicies',
        code: 'DeadlineExceeded',
        message:
          '1 of 4 Classic Load Balancers in us-east-1 were not read: the run stopped before the Lambda time limit',
      },
    ]);
  });
});
