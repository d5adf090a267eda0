import { jsonSource } from '../../evidence/write-evidence';
import { GetBucketPolicyCommand } from '@aws-sdk/client-s3';
import { mapUntilDeadline } from '../../aws/concurrency';
import { unreadEntriesByKind } from '../../aws/deadline';
import { resourceError } from '../../aws/aws-error';
import { readRegions } from '../../readers/regions';
import type { ErrorEntry, Finding, FindingStatus } from '../../evidence/envelope';
import type { CollectorSettings } from '../../settings';
import type { Collector, GatherContext } from '../collector';
import { readEachBucket, type BucketRef, type PerBucketRead } from '../../readers/buckets';
import { judgedDatabases, readDatabases, serviceOf, type DatabaseFacts } from '../../readers/databases';
import { analyseBucketPolicy } from './bucket-policy';
import { readParameter, tlsParameterFor } from './db-parameters';
import {
  readListeners,
  redirectsToHttps,
  terminalAction,
  type ListenerFacts,
  type RegionListeners,
} from './load-balancers';
import { judgeProtocols } from './ssl-policy';
import {
  CLASSIC_TLS_PROTOCOLS,
  classicListenerResource,
  readClassicListeners,
  type ClassicListenerFacts,
  type RegionClassicListeners,
} from './classic-load-balancers';
import { TLS_IDENTITY, type TlsCheck } from './checks';

export interface BucketPolicyFacts extends BucketRef {
  /** The policy document; undefined when the bucket has none (NoSuchBucketPolicy). */
  readonly policy?: string;
}

export interface DatabaseTlsFacts {
  readonly db: DatabaseFacts;
  readonly parameterGroup?: string;
  readonly parameterName?: string;
  /** Undefined when the group states no value (engine default) or no parameter applies. */
  readonly value?: string;
  readonly valueSource?: string;
  /** A parameter change waits for a reboot: the value read is not yet the one in effect. */
  readonly pendingReboot: boolean;
}

export interface TlsFacts {
  readonly listeners: readonly Omit<RegionListeners, 'errors'>[];
  /** Classic Load Balancers' listeners, by region (absent in facts recorded before they were read). */
  readonly classicListeners?: readonly Omit<RegionClassicListeners, 'errors'>[];
  readonly buckets: readonly BucketPolicyFacts[];
  readonly databases: readonly DatabaseTlsFacts[];
}

const TLS_PROTOCOLS = new Set(['HTTPS', 'TLS']);

function listenerDetail(l: ListenerFacts): Record<string, unknown> {
  return {
    region: l.region,
    loadBalancer: l.loadBalancerName,
    loadBalancerArn: l.loadBalancerArn,
    loadBalancerType: l.loadBalancerType,
    scheme: l.scheme,
    port: l.port,
    protocol: l.protocol,
  };
}

/** An HTTPS (ALB) or TLS (NLB) listener, judged by the protocols its security policy allows. */
export function assessTlsListener(
  l: ListenerFacts,
  policies: Omit<RegionListeners, 'errors'>['policies'],
  minimum: CollectorSettings['minimumTlsVersion'],
): Finding<TlsCheck> {
  const policy = policies.find((p) => p.name === l.sslPolicy);
  const judgement = policy
    ? judgeProtocols(policy.protocols, minimum)
    : {
        status: 'WARN' as FindingStatus,
        reason: l.sslPolicy
          ? `policy ${l.sslPolicy} was not returned by DescribeSSLPolicies`
          : 'the listener names no security policy',
      };
  return {
    resource: l.listenerArn,
    check: 'listener-tls-policy',
    status: judgement.status,
    detail: {
      ...listenerDetail(l),
      sslPolicy: l.sslPolicy,
      protocols: policy?.protocols,
      lowestProtocol: 'lowestProtocol' in judgement ? judgement.lowestProtocol : undefined,
      minimumTlsVersion: minimum,
      reason: judgement.reason,
    },
  };
}

