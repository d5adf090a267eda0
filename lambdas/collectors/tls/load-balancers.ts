import {
  DescribeSSLPoliciesCommand,
  ElasticLoadBalancingV2Client,
  paginateDescribeListeners,
  paginateDescribeLoadBalancers,
  paginateDescribeRules,
  type Action,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mapUntilDeadline, mapWithConcurrency } from '../../aws/concurrency';
import { unreadEntry } from '../../aws/deadline';
import type { ErrorEntry } from '../../evidence/envelope';
import type { GatherContext } from '../collector';
import { resourceError, withApi } from '../../aws/aws-error';

export interface ActionFacts {
  readonly type: string;
  readonly order?: number;
  /** For redirects: the target protocol (`HTTPS`, `HTTP` or `#{protocol}`, which keeps the request's). */
  readonly redirectProtocol?: string;
}

export interface RuleFacts {
  readonly ruleArn: string;
  readonly priority?: string;
  readonly isDefault: boolean;
  readonly actions: readonly ActionFacts[];
}

export interface ListenerFacts {
  readonly region: string;
  readonly loadBalancerArn: string;
  readonly loadBalancerName?: string;
  readonly loadBalancerType?: string;
  readonly scheme?: string;
  readonly listenerArn: string;
  readonly port?: number;
  readonly protocol: string;
  readonly sslPolicy?: string;
  readonly defaultActions: readonly ActionFacts[];
  /** Read only for HTTP listeners whose default action redirects to HTTPS: the rules could still forward. */
  readonly rules?: readonly RuleFacts[];
}

export interface SslPolicyFacts {
  readonly name: string;
  readonly protocols: readonly string[];
}

export interface RegionListeners {
  readonly region: string;
  readonly listeners: readonly ListenerFacts[];
  /** Every policy DescribeSSLPolicies returned for the region, read once if any listener uses TLS. */
  readonly policies: readonly SslPolicyFacts[];
  /** Load balancers or listeners whose details could not be read; the rest of the region stands. */
  readonly errors: readonly ErrorEntry[];
}

function actionFacts(a: Action): ActionFacts {
  return {
    type: a.Type ?? 'unknown',
    ...(a.Order !== undefined ? { order: a.Order } : {}),
    ...(a.RedirectConfig?.Protocol ? { redirectProtocol: a.RedirectConfig.Protocol } : {}),
  };
}

/** The action that answers the request: authenticate-* actions come first and hand over to it. */
export function terminalAction(actions: readonly ActionFacts[]): ActionFacts | undefined {
  const sorted = [...actions].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  return sorted.filter((a) => !a.type.startsWith('authenticate-')).at(-1);
}

export const redirectsToHttps = (actions: readonly ActionFacts[]): boolean => {
  const t = terminalAction(actions);
  return t?.type === 'redirect' && t.redirectProtocol === 'HTTPS';
};

async function describePolicies(client: ElasticLoadBalancingV2Client): Promise<SslPolicyFacts[]> {
  // The SDK has no paginator for DescribeSSLPolicies: follow NextMarker by hand.
  const policies: SslPolicyFacts[] = [];
  let marker: string | undefined;
  do {
    const out = await client.send(new DescribeSSLPoliciesCommand(marker ? { Marker: marker } : {}));
    for (const p of out.SslPolicies ?? [])
      if (p.Name) policies.push({ name: p.Name, protocols: p.SslProtocols ?? [] });
    marker = out.NextMarker;
  } while (marker);
  return policies;
}

/**
 * Every listener of every application and network load balancer in a region. Gateway load balancers only
 * carry GENEVE listeners, which have no TLS to judge, so their listeners are not read.
 */
export async function readListeners(ctx: GatherContext, region: string): Promise<RegionListeners> {
  const client = ctx.clients.get(ElasticLoadBalancingV2Client, region);
  const lbs = await withApi('elasticloadbalancing:DescribeLoadBalancers', async () => {
    const all = [];
    for await (const page of paginateDescribeLoadBalancers({ client }, {}))
      all.push(...(page.LoadBalancers ?? []));
    return all;
  });
  const errors: ErrorEntry[] = [];
  const judged = lbs.filter((lb) => lb.LoadBalancerArn && lb.Type !== 'gateway');
  // One DescribeListeners per load balancer: none starts after the run's soft deadline.
  const perLb = await mapUntilDeadline(
    judged,
    ctx.settings.concurrency,
    async (lb): Promise<(ListenerFacts | undefined)[]> => {
      const lbArn = lb.LoadBalancerArn as string;
      const listeners: ListenerFacts[] = [];
      try {
        for await (const page of paginateDescribeListeners({ client }, { LoadBalancerArn: lbArn }))
          for (const l of page.Listeners ?? []) {
            if (!l.ListenerArn) continue;
            listeners.push({
              region,
              loadBalancerArn: lbArn,
              loadBalancerName: lb.LoadBalancerName,
              loadBalancerType: lb.Type,
              scheme: lb.Scheme,
              listenerArn: l.ListenerArn,
              port: l.Port,
              protocol: l.Protocol ?? 'unknown',
              sslPolicy: l.SslPolicy,
              defaultActions: (l.DefaultActions ?? []).map(actionFacts),
            });
          }
      } catch (err) {
        errors.push(resourceError(err, region, 'elasticloadbalancing:DescribeListeners', lbArn));
        return [];
      }
      return mapWithConcurrency(listeners, 1, async (l) => {
        if (l.protocol !== 'HTTP' || !redirectsToHttps(l.defaultActions)) return l;
        try {
          const rules: RuleFacts[] = [];
          for await (const page of paginateDescribeRules({ client }, { ListenerArn: l.listenerArn }))
            for (const r of page.Rules ?? [])
              rules.push({
                ruleArn: r.RuleArn ?? 'unknown',
                ...(r.Priority ? { priority: r.Priority } : {}),
                isDefault: r.IsDefault === true,
                actions: (r.Actions ?? []).map(actionFacts),
              });
          return { ...l, rules };
        } catch (err) {
          errors.push(resourceError(err, region, 'elasticloadbalancing:DescribeRules', l.listenerArn));
          return undefined;
        }
      });
    },
  );
  if (perLb.unread > 0)
    errors.push(
      unreadEntry(
        region,
        'elasticloadbalancing:DescribeListeners',
        perLb.unread,
        judged.length,
        'load balancers',
      ),
    );
  let listeners = perLb.results
    .flatMap((r) => r?.value ?? [])
    .filter((l): l is ListenerFacts => l !== undefined);
  let policies: SslPolicyFacts[] = [];
  if (listeners.some((l) => l.sslPolicy)) {
    try {
      policies = await withApi('elasticloadbalancing:DescribeSSLPolicies', () => describePolicies(client));
    } catch (err) {
      // Without the policies' protocols no TLS listener can be judged: they are left out, not passed.
      errors.push(resourceError(err, region, 'elasticloadbalancing:DescribeSSLPolicies', 'SSL policies'));
      listeners = listeners.filter((l) => !l.sslPolicy);
    }
  }
  return { region, listeners, policies, errors };
}
