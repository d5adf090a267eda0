import {
  DescribeLoadBalancerPoliciesCommand,
  ElasticLoadBalancingClient,
  paginateDescribeLoadBalancers,
  type LoadBalancerDescription,
  type PolicyDescription,
} from '@aws-sdk/client-elastic-load-balancing';
import { partitionOf } from '../../aws/arn';
import { mapUntilDeadline } from '../../aws/concurrency';
import { unreadEntry } from '../../aws/deadline';
import { isAwsError, resourceError, withApi } from '../../aws/aws-error';
import type { ErrorEntry } from '../../evidence/envelope';
import { runAccount, type GatherContext } from '../collector';

/** DescribeLoadBalancers (Classic) returns at most 400 load balancers a page. */
export const CLASSIC_PAGE_SIZE = 400;
/** The policy type whose attributes are a listener's protocols and ciphers. */
export const SSL_NEGOTIATION_POLICY_TYPE = 'SSLNegotiationPolicyType';
const PROTOCOL_ATTRIBUTE = /^Protocol-(.+)$/;
const REFERENCE_ATTRIBUTE = 'Reference-Security-Policy';
/** Classic listener protocols that terminate TLS at the load balancer. */
export const CLASSIC_TLS_PROTOCOLS = new Set(['HTTPS', 'SSL']);

export interface ClassicPolicyFacts {
  readonly name: string;
  /** `load-balancer`: a policy created on the load balancer (what the console and CLI attach);
   * `predefined`: ELB's own policy of that name, read without a load balancer name. */
  readonly source: 'load-balancer' | 'predefined';
  /** The predefined policy a load balancer policy was created from, when it names one. */
  readonly referenceSecurityPolicy?: string;
  /** The enabled Protocol-* attributes, without the prefix: `TLSv1`, `TLSv1.1`, `TLSv1.2`, `SSLv3`. */
  readonly protocols: readonly string[];
  /** The load balancer policy states no Protocol-* attribute: its protocols are its reference's. */
  readonly protocolsFromReference?: boolean;
}

export interface ClassicListenerFacts {
  readonly region: string;
  readonly loadBalancerName: string;
  /** arn:<partition>:elasticloadbalancing:<region>:<account>:loadbalancer/<name> */
  readonly loadBalancerArn: string;
  readonly scheme?: string;
  readonly port: number;
  /** HTTP, HTTPS, TCP or SSL (upper case). */
  readonly protocol: string;
  readonly instanceProtocol?: string;
  readonly instancePort?: number;
  /** Every policy the listener names (SSL negotiation, stickiness...). */
  readonly policyNames: readonly string[];
  /** HTTPS and SSL listeners: their SSL negotiation policy; absent when none of `policyNames` is one. */
  readonly sslPolicy?: ClassicPolicyFacts;
  /** A policy the listener names (or its policy references) that DescribeLoadBalancerPolicies did not return. */
  readonly unreadPolicy?: string;
}

export interface RegionClassicListeners {
  readonly region: string;
  readonly loadBalancers: number;
  readonly listeners: readonly ClassicListenerFacts[];
  /** Load balancers whose policies could not be read: their HTTPS and SSL listeners are left out. */
  readonly errors: readonly ErrorEntry[];
}

/** A Classic listener has no ARN: its load balancer's ARN and its port name it. */
export const classicListenerResource = (l: Pick<ClassicListenerFacts, 'loadBalancerArn' | 'port'>) =>
  `${l.loadBalancerArn}/listener/${l.port}`;

/** The account the collector reads, for the Classic load balancers' ARNs (their API returns none). */
export function accountOf(ctx: GatherContext): Promise<string> {
  return Promise.resolve().then(() => runAccount(ctx));
}

function policyFacts(p: PolicyDescription, source: ClassicPolicyFacts['source']): ClassicPolicyFacts {
  const attributes = p.PolicyAttributeDescriptions ?? [];
  const reference = attributes.find((a) => a.AttributeName === REFERENCE_ATTRIBUTE)?.AttributeValue;
  const protocols = attributes.flatMap((a) => {
    const m = PROTOCOL_ATTRIBUTE.exec(a.AttributeName ?? '');
    return m && a.AttributeValue?.toLowerCase() === 'true' ? [m[1]!] : [];
  });
  return {
    name: p.PolicyName ?? 'unknown',
    source,
    ...(reference ? { referenceSecurityPolicy: reference } : {}),
    protocols,
  };
}

const hasProtocolAttributes = (p: PolicyDescription) =>
  (p.PolicyAttributeDescriptions ?? []).some((a) => PROTOCOL_ATTRIBUTE.test(a.AttributeName ?? ''));