/** Rules that answer over plain HTTP: anything but a redirect to HTTPS or a fixed response. */
function servingRules(l: ListenerFacts): string[] {
  return (l.rules ?? [])
    .filter((r) => !r.isDefault)
    .filter((r) => {
      const t = terminalAction(r.actions);
      return !redirectsToHttps(r.actions) && t?.type !== 'fixed-response';
    })
    .map((r) => r.ruleArn);
}

/** An ALB HTTP listener passes only when its default action and every rule redirect to HTTPS. */
export function assessHttpListener(l: ListenerFacts): Finding<TlsCheck> {
  const redirects = redirectsToHttps(l.defaultActions);
  const serving = redirects ? servingRules(l) : [];
  const status: FindingStatus = redirects && serving.length === 0 ? 'PASS' : 'FAIL';
  const reason = !redirects
    ? `default action is ${terminalAction(l.defaultActions)?.type ?? 'missing'}, not a redirect to HTTPS`
    : serving.length > 0
      ? `${serving.length} rule(s) answer over plain HTTP`
      : 'default action and every rule redirect to HTTPS';
  return {
    resource: l.listenerArn,
    check: 'listener-http-redirect',
    status,
    detail: {
      ...listenerDetail(l),
      defaultAction: terminalAction(l.defaultActions),
      rulesChecked: l.rules !== undefined,
      ...(serving.length > 0 ? { rulesServingHttp: serving } : {}),
      reason,
    },
  };
}

function classicDetail(l: ClassicListenerFacts): Record<string, unknown> {
  return {
    region: l.region,
    loadBalancer: l.loadBalancerName,
    loadBalancerArn: l.loadBalancerArn,
    loadBalancerType: 'classic',
    scheme: l.scheme,
    port: l.port,
    protocol: l.protocol,
    instanceProtocol: l.instanceProtocol,
    instancePort: l.instancePort,
  };
}

/** A Classic HTTPS or SSL listener, judged by the Protocol-* attributes its SSL negotiation policy enables. */
export function assessClassicTlsListener(
  l: ClassicListenerFacts,
  minimum: CollectorSettings['minimumTlsVersion'],
): Finding<TlsCheck> {
  const policy = l.sslPolicy;
  const judgement = policy
    ? judgeProtocols(policy.protocols, minimum)
    : {
        status: 'WARN' as FindingStatus,
        reason: l.unreadPolicy
          ? `policy ${l.unreadPolicy} was not returned by DescribeLoadBalancerPolicies`
          : 'the listener names no SSL negotiation policy',
      };
  return {
    resource: classicListenerResource(l),
    check: 'listener-tls-policy',
    status: judgement.status,
    detail: {
      ...classicDetail(l),
      sslPolicy: policy?.name ?? l.unreadPolicy,
      policySource: policy?.source,
      referenceSecurityPolicy: policy?.referenceSecurityPolicy,
      ...(policy?.protocolsFromReference ? { protocolsFromReference: true } : {}),
      protocols: policy?.protocols,
      lowestProtocol: 'lowestProtocol' in judgement ? judgement.lowestProtocol : undefined,
      minimumTlsVersion: minimum,
      reason: judgement.reason,
    },
  };
}

/** A Classic HTTP listener: a Classic Load Balancer has no redirect action, so it always answers in plain HTTP. */
export function assessClassicHttpListener(l: ClassicListenerFacts): Finding<TlsCheck> {
  return {
    resource: classicListenerResource(l),
    check: 'listener-http-redirect',
    status: 'FAIL',
    detail: {
      ...classicDetail(l),
      reason:
        'a Classic Load Balancer cannot redirect HTTP to HTTPS: this listener serves plain HTTP (the redirect, if any, is left to the instances behind it)',
    },
  };
}

