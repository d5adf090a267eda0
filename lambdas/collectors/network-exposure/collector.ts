import {
  EC2Client,
  paginateDescribeNetworkInterfaces,
  paginateDescribeSecurityGroups,
  type NetworkInterface,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { errorEntry } from '../../aws/aws-error';
import { readRegions } from '../../readers/regions';
import { canonicalBytes } from '../../evidence/canonical-json';
import type { ErrorEntry, Finding, FindingStatus } from '../../evidence/envelope';
import type { RawSource } from '../../evidence/write-evidence';
import type { CollectorSettings } from '../../settings';
import type { Collector, GatherContext } from '../collector';
import {
  attachmentsByGroup,
  groupFacts,
  hasPorts,
  worldRule,
  type Attachment,
  type GroupFacts,
  type WorldRule,
} from './security-groups';
import { partitionOf } from '../../aws/arn';
import { NETWORK_EXPOSURE_IDENTITY, type NetworkExposureCheck } from './checks';

export interface NetworkExposureFacts {
  /** Every security group of every region that could be read. */
  readonly groups: readonly GroupFacts[];
}

/** How a world-open rule is judged, before looking at what it is attached to. */
export type RuleClass =
  | { readonly kind: 'admin'; readonly allPorts: boolean; readonly adminPorts: readonly number[] }
  | { readonly kind: 'web' }
  | { readonly kind: 'other' };

/** Attachments listed in one finding; the count is always complete. */
const MAX_LISTED_ATTACHMENTS = 25;

function coversAllPorts(rule: WorldRule): boolean {
  if (rule.protocol === 'all') return true;
  // A TCP/UDP rule without a port range would admit every port; AWS never returns one, but it must not pass.
  if (hasPorts(rule.protocol) && rule.fromPort === undefined) return true;
  return hasPorts(rule.protocol) && (rule.fromPort ?? 0) <= 0 && (rule.toPort ?? 65535) >= 65535;
}

/**
 * Admin and database ports, and all-ports rules, are the exposures an attacker scans for. A range counts
 * when it covers an admin port (20-30 covers 22). UDP counts too: RDP also listens on UDP 3389.
 */
export function classifyRule(
  rule: WorldRule,
  adminPorts: readonly number[],
  publicWebPorts: readonly number[],
): RuleClass {
  if (coversAllPorts(rule)) return { kind: 'admin', allPorts: true, adminPorts: [...adminPorts] };
  if (!hasPorts(rule.protocol) || rule.fromPort === undefined) return { kind: 'other' };
  const from = rule.fromPort;
  const to = rule.toPort ?? from;
  const covered = adminPorts.filter((p) => p >= from && p <= to);
  if (covered.length > 0) return { kind: 'admin', allPorts: false, adminPorts: covered };
  const web = new Set(publicWebPorts);
  const width = to - from + 1;
  if (width <= web.size) {
    let allWeb = true;
    for (let p = from; p <= to; p++) allWeb &&= web.has(p);
    if (allWeb) return { kind: 'web' };
  }
  return { kind: 'other' };
}

function portsLabel(rule: WorldRule): string {
  if (coversAllPorts(rule)) return 'all';
  if (rule.fromPort === undefined) return 'n/a';
  return rule.fromPort === rule.toPort ? String(rule.fromPort) : `${rule.fromPort}-${rule.toPort}`;
}

function groupArn(g: GroupFacts): string {
  return `arn:${partitionOf(g.region)}:ec2:${g.region}:${g.ownerId ?? ''}:security-group/${g.groupId}`;
}

function attachmentDetail(attachments: GroupFacts['attachments']): Record<string, unknown> {
  if (attachments === 'unknown') return { attachments: 'unknown' };
  return {
    attachmentCount: attachments.length,
    attachments: attachments.slice(0, MAX_LISTED_ATTACHMENTS),
    attachedTo: [...new Set(attachments.map((a) => a.kind))].sort(),
  };
}

function ruleDetail(rule: WorldRule): Record<string, unknown> {
  return {
    protocol: rule.protocol,
    ports: portsLabel(rule),
    sources: rule.sources,
    ...(rule.description ? { description: rule.description } : {}),
  };
}

function onlyLoadBalancers(attachments: readonly Attachment[]): boolean {
  return attachments.length > 0 && attachments.every((a) => a.kind === 'load-balancer');
}

export function assessNetworkExposure(
  facts: NetworkExposureFacts,
  settings: Pick<CollectorSettings, 'adminPorts' | 'publicWebPorts'>,
): { findings: Finding<NetworkExposureCheck>[]; figures: Record<string, number> } {
  const findings: Finding<NetworkExposureCheck>[] = [];
  const exposed = new Set<string>();
  let worldOpenRules = 0;
  let worldOpenGroups = 0;
  let unattached = 0;
  for (const g of facts.groups) {
    const base = {
      region: g.region,
      groupId: g.groupId,
      groupName: g.groupName,
      ...(g.vpcId ? { vpcId: g.vpcId } : {}),
    };
    if (g.worldRules.length === 0) {
      findings.push({
        resource: groupArn(g),
        check: 'no-world-ingress',
        status: 'PASS',
        detail: { ...base, inboundRules: g.inboundRules },
      });
      continue;
    }
    worldOpenGroups++;
    worldOpenRules += g.worldRules.length;
    const classes = g.worldRules.map((r) => ({
      rule: r,
      cls: classifyRule(r, settings.adminPorts, settings.publicWebPorts),
    }));
    if (g.attachments !== 'unknown' && g.attachments.length === 0) {
      unattached++;
      // Nothing is reachable through it today, but the first instance or database launched with it is exposed
      // at once: a latent FAIL (admin ports) is a WARN; anything else would at most be a WARN when attached,
      // so it is recorded without a judgement.
      const latentAdmin = classes.some((c) => c.cls.kind === 'admin');
      findings.push({
        resource: groupArn(g),
        check: 'unattached-group-open-to-world',
        status: latentAdmin ? 'WARN' : 'INFO',
        detail: {
          ...base,
          attachmentCount: 0,
          reason: latentAdmin
            ? 'not attached to anything, so not exposed now; opens admin ports to the world as soon as it is attached'
            : 'not attached to anything, so not exposed now',
          rules: classes.map((c) => ({ ...ruleDetail(c.rule), class: c.cls.kind })),
        },
      });
      continue;
    }
    if (g.attachments !== 'unknown') for (const a of g.attachments) exposed.add(a.networkInterfaceId);
    for (const { rule, cls } of classes) {
      let check: NetworkExposureCheck;
      let status: FindingStatus;
      const extra: Record<string, unknown> = {};
      if (cls.kind === 'admin') {
        check = 'admin-port-open-to-world';
        status = 'FAIL';
        extra.adminPortsExposed = cls.adminPorts;
        extra.allPorts = cls.allPorts;
      } else if (cls.kind === 'web') {
        check = 'web-port-open-to-world';
        const lbOnly = g.attachments !== 'unknown' && onlyLoadBalancers(g.attachments);
        status = lbOnly ? 'PASS' : 'WARN';
        if (!lbOnly)
          extra.reason =
            g.attachments === 'unknown'
              ? 'attachments could not be read, so a load balancer cannot be confirmed'
              : 'web ports are open to the world on something other than a load balancer';
      } else {
        check = 'port-open-to-world';
        status = 'WARN';
      }
      findings.push({
        resource: groupArn(g),
        check,
        status,
        detail: { ...base, rule: ruleDetail(rule), ...extra, ...attachmentDetail(g.attachments) },
      });
    }
  }
  return {
    findings,
    figures: {
      securityGroups: facts.groups.length,
      worldOpenGroups,
      worldOpenRules,
      exposedAttachments: exposed.size,
      unattachedWorldOpenGroups: unattached,
    },
  };
}

interface RegionRead {
  readonly groups: GroupFacts[];
  readonly raw: SecurityGroup[];
  readonly errors: ErrorEntry[];
}

async function readRegion(ctx: GatherContext, region: string): Promise<RegionRead> {
  const client = ctx.clients.get(EC2Client, region);
  const raw: SecurityGroup[] = [];
  for await (const page of paginateDescribeSecurityGroups({ client, pageSize: 1000 }, {})) {
    raw.push(...(page.SecurityGroups ?? []));
  }
  const errors: ErrorEntry[] = [];
  let attachments: Map<string, Attachment[]> | 'unknown' = new Map();
  // Interfaces only matter for world-open groups; a region without any is judged from its groups alone.
  if (raw.some((g) => (g.IpPermissions ?? []).some((p) => worldRule(p) !== undefined))) {
    try {
      const interfaces: NetworkInterface[] = [];
      for await (const page of paginateDescribeNetworkInterfaces({ client, pageSize: 1000 }, {})) {
        interfaces.push(...(page.NetworkInterfaces ?? []));
      }
      attachments = attachmentsByGroup(interfaces);
    } catch (err) {
      attachments = 'unknown';
      errors.push(errorEntry(err, region, 'ec2:DescribeNetworkInterfaces'));
    }
  }
  return { groups: raw.map((g) => groupFacts(region, g, attachments)), raw, errors };
}

export const networkExposure: Collector<NetworkExposureFacts, NetworkExposureCheck> = {
  ...NETWORK_EXPOSURE_IDENTITY,
  iamActions: ['ec2:DescribeSecurityGroups', 'ec2:DescribeNetworkInterfaces'],
  policy: (settings) => ({
    adminPorts: [...settings.adminPorts],
    publicWebPorts: [...settings.publicWebPorts],
    worldSources: ['0.0.0.0/0', '::/0'],
    adminPortsOpenToWorld: 'FAIL',
    webPortsOpenToWorldOnLoadBalancer: 'PASS',
    otherPortsOpenToWorld: 'WARN',
    unattachedWorldOpenGroup: 'WARN with admin ports, otherwise INFO',
  }),

  async gather(ctx) {
    const { results, errors } = await readRegions(ctx.settings.regions, 'ec2:DescribeSecurityGroups', (r) =>
      readRegion(ctx, r),
    );
    const groups: GroupFacts[] = [];
    const raw: Record<string, SecurityGroup[]> = {};
    const allErrors: ErrorEntry[] = [...errors];
    for (const { region, value } of results) {
      if (!value) continue;
      groups.push(...value.groups);
      raw[region] = value.raw;
      allErrors.push(...value.errors);
    }
    const sources: RawSource[] =
      Object.keys(raw).length > 0
        ? [
            {
              name: 'security-groups.json',
              api: 'ec2:DescribeSecurityGroups',
              contentType: 'application/json',
              body: canonicalBytes({ generatedAt: ctx.now.toISOString(), securityGroupsByRegion: raw }),
              generatedAt: ctx.now.toISOString(),
            },
          ]
        : [];
    return { facts: { groups }, sources, errors: allErrors };
  },

  assess: (facts, settings) => assessNetworkExposure(facts, settings),
};
