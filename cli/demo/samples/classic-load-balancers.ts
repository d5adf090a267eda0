import { SAMPLE_ACCOUNT_ID } from '../sample-account';
import type { Answers } from '../offline-clients';

/**
 * The sample account's Classic Load Balancers (Elastic Load Balancing, the first generation): read by `tls`
 * (listeners and the protocols their negotiation policy allows) and by `audit-logging` (access logs).
 */
export interface SampleClassicLoadBalancer {
  readonly name: string;
  readonly region: string;
  readonly listeners: readonly {
    readonly protocol: 'HTTP' | 'HTTPS' | 'TCP' | 'SSL';
    readonly port: number;
    /** The SSL negotiation policy of an HTTPS or SSL listener. */
    readonly policy?: string;
  }[];
  /** Access logs to S3 are on. */
  readonly accessLog: boolean;
}

export const SAMPLE_CLASSIC_LOAD_BALANCERS: readonly SampleClassicLoadBalancer[] = [
  // PROBLEM: a Classic Load Balancer left from before the move to ALB: its HTTPS listener still negotiates
  // TLS 1.0 (the 2016 predefined policy), it serves plain HTTP on port 80 (a Classic ELB cannot redirect),
  // and it keeps no access logs.
  {
    name: 'legacy-web',
    region: 'us-east-1',
    listeners: [
      { protocol: 'HTTPS', port: 443, policy: 'ELBSecurityPolicy-2016-08' },
      { protocol: 'HTTP', port: 80 },
    ],
    accessLog: false,
  },
  // A Classic Load Balancer done right: SSL on 443 with the TLS 1.2 policy, access logs on.
  {
    name: 'payments-classic',
    region: 'us-east-1',
    listeners: [{ protocol: 'SSL', port: 443, policy: 'ELBSecurityPolicy-TLS-1-2-2017-01' }],
    accessLog: true,
  },
];

/** The protocols each predefined policy the sample uses enables (ELB's DescribeLoadBalancerPolicies). */
export const SAMPLE_CLASSIC_POLICY_PROTOCOLS: Readonly<Record<string, readonly string[]>> = {
  'ELBSecurityPolicy-2016-08': ['Protocol-TLSv1', 'Protocol-TLSv1.1', 'Protocol-TLSv1.2'],
  'ELBSecurityPolicy-TLS-1-2-2017-01': ['Protocol-TLSv1.2'],
};

/** The listener's negotiation policy as attached to the load balancer (a copy named by the console). */
const attachedPolicyName = (policy: string) => `${policy}-attached`;

function policyDescription(policy: string) {
  const enabled = SAMPLE_CLASSIC_POLICY_PROTOCOLS[policy] ?? [];
  return {
    PolicyName: attachedPolicyName(policy),
    PolicyTypeName: 'SSLNegotiationPolicyType',
    PolicyAttributeDescriptions: [
      { AttributeName: 'Reference-Security-Policy', AttributeValue: policy },
      ...['Protocol-SSLv3', 'Protocol-TLSv1', 'Protocol-TLSv1.1', 'Protocol-TLSv1.2'].map((p) => ({
        AttributeName: p,
        AttributeValue: String(enabled.includes(p)),
      })),
    ],
  };
}

function byName(input: Record<string, unknown>, region: string): SampleClassicLoadBalancer {
  const lb = SAMPLE_CLASSIC_LOAD_BALANCERS.find(
    (l) => l.region === region && l.name === input.LoadBalancerName,
  );
  if (!lb)
    throw Object.assign(
      new Error(`There is no ACTIVE Load Balancer named '${String(input.LoadBalancerName)}'`),
      {
        name: 'LoadBalancerNotFound',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      },
    );
  return lb;
}

/** ELB (Classic) answers: DescribeLoadBalancers, DescribeLoadBalancerPolicies, DescribeLoadBalancerAttributes. */
export function classicLoadBalancerAnswers(): Answers {
  return {
    'ElasticLoadBalancing:DescribeLoadBalancers': (_input, region) => ({
      LoadBalancerDescriptions: SAMPLE_CLASSIC_LOAD_BALANCERS.filter((l) => l.region === region).map((l) => ({
        LoadBalancerName: l.name,
        DNSName: `${l.name}-1234567890.${region}.elb.amazonaws.com`,
        Scheme: 'internet-facing',
        VPCId: 'vpc-0example0000000001',
        ListenerDescriptions: l.listeners.map((li) => ({
          Listener: {
            Protocol: li.protocol,
            LoadBalancerPort: li.port,
            InstanceProtocol: li.protocol === 'HTTPS' ? 'HTTP' : li.protocol === 'SSL' ? 'TCP' : li.protocol,
            InstancePort: 8080,
            ...(li.policy
              ? {
                  SSLCertificateId: `arn:aws:acm:${region}:${SAMPLE_ACCOUNT_ID}:certificate/example-${l.name}`,
                }
              : {}),
          },
          PolicyNames: li.policy ? [attachedPolicyName(li.policy)] : [],
        })),
      })),
    }),
    'ElasticLoadBalancing:DescribeLoadBalancerPolicies': (input, region) => {
      const lb = byName(input, region);
      const wanted = (input.PolicyNames as string[] | undefined) ?? [];
      const policies = lb.listeners.flatMap((li) => (li.policy ? [li.policy] : []));
      return {
        PolicyDescriptions: policies
          .filter((p) => wanted.length === 0 || wanted.includes(attachedPolicyName(p)))
          .map(policyDescription),
      };
    },
    'ElasticLoadBalancing:DescribeLoadBalancerAttributes': (input, region) => {
      const lb = byName(input, region);
      return {
        LoadBalancerAttributes: {
          AccessLog: lb.accessLog
            ? { Enabled: true, S3BucketName: 'example-elb-logs', EmitInterval: 60, S3BucketPrefix: lb.name }
            : { Enabled: false },
          ConnectionDraining: { Enabled: true, Timeout: 300 },
          CrossZoneLoadBalancing: { Enabled: true },
        },
      };
    },
  };
}