const isSslNegotiation = (p: PolicyDescription) => p.PolicyTypeName === SSL_NEGOTIATION_POLICY_TYPE;

/**
 * The named policies of one load balancer, in one call. A name that is not a policy of the load balancer
 * makes AWS refuse the whole request (PolicyNotFound): then every policy of the load balancer is read instead,
 * and the names still missing are looked up as ELB's predefined policies.
 */
async function loadBalancerPolicies(
  client: ElasticLoadBalancingClient,
  name: string,
  policyNames: readonly string[],
): Promise<PolicyDescription[]> {
  return withApi('elasticloadbalancing:DescribeLoadBalancerPolicies', async () => {
    try {
      const out = await client.send(
        new DescribeLoadBalancerPoliciesCommand({ LoadBalancerName: name, PolicyNames: [...policyNames] }),
      );
      return out.PolicyDescriptions ?? [];
    } catch (err) {
      if (!isAwsError(err, 'PolicyNotFound')) throw err;
      const out = await client.send(new DescribeLoadBalancerPoliciesCommand({ LoadBalancerName: name }));
      return out.PolicyDescriptions ?? [];
    }
  });
}

/** ELB's predefined policies of these names (no load balancer name): once a region, for all that need it. */
async function predefinedPolicies(
  client: ElasticLoadBalancingClient,
  names: readonly string[],
): Promise<PolicyDescription[]> {
  return withApi('elasticloadbalancing:DescribeLoadBalancerPolicies', async () => {
    try {
      const out = await client.send(new DescribeLoadBalancerPoliciesCommand({ PolicyNames: [...names] }));
      return out.PolicyDescriptions ?? [];
    } catch (err) {
      // One unknown name fails the request: read them all and keep those that exist.
      if (!isAwsError(err, 'PolicyNotFound')) throw err;
      const out = await client.send(new DescribeLoadBalancerPoliciesCommand({}));
      return (out.PolicyDescriptions ?? []).filter((p) => p.PolicyName && names.includes(p.PolicyName));
    }
  });
}

interface PendingListener {
  readonly listener: ClassicListenerFacts;
  /** The load balancer's policies returned for it (TLS listeners only). */
  readonly lbPolicies?: readonly PolicyDescription[];
}

function listenersOf(lb: LoadBalancerDescription, region: string, arn: string): ClassicListenerFacts[] {
  return (lb.ListenerDescriptions ?? []).flatMap((d) => {
    const l = d.Listener;
    if (!l || l.LoadBalancerPort === undefined) return [];
    return [
      {
        region,
        loadBalancerName: lb.LoadBalancerName!,
        loadBalancerArn: arn,
        ...(lb.Scheme ? { scheme: lb.Scheme } : {}),
        port: l.LoadBalancerPort,
        protocol: (l.Protocol ?? 'unknown').toUpperCase(),
        ...(l.InstanceProtocol ? { instanceProtocol: l.InstanceProtocol.toUpperCase() } : {}),
        ...(l.InstancePort !== undefined ? { instancePort: l.InstancePort } : {}),
        policyNames: d.PolicyNames ?? [],
      },
    ];
  });
}

/**
 * Every listener of every Classic Load Balancer in a region, HTTPS and SSL listeners with the protocols their
 * SSL negotiation policy enables. Calls: DescribeLoadBalancers (400 a page), then one
 * DescribeLoadBalancerPolicies per load balancer with an HTTPS or SSL listener (its listeners' policy names
 * together), and at most one more for the region when a listener names a predefined policy directly or a
 * load balancer policy states only its Reference-Security-Policy.
 */
