import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, paginateDescribeLogGroups } from '@aws-sdk/client-cloudwatch-logs';
import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  paginateListConfigurationRecorders,
} from '@aws-sdk/client-config-service';
import { EC2Client, paginateDescribeFlowLogs, paginateDescribeVpcs } from '@aws-sdk/client-ec2';
import {
  DescribeLoadBalancerAttributesCommand as DescribeClassicAttributesCommand,
  ElasticLoadBalancingClient,
  paginateDescribeLoadBalancers as paginateDescribeClassicLoadBalancers,
} from '@aws-sdk/client-elastic-load-balancing';
import {
  DescribeLoadBalancerAttributesCommand,
  ElasticLoadBalancingV2Client,
  paginateDescribeListeners,
  paginateDescribeLoadBalancers,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { partitionOf } from '../../aws/arn';
import { errorEntry, isAwsError, resourceError, withApi } from '../../aws/aws-error';
import { mapWithConcurrency } from '../../aws/concurrency';
import type { ErrorEntry } from '../../evidence/envelope';
import { iso } from '../../evidence/iso-date';
import { jsonSource, type RawSource } from '../../evidence/write-evidence';
import { readRegions } from '../../readers/regions';
import { runAccountOrError, type Collector, type GatherContext } from '../collector';
import {
  ALL_SUPPORTED,
  assessAuditLogging,
  type AuditLoggingFacts,
  type ConfigRegionFacts,
  type FlowLogFacts,
  type FlowLogRegionFacts,
  type LoadBalancerFacts,
  type LogsRegionFacts,
  type VpcFacts,
} from './assess';
import { AUDIT_LOGGING_IDENTITY, type AuditLoggingCheck } from './checks';
import { selectorFacts, trailAccount, trailFacts, type CloudTrailFacts, type TrailFacts } from './trails';

export type { AuditLoggingFacts } from './assess';

/** DescribeLogGroups' largest page. */
const LOG_GROUP_PAGE = 50;
/** DescribeFlowLogs' largest page. */
const FLOW_LOG_PAGE = 1000;
/** DescribeVpcs' largest page. */
const VPC_PAGE = 1000;
/** ELB and ELBv2 DescribeLoadBalancers' largest page. */
const LOAD_BALANCER_PAGE = 400;
/** ListConfigurationRecorders' largest page. */
const RECORDER_PAGE = 20;

/** What a member account is told when it asks for what only an organization trail's owner may read. */
const OWNER_ONLY = ['CloudTrailARNInvalidException', 'TrailNotFoundException'];

/**
 * Every trail that can log this account's activity, read once: a multi-region trail (the account's own or
 * its organization's) appears in every region as itself or as a shadow, so DescribeTrails with shadow trails
 * in one region sees every trail that could qualify; only single-region trails of other regions are not
 * seen, and they cannot qualify. Status and selectors are read by ARN (which shadow and organization trails
 * require) through a client in the trail's home region, where the trail itself lives. A trail whose status
 * or selectors fail stays in the facts without them (an error entry each).
 *
 * An organization trail owned by another account (the management account) is the owner's to configure:
 * its selectors are not asked for from a member account (GetEventSelectors is refused there with
 * CloudTrailARNInvalidException or TrailNotFoundException), and a status refused the same way is recorded
 * on the trail, not as an error entry. Without the run's account, no trail is taken for a foreign one.
 */
async function readTrails(
  ctx: GatherContext,
  region: string,
  account: string | undefined,
  errors: ErrorEntry[],
): Promise<CloudTrailFacts> {
  const listed = await withApi('cloudtrail:DescribeTrails', () =>
    ctx.clients.get(CloudTrailClient, region).send(new DescribeTrailsCommand({ includeShadowTrails: true })),
  );
  const unique = [...new Map((listed.trailList ?? []).map((t) => [t.TrailARN ?? t.Name, t])).values()];
  const trails = await mapWithConcurrency(
    unique,
    ctx.settings.concurrency,
    async (t): Promise<TrailFacts> => {
      const base = trailFacts(t);
      const home = base.homeRegion ?? region;
      const client = ctx.clients.get(CloudTrailClient, home);
      const owner = trailAccount(base.arn);
      const foreign = base.organization && account !== undefined && owner !== undefined && owner !== account;
      let statusRefused: string | undefined;
      // Status and selectors are independent reads: made together, each failing on its own.
      const [status, selectors] = await Promise.all([
        client.send(new GetTrailStatusCommand({ Name: base.arn })).then(
          (s): TrailFacts['status'] => ({
            isLogging: s.IsLogging === true,
            ...(s.LatestDeliveryError ? { latestDeliveryError: s.LatestDeliveryError } : {}),
            ...(s.LatestDeliveryTime ? { latestDeliveryTime: iso(s.LatestDeliveryTime) } : {}),
          }),
          (err: unknown) => {
            const code = OWNER_ONLY.find((c) => isAwsError(err, c));
            if (foreign && code) statusRefused = code;
            else errors.push(resourceError(err, home, 'cloudtrail:GetTrailStatus', base.arn));
            return undefined;
          },
        ),
        foreign
          ? undefined
          : client.send(new GetEventSelectorsCommand({ TrailName: base.arn })).then(
              (s) => selectorFacts(s.EventSelectors, s.AdvancedEventSelectors),
              (err: unknown) => {
                errors.push(resourceError(err, home, 'cloudtrail:GetEventSelectors', base.arn));
                return undefined;
              },
            ),
      ]);
      return {
        ...base,
        ...(status ? { status } : {}),
        ...(selectors ? { selectors } : {}),
        ...(foreign && owner
          ? { heldBy: { account: owner, ...(statusRefused ? { statusRefused } : {}) } }
          : {}),
      };
    },
  );
  return { readRegion: region, trails };
}

async function readConfig(
  ctx: GatherContext,
  region: string,
  errors: ErrorEntry[],
): Promise<ConfigRegionFacts> {
  const client = ctx.clients.get(ConfigServiceClient, region);
  const [recorders, statuses] = await Promise.all([
    withApi('config:DescribeConfigurationRecorders', () =>
      client.send(new DescribeConfigurationRecordersCommand({})),
    ),
    withApi('config:DescribeConfigurationRecorderStatus', () =>
      client.send(new DescribeConfigurationRecorderStatusCommand({})),
    ),
  ]);
  // Service-linked recorders are listed only here. Their absence from the evidence is not a verdict, so a
  // failure to list them is an error entry and the customer recorder is still judged.
  let serviceLinked: ConfigRegionFacts['serviceLinked'];
  try {
    const found: NonNullable<ConfigRegionFacts['serviceLinked']>[number][] = [];
    for await (const page of paginateListConfigurationRecorders({ client }, { MaxResults: RECORDER_PAGE }))
      for (const r of page.ConfigurationRecorderSummaries ?? [])
        if (r.servicePrincipal)
          found.push({
            name: r.name ?? 'unknown',
            arn: r.arn ?? 'unknown',
            servicePrincipal: r.servicePrincipal,
            recordingScope: r.recordingScope,
          });
    serviceLinked = found;
  } catch (err) {
    errors.push(errorEntry(err, region, 'config:ListConfigurationRecorders'));
  }
  return {
    region,
    // Without names the API returns the customer-managed recorder only; a servicePrincipal would mark a
    // service-linked one, so any that appears is left out rather than counted.
    recorders: (recorders.ConfigurationRecorders ?? [])
      .filter((r) => !r.servicePrincipal)
      .map((r) => ({
        name: r.name ?? 'default',
        ...(r.arn ? { arn: r.arn } : {}),
        allSupported: r.recordingGroup?.allSupported === true,
        includeGlobalResourceTypes: r.recordingGroup?.includeGlobalResourceTypes === true,
        ...(r.recordingGroup?.recordingStrategy?.useOnly
          ? { strategy: r.recordingGroup.recordingStrategy.useOnly }
          : r.recordingGroup?.allSupported
            ? { strategy: ALL_SUPPORTED }
            : {}),
        resourceTypes: r.recordingGroup?.resourceTypes ?? [],
        excludedResourceTypes: r.recordingGroup?.exclusionByResourceTypes?.resourceTypes ?? [],
        ...(r.recordingMode?.recordingFrequency
          ? { recordingFrequency: r.recordingMode.recordingFrequency }
          : {}),
      })),
    statuses: (statuses.ConfigurationRecordersStatus ?? []).map((s) => ({
      name: s.name ?? 'default',
      recording: s.recording === true,
      lastStatus: s.lastStatus,
      lastErrorCode: s.lastErrorCode,
      lastErrorMessage: s.lastErrorMessage,
      lastStatusChangeTime: iso(s.lastStatusChangeTime),
    })),
    ...(serviceLinked ? { serviceLinked } : {}),
  };
}

async function readLogGroups(ctx: GatherContext, region: string): Promise<LogsRegionFacts> {
  const client = ctx.clients.get(CloudWatchLogsClient, region);
  return withApi('logs:DescribeLogGroups', async () => {
    const logGroups: LogsRegionFacts['logGroups'][number][] = [];
    for await (const page of paginateDescribeLogGroups({ client }, { limit: LOG_GROUP_PAGE }))
      for (const g of page.logGroups ?? []) {
        const name = g.logGroupName ?? 'unknown';
        logGroups.push({
          region,
          name,
          // `arn` ends in `:*` (for IAM); `logGroupArn` is the group's own ARN.
          arn: g.logGroupArn ?? g.arn?.replace(/:\*$/, '') ?? `log-group:${region}:${name}`,
          ...(g.retentionInDays !== undefined ? { retentionInDays: g.retentionInDays } : {}),
          ...(g.retentionPolicyName ? { retentionPolicyName: g.retentionPolicyName } : {}),
          ...(g.logGroupClass ? { logGroupClass: g.logGroupClass } : {}),
          ...(g.creationTime !== undefined ? { createdAt: new Date(g.creationTime).toISOString() } : {}),
          ...(g.kmsKeyId ? { kmsKeyId: g.kmsKeyId } : {}),
          ...(g.deletionProtectionEnabled !== undefined
            ? { deletionProtection: g.deletionProtectionEnabled }
            : {}),
        });
      }
    return { region, logGroups };
  });
}

async function readFlowLogs(
  ctx: GatherContext,
  region: string,
  account: string,
): Promise<FlowLogRegionFacts> {
  const client = ctx.clients.get(EC2Client, region);
  const [vpcs, flowLogs] = await Promise.all([
    withApi('ec2:DescribeVpcs', async () => {
      const out: VpcFacts[] = [];
      for await (const page of paginateDescribeVpcs({ client }, { MaxResults: VPC_PAGE }))
        for (const v of page.Vpcs ?? []) {
          if (!v.VpcId) continue;
          const name = v.Tags?.find((t) => t.Key === 'Name')?.Value;
          out.push({
            id: v.VpcId,
            ...(v.OwnerId ? { ownerId: v.OwnerId } : {}),
            isDefault: v.IsDefault === true,
            ...(v.CidrBlock ? { cidr: v.CidrBlock } : {}),
            ...(name ? { name } : {}),
          });
        }
      return out;
    }),
    withApi('ec2:DescribeFlowLogs', async () => {
      const out: FlowLogFacts[] = [];
      for await (const page of paginateDescribeFlowLogs({ client }, { MaxResults: FLOW_LOG_PAGE }))
        for (const f of page.FlowLogs ?? [])
          out.push({
            id: f.FlowLogId ?? 'unknown',
            resourceId: f.ResourceId ?? '',
            status: f.FlowLogStatus,
            deliverStatus: f.DeliverLogsStatus,
            ...(f.DeliverLogsErrorMessage ? { deliverError: f.DeliverLogsErrorMessage } : {}),
            trafficType: f.TrafficType,
            destinationType: f.LogDestinationType,
            destination: f.LogDestination ?? f.LogGroupName,
          });
      return out;
    }),
  ]);
  return { region, accountId: account, partition: partitionOf(region), vpcs, flowLogs };
}

type LbRead = { loadBalancers: LoadBalancerFacts[]; errors: ErrorEntry[] };

/** ELBv2 load balancers and their access-log attributes; NLBs also their listeners' protocols. */
async function readLoadBalancersV2(ctx: GatherContext, region: string): Promise<LbRead> {
  const client = ctx.clients.get(ElasticLoadBalancingV2Client, region);
  const listed = await withApi('elasticloadbalancing:DescribeLoadBalancers', async () => {
    const out = [];
    for await (const page of paginateDescribeLoadBalancers({ client }, { PageSize: LOAD_BALANCER_PAGE }))
      out.push(...(page.LoadBalancers ?? []));
    return out;
  });
  const errors: ErrorEntry[] = [];
  const read = await mapWithConcurrency(
    listed,
    ctx.settings.concurrency,
    async (lb): Promise<LoadBalancerFacts | undefined> => {
      const arn = lb.LoadBalancerArn ?? '';
      const type = (lb.Type ?? 'application') as LoadBalancerFacts['type'];
      const base = { region, name: lb.LoadBalancerName ?? arn, arn, type, scheme: lb.Scheme };
      // Gateway Load Balancers have no access logs: nothing to read.
      if (type === 'gateway') return { ...base, accessLogs: false };
      try {
        // NLB access logs record TLS connections only: whether there is a TLS listener decides if they apply.
        const [attrs, listenerProtocols] = await Promise.all([
          withApi('elasticloadbalancing:DescribeLoadBalancerAttributes', () =>
            client.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn })),
          ),
          type === 'network'
            ? withApi('elasticloadbalancing:DescribeListeners', async () => {
                const protocols = new Set<string>();
                for await (const page of paginateDescribeListeners(
                  { client },
                  { LoadBalancerArn: arn, PageSize: LOAD_BALANCER_PAGE },
                ))
                  for (const l of page.Listeners ?? []) if (l.Protocol) protocols.add(l.Protocol);
                return [...protocols].sort();
              })
            : undefined,
        ]);
        const value = (key: string) => attrs.Attributes?.find((a) => a.Key === key)?.Value;
        const bucket = value('access_logs.s3.bucket');
        const prefix = value('access_logs.s3.prefix');
        return {
          ...base,
          accessLogs: value('access_logs.s3.enabled') === 'true',
          ...(bucket ? { bucket } : {}),
          ...(prefix ? { prefix } : {}),
          ...(listenerProtocols ? { listenerProtocols } : {}),
        };
      } catch (err) {
        errors.push(resourceError(err, region, 'elasticloadbalancing:DescribeLoadBalancerAttributes', arn));
        return undefined;
      }
    },
  );
  return { loadBalancers: read.filter((x): x is LoadBalancerFacts => x !== undefined), errors };
}

