import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  ListConfigurationRecordersCommand,
} from '@aws-sdk/client-config-service';
import { DescribeFlowLogsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeLoadBalancerAttributesCommand as DescribeClassicAttributesCommand,
  DescribeLoadBalancersCommand as DescribeClassicLoadBalancersCommand,
  ElasticLoadBalancingClient,
} from '@aws-sdk/client-elastic-load-balancing';
import {
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { ClientFactory } from '../../../lambdas/aws/client-factory';
import { auditLogging } from '../../../lambdas/collectors/audit-logging/collector';
import { memoFrom } from '../../../lambdas/run-collector';
import { DEFAULT_SETTINGS } from '../../../lambdas/settings';
import { awsError, regionOf } from '../../helpers/regional-mock';

const ACCOUNT = '123456789012';
const NOW = new Date('2026-11-23T06:00:00Z');
const settings = { ...DEFAULT_SETTINGS, regions: ['us-east-1', 'eu-west-1'] };

const trailMock = mockClient(CloudTrailClient);
const configMock = mockClient(ConfigServiceClient);
const logsMock = mockClient(CloudWatchLogsClient);
const ec2Mock = mockClient(EC2Client);
const elbMock = mockClient(ElasticLoadBalancingClient);
const elbv2Mock = mockClient(ElasticLoadBalancingV2Client);
const ALL = [trailMock, configMock, logsMock, ec2Mock, elbMock, elbv2Mock];

const ORG_TRAIL = 'arn:aws:cloudtrail:us-east-1:999999999999:trail/org-trail';
const OWN_TRAIL = `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/own`;

/** A healthy two-region account; each test breaks one thing. */
function healthy(): void {
  for (const m of ALL) m.reset();
  // Shadow trails: the organization's multi-region trail appears twice (as itself and as a shadow).
  trailMock.on(DescribeTrailsCommand).resolves({
    trailList: [
      {
        Name: 'org-trail',
        TrailARN: ORG_TRAIL,
        HomeRegion: 'us-east-1',
        IsMultiRegionTrail: true,
        IsOrganizationTrail: true,
        LogFileValidationEnabled: true,
      },
      { Name: 'own', TrailARN: OWN_TRAIL, HomeRegion: 'eu-west-1', IsMultiRegionTrail: true },
      {
        Name: 'org-trail',
        TrailARN: ORG_TRAIL,
        HomeRegion: 'us-east-1',
        IsMultiRegionTrail: true,
        IsOrganizationTrail: true,
        LogFileValidationEnabled: true,
      },
    ],
  });
  trailMock.on(GetTrailStatusCommand).resolves({ IsLogging: true });
  trailMock.on(GetEventSelectorsCommand).resolves({
    AdvancedEventSelectors: [
      { Name: 'from-terraform', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
    ],
  });
  configMock.on(DescribeConfigurationRecordersCommand).resolves({
    ConfigurationRecorders: [{ name: 'default', recordingGroup: { allSupported: true } }],
  });
  configMock.on(DescribeConfigurationRecorderStatusCommand).resolves({
    ConfigurationRecordersStatus: [{ name: 'default', recording: true, lastStatus: 'Success' }],
  });
  configMock.on(ListConfigurationRecordersCommand).resolves({ ConfigurationRecorderSummaries: [] });
  logsMock.on(DescribeLogGroupsCommand).callsFake(async (_input, getClient) => ({
    logGroups: [
      {
        logGroupName: 'g',
        logGroupArn: `arn:aws:logs:${await regionOf(getClient)}:${ACCOUNT}:log-group:g`,
        retentionInDays: 400,
      },
    ],
  }));
  ec2Mock.on(DescribeVpcsCommand).resolves({ Vpcs: [] });
  ec2Mock.on(DescribeFlowLogsCommand).resolves({ FlowLogs: [] });
  elbv2Mock.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [] });
  elbMock.on(DescribeClassicLoadBalancersCommand).resolves({ LoadBalancerDescriptions: [] });
}

async function gather(account: string | undefined = ACCOUNT) {
  const clients = new ClientFactory();
  const gathered = await auditLogging.gather({
    clients,
    settings,
    now: NOW,
    memo: memoFrom(new Map()),
    ...(account ? { account } : {}),
  });
  return { gathered, ...auditLogging.assess(gathered.facts, settings, NOW) };
}

beforeEach(healthy);