export function assessBucketTls(b: BucketPolicyFacts): Finding<TlsCheck> {
  const analysis = analyseBucketPolicy(b.policy, b.arn);
  return {
    resource: b.arn,
    check: 's3-tls-only-policy',
    status: analysis.tlsOnly ? 'PASS' : 'FAIL',
    detail: {
      region: b.region,
      bucket: b.name,
      hasPolicy: b.policy !== undefined,
      tlsOnly: analysis.tlsOnly,
      form: analysis.form,
      minimumTlsVersion: analysis.minimumTlsVersion,
      statement: analysis.statement,
      ...(analysis.nearMisses.length > 0 ? { nearMisses: analysis.nearMisses } : {}),
      ...(b.outsideConfiguredRegions ? { outsideConfiguredRegions: true } : {}),
    },
  };
}

export function assessDatabaseTls(d: DatabaseTlsFacts): Finding<TlsCheck> {
  const param = tlsParameterFor(d.db.engine);
  let status: FindingStatus;
  let reason: string;
  const value = d.value?.trim().toLowerCase();
  if (!param) {
    status = 'WARN';
    reason = `TLS enforcement is not read for engine ${d.db.engine}`;
  } else if (!d.parameterGroup) {
    status = 'WARN';
    reason = 'no parameter group reported';
  } else if (value === undefined || value === '') {
    // The group leaves the parameter to the engine default, which differs by engine and version.
    status = 'WARN';
    reason = `${param.name} is not set in ${d.parameterGroup}: the engine default applies and is not stated`;
  } else if (param.notEnforcing.includes(value)) {
    status = 'FAIL';
    reason = `${param.name} = ${d.value}: unencrypted connections are accepted`;
  } else if (param.enforcing.includes(value)) {
    status = d.pendingReboot ? 'WARN' : 'PASS';
    reason = d.pendingReboot
      ? `${param.name} = ${d.value}, but the parameter group is pending reboot`
      : `${param.name} = ${d.value}: only TLS connections are accepted`;
  } else {
    status = 'WARN';
    reason = `${param.name} has an unrecognised value ${JSON.stringify(d.value)}`;
  }
  return {
    resource: d.db.arn,
    check: 'rds-tls-enforced',
    status,
    detail: {
      region: d.db.region,
      kind: d.db.kind,
      service: serviceOf(d.db.engine),
      engine: d.db.engine,
      engineVersion: d.db.engineVersion,
      parameterGroup: d.parameterGroup,
      parameter: param?.name,
      value: param && d.parameterGroup ? (d.value ?? 'default') : undefined,
      valueSource: d.valueSource,
      pendingReboot: d.pendingReboot,
      reason,
    },
  };
}

export function assessTls(
  facts: TlsFacts,
  settings: Pick<CollectorSettings, 'minimumTlsVersion'>,
): { findings: Finding<TlsCheck>[]; figures: Record<string, number> } {
  const findings: Finding<TlsCheck>[] = [];
  let notJudged = 0;
  for (const region of facts.listeners) {
    for (const l of region.listeners) {
      if (TLS_PROTOCOLS.has(l.protocol))
        findings.push(assessTlsListener(l, region.policies, settings.minimumTlsVersion));
      else if (l.protocol === 'HTTP') findings.push(assessHttpListener(l));
      else notJudged++; // TCP, UDP, TCP_UDP: no TLS at the load balancer (a TCP listener may pass TLS through).
    }
  }
  let classicListeners = 0;
  for (const region of facts.classicListeners ?? []) {
    for (const l of region.listeners) {
      classicListeners++;
      if (CLASSIC_TLS_PROTOCOLS.has(l.protocol))
        findings.push(assessClassicTlsListener(l, settings.minimumTlsVersion));
      else if (l.protocol === 'HTTP') findings.push(assessClassicHttpListener(l));
      else notJudged++; // TCP: no TLS at the load balancer, as for an NLB's TCP listener.
    }
  }
  for (const b of facts.buckets) findings.push(assessBucketTls(b));
  for (const d of facts.databases) findings.push(assessDatabaseTls(d));
  const count = (check: string, status?: FindingStatus) =>
    findings.filter((f) => f.check === check && (!status || f.status === status)).length;
  return {
    findings,
    figures: {
      tlsListeners: count('listener-tls-policy'),
      tlsListenersFailing: count('listener-tls-policy', 'FAIL'),
      httpListeners: count('listener-http-redirect'),
      httpListenersServingPlainHttp: count('listener-http-redirect', 'FAIL'),
      listenersNotJudged: notJudged,
      classicLoadBalancers: (facts.classicListeners ?? []).reduce((n, r) => n + r.loadBalancers, 0),
      classicListeners,
      buckets: count('s3-tls-only-policy'),
      bucketsTlsOnly: count('s3-tls-only-policy', 'PASS'),
      databases: count('rds-tls-enforced'),
      databasesTlsEnforced: count('rds-tls-enforced', 'PASS'),
      databasesTlsNotEnforced: count('rds-tls-enforced', 'FAIL'),
    },
  };
}