export async function readClassicListeners(
  ctx: GatherContext,
  region: string,
): Promise<RegionClassicListeners> {
  const client = ctx.clients.get(ElasticLoadBalancingClient, region);
  const lbs = await withApi('elasticloadbalancing:DescribeLoadBalancers', async () => {
    const all: LoadBalancerDescription[] = [];
    for await (const page of paginateDescribeLoadBalancers(
      { client, pageSize: CLASSIC_PAGE_SIZE },
      { PageSize: CLASSIC_PAGE_SIZE },
    ))
      all.push(...(page.LoadBalancerDescriptions ?? []));
    return all.filter((lb) => lb.LoadBalancerName);
  });
  if (lbs.length === 0) return { region, loadBalancers: 0, listeners: [], errors: [] };
  const account = await accountOf(ctx);
  const errors: ErrorEntry[] = [];
  const prepared = lbs.map((lb) => {
    const arn = `arn:${partitionOf(region)}:elasticloadbalancing:${region}:${account}:loadbalancer/${lb.LoadBalancerName!}`;
    const listeners = listenersOf(lb, region, arn);
    const tls = listeners.filter((l) => CLASSIC_TLS_PROTOCOLS.has(l.protocol));
    return { lb, arn, listeners, tls, names: [...new Set(tls.flatMap((l) => l.policyNames))] };
  });
  const plain = (p: (typeof prepared)[number]) =>
    p.listeners.filter((l) => !p.tls.includes(l)).map((listener): PendingListener => ({ listener }));
  // One DescribeLoadBalancerPolicies per load balancer with a named policy: none starts after the run's soft
  // deadline, and one left unread keeps its listeners that need no policy, as one whose read failed does.
  const needPolicies = prepared.filter((p) => p.names.length > 0);
  const read = await mapUntilDeadline(needPolicies, ctx.settings.concurrency, async (p) => {
    try {
      const lbPolicies = await loadBalancerPolicies(client, p.lb.LoadBalancerName!, p.names);
      return p.listeners.map((listener): PendingListener =>
        CLASSIC_TLS_PROTOCOLS.has(listener.protocol) ? { listener, lbPolicies } : { listener },
      );
    } catch (err) {
      // Without the policy no TLS listener of this load balancer can be judged: left out, not passed.
      errors.push(resourceError(err, region, 'elasticloadbalancing:DescribeLoadBalancerPolicies', p.arn));
      return plain(p);
    }
  });
  if (read.unread > 0)
    errors.push(
      unreadEntry(
        region,
        'elasticloadbalancing:DescribeLoadBalancerPolicies',
        read.unread,
        needPolicies.length,
        'Classic Load Balancers',
      ),
    );
  const readFor = new Map(needPolicies.map((p, i) => [p, read.results[i]]));
  const pending = prepared.flatMap((p): PendingListener[] => {
    if (p.names.length === 0) return p.listeners.map((listener) => ({ listener }));
    return readFor.get(p)?.value ?? plain(p);
  });

  // What the load balancer did not answer with protocols: a predefined policy named on the listener, or a
  // load balancer policy that states only the predefined policy it references.
  const own = (p: PendingListener) =>
    p.lbPolicies?.find(
      (d) => isSslNegotiation(d) && d.PolicyName && p.listener.policyNames.includes(d.PolicyName),
    );
  const predefinedWanted = new Set<string>();
  for (const p of pending) {
    if (!p.lbPolicies) continue;
    const policy = own(p);
    if (policy && !hasProtocolAttributes(policy)) {
      const ref = policyFacts(policy, 'load-balancer').referenceSecurityPolicy;
      if (ref) predefinedWanted.add(ref);
    } else if (!policy) {
      const returned = new Set(p.lbPolicies.map((d) => d.PolicyName));
      for (const n of p.listener.policyNames) if (!returned.has(n)) predefinedWanted.add(n);
    }
  }
  let predefined: PolicyDescription[] | undefined = [];
  if (predefinedWanted.size > 0) {
    try {
      predefined = await predefinedPolicies(client, [...predefinedWanted]);
    } catch (err) {
      predefined = undefined;
      errors.push(
        resourceError(
          err,
          region,
          'elasticloadbalancing:DescribeLoadBalancerPolicies',
          `predefined policies ${[...predefinedWanted].join(', ')}`,
        ),
      );
    }
  }

  const resolve = (p: PendingListener): ClassicListenerFacts[] => {
    if (!p.lbPolicies) return [p.listener];
    const policy = own(p);
    if (policy) {
      const facts = policyFacts(policy, 'load-balancer');
      const ref = facts.referenceSecurityPolicy;
      if (hasProtocolAttributes(policy) || !ref) return [{ ...p.listener, sslPolicy: facts }];
      if (predefined === undefined) return []; // the referenced policy could not be read: left out
      const referenced = predefined.find((d) => isSslNegotiation(d) && d.PolicyName === ref);
      if (!referenced) return [{ ...p.listener, unreadPolicy: ref }];
      const protocols = policyFacts(referenced, 'predefined').protocols;
      return [{ ...p.listener, sslPolicy: { ...facts, protocols, protocolsFromReference: true } }];
    }
    const returned = new Set(p.lbPolicies.map((d) => d.PolicyName));
    const missing = p.listener.policyNames.filter((n) => !returned.has(n));
    if (missing.length === 0) return [p.listener]; // it names no SSL negotiation policy
    if (predefined === undefined) return [];
    const found = predefined.find(
      (d) => isSslNegotiation(d) && d.PolicyName && missing.includes(d.PolicyName),
    );
    return found
      ? [{ ...p.listener, sslPolicy: policyFacts(found, 'predefined') }]
      : [{ ...p.listener, unreadPolicy: missing.join(', ') }];
  };
  const listeners = pending.flatMap(resolve);
  return { region, loadBalancers: lbs.length, listeners, errors };
}