/** Classic Load Balancers (ELB) and their AccessLog attribute. ELB returns no ARN: it is built. */
async function readClassicLoadBalancers(
  ctx: GatherContext,
  region: string,
  account?: string,
): Promise<LbRead> {
  const client = ctx.clients.get(ElasticLoadBalancingClient, region);
  const listed = await withApi('elasticloadbalancing:DescribeLoadBalancers', async () => {
    const out = [];
    for await (const page of paginateDescribeClassicLoadBalancers(
      { client },
      { PageSize: LOAD_BALANCER_PAGE },
    ))
      out.push(...(page.LoadBalancerDescriptions ?? []));
    return out;
  });
  const errors: ErrorEntry[] = [];
  const read = await mapWithConcurrency(listed, ctx.settings.concurrency, async (lb) => {
    const name = lb.LoadBalancerName ?? 'unknown';
    const arn = account
      ? `arn:${partitionOf(region)}:elasticloadbalancing:${region}:${account}:loadbalancer/${name}`
      : `elasticloadbalancing:${region}:loadbalancer/${name}`;
    try {
      const out = await client.send(new DescribeClassicAttributesCommand({ LoadBalancerName: name }));
      const log = out.LoadBalancerAttributes?.AccessLog;
      return {
        region,
        name,
        arn,
        type: 'classic' as const,
        scheme: lb.Scheme,
        accessLogs: log?.Enabled === true,
        ...(log?.S3BucketName ? { bucket: log.S3BucketName } : {}),
        ...(log?.S3BucketPrefix ? { prefix: log.S3BucketPrefix } : {}),
      };
    } catch (err) {
      errors.push(resourceError(err, region, 'elasticloadbalancing:DescribeLoadBalancerAttributes', arn));
      return undefined;
    }
  });
  return { loadBalancers: read.filter((x): x is NonNullable<typeof x> => x !== undefined), errors };
}