/** A bucket's policy; S3 answers NoSuchBucketPolicy when there is none, a fact (not TLS-only), not an error. */
const READ_BUCKET_POLICY: PerBucketRead<BucketPolicyFacts> = {
  api: 's3:GetBucketPolicy',
  read: async (client, b) => {
    const out = await client.send(new GetBucketPolicyCommand({ Bucket: b.name }));
    return { ...b, ...(out.Policy ? { policy: out.Policy } : {}) };
  },
  notFound: { code: 'NoSuchBucketPolicy', answer: (b) => ({ ...b }) },
};

async function readBucketPolicies(
  ctx: GatherContext,
  errors: ErrorEntry[],
): Promise<readonly BucketPolicyFacts[]> {
  const read = await readEachBucket(ctx, READ_BUCKET_POLICY);
  errors.push(...read.errors);
  return read.results;
}

async function readDatabaseTls(
  ctx: GatherContext,
  region: string,
  errors: ErrorEntry[],
): Promise<DatabaseTlsFacts[]> {
  const dbs = judgedDatabases(await readDatabases(ctx, region));
  const parameterApi = (kind: DatabaseFacts['kind']) =>
    kind === 'cluster' ? 'rds:DescribeDBClusterParameters' : 'rds:DescribeDBParameters';
  // One parameter read per group (memoised), none started after the run's soft deadline.
  const read = await mapUntilDeadline(
    dbs,
    ctx.settings.concurrency,
    async (db): Promise<DatabaseTlsFacts | undefined> => {
      const param = tlsParameterFor(db.engine);
      const group = db.kind === 'cluster' ? db.parameterGroup : db.parameterGroups[0]?.name;
      const pendingReboot =
        db.kind === 'cluster'
          ? db.members.some((m) => m.parameterGroupStatus === 'pending-reboot')
          : db.parameterGroups.some((g) => g.applyStatus === 'pending-reboot');
      const base = { db, ...(group ? { parameterGroup: group } : {}), pendingReboot };
      if (!param || !group) return base;
      try {
        const value = await readParameter(ctx, region, db.kind, group, param.name);
        return {
          ...base,
          parameterName: param.name,
          ...(value.value !== undefined ? { value: value.value } : {}),
          ...(value.source ? { valueSource: value.source } : {}),
        };
      } catch (err) {
        errors.push(resourceError(err, region, parameterApi(db.kind), `${db.id} (parameter group ${group})`));
        return undefined;
      }
    },
  );
  // Databases left unread at the deadline: one entry per parameter API, counting them against all of the kind.
  errors.push(
    ...unreadEntriesByKind(region, dbs, read.results, (db) => db.kind, {
      instance: { api: parameterApi('instance'), what: 'DB instances' },
      cluster: { api: parameterApi('cluster'), what: 'DB clusters' },
    }),
  );
  return read.results.flatMap((r) => (r?.value ? [r.value] : []));
}