describe('audit-logging gather: CloudTrail', () => {
  /** Each call's [trail, region of the client it went through], sorted. */
  const callsByRegion = async (
    command: typeof GetTrailStatusCommand | typeof GetEventSelectorsCommand,
  ): Promise<[string, string][]> => {
    const calls = trailMock.commandCalls(command as typeof GetTrailStatusCommand);
    const out: [string, string][] = [];
    for (const c of calls) {
      const input = c.args[0].input as { Name?: string; TrailName?: string };
      const client = (c.thisValue as unknown) ?? undefined;
      out.push([input.Name ?? input.TrailName ?? '', await regionOf(() => client)]);
    }
    return out.sort();
  };

  it("reads trails once with shadow trails, deduplicated; each trail's status in its home region; a foreign organization trail's selectors not asked for", async () => {
    trailMock
      .on(GetEventSelectorsCommand, { TrailName: ORG_TRAIL })
      .rejects(awsError('CloudTrailARNInvalidException', 'not the owner'));
    const { gathered, findings } = await gather();
    expect(gathered.errors).toEqual([]);
    const describe = trailMock.commandCalls(DescribeTrailsCommand);
    expect(describe).toHaveLength(1);
    expect(describe[0]!.args[0].input).toEqual({ includeShadowTrails: true });
    expect(gathered.facts.cloudTrail?.readRegion).toBe('us-east-1');
    expect(await callsByRegion(GetTrailStatusCommand)).toEqual([
      [OWN_TRAIL, 'eu-west-1'],
      [ORG_TRAIL, 'us-east-1'],
    ]);
    // The organization trail belongs to the management account 999999999999: only the own trail's selectors.
    expect(await callsByRegion(GetEventSelectorsCommand)).toEqual([[OWN_TRAIL, 'eu-west-1']]);
    const trail = findings.find((f) => f.check === 'cloudtrail-multi-region')!;
    expect(trail.status).toBe('PASS');
    expect(trail.detail.qualifyingTrails).toEqual(['org-trail']);
    expect(trail.detail.reason).toContain('assumed for org-trail');
    const org = (trail.detail.trails as Record<string, unknown>[]).find((t) => t.name === 'org-trail')!;
    expect(org).toMatchObject({
      ownerAccount: '999999999999',
      eventSelectors: expect.stringContaining('management account 999999999999'),
      assumes: expect.stringContaining('management reads and writes'),
      logging: true,
    });
    expect(gathered.facts.cloudTrail?.trails.find((t) => t.name === 'org-trail')?.heldBy).toEqual({
      account: '999999999999',
    });
    expect(gathered.sources.map((s) => s.name)).toContain('cloudtrail-trails.json');
  });

  it('in the management account the organization trail is its own: its selectors are read and judged', async () => {
    trailMock.on(GetEventSelectorsCommand, { TrailName: ORG_TRAIL }).resolves({
      EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }],
    });
    const { gathered, findings } = await gather('999999999999');
    expect(await callsByRegion(GetEventSelectorsCommand)).toEqual([
      [OWN_TRAIL, 'eu-west-1'],
      [ORG_TRAIL, 'us-east-1'],
    ]);
    expect(gathered.facts.cloudTrail?.trails.some((t) => t.heldBy)).toBe(false);
    const trail = findings.find((f) => f.check === 'cloudtrail-multi-region')!;
    expect(trail.status).toBe('FAIL');
    expect(trail.detail.reason).toContain('records management write events only');
  });

  it("a foreign organization trail's status refused as the owner's: WARN with that reason, no error entry", async () => {
    trailMock
      .on(GetTrailStatusCommand, { Name: ORG_TRAIL })
      .rejects(awsError('TrailNotFoundException', 'Unknown trail'));
    const { gathered, findings } = await gather();
    expect(gathered.errors).toEqual([]);
    const trail = findings.find((f) => f.check === 'cloudtrail-multi-region')!;
    expect(trail.status).toBe('WARN');
    expect(trail.detail.reason).toContain(
      "could not be read in full: org-trail (logging status readable only in the organization's management account 999999999999",
    );
    expect((trail.detail.trails as Record<string, unknown>[])[0]).toMatchObject({
      name: 'org-trail',
      statusRefused: 'TrailNotFoundException',
    });
  });

  it("a foreign organization trail's status denied for another reason is still an error entry", async () => {
    trailMock
      .on(GetTrailStatusCommand, { Name: ORG_TRAIL })
      .rejects(awsError('AccessDeniedException', 'not authorized'));
    const { gathered, findings } = await gather();
    expect(gathered.errors).toEqual([
      expect.objectContaining({
        region: 'us-east-1',
        api: 'cloudtrail:GetTrailStatus',
        code: 'AccessDeniedException',
        message: expect.stringContaining(ORG_TRAIL),
      }),
    ]);
    expect(findings.find((f) => f.check === 'cloudtrail-multi-region')?.status).toBe('WARN');
  });

  it('a trail whose selectors are denied is an error entry in its home region, and the finding WARNs rather than FAILs', async () => {
    trailMock.on(DescribeTrailsCommand).resolves({
      trailList: [
        {
          Name: 'own',
          TrailARN: OWN_TRAIL,
          HomeRegion: 'eu-west-1',
          IsMultiRegionTrail: true,
          LogFileValidationEnabled: true,
        },
      ],
    });
    trailMock
      .on(GetEventSelectorsCommand, { TrailName: OWN_TRAIL })
      .rejects(awsError('AccessDeniedException', 'not authorized'));
    const { gathered, findings } = await gather();
    expect(gathered.errors).toEqual([
      expect.objectContaining({
        region: 'eu-west-1',
        api: 'cloudtrail:GetEventSelectors',
        code: 'AccessDeniedException',
        message: expect.stringContaining(OWN_TRAIL),
      }),
    ]);
    expect(findings.find((f) => f.check === 'cloudtrail-multi-region')?.status).toBe('WARN');
  });

  it('without the run account no trail is taken for a foreign one: selectors are asked for as before', async () => {
    await gather('');
    expect((await callsByRegion(GetEventSelectorsCommand)).map(([t]) => t)).toEqual([OWN_TRAIL, ORG_TRAIL]);
  });

  it('no trails at all is a FAIL, not an error', async () => {
    trailMock.on(DescribeTrailsCommand).resolves({ trailList: [] });
    const { gathered, findings } = await gather();
    expect(gathered.errors).toEqual([]);
    expect(findings.find((f) => f.check === 'cloudtrail-multi-region')?.status).toBe('FAIL');
  });

  it('DescribeTrails denied: an error entry and no trail finding; the other checks stand', async () => {
    trailMock.on(DescribeTrailsCommand).rejects(awsError('AccessDeniedException'));
    const { gathered, findings } = await gather();
    expect(gathered.errors).toEqual([
      expect.objectContaining({ region: 'us-east-1', api: 'cloudtrail:DescribeTrails' }),
    ]);
    expect(findings.some((f) => f.check === 'cloudtrail-multi-region')).toBe(false);
    expect(findings.filter((f) => f.check === 'config-recorder')).toHaveLength(2);
  });
});

