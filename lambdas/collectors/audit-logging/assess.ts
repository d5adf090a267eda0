import type { Finding, FindingStatus } from '../../evidence/envelope';
import type { CollectorSettings } from '../../settings';
import type { AuditLoggingCheck } from './checks';
import { assessTrails, judgeTrail, type CloudTrailFacts } from './trails';

type AuditFinding = Finding<AuditLoggingCheck>;

// ---- AWS Config ---------------------------------------------------------------------------------------

export interface RecorderFacts {
  readonly name: string;
  readonly arn?: string;
  /** `recordingGroup.allSupported`. */
  readonly allSupported: boolean;
  readonly includeGlobalResourceTypes: boolean;
  /** `recordingStrategy.useOnly`; absent on recorders written before strategies existed. */
  readonly strategy?: string;
  readonly resourceTypes: readonly string[];
  readonly excludedResourceTypes: readonly string[];
  readonly recordingFrequency?: string;
}

export interface RecorderStatusFacts {
  readonly name: string;
  readonly recording: boolean;
  readonly lastStatus?: string;
  readonly lastErrorCode?: string;
  readonly lastErrorMessage?: string;
  readonly lastStatusChangeTime?: string;
}

export interface ServiceLinkedRecorderFacts {
  readonly name: string;
  readonly arn: string;
  readonly servicePrincipal?: string;
  readonly recordingScope?: string;
}

export interface ConfigRegionFacts {
  readonly region: string;
  /** The customer-managed recorder (DescribeConfigurationRecorders without names); at most one per region. */
  readonly recorders: readonly RecorderFacts[];
  readonly statuses: readonly RecorderStatusFacts[];
  /** Service-linked recorders (ListConfigurationRecorders); undefined when the list could not be read. */
  readonly serviceLinked?: readonly ServiceLinkedRecorderFacts[];
}

export const ALL_SUPPORTED = 'ALL_SUPPORTED_RESOURCE_TYPES';
export const EXCLUSION = 'EXCLUSION_BY_RESOURCE_TYPES';

/**
 * One finding per region. PASS: the customer-managed recorder records all supported resource types and is
 * recording without failure. WARN: it records all supported types but some named exclusions (the auditor
 * reads which). FAIL: no customer recorder (service-linked recorders do not count: an INTERNAL one delivers no
 * configuration items to the account, a PAID one records only what its service needs), stopped, failing,
 * or recording only chosen types.
 */
export function assessConfigRegion(r: ConfigRegionFacts): AuditFinding {
  const recorder = r.recorders[0];
  const status = recorder ? r.statuses.find((s) => s.name === recorder.name) : undefined;
  const serviceLinked = r.serviceLinked?.map(
    (s) => `${s.name} (${s.servicePrincipal ?? 'service'}, ${s.recordingScope ?? 'scope unknown'})`,
  );
  const slNote =
    serviceLinked && serviceLinked.length > 0
      ? `; service-linked recorder${serviceLinked.length === 1 ? '' : 's'} ${serviceLinked.join(', ')} do${serviceLinked.length === 1 ? 'es' : ''} not count`
      : '';
  let verdict: FindingStatus;
  let reason: string;
  const strategy = recorder?.strategy ?? (recorder?.allSupported ? ALL_SUPPORTED : undefined);
  if (!recorder) {
    verdict = 'FAIL';
    reason = `no customer-managed configuration recorder in ${r.region}${slNote}`;
  } else if (!status?.recording) {
    verdict = 'FAIL';
    reason = `recorder ${recorder.name} is stopped${slNote}`;
  } else if (status.lastStatus === 'Failure') {
    verdict = 'FAIL';
    reason = `recorder ${recorder.name} is failing: ${status.lastErrorCode ?? 'unknown error'}${status.lastErrorMessage ? ` (${status.lastErrorMessage})` : ''}`;
  } else if (recorder.allSupported || strategy === ALL_SUPPORTED) {
    verdict = 'PASS';
    reason = `recorder ${recorder.name} records all supported resource types`;
  } else if (strategy === EXCLUSION) {
    verdict = 'WARN';
    reason = `recorder ${recorder.name} records all supported resource types except ${recorder.excludedResourceTypes.join(', ')}`;
  } else {
    verdict = 'FAIL';
    reason = `recorder ${recorder.name} records only ${recorder.resourceTypes.length} chosen resource type${recorder.resourceTypes.length === 1 ? '' : 's'}, not all`;
  }
  return {
    resource: `config:${r.region}`,
    check: 'config-recorder',
    status: verdict,
    detail: {
      region: r.region,
      recorder: recorder?.name,
      recorderArn: recorder?.arn,
      recording: status?.recording ?? false,
      lastStatus: status?.lastStatus,
      lastErrorCode: status?.lastErrorCode,
      lastStatusChangeTime: status?.lastStatusChangeTime,
      allSupported: recorder?.allSupported,
      recordingStrategy: strategy,
      includeGlobalResourceTypes: recorder?.includeGlobalResourceTypes,
      ...(recorder && recorder.excludedResourceTypes.length > 0
        ? { excludedResourceTypes: recorder.excludedResourceTypes }
        : {}),
      ...(recorder && !recorder.allSupported && strategy !== EXCLUSION
        ? { resourceTypes: recorder.resourceTypes }
        : {}),
      recordingFrequency: recorder?.recordingFrequency,
      serviceLinkedRecorders: r.serviceLinked ?? 'unread',
      reason,
    },
  };
}

