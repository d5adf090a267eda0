import type { AttachedPolicy, PolicyDetail } from '@aws-sdk/client-iam';
import {
  analysePolicy,
  awsManagedVerdict,
  tolerantPolicyParser,
  trustedBy,
  type Json,
} from '../../iam-policy/analysis';
import type { AuthorizationDetails } from '../../iam-policy/authorization-details';
import {
  awsManagedDocument,
  heldPaths,
  labelled,
  trustedServices,
  type HeldPath,
  type HeldStatement,
} from '../../iam-policy/escalation';

export type PrincipalKind = 'user' | 'group' | 'role';
export type PolicyType = 'aws-managed' | 'customer-managed' | 'inline';

/** A policy a principal holds, and how it holds it. */
export interface HeldPolicy {
  readonly name: string;
  readonly type: PolicyType;
  /** Managed policies only. */
  readonly arn?: string;
  /** `directly`, or `via group <name>`. */
  readonly attached: string;
}

/** A policy that makes its holder admin-equivalent, and why (the actions on the resources). */
export interface AdminGrant extends HeldPolicy {
  readonly reason: string;
}

export interface RoleTrust {
  /** AWS services the trust policy lets assume the role (`lambda.amazonaws.com`). */
  readonly services: readonly string[];
  /** People and other accounts, as the access review names them (`federated:<provider>`, `account:<id>`,
   * `account:self`, `principal:<arn>`). */
  readonly people: readonly string[];
}

export interface PrincipalPrivilege {
  readonly kind: PrincipalKind;
  readonly name: string;
  readonly arn: string;
  readonly path: string;
  /** Users: the groups they are in. */
  readonly groups?: readonly { readonly name: string; readonly arn: string }[];
  /** Groups: their members' user names. */
  readonly members?: readonly string[];
  /** Roles: who can assume them. */
  readonly trust?: RoleTrust;
  /** A service-linked role (path /aws-service-role/): AWS owns its permissions and its trust. */
  readonly serviceLinked: boolean;
  /** The permissions boundary's ARN, when one is set (recorded, not weighed). */
  readonly permissionsBoundary?: string;
  /** The policies that make it admin-equivalent; empty when it is not. */
  readonly admin: readonly AdminGrant[];
  /** Escalation paths it holds; judged only for principals that are not admin-equivalent. */
  readonly escalation: readonly HeldPath[];
}

/** A customer managed or inline policy behind a finding, decoded, for the evidence. */
export interface PolicyEvidence {
  readonly policy: string;
  readonly type: PolicyType;
  readonly arn?: string;
  /** Inline policies: the principal that holds it. */
  readonly owner?: string;
  readonly document: Json;
}

export interface PrivilegeAnalysis {
  readonly account: string;
  readonly examined: {
    readonly users: number;
    readonly groups: number;
    readonly roles: number;
    readonly customerManagedPolicies: number;
  };
  /** Principals holding admin-equivalent permissions or an escalation path, by kind then name. */
  readonly principals: readonly PrincipalPrivilege[];
  /** The customer managed and inline policies named by those principals' findings. */
  readonly policies: readonly PolicyEvidence[];
  /** Policy documents that would not parse, naming the policy; each becomes an error entry. */
  readonly problems: readonly string[];
}

/** A policy held by a principal, with its document when there is one to judge. */
interface Holding extends HeldPolicy {
  /** `policy (attached)`, as escalation grants name it. */
  readonly label: string;
  readonly doc?: Json;
  readonly admin?: string;
  readonly evidence?: PolicyEvidence;
}

const SERVICE_LINKED_PATH = '/aws-service-role/';
const kindOrder: Record<PrincipalKind, number> = { user: 0, group: 1, role: 2 };