export const auditLogging: Collector<AuditLoggingFacts, AuditLoggingCheck> = {
  ...AUDIT_LOGGING_IDENTITY,
  iamActions: [
    'cloudtrail:DescribeTrails',
    'cloudtrail:GetTrailStatus',
    'cloudtrail:GetEventSelectors',
    'config:DescribeConfigurationRecorders',
    'config:DescribeConfigurationRecorderStatus',
    'config:ListConfigurationRecorders',
    'logs:DescribeLogGroups',
    'ec2:DescribeVpcs',
    'ec2:DescribeFlowLogs',
    'elasticloadbalancing:DescribeLoadBalancers',
    'elasticloadbalancing:DescribeLoadBalancerAttributes',
    'elasticloadbalancing:DescribeListeners',
  ],
  policy: (s) => ({
    logRetentionDays: s.logRetentionDays,
    trail:
      'at least one trail: multi-region, logging, log file validation, management events read and write (any selector name, basic or advanced; an organization trail counts)',
    trailsReadIn:
      "DescribeTrails in the first configured region, with shadow trails, deduplicated on TrailARN; each trail's status and selectors by ARN in its home region",
    organizationTrailFromMember:
      "an organization trail owned by another account (the management account) is judged on what a member sees: multi-region, log file validation, logging (GetTrailStatus). Its event selectors are readable only by the owner and are not asked for: it PASSes on the assumption, stated in the finding, that they record management reads and writes (an organization trail does unless its selectors exclude them), which the management account's own evidence shows. A status the owner alone may read leaves it unknown (WARN), with no error entry",
    trailNarrowedOrDeliveryError:
      'WARN (management event sources excluded, or the latest S3 delivery failed)',
    configRecorder:
      'customer-managed recorder recording all supported resource types in every configured region',
    configExclusions: 'WARN (all supported types except named ones)',
    serviceLinkedRecorders: 'recorded, never counted',
    logGroupNeverExpires: 'PASS, recorded as neverExpires',
    deliveryClassLogGroups: 'INFO (one-day retention by design)',
    vpcFlowLogs: 'an ACTIVE flow log on the VPC itself (subnet and interface flow logs do not cover it)',
    vpcFlowLogsPartialTraffic: 'WARN (ACCEPT or REJECT only)',
    sharedVpcs: 'INFO (the owner account keeps their flow logs)',
    loadBalancerAccessLogs:
      'access logs to S3 on every ALB, NLB with a TLS listener and Classic Load Balancer',
    networkLoadBalancerWithoutTls: 'INFO (NLB access logs record TLS connections only)',
    gatewayLoadBalancers: 'not judged (no access logs)',
  }),

  async gather(ctx) {
    const regions = ctx.settings.regions;
    const errors: ErrorEntry[] = [];
    const account = runAccountOrError(ctx, errors);
    const trailErrors: ErrorEntry[] = [];
    const configErrors: ErrorEntry[] = [];
    const [trails, config, logs, flows, v2, classic] = await Promise.all([
      readRegions(regions.slice(0, 1), 'cloudtrail:DescribeTrails', (r) =>
        readTrails(ctx, r, account, trailErrors),
      ),
      readRegions(regions, 'config:DescribeConfigurationRecorders', (r) => readConfig(ctx, r, configErrors)),
      readRegions(regions, 'logs:DescribeLogGroups', (r) => readLogGroups(ctx, r)),
      account === undefined
        ? Promise.resolve({ results: [], errors: [] })
        : readRegions(regions, 'ec2:DescribeVpcs', (r) => readFlowLogs(ctx, r, account)),
      readRegions(regions, 'elasticloadbalancing:DescribeLoadBalancers', (r) => readLoadBalancersV2(ctx, r)),
      readRegions(regions, 'elasticloadbalancing:DescribeLoadBalancers', (r) =>
        readClassicLoadBalancers(ctx, r, account),
      ),
    ]);
    errors.push(
      ...trails.errors,
      ...trailErrors,
      ...config.errors,
      ...configErrors,
      ...logs.errors,
      ...flows.errors,
    );
    errors.push(...v2.errors, ...classic.errors);
    const values = <T>(rs: { results: { value?: T }[] }) =>
      rs.results.flatMap((r) => (r.value ? [r.value] : []));
    const loadBalancers = regions.flatMap((region) => {
      const a = v2.results.find((r) => r.region === region)?.value;
      const b = classic.results.find((r) => r.region === region)?.value;
      if (!a && !b) return [];
      errors.push(...(a?.errors ?? []), ...(b?.errors ?? []));
      return [{ region, loadBalancers: [...(a?.loadBalancers ?? []), ...(b?.loadBalancers ?? [])] }];
    });
    const facts: AuditLoggingFacts = {
      ...(trails.results[0]?.value ? { cloudTrail: trails.results[0].value } : {}),
      config: values(config),
      logs: values(logs),
      flowLogs: values(flows),
      loadBalancers,
    };
    const now = ctx.now;
    const sources: RawSource[] = [
      ...(facts.cloudTrail
        ? [jsonSource('cloudtrail-trails.json', 'cloudtrail:DescribeTrails', facts.cloudTrail, now)]
        : []),
      jsonSource('config-recorders.json', 'config:DescribeConfigurationRecorders', facts.config, now),
      jsonSource('log-groups.json', 'logs:DescribeLogGroups', facts.logs, now),
      jsonSource('vpc-flow-logs.json', 'ec2:DescribeFlowLogs', facts.flowLogs, now),
      jsonSource(
        'load-balancer-access-logs.json',
        'elasticloadbalancing:DescribeLoadBalancerAttributes',
        facts.loadBalancers,
        now,
      ),
    ];
    return { facts, sources, errors };
  },

  assess: (facts, settings) => assessAuditLogging(facts, settings),
};