// ---- CloudWatch Logs ---------------------------------------------------------------------------------

export interface LogGroupFacts {
  readonly region: string;
  readonly name: string;
  readonly arn: string;
  /** Absent: events never expire. Already the account-level policy's value where one applies. */
  readonly retentionInDays?: number;
  readonly retentionPolicyName?: string;
  readonly logGroupClass?: string;
  readonly createdAt?: string;
  readonly kmsKeyId?: string;
  readonly deletionProtection?: boolean;
}

export interface LogsRegionFacts {
  readonly region: string;
  readonly logGroups: readonly LogGroupFacts[];
}

/**
 * One finding per log group. FAIL: retention shorter than `logRetentionDays`. PASS: at least that long, or
 * never expiring (recorded as `neverExpires`: kept for the audit, at an unbounded cost). INFO: a DELIVERY
 * class group, whose events CloudWatch keeps for one day by design on their way to the delivery's
 * destination, where retention is kept and judged.
 */
export function assessLogGroup(g: LogGroupFacts, minDays: number): AuditFinding {
  const never = g.retentionInDays === undefined;
  let status: FindingStatus;
  let reason: string;
  if (g.logGroupClass === 'DELIVERY') {
    status = 'INFO';
    reason = 'DELIVERY class: CloudWatch keeps its events one day on the way to the delivery destination';
  } else if (never) {
    status = 'PASS';
    reason = 'events never expire';
  } else if ((g.retentionInDays ?? 0) < minDays) {
    status = 'FAIL';
    reason = `retention ${g.retentionInDays} days is shorter than ${minDays}`;
  } else {
    status = 'PASS';
    reason = `retention ${g.retentionInDays} days, at least ${minDays}`;
  }
  return {
    resource: g.arn,
    check: 'log-group-retention',
    status,
    detail: {
      region: g.region,
      logGroup: g.name,
      logGroupClass: g.logGroupClass ?? 'STANDARD',
      retentionInDays: g.retentionInDays ?? null,
      neverExpires: never,
      ...(g.retentionPolicyName ? { accountRetentionPolicy: g.retentionPolicyName } : {}),
      minimumDays: minDays,
      kmsEncrypted: g.kmsKeyId !== undefined,
      ...(g.deletionProtection !== undefined ? { deletionProtection: g.deletionProtection } : {}),
      createdAt: g.createdAt,
      reason,
    },
  };
}

// ---- VPC flow logs -----------------------------------------------------------------------------------

export interface VpcFacts {
  readonly id: string;
  readonly ownerId?: string;
  readonly isDefault: boolean;
  readonly cidr?: string;
  readonly name?: string;
}

export interface FlowLogFacts {
  readonly id: string;
  readonly resourceId: string;
  readonly status?: string;
  readonly deliverStatus?: string;
  readonly deliverError?: string;
  readonly trafficType?: string;
  readonly destinationType?: string;
  readonly destination?: string;
}