export const tls: Collector<TlsFacts, TlsCheck> = {
  ...TLS_IDENTITY,
  iamActions: [
    'elasticloadbalancing:DescribeLoadBalancers',
    'elasticloadbalancing:DescribeListeners',
    'elasticloadbalancing:DescribeRules',
    'elasticloadbalancing:DescribeSSLPolicies',
    'elasticloadbalancing:DescribeLoadBalancerPolicies',
    's3:ListAllMyBuckets',
    's3:GetBucketLocation',
    's3:GetBucketPolicy',
    'rds:DescribeDBInstances',
    'rds:DescribeDBClusters',
    'rds:DescribeDBParameters',
    'rds:DescribeDBClusterParameters',
  ],
  policy: (s) => ({
    minimumTlsVersion: s.minimumTlsVersion,
    httpListeners: 'must redirect to HTTPS (default action and every rule)',
    classicLoadBalancers:
      'HTTPS and SSL listeners judged by the Protocol-* attributes their SSLNegotiationPolicyType policy enables; HTTP listeners FAIL (a Classic Load Balancer cannot redirect); TCP listeners are not judged',
    bucketPolicy:
      'Deny for Principal * on object reads and writes when aws:SecureTransport is false or s3:TlsVersion < 1.2+',
    databaseParameters: {
      postgres: 'rds.force_ssl',
      sqlserver: 'rds.force_ssl',
      mysql: 'require_secure_transport',
      mariadb: 'require_secure_transport',
      docdb: 'tls',
    },
    databaseParameterDefault: 'WARN (engine default not stated)',
  }),

  async gather(ctx) {
    const regions = ctx.settings.regions;
    const errors: ErrorEntry[] = [];
    const [lbs, classic, dbs, buckets] = await Promise.all([
      readRegions(regions, 'elasticloadbalancing:DescribeLoadBalancers', (region) =>
        readListeners(ctx, region),
      ),
      readRegions(regions, 'elasticloadbalancing:DescribeLoadBalancers', (region) =>
        readClassicListeners(ctx, region),
      ),
      readRegions(regions, 'rds:DescribeDBInstances', (region) => readDatabaseTls(ctx, region, errors)),
      readBucketPolicies(ctx, errors),
    ]);
    // The Classic read is named apart from the ELBv2 read, whose IAM action is the same.
    const classicErrors = classic.errors.map((e) => ({
      ...e,
      message: `Classic Load Balancers: ${e.message}`.slice(0, 1000),
    }));
    errors.push(...lbs.errors, ...classicErrors, ...dbs.errors);
    const listeners = lbs.results.flatMap((r) => {
      if (!r.value) return [];
      errors.push(...r.value.errors);
      const used = new Set(r.value.listeners.map((l) => l.sslPolicy));
      return [
        {
          region: r.region,
          listeners: r.value.listeners,
          policies: r.value.policies.filter((p) => used.has(p.name)),
        },
      ];
    });
    const classicListeners = classic.results.flatMap((r) => {
      if (!r.value) return [];
      errors.push(...r.value.errors);
      return [{ region: r.region, loadBalancers: r.value.loadBalancers, listeners: r.value.listeners }];
    });
    return {
      facts: {
        listeners,
        classicListeners,
        buckets,
        databases: dbs.results.flatMap((r) => r.value ?? []),
      },
      sources: [
        jsonSource(
          'listeners.json',
          'elasticloadbalancing:DescribeListeners',
          { regions: listeners },
          ctx.now,
        ),
        jsonSource(
          'classic-listeners.json',
          'elasticloadbalancing:DescribeLoadBalancers',
          { regions: classicListeners },
          ctx.now,
        ),
      ],
      errors,
    };
  },

  assess: (facts, settings) => assessTls(facts, settings),
};