describe('audit-logging gather: AWS Config', () => {
  it('no recorder is a finding; a service-linked one is listed and does not count', async () => {
    configMock
      .on(DescribeConfigurationRecordersCommand)
      .callsFake(async (_i, getClient) =>
        (await regionOf(getClient)) === 'eu-west-1'
          ? { ConfigurationRecorders: [] }
          : { ConfigurationRecorders: [{ name: 'default', recordingGroup: { allSupported: true } }] },
      );
    configMock
      .on(ListConfigurationRecordersCommand)
      .callsFake(async (input: { NextToken?: string }, getClient) =>
        (await regionOf(getClient)) !== 'eu-west-1'
          ? { ConfigurationRecorderSummaries: [] }
          : input.NextToken
            ? {
                ConfigurationRecorderSummaries: [
                  {
                    arn: 'arn:sl',
                    name: 'AWSConfigurationRecorderForX',
                    servicePrincipal: 'x.amazonaws.com',
                    recordingScope: 'INTERNAL',
                  },
                ],
              }
            : { ConfigurationRecorderSummaries: [], NextToken: 'page-2' },
      );
    const { gathered, findings } = await gather();
    expect(gathered.errors).toEqual([]);
    const eu = findings.find((f) => f.resource === 'config:eu-west-1')!;
    expect(eu.status).toBe('FAIL');
    expect(eu.detail.serviceLinkedRecorders).toEqual([
      {
        name: 'AWSConfigurationRecorderForX',
        arn: 'arn:sl',
        servicePrincipal: 'x.amazonaws.com',
        recordingScope: 'INTERNAL',
      },
    ]);
    expect(findings.find((f) => f.resource === 'config:us-east-1')?.status).toBe('PASS');
    expect(configMock.commandCalls(ListConfigurationRecordersCommand)[0]!.args[0].input.MaxResults).toBe(20);
  });

  it('ListConfigurationRecorders denied: an error entry, the customer recorder still judged', async () => {
    configMock.on(ListConfigurationRecordersCommand).rejects(awsError('AccessDeniedException'));
    const { gathered, findings } = await gather();
    expect(gathered.errors.map((e) => [e.region, e.api])).toEqual([
      ['us-east-1', 'config:ListConfigurationRecorders'],
      ['eu-west-1', 'config:ListConfigurationRecorders'],
    ]);
    expect(findings.filter((f) => f.check === 'config-recorder').map((f) => f.status)).toEqual([
      'PASS',
      'PASS',
    ]);
  });
});