export interface FlowLogRegionFacts {
  readonly region: string;
  /** The account whose VPCs are judged; VPCs owned by another account are shared into this one. */
  readonly accountId: string;
  readonly partition: string;
  readonly vpcs: readonly VpcFacts[];
  readonly flowLogs: readonly FlowLogFacts[];
}

const vpcArn = (r: FlowLogRegionFacts, v: VpcFacts) =>
  `arn:${r.partition}:ec2:${r.region}:${v.ownerId ?? r.accountId}:vpc/${v.id}`;

/**
 * One finding per VPC, judged by flow logs whose resource is the VPC itself: a subnet or network-interface
 * flow log covers only that subnet or interface, not those added later, so it does not cover the VPC.
 * PASS: an ACTIVE VPC flow log of ALL traffic whose delivery has not failed. WARN: one that logs only
 * ACCEPT or only REJECT traffic. FAIL: none, or only failed or delivery-failing ones. INFO: a VPC shared
 * into the account by its owner, whose flow logs only the owner can create and see.
 */
export function assessVpc(r: FlowLogRegionFacts, v: VpcFacts): AuditFinding {
  const own = r.flowLogs.filter((f) => f.resourceId === v.id);
  const active = own.filter((f) => f.status === 'ACTIVE' && f.deliverStatus !== 'FAILED');
  const all = active.filter((f) => f.trafficType === 'ALL');
  const shared = v.ownerId !== undefined && v.ownerId !== r.accountId;
  let status: FindingStatus;
  let reason: string;
  if (shared) {
    status = 'INFO';
    reason = `shared into this account by ${v.ownerId}: its flow logs are the owner's to create and to judge`;
  } else if (all.length > 0) {
    status = 'PASS';
    reason = `VPC flow log ${all.map((f) => f.id).join(', ')} records ALL traffic`;
  } else if (active.length > 0) {
    status = 'WARN';
    reason = `VPC flow logs record only ${[...new Set(active.map((f) => f.trafficType))].join(' and ')} traffic`;
  } else if (own.length > 0) {
    status = 'FAIL';
    reason = `VPC flow logs exist but none is delivering: ${own
      .map((f) => `${f.id} ${f.status ?? ''}${f.deliverError ? ` (${f.deliverError})` : ''}`.trim())
      .join('; ')}`;
  } else {
    status = 'FAIL';
    reason = 'no flow log on the VPC';
  }
  return {
    resource: vpcArn(r, v),
    check: 'vpc-flow-logs',
    status,
    detail: {
      region: r.region,
      vpcId: v.id,
      ...(v.name ? { name: v.name } : {}),
      isDefault: v.isDefault,
      cidr: v.cidr,
      ownerId: v.ownerId,
      flowLogs: own.map((f) => ({
        id: f.id,
        status: f.status,
        deliverStatus: f.deliverStatus,
        ...(f.deliverError ? { deliverError: f.deliverError } : {}),
        trafficType: f.trafficType,
        destinationType: f.destinationType,
        destination: f.destination,
      })),
      reason,
    },
  };
}

// ---- Load balancer access logs ---------------------------------------------------------------------------

export interface LoadBalancerFacts {
  readonly region: string;
  readonly name: string;
  /** The ELBv2 ARN; for a Classic Load Balancer, the ARN built from the account (ELB does not return one). */
  readonly arn: string;
  readonly type: 'application' | 'network' | 'gateway' | 'classic';
  readonly scheme?: string;
  readonly accessLogs: boolean;
  readonly bucket?: string;
  readonly prefix?: string;
  /** Network Load Balancers only: the listeners' protocols (access logs record TLS connections only). */
  readonly listenerProtocols?: readonly string[];
}

/**
 * One finding per load balancer (Gateway Load Balancers have no access logs and are not judged). PASS:
 * access logs to S3 on. FAIL: off. INFO: a Network Load Balancer without a TLS listener, for which access
 * logs record nothing (ELB writes NLB access logs for TLS connections only; its traffic is in VPC flow logs).
 */