/** Pure: who holds admin-equivalent permissions or an escalation path, from the authorization details. */
export function analysePrivilege(details: AuthorizationDetails, account: string): PrivilegeAnalysis {
  const problems: string[] = [];
  const parse = tolerantPolicyParser(problems);

  const customer = new Map<string, { name: string; doc?: Json }>();
  for (const p of details.policies) {
    if (!p.Arn) continue;
    const raw = p.PolicyVersionList?.find((v) => v.IsDefaultVersion)?.Document;
    const doc = parse(raw, `managed policy ${p.PolicyName ?? '?'} (${p.Arn})`);
    customer.set(p.Arn, { name: p.PolicyName ?? p.Arn, ...(doc ? { doc } : {}) });
  }

  const holding = (
    base: HeldPolicy,
    doc: Json | undefined,
    admin: string | undefined,
    owner?: string,
  ): Holding => {
    const label = `${base.type} ${base.name} (${base.attached})`;
    const evidence: PolicyEvidence | undefined =
      doc && base.type !== 'aws-managed'
        ? {
            policy: base.name,
            type: base.type,
            ...(base.arn ? { arn: base.arn } : {}),
            ...(owner ? { owner } : {}),
            document: doc,
          }
        : undefined;
    return {
      ...base,
      label,
      ...(doc ? { doc } : {}),
      ...(admin ? { admin } : {}),
      ...(evidence ? { evidence } : {}),
    };
  };
  const managed = (ps: readonly AttachedPolicy[] | undefined, attached: string): Holding[] =>
    (ps ?? []).map((p) => {
      const arn = p.PolicyArn ?? '';
      const aws = awsManagedVerdict(arn);
      if (aws) {
        const base = { name: p.PolicyName ?? arn, type: 'aws-managed' as const, arn, attached };
        return holding(base, awsManagedDocument(arn), aws.admin ? aws.reason : undefined);
      }
      const known = customer.get(arn);
      const doc = known?.doc;
      const base = {
        name: p.PolicyName ?? known?.name ?? arn,
        type: 'customer-managed' as const,
        arn,
        attached,
      };
      return holding(base, doc, doc ? adminReason(doc) : undefined);
    });
  const inline = (ps: readonly PolicyDetail[] | undefined, attached: string, owner: string): Holding[] =>
    (ps ?? []).map((p) => {
      const name = p.PolicyName ?? '?';
      const doc = parse(p.PolicyDocument, `inline policy ${name} of ${owner}`);
      return holding({ name, type: 'inline', attached }, doc, doc ? adminReason(doc) : undefined, owner);
    });

  const members = new Map<string, string[]>();
  for (const u of details.users)
    for (const g of u.GroupList ?? []) members.set(g, [...(members.get(g) ?? []), u.UserName ?? '?']);

  const groupArns = new Map<string, string>();
  const groupHoldings = new Map<string, Holding[]>();
  interface Draft {
    readonly base: Omit<PrincipalPrivilege, 'admin' | 'escalation'>;
    readonly holdings: readonly Holding[];
    readonly self: readonly string[];
    readonly username?: string;
  }
  const drafts: Draft[] = [];
  const managedArns = (hs: readonly Holding[]) => hs.flatMap((h) => (h.arn ? [h.arn] : []));

  for (const g of details.groups) {
    const name = g.GroupName ?? '?';
    const arn = g.Arn ?? '';
    groupArns.set(name, arn);
    const hs = [
      ...managed(g.AttachedManagedPolicies, 'directly'),
      ...inline(g.GroupPolicyList, 'directly', `group ${name}`),
    ];
    const via = `via group ${name}`;
    groupHoldings.set(
      name,
      hs.map((h) => ({ ...h, attached: via, label: `${h.type} ${h.name} (${via})` })),
    );
    drafts.push({
      base: {
        kind: 'group',
        name,
        arn,
        path: g.Path ?? '/',
        members: [...(members.get(name) ?? [])].sort(),
        serviceLinked: false,
      },
      holdings: hs,
      self: [arn, ...managedArns(hs)],
    });
  }

  for (const u of details.users) {
    const name = u.UserName ?? '?';
    const arn = u.Arn ?? '';
    const groupNames = [...(u.GroupList ?? [])].sort();
    const hs = [
      ...managed(u.AttachedManagedPolicies, 'directly'),
      ...inline(u.UserPolicyList, 'directly', `user ${name}`),
      ...groupNames.flatMap((g) => groupHoldings.get(g) ?? []),
    ];
    const groups = groupNames.map((g) => ({ name: g, arn: groupArns.get(g) ?? '' }));
    drafts.push({
      base: {
        kind: 'user',
        name,
        arn,
        path: u.Path ?? '/',
        groups,
        serviceLinked: false,
        ...(u.PermissionsBoundary?.PermissionsBoundaryArn
          ? { permissionsBoundary: u.PermissionsBoundary.PermissionsBoundaryArn }
          : {}),
      },
      holdings: hs,
      self: [arn, ...groups.map((g) => g.arn), ...managedArns(hs)],
      username: name,
    });
  }

  for (const r of details.roles) {
    const name = r.RoleName ?? '?';
    const arn = r.Arn ?? '';
    const path = r.Path ?? '/';
    const trustDoc = parse(r.AssumeRolePolicyDocument, `trust policy of role ${name}`);
    const hs = [
      ...managed(r.AttachedManagedPolicies, 'directly'),
      ...inline(r.RolePolicyList, 'directly', `role ${name}`),
    ];
    drafts.push({
      base: {
        kind: 'role',
        name,
        arn,
        path,
        trust: trustDoc
          ? { services: trustedServices(trustDoc), people: trustedBy(trustDoc, account) }
          : { services: [], people: [] },
        serviceLinked: path.startsWith(SERVICE_LINKED_PATH),
        ...(r.PermissionsBoundary?.PermissionsBoundaryArn
          ? { permissionsBoundary: r.PermissionsBoundary.PermissionsBoundaryArn }
          : {}),
      },
      holdings: hs,
      self: [arn, ...managedArns(hs)],
    });
  }

  // Admin-equivalence first: taking over an admin principal (passing its role, keying its user) is a path.
  const adminOf = (d: Draft): AdminGrant[] =>
    d.holdings.flatMap((h) =>
      h.admin
        ? [
            {
              name: h.name,
              type: h.type,
              ...(h.arn ? { arn: h.arn } : {}),
              attached: h.attached,
              reason: h.admin,
            },
          ]
        : [],
    );
  const admins = drafts.filter((d) => adminOf(d).length > 0).map((d) => d.base.arn);

  const principals: PrincipalPrivilege[] = [];
  const evidence = new Map<string, PolicyEvidence>();
  const keep = (h: Holding) => {
    if (h.evidence) evidence.set(`${h.evidence.arn ?? ''}|${h.evidence.owner ?? ''}|${h.name}`, h.evidence);
  };
  for (const d of drafts) {
    const admin = adminOf(d);
    let escalation: HeldPath[] = [];
    if (admin.length === 0) {
      const allows: HeldStatement[] = [];
      const denies: HeldStatement[] = [];
      for (const h of d.holdings) {
        if (!h.doc) continue;
        const s = labelled(h.doc, h.label);
        allows.push(...s.allows);
        denies.push(...s.denies);
      }
      escalation = heldPaths(allows, denies, {
        self: d.self,
        admins,
        ...(d.username ? { username: d.username } : {}),
      });
    }
    if (admin.length === 0 && escalation.length === 0) continue;
    const named = new Set(escalation.flatMap((p) => p.actions.flatMap((a) => a.grantedBy)));
    for (const h of d.holdings) if (h.admin || named.has(h.label)) keep(h);
    principals.push({ ...d.base, admin, escalation });
  }
  principals.sort((a, b) => kindOrder[a.kind] - kindOrder[b.kind] || a.name.localeCompare(b.name));

  return {
    account,
    examined: {
      users: details.users.length,
      groups: details.groups.length,
      roles: details.roles.length,
      customerManagedPolicies: details.policies.length,
    },
    principals,
    policies: [...evidence.values()].sort((a, b) =>
      `${a.owner ?? ''}${a.policy}`.localeCompare(`${b.owner ?? ''}${b.policy}`),
    ),
    problems,
  };
}

function adminReason(doc: Json): string | undefined {
  const v = analysePolicy(doc);
  return v.admin ? v.reason : undefined;
}