describe('audit-logging gather: log groups', () => {
  it('follows tokens through empty pages at limit 50; one region denied keeps the other', async () => {
    logsMock
      .on(DescribeLogGroupsCommand)
      .callsFake(async (input: { nextToken?: string; limit?: number }, getClient) => {
        if ((await regionOf(getClient)) === 'eu-west-1') throw awsError('AccessDeniedException', 'denied');
        expect(input.limit).toBe(50);
        if (!input.nextToken)
          return {
            logGroups: [
              {
                logGroupName: 'a',
                arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:a:*`,
                retentionInDays: 30,
              },
            ],
            nextToken: 't1',
          };
        if (input.nextToken === 't1') return { logGroups: [], nextToken: 't2' };
        return {
          logGroups: [{ logGroupName: 'b', logGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:b` }],
        };
      });
    const { gathered, findings } = await gather();
    expect(gathered.errors).toEqual([
      expect.objectContaining({
        region: 'eu-west-1',
        api: 'logs:DescribeLogGroups',
        code: 'AccessDeniedException',
      }),
    ]);
    const groups = findings.filter((f) => f.check === 'log-group-retention');
    expect(groups.map((f) => [f.resource, f.status, f.detail.neverExpires])).toEqual([
      // `arn` ends in `:*`; the finding names the group itself.
      [`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:a`, 'FAIL', false],
      [`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:b`, 'PASS', true],
    ]);
  });
});

describe('audit-logging gather: VPC flow logs', () => {
  it('pages VPCs and flow logs, judges only VPC-level logs, and tells shared VPCs', async () => {
    ec2Mock.on(DescribeVpcsCommand).callsFake(async (input: { NextToken?: string }, getClient) => {
      if ((await regionOf(getClient)) === 'eu-west-1') return { Vpcs: [] };
      return input.NextToken
        ? {
            Vpcs: [
              { VpcId: 'vpc-2', OwnerId: ACCOUNT, IsDefault: true },
              { VpcId: 'vpc-shared', OwnerId: '222233334444' },
            ],
          }
        : {
            Vpcs: [{ VpcId: 'vpc-1', OwnerId: ACCOUNT, Tags: [{ Key: 'Name', Value: 'prod' }] }],
            NextToken: 'v2',
          };
    });
    ec2Mock.on(DescribeFlowLogsCommand).callsFake(async (input: { NextToken?: string }, getClient) => {
      if ((await regionOf(getClient)) === 'eu-west-1') return { FlowLogs: [] };
      return input.NextToken
        ? {
            FlowLogs: [
              { FlowLogId: 'fl-2', ResourceId: 'subnet-9', FlowLogStatus: 'ACTIVE', TrafficType: 'ALL' },
            ],
          }
        : {
            FlowLogs: [
              {
                FlowLogId: 'fl-1',
                ResourceId: 'vpc-1',
                FlowLogStatus: 'ACTIVE',
                DeliverLogsStatus: 'SUCCESS',
                TrafficType: 'ALL',
              },
            ],
            NextToken: 'f2',
          };
    });
    const { gathered, findings, figures } = await gather();
    expect(gathered.errors).toEqual([]);
    expect(findings.filter((f) => f.check === 'vpc-flow-logs').map((f) => [f.resource, f.status])).toEqual([
      [`arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/vpc-1`, 'PASS'],
      [`arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/vpc-2`, 'FAIL'],
      ['arn:aws:ec2:us-east-1:222233334444:vpc/vpc-shared', 'INFO'],
    ]);
    expect(figures.subnetOrInterfaceFlowLogs).toBe(1);
  });

  it('no account given to the run: a named error entry; VPCs are not judged without the account', async () => {
    ec2Mock.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-1', OwnerId: ACCOUNT }] });
    const { gathered, findings } = await gather('');
    expect(gathered.errors).toEqual([
      expect.objectContaining({ region: 'global', api: 'account', code: 'AccountUnknown' }),
    ]);
    expect(findings.some((f) => f.check === 'vpc-flow-logs')).toBe(false);
  });
});