export function assessLoadBalancer(lb: LoadBalancerFacts): AuditFinding {
  const tls = lb.listenerProtocols?.includes('TLS') ?? false;
  let status: FindingStatus;
  let reason: string;
  if (lb.type === 'network' && !tls) {
    status = 'INFO';
    reason = `Network Load Balancer without a TLS listener (${(lb.listenerProtocols ?? []).join(', ') || 'no listeners'}): access logs would record nothing`;
  } else if (lb.accessLogs) {
    status = 'PASS';
    reason = `access logs to s3://${lb.bucket ?? '?'}${lb.prefix ? `/${lb.prefix}` : ''}`;
  } else {
    status = 'FAIL';
    reason = 'access logs are off';
  }
  return {
    resource: lb.arn,
    check: 'load-balancer-access-logs',
    status,
    detail: {
      region: lb.region,
      loadBalancer: lb.name,
      type: lb.type,
      scheme: lb.scheme,
      accessLogs: lb.accessLogs,
      ...(lb.bucket ? { bucket: lb.bucket } : {}),
      ...(lb.prefix ? { prefix: lb.prefix } : {}),
      ...(lb.listenerProtocols ? { listenerProtocols: lb.listenerProtocols } : {}),
      reason,
    },
  };
}

// ---- The whole -----------------------------------------------------------------------------------------

export interface AuditLoggingFacts {
  /** Undefined when the trails could not be read (an error entry says why). */
  readonly cloudTrail?: CloudTrailFacts;
  readonly config: readonly ConfigRegionFacts[];
  readonly logs: readonly LogsRegionFacts[];
  readonly flowLogs: readonly FlowLogRegionFacts[];
  readonly loadBalancers: readonly {
    readonly region: string;
    readonly loadBalancers: readonly LoadBalancerFacts[];
  }[];
}

export function assessAuditLogging(
  facts: AuditLoggingFacts,
  settings: Pick<CollectorSettings, 'logRetentionDays'>,
): { findings: AuditFinding[]; figures: Record<string, number> } {
  const findings: AuditFinding[] = [];
  if (facts.cloudTrail) findings.push(assessTrails(facts.cloudTrail));
  for (const r of facts.config) findings.push(assessConfigRegion(r));
  for (const r of facts.logs)
    for (const g of r.logGroups) findings.push(assessLogGroup(g, settings.logRetentionDays));
  for (const r of facts.flowLogs) for (const v of r.vpcs) findings.push(assessVpc(r, v));
  let gateways = 0;
  for (const r of facts.loadBalancers)
    for (const lb of r.loadBalancers) {
      if (lb.type === 'gateway') gateways++;
      else findings.push(assessLoadBalancer(lb));
    }
  const of = (check: AuditLoggingCheck, status?: FindingStatus) =>
    findings.filter((f) => f.check === check && (!status || f.status === status)).length;
  const trails = facts.cloudTrail?.trails ?? [];
  const groups = facts.logs.flatMap((r) => r.logGroups);
  const lbs = facts.loadBalancers.flatMap((r) => r.loadBalancers);
  return {
    findings,
    figures: {
      trails: trails.length,
      qualifyingTrails: trails.filter((t) => judgeTrail(t).standing === 'qualifies').length,
      configRegions: of('config-recorder'),
      configRegionsRecordingAll: of('config-recorder', 'PASS'),
      logGroups: groups.length,
      logGroupsShortRetention: of('log-group-retention', 'FAIL'),
      logGroupsNeverExpire: groups.filter(
        (g) => g.retentionInDays === undefined && g.logGroupClass !== 'DELIVERY',
      ).length,
      logGroupsDeliveryClass: groups.filter((g) => g.logGroupClass === 'DELIVERY').length,
      vpcs: of('vpc-flow-logs'),
      vpcsWithoutFlowLogs: of('vpc-flow-logs', 'FAIL'),
      vpcsPartialFlowLogs: of('vpc-flow-logs', 'WARN'),
      vpcsShared: of('vpc-flow-logs', 'INFO'),
      subnetOrInterfaceFlowLogs: facts.flowLogs.reduce(
        (n, r) => n + r.flowLogs.filter((f) => !f.resourceId.startsWith('vpc-')).length,
        0,
      ),
      loadBalancers: of('load-balancer-access-logs'),
      loadBalancersWithoutAccessLogs: of('load-balancer-access-logs', 'FAIL'),
      classicLoadBalancers: lbs.filter((l) => l.type === 'classic').length,
      networkLoadBalancersWithoutTls: of('load-balancer-access-logs', 'INFO'),
      gatewayLoadBalancersNotJudged: gateways,
    },
  };
}
