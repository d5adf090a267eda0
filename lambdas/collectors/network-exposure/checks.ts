import type { CollectorIdentity } from '../collector';
import { defineChecks } from '../check-catalogue';

/** The checks of `network-exposure`, in the order of its `checks` list. */
export const NETWORK_EXPOSURE_CHECKS = defineChecks({
  'no-world-ingress': {
    title: 'Security group admits no traffic from the internet',
    description:
      'A PASS for every security group, in every configured region, with no inbound rule open to the whole internet (0.0.0.0/0 or ::/0). Rules whose source is another security group or a managed prefix list admit only those members and are not counted as open. It never fails: a group with a world-open rule gets the findings of the other checks instead. Together with them it shows auditors that every security group was examined, not only the exposed ones.',
    criteria: ['CC6.1', 'CC6.6'],
    severity: 'info',
    remediation: 'Nothing to do.',
  },
  'unattached-group-open-to-world': {
    title: 'Unused security groups are not open to the internet',
    description:
      'One finding per security group that has world-open inbound rules but is attached to no network interface, so nothing is reachable through it today. It WARNs when one of those rules opens an admin or database port (the `adminPorts` setting, default 22, 3389, 3306, 5432, 1433, 27017, 6379 and 9200) or all ports, because the first instance or database launched with the group is exposed at once; otherwise it is INFO. Unused open groups are a latent exposure that is easy to reuse by mistake.',
    criteria: ['CC6.6'],
    severity: 'low',
    remediation:
      'Delete the group if it is not needed (`aws ec2 delete-security-group --group-id ID`), or remove the world-open rules with `aws ec2 revoke-security-group-ingress`.',
  },
  'admin-port-open-to-world': {
    title: 'Admin and database ports are not open to the internet',
    description:
      'One FAIL per world-open inbound rule (0.0.0.0/0 or ::/0) of an attached security group, or one whose attachments could not be read, that covers an admin or database port from the `adminPorts` setting (default 22, 3389, 3306, 5432, 1433, 27017, 6379 and 9200) or every port. A port range counts when it includes such a port, and UDP counts as well as TCP. These ports (SSH, RDP, databases, caches, search clusters) are what attackers scan the internet for, so exposing them to everyone is among the most common ways into an account.',
    criteria: ['CC6.1', 'CC6.6'],
    severity: 'high',
    remediation:
      'Replace the 0.0.0.0/0 or ::/0 source with the specific addresses or security groups that need access (`aws ec2 revoke-security-group-ingress`), and use Session Manager or a VPN instead of opening SSH or RDP.',
  },
  'web-port-open-to-world': {
    title: 'Web ports are open to the internet only on load balancers',
    description:
      'One finding per world-open inbound rule of an attached security group that opens only web ports (the `publicWebPorts` setting, default 80 and 443). It PASSes when every network interface carrying the group belongs to a load balancer, and WARNs when the group is on anything else, such as an instance directly, or when its attachments could not be read. Serving the web through a load balancer keeps instances off the internet and puts TLS, logging and web filtering in one place.',
    criteria: ['CC6.6'],
    severity: 'medium',
    remediation:
      "Put the service behind a load balancer and let the instance security group admit only the load balancer's group; otherwise restrict the rule to the addresses that need it.",
  },
  'port-open-to-world': {
    title: 'Other ports are not open to the internet',
    description:
      'A WARN for every other world-open inbound rule of an attached security group, or one whose attachments could not be read: ports that are neither admin nor web ports, and protocols without ports such as ICMP. Each may be intended, but everything reachable from the whole internet is attack surface that someone should be able to justify.',
    criteria: ['CC6.6'],
    severity: 'medium',
    remediation:
      'Confirm the exposure is intended and document why; otherwise narrow the source to known addresses or security groups with `aws ec2 revoke-security-group-ingress` and a new, narrower rule.',
  },
});

export type NetworkExposureCheck = keyof typeof NETWORK_EXPOSURE_CHECKS;

/** What `network-exposure` is: its id, title, criteria, schedule class and checks; collector.ts adds how it reads AWS. */
export const NETWORK_EXPOSURE_IDENTITY: CollectorIdentity<NetworkExposureCheck> = {
  id: 'network-exposure',
  title: 'Security group rules open to the internet',
  controls: ['CC6.1', 'CC6.6'],
  scope: 'regional',
  frequency: 'weekly',
  checks: NETWORK_EXPOSURE_CHECKS,
};
