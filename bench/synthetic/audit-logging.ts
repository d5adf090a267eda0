import type { Answers } from '../../cli/demo/offline-clients';
import { REGION_CONCURRENCY } from '../../lambdas/readers/regions';
import { makespan } from '../minimums';
import {
  ACCOUNT_ID,
  classicTotal as classicTotalOf,
  PAGE,
  seededRandom,
  slice,
  type PageRule,
  type SyntheticAccount,
} from '../synthetic-account';
import type { ControlBench } from './control-bench';

/** DescribeLogGroups: `limit` at most 50, 50 when none is given. */
const LOG_GROUP_PAGE: PageRule = { max: 50, dflt: 50 };
/** ListConfigurationRecorders: `MaxResults` at most 20. */
const RECORDER_PAGE: PageRule = { max: 20, dflt: 20 };
const DAY = 86_400_000;

/** Log groups: two per database (error and slow-query logs) and one per load balancer's service. */
const logGroupTotal = (a: SyntheticAccount) => 2 * a.sizes.databases + a.sizes.loadBalancers;
/** VPCs: one per hundred security groups, at least one per region. */
const vpcTotal = (a: SyntheticAccount) => Math.max(a.regions.length, Math.ceil(a.sizes.securityGroups / 100));
/** Classic Load Balancers: one for every ten ELBv2 load balancers, the remains of older stacks. */
const classicTotal = (a: SyntheticAccount) => classicTotalOf(a.sizes);

function rnd(a: SyntheticAccount, kind: string, i: number): () => number {
  let h = a.seed >>> 0;
  for (const ch of `${kind}|${i}`) h = (Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0) + 1;
  return seededRandom(h);
}

function logGroup(a: SyntheticAccount, region: string, k: number) {
  const r = rnd(a, `log-group:${region}`, k);
  const x = r();
  const name = `/aws/synthetic/${region}/group-${String(k).padStart(5, '0')}`;
  const arn = `arn:aws:logs:${region}:${ACCOUNT_ID}:log-group:${name}`;
  return {
    logGroupName: name,
    creationTime: a.now.getTime() - Math.floor(r() * 900) * DAY,
    // 60 % kept a year or more, 20 % never expire, 15 % too short, 5 % DELIVERY class.
    ...(x < 0.6
      ? { retentionInDays: r() < 0.5 ? 365 : 731 }
      : x < 0.8
        ? {}
        : { retentionInDays: x < 0.95 ? 30 : 1 }),
    logGroupClass: x >= 0.95 ? 'DELIVERY' : 'STANDARD',
    arn: `${arn}:*`,
    logGroupArn: arn,
    storedBytes: 0,
  };
}

const vpcId = (region: string, k: number) => `vpc-${region.replace(/-/g, '')}${String(k).padStart(5, '0')}`;

/** Whether VPC k of a region has a flow log (80 %), and of which traffic. */
function vpcFlowLog(a: SyntheticAccount, region: string, k: number): 'ALL' | 'REJECT' | undefined {
  const r = rnd(a, `vpc:${region}`, k)();
  return r < 0.7 ? 'ALL' : r < 0.8 ? 'REJECT' : undefined;
}

/** Flow logs of a region: the VPC ones, then one subnet-level flow log per five VPCs. */
function flowLogsIn(a: SyntheticAccount, region: string) {
  const vpcs = a.countIn(vpcTotal(a), region);
  const out: Record<string, unknown>[] = [];
  for (let k = 0; k < vpcs; k++) {
    const traffic = vpcFlowLog(a, region, k);
    if (traffic) out.push({ resourceId: vpcId(region, k), traffic });
  }
  for (let k = 0; k < Math.floor(vpcs / 5); k++)
    out.push({ resourceId: `subnet-${region}-${k}`, traffic: 'ALL' });
  return out.map((f, i) => ({
    FlowLogId: `fl-${region}-${i}`,
    ResourceId: f.resourceId,
    FlowLogStatus: 'ACTIVE',
    DeliverLogsStatus: 'SUCCESS',
    TrafficType: f.traffic,
    LogDestinationType: 's3',
    LogDestination: 'arn:aws:s3:::synthetic-flow-logs',
  }));
}