describe('audit-logging gather: load balancers', () => {
  const arn = (kind: string, name: string) =>
    `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/${kind}/${name}/0123456789abcdef`;

  it('reads ELBv2 attributes (NLB listeners too), skips GWLBs, and reads Classic access logs', async () => {
    elbv2Mock.on(DescribeLoadBalancersCommand).callsFake(async (input: { Marker?: string }, getClient) => {
      if ((await regionOf(getClient)) === 'eu-west-1') return { LoadBalancers: [] };
      expect((input as { PageSize?: number }).PageSize).toBe(400);
      return input.Marker
        ? {
            LoadBalancers: [
              { LoadBalancerArn: arn('net', 'tcp-only'), LoadBalancerName: 'tcp-only', Type: 'network' },
              { LoadBalancerArn: arn('gwy', 'inspect'), LoadBalancerName: 'inspect', Type: 'gateway' },
              { LoadBalancerArn: arn('app', 'broken'), LoadBalancerName: 'broken', Type: 'application' },
            ],
          }
        : {
            LoadBalancers: [
              { LoadBalancerArn: arn('app', 'web'), LoadBalancerName: 'web', Type: 'application' },
            ],
            NextMarker: 'm2',
          };
    });
    elbv2Mock
      .on(DescribeLoadBalancerAttributesCommand)
      .callsFake(async (input: { LoadBalancerArn: string }) => {
        if (input.LoadBalancerArn === arn('app', 'broken'))
          throw awsError('LoadBalancerNotFoundException', 'gone');
        return {
          Attributes: [
            {
              Key: 'access_logs.s3.enabled',
              Value: input.LoadBalancerArn.includes('/web/') ? 'true' : 'false',
            },
            { Key: 'access_logs.s3.bucket', Value: 'logs' },
          ],
        };
      });
    elbv2Mock
      .on(DescribeListenersCommand)
      .callsFake(async (input: { Marker?: string }) =>
        input.Marker
          ? { Listeners: [{ Protocol: 'UDP' }] }
          : { Listeners: [{ Protocol: 'TCP' }], NextMarker: 'l2' },
      );
    elbMock
      .on(DescribeClassicLoadBalancersCommand)
      .callsFake(async (_input, getClient) =>
        (await regionOf(getClient)) === 'eu-west-1'
          ? { LoadBalancerDescriptions: [{ LoadBalancerName: 'old', Scheme: 'internet-facing' }] }
          : { LoadBalancerDescriptions: [] },
      );
    elbMock
      .on(DescribeClassicAttributesCommand)
      .resolves({ LoadBalancerAttributes: { AccessLog: { Enabled: false } } });
    const { gathered, findings, figures } = await gather();
    expect(gathered.errors).toEqual([
      expect.objectContaining({
        region: 'us-east-1',
        api: 'elasticloadbalancing:DescribeLoadBalancerAttributes',
        code: 'LoadBalancerNotFoundException',
        message: expect.stringContaining('broken'),
      }),
    ]);
    expect(
      findings.filter((f) => f.check === 'load-balancer-access-logs').map((f) => [f.resource, f.status]),
    ).toEqual([
      [arn('app', 'web'), 'PASS'],
      [arn('net', 'tcp-only'), 'INFO'],
      [`arn:aws:elasticloadbalancing:eu-west-1:${ACCOUNT}:loadbalancer/old`, 'FAIL'],
    ]);
    expect(figures.gatewayLoadBalancersNotJudged).toBe(1);
    // Neither attributes nor listeners are read for a Gateway Load Balancer; listeners only for the NLB.
    expect(
      elbv2Mock
        .commandCalls(DescribeLoadBalancerAttributesCommand)
        .map((c) => c.args[0].input.LoadBalancerArn),
    ).not.toContain(arn('gwy', 'inspect'));
    expect(
      elbv2Mock.commandCalls(DescribeListenersCommand).map((c) => c.args[0].input.LoadBalancerArn),
    ).toEqual([arn('net', 'tcp-only'), arn('net', 'tcp-only')]);
  });

  it('DescribeListeners failing for an NLB is an error entry named for that API', async () => {
    elbv2Mock
      .on(DescribeLoadBalancersCommand)
      .callsFake(async (_i, getClient) =>
        (await regionOf(getClient)) === 'eu-west-1'
          ? { LoadBalancers: [] }
          : { LoadBalancers: [{ LoadBalancerArn: arn('net', 'n'), LoadBalancerName: 'n', Type: 'network' }] },
      );
    elbv2Mock.on(DescribeLoadBalancerAttributesCommand).resolves({ Attributes: [] });
    elbv2Mock.on(DescribeListenersCommand).rejects(awsError('AccessDenied'));
    const { gathered, findings } = await gather();
    expect(gathered.errors).toEqual([
      expect.objectContaining({ api: 'elasticloadbalancing:DescribeListeners', code: 'AccessDenied' }),
    ]);
    expect(findings.some((f) => f.check === 'load-balancer-access-logs')).toBe(false);
  });
});
