import type { IpPermission, NetworkInterface, SecurityGroup } from '@aws-sdk/client-ec2';

/** What a world-open inbound rule allows. `fromPort`/`toPort` are absent when the rule covers every port
 * (protocol `-1`) or the protocol has no ports (ICMP type/code and other IP protocols are not ports). */
export interface WorldRule {
  /** `tcp`, `udp`, `icmp`, `icmpv6`, `all`, or an IP protocol number as AWS returns it. */
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  /** The world-open sources of this rule: `0.0.0.0/0` and/or `::/0`. */
  readonly sources: readonly string[];
  readonly description?: string;
}

export type AttachmentKind = 'instance' | 'load-balancer' | 'database' | 'other';

export interface Attachment {
  readonly networkInterfaceId: string;
  readonly kind: AttachmentKind;
  readonly interfaceType?: string;
  readonly instanceId?: string;
  readonly description?: string;
  /** Whether the interface has a public IPv4 address (the address itself is not kept). */
  readonly publicIp: boolean;
}

export interface GroupFacts {
  readonly region: string;
  readonly groupId: string;
  readonly groupName: string;
  readonly ownerId?: string;
  readonly vpcId?: string;
  /** Every inbound rule entry counted once per permission (a permission with several sources is one). */
  readonly inboundRules: number;
  readonly worldRules: readonly WorldRule[];
  /** `unknown` when the network interfaces of the region could not be read. */
  readonly attachments: readonly Attachment[] | 'unknown';
}

const PROTOCOL_NAMES: Readonly<Record<string, string>> = {
  '-1': 'all',
  '6': 'tcp',
  '17': 'udp',
  '1': 'icmp',
  '58': 'icmpv6',
};

function protocolName(raw: string | undefined): string {
  const p = (raw ?? '-1').toLowerCase();
  return PROTOCOL_NAMES[p] ?? p;
}

/** Only TCP and UDP rules describe ports; for ICMP FromPort/ToPort are the ICMP type and code. */
export function hasPorts(protocol: string): boolean {
  return protocol === 'tcp' || protocol === 'udp';
}

/** Any address at all: a /0 prefix, however the address part is written (0.0.0.0/0, ::/0, ::0/0). */
export function isWorld(cidr: string | undefined): boolean {
  return typeof cidr === 'string' && /\/0$/.test(cidr.trim());
}

/**
 * The inbound rule's world-open sources, if any. Rules that reference another security group
 * (UserIdGroupPairs) or a managed prefix list admit only those members, so they are never world-open.
 */
export function worldRule(permission: IpPermission): WorldRule | undefined {
  const sources = [
    ...(permission.IpRanges ?? []).map((r) => r.CidrIp).filter(isWorld),
    ...(permission.Ipv6Ranges ?? []).map((r) => r.CidrIpv6).filter(isWorld),
  ] as string[];
  if (sources.length === 0) return undefined;
  const protocol = protocolName(permission.IpProtocol);
  const description = [
    ...(permission.IpRanges ?? []).filter((r) => isWorld(r.CidrIp)).map((r) => r.Description),
    ...(permission.Ipv6Ranges ?? []).filter((r) => isWorld(r.CidrIpv6)).map((r) => r.Description),
  ].find((d): d is string => typeof d === 'string' && d.length > 0);
  const ports =
    hasPorts(protocol) && typeof permission.FromPort === 'number' && permission.FromPort >= 0
      ? { fromPort: permission.FromPort, toPort: permission.ToPort ?? permission.FromPort }
      : {};
  return {
    protocol,
    ...ports,
    sources: [...new Set(sources)].sort(),
    ...(description ? { description } : {}),
  };
}

/**
 * What an interface is attached to. Load balancers' interfaces are owned by ELB (type
 * `network_load_balancer`, or an `ELB app/...`, `ELB net/...` or `ELB <name>` description for ALB and
 * Classic); RDS (and Aurora, DocumentDB, Neptune) interfaces are requested by `amazon-rds`.
 */
export function classifyInterface(eni: NetworkInterface): Attachment {
  const description = eni.Description ?? '';
  const interfaceType = eni.InterfaceType;
  const instanceId = eni.Attachment?.InstanceId;
  let kind: AttachmentKind = 'other';
  if (interfaceType === 'network_load_balancer' || description.startsWith('ELB ')) kind = 'load-balancer';
  else if (eni.RequesterId === 'amazon-rds' || description === 'RDSNetworkInterface') kind = 'database';
  else if (instanceId) kind = 'instance';
  return {
    networkInterfaceId: eni.NetworkInterfaceId ?? 'unknown',
    kind,
    ...(interfaceType ? { interfaceType } : {}),
    ...(instanceId ? { instanceId } : {}),
    ...(description ? { description } : {}),
    publicIp: Boolean(eni.Association?.PublicIp),
  };
}

/** Indexes every interface of a region by the security groups it carries. */
export function attachmentsByGroup(interfaces: readonly NetworkInterface[]): Map<string, Attachment[]> {
  const byGroup = new Map<string, Attachment[]>();
  for (const eni of interfaces) {
    const attachment = classifyInterface(eni);
    for (const g of eni.Groups ?? []) {
      if (!g.GroupId) continue;
      const list = byGroup.get(g.GroupId) ?? [];
      list.push(attachment);
      byGroup.set(g.GroupId, list);
    }
  }
  return byGroup;
}

export function groupFacts(
  region: string,
  group: SecurityGroup,
  attachments: Map<string, Attachment[]> | 'unknown',
): GroupFacts {
  const groupId = group.GroupId ?? 'unknown';
  const worldRules = (group.IpPermissions ?? [])
    .map(worldRule)
    .filter((r): r is WorldRule => r !== undefined);
  return {
    region,
    groupId,
    groupName: group.GroupName ?? '',
    ...(group.OwnerId ? { ownerId: group.OwnerId } : {}),
    ...(group.VpcId ? { vpcId: group.VpcId } : {}),
    inboundRules: (group.IpPermissions ?? []).length,
    worldRules,
    attachments: attachments === 'unknown' ? 'unknown' : (attachments.get(groupId) ?? []),
  };
}