const classicName = (region: string, k: number) => `classic-${region}-${String(k).padStart(4, '0')}`;

function notFound(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

/** Config in every region but the last, which has only a service-linked INTERNAL recorder. */
const configOn = (a: SyntheticAccount, region: string) =>
  a.regions.length === 1 || region !== a.regions[a.regions.length - 1];

function lbIndex(a: SyntheticAccount, arn: unknown): number {
  const m = typeof arn === 'string' ? /\/lb-(\d+)\//.exec(arn) : null;
  const i = m ? Number(m[1]) : -1;
  if (i < 0 || i >= a.sizes.loadBalancers)
    throw notFound('LoadBalancerNotFoundException', `${String(arn)} not found`);
  return i;
}

export const auditLoggingBench: ControlBench = {
  answers: (a): Answers => ({
    // The synthetic account's one trail (synthetic-account.ts): all management events, basic selectors.
    'CloudTrail:GetEventSelectors': (input) => ({
      TrailARN: input.TrailName,
      EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [] }],
    }),
    'ConfigService:DescribeConfigurationRecorders': (_input, region) => ({
      ConfigurationRecorders: configOn(a, region)
        ? [{ name: 'default', recordingGroup: { allSupported: true, includeGlobalResourceTypes: false } }]
        : [],
    }),
    'ConfigService:DescribeConfigurationRecorderStatus': (_input, region) => ({
      ConfigurationRecordersStatus: configOn(a, region)
        ? [{ name: 'default', recording: true, lastStatus: 'Success' }]
        : [],
    }),
    'ConfigService:ListConfigurationRecorders': (input, region) => {
      const all = [
        ...(configOn(a, region)
          ? [
              {
                name: 'default',
                arn: `arn:aws:config:${region}:${ACCOUNT_ID}:configuration-recorder/default/x`,
                recordingScope: 'PAID',
              },
            ]
          : []),
        {
          name: 'AWSConfigurationRecorderForSecurityHub',
          arn: `arn:aws:config:${region}:${ACCOUNT_ID}:configuration-recorder/AWSConfigurationRecorderForSecurityHub/x`,
          servicePrincipal: 'securityhub.amazonaws.com',
          recordingScope: 'INTERNAL',
        },
      ];
      const p = slice(
        `Config:ListConfigurationRecorders:${region}`,
        all.length,
        RECORDER_PAGE,
        input.MaxResults,
        input.NextToken,
      );
      return {
        ConfigurationRecorderSummaries: all.slice(p.from, p.to),
        ...(p.next ? { NextToken: p.next } : {}),
      };
    },
    'CloudWatchLogs:DescribeLogGroups': (input, region) => {
      const n = a.countIn(logGroupTotal(a), region);
      const p = slice(`Logs:DescribeLogGroups:${region}`, n, LOG_GROUP_PAGE, input.limit, input.nextToken);
      const groups = [];
      for (let k = p.from; k < p.to; k++) groups.push(logGroup(a, region, k));
      return { logGroups: groups, ...(p.next ? { nextToken: p.next } : {}) };
    },
    'EC2:DescribeVpcs': (input, region) => {
      const n = a.countIn(vpcTotal(a), region);
      const p = slice(`EC2:DescribeVpcs:${region}`, n, PAGE.ec2!, input.MaxResults, input.NextToken);
      const vpcs = [];
      for (let k = p.from; k < p.to; k++)
        vpcs.push({
          VpcId: vpcId(region, k),
          OwnerId: ACCOUNT_ID,
          IsDefault: k === 0,
          CidrBlock: `10.${k % 256}.0.0/16`,
          State: 'available',
        });
      return { Vpcs: vpcs, ...(p.next ? { NextToken: p.next } : {}) };
    },
    'EC2:DescribeFlowLogs': (input, region) => {
      const all = flowLogsIn(a, region);
      const p = slice(
        `EC2:DescribeFlowLogs:${region}`,
        all.length,
        PAGE.ec2!,
        input.MaxResults,
        input.NextToken,
      );
      return { FlowLogs: all.slice(p.from, p.to), ...(p.next ? { NextToken: p.next } : {}) };
    },
    'ElasticLoadBalancingV2:DescribeLoadBalancerAttributes': (input) => {
      const i = lbIndex(a, input.LoadBalancerArn);
      const on = rnd(a, 'lb-access-logs', i)() < 0.75;
      return {
        Attributes: [
          { Key: 'access_logs.s3.enabled', Value: String(on) },
          { Key: 'access_logs.s3.bucket', Value: on ? 'synthetic-elb-logs' : '' },
          { Key: 'access_logs.s3.prefix', Value: '' },
          { Key: 'deletion_protection.enabled', Value: 'false' },
        ],
      };
    },
    // Classic Load Balancers are listed by the synthetic account itself (tls reads their listeners too);
    // their attributes are answered here, for the same names.
    'ElasticLoadBalancing:DescribeLoadBalancerAttributes': (input, region) => {
      const m = /-(\d+)$/.exec(String(input.LoadBalancerName));
      const k = m ? Number(m[1]) : -1;
      if (
        k < 0 ||
        k >= a.countIn(classicTotal(a), region) ||
        input.LoadBalancerName !== classicName(region, k)
      )
        throw notFound(
          'LoadBalancerNotFound',
          `There is no ACTIVE Load Balancer named '${String(input.LoadBalancerName)}'`,
        );
      const on = rnd(a, `classic:${region}`, k)() < 0.5;
      return {
        LoadBalancerAttributes: {
          AccessLog: on
            ? { Enabled: true, S3BucketName: 'synthetic-elb-logs', EmitInterval: 60 }
            : { Enabled: false },
          CrossZoneLoadBalancing: { Enabled: true },
        },
      };
    },
  }),

  floor: (a, latencyMs, concurrency) => {
    const L = latencyMs;
    const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));
    const regions = a.regions.map((region) => {
      const lbs = a.countIn(a.sizes.loadBalancers, region);
      let nlbs = 0;
      for (let k = 0; k < lbs; k++)
        if (a.loadBalancer(k * a.regions.length + a.regions.indexOf(region)).type === 'network') nlbs++;
      const classic = a.countIn(classicTotal(a), region);
      const recorders = (configOn(a, region) ? 1 : 0) + 1;
      return {
        config: 2 + pages(recorders, RECORDER_PAGE.max),
        configWall: 1 + pages(recorders, RECORDER_PAGE.max),
        logs: pages(a.countIn(logGroupTotal(a), region), LOG_GROUP_PAGE.max),
        vpcs: pages(a.countIn(vpcTotal(a), region), PAGE.ec2!.max),
        flowLogs: pages(flowLogsIn(a, region).length, PAGE.ec2!.max),
        lbPages: pages(lbs, PAGE.elb!.max),
        lbs,
        nlbs,
        classicPages: pages(classic, PAGE.elb!.max),
        classic,
      };
    });
    const trails = 1;
    const perRegion = regions.reduce(
      (n, r) =>
        n + r.config + r.logs + r.vpcs + r.flowLogs + r.lbPages + r.lbs + r.nlbs + r.classicPages + r.classic,
      0,
    );
    const wall = (f: (r: (typeof regions)[number]) => number) =>
      makespan(
        regions.map((r) => L * f(r)),
        REGION_CONCURRENCY,
      );
    return {
      minCalls: 1 + 2 * trails + perRegion,
      formula:
        'DescribeTrails once + (GetTrailStatus + GetEventSelectors) per trail; per region: DescribeConfigurationRecorders + …Status + ListConfigurationRecorders pages (20) + DescribeLogGroups pages (50) + DescribeVpcs and DescribeFlowLogs pages (1000) + ELBv2 DescribeLoadBalancers pages (400) + DescribeLoadBalancerAttributes per LB + DescribeListeners per NLB + Classic DescribeLoadBalancers pages (400) + DescribeLoadBalancerAttributes per Classic LB',
      // Every service's regions at once, each service under its own region limit; an NLB's attributes and
      // listeners are read together, as are a trail's status and selectors.
      wallFloorMs: Math.max(
        2 * L,
        wall((r) => r.configWall),
        wall((r) => r.logs),
        wall((r) => Math.max(r.vpcs, r.flowLogs)),
        wall((r) => r.lbPages + Math.ceil(r.lbs / concurrency)),
        wall((r) => r.classicPages + Math.ceil(r.classic / concurrency)),
      ),
    };
  },
};
