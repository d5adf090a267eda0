/**
 * iam-privilege: who holds administrator-equivalent permissions or a privilege-escalation path, judged
 * daily against the configured approved administrators.
 *
 * Why a collector of its own rather than a check in iam-mfa: it is one read of GetAccountAuthorizationDetails
 * (users, groups, roles and customer managed policies, with every policy document), while iam-mfa judges
 * the credential report and the MFA devices. Kept apart, each envelope holds only the evidence its checks
 * judge, each function's role grants only the IAM actions it calls, and a failure to read one never hides
 * the other's findings. The analysis is the access review's (lambdas/iam-policy/): the quarterly review
 * lists admins for a person to judge; this collector judges them every day.
 *
 * Approval: a principal is approved when its ARN is in `approvedAdministrators`; a user is also approved
 * when one of its groups is listed. Approving a group approves its members because membership is what
 * grants a group's permissions: listing the Admins group says "whoever is in Admins may be an
 * administrator", and the membership itself is then what access reviews and change control govern.
 * Roles are approved only by their own ARN (a role has no members; who may assume it is recorded as its
 * trust, for the reader to weigh).
 */
import { errorEntry, withApi } from '../../aws/aws-error';
import { canonicalJson } from '../../evidence/canonical-json';
import type { ErrorEntry, Finding, FindingStatus } from '../../evidence/envelope';
import type { RawSource } from '../../evidence/write-evidence';
import {
  gatherAuthorizationDetails,
  problemEntries,
  type AuthorizationDetails,
} from '../../iam-policy/authorization-details';
import { ESCALATION_PATHS } from '../../iam-policy/escalation';
import type { CollectorSettings } from '../../settings';
import type { Collector } from '../collector';
import { IAM_PRIVILEGE_IDENTITY, type IamPrivilegeCheck } from './checks';
import { analysePrivilege, type PrincipalPrivilege, type PrivilegeAnalysis } from './privilege';

export interface IamPrivilegeFacts {
  /** Undefined when the authorization details could not be read: nothing is judged. */
  readonly analysis?: PrivilegeAnalysis;
}

const AUTH_API = 'iam:GetAccountAuthorizationDetails';
export const ANALYSIS_SOURCE = 'privilege-analysis.json';

/** How a principal is approved: its own ARN, or (users) a listed group's. Undefined when it is not. */
export function approvalOf(p: PrincipalPrivilege, approved: ReadonlySet<string>): string | undefined {
  if (approved.has(p.arn)) return p.arn;
  return p.groups?.find((g) => approved.has(g.arn))?.arn;
}

function judge(
  p: PrincipalPrivilege,
  approvedAs: string | undefined,
): { status: FindingStatus; reason: string } {
  const holds = p.admin.length > 0 ? 'administrator-equivalent permissions' : 'a privilege-escalation path';
  if (p.serviceLinked)
    return {
      status: 'INFO',
      reason: `a service-linked role holds ${holds}: AWS defines its permissions and only its service can assume it`,
    };
  if (approvedAs)
    return {
      status: 'PASS',
      reason: `holds ${holds} and is an approved administrator${approvedAs === p.arn ? '' : ` through ${approvedAs}`}`,
    };
  if (p.kind === 'group' && (p.members ?? []).length === 0)
    return {
      status: 'WARN',
      reason: `the group grants ${holds} but has no members; anyone added would hold them unapproved`,
    };
  return { status: 'FAIL', reason: `holds ${holds} and is not in approvedAdministrators` };
}

/** The who-is-it part of a finding's detail. */
function who(p: PrincipalPrivilege): Record<string, unknown> {
  return {
    kind: p.kind,
    name: p.name,
    path: p.path,
    ...(p.groups ? { groups: p.groups.map((g) => g.name) } : {}),
    ...(p.members ? { members: p.members } : {}),
    ...(p.trust
      ? {
          trust: {
            ...p.trust,
            assumableBy:
              p.trust.people.length > 0
                ? 'people or other accounts'
                : p.trust.services.length > 0
                  ? 'AWS services only'
                  : 'nobody named',
          },
        }
      : {}),
    ...(p.permissionsBoundary ? { permissionsBoundary: p.permissionsBoundary, boundaryWeighed: false } : {}),
  };
}

export function assessPrivilege(
  analysis: PrivilegeAnalysis,
  settings: Pick<CollectorSettings, 'approvedAdministrators'>,
): { findings: Finding<IamPrivilegeCheck>[]; figures: Record<string, number> } {
  const approved = new Set(settings.approvedAdministrators);
  const findings: Finding<IamPrivilegeCheck>[] = [];
  for (const p of analysis.principals) {
    const approvedAs = approvalOf(p, approved);
    const { status, reason } = judge(p, approvedAs);
    const approval = { approved: approvedAs !== undefined, ...(approvedAs ? { approvedAs } : {}) };
    if (p.admin.length > 0)
      findings.push({
        resource: p.arn,
        check: 'admin-privileges',
        status,
        detail: {
          ...who(p),
          policies: p.admin.map((a) => ({
            policy: a.name,
            type: a.type,
            ...(a.arn ? { arn: a.arn } : {}),
            attached: a.attached,
            grants: a.reason,
          })),
          ...approval,
          reason,
        },
      });
    else
      findings.push({
        resource: p.arn,
        check: 'privilege-escalation',
        status,
        detail: {
          ...who(p),
          paths: p.escalation,
          policies: [...new Set(p.escalation.flatMap((e) => e.actions.flatMap((a) => a.grantedBy)))].sort(),
          ...approval,
          reason,
        },
      });
  }
  const count = (check: IamPrivilegeCheck, status?: FindingStatus) =>
    findings.filter((f) => f.check === check && (!status || f.status === status)).length;
  const arns = new Set(analysis.principals.flatMap((p) => [p.arn, ...(p.groups ?? []).map((g) => g.arn)]));
  return {
    findings,
    figures: {
      usersExamined: analysis.examined.users,
      groupsExamined: analysis.examined.groups,
      rolesExamined: analysis.examined.roles,
      customerManagedPoliciesExamined: analysis.examined.customerManagedPolicies,
      adminPrincipals: count('admin-privileges'),
      adminUnapproved: count('admin-privileges', 'FAIL'),
      escalationPrincipals: count('privilege-escalation'),
      escalationUnapproved: count('privilege-escalation', 'FAIL'),
      approvedAdministrators: approved.size,
      // A listed ARN that holds nothing flagged (or no longer exists): worth pruning from the list.
      approvalsUnused: [...approved].filter((a) => !arns.has(a)).length,
    },
  };
}

export const iamPrivilege: Collector<IamPrivilegeFacts, IamPrivilegeCheck> = {
  ...IAM_PRIVILEGE_IDENTITY,
  iamActions: [AUTH_API],
  policy: (settings) => ({
    approvedAdministrators: [...settings.approvedAdministrators],
    approvalByGroup: 'a user is approved when its own ARN or the ARN of a group it is in is listed',
    adminEquivalent:
      'arn:aws:iam::aws:policy/AdministratorAccess; an Allow of Action "*" (or "*:*") on Resource "*"; NotAction on Resource "*" that still allows IAM policy writes; Action "*" with NotResource that does not exclude IAM',
    escalationPaths: Object.fromEntries(ESCALATION_PATHS.map((p) => [p.id, p.actions.join(' + ')])),
    resources:
      'a grant counts on "*", NotResource, or every resource of the service; IAM policy writes also on the principal itself or a policy it holds; iam:PassRole and credential or trust actions also on an admin principal; creating compute on any resource',
    conditions:
      'Allow conditions are not weighed (escalation grants record them as conditional); for escalation a Deny removes an action only when unconditional and on every resource; a Deny does not lower an admin verdict (as in the access review)',
    awsManagedPolicies:
      'not fetched; known by name: AdministratorAccess (admin), IAMFullAccess, PowerUserAccess and AWSLambda_FullAccess (their escalating statements)',
    permissionsBoundaries: 'recorded, not weighed',
    serviceLinkedRoles: 'path /aws-service-role/: INFO',
  }),

  async gather(ctx) {
    const errors: ErrorEntry[] = [];
    let details: AuthorizationDetails;
    try {
      details = await withApi(AUTH_API, () => gatherAuthorizationDetails(ctx));
    } catch (err) {
      return { facts: {}, sources: [], errors: [errorEntry(err, 'global', AUTH_API)] };
    }
    // Any ARN of the account names it; the trust analysis needs it to tell other accounts from this one.
    const anyArn = [...details.users, ...details.roles, ...details.groups].find((d) => d.Arn)?.Arn;
    const analysis = analysePrivilege(details, anyArn?.split(':')[4] ?? 'unknown');
    errors.push(...problemEntries(analysis.problems));
    // The full details (every principal and document) are large in a big account and read daily: the
    // evidence keeps the principals behind findings, the decoded policies that put them there, and counts.
    const sources: RawSource[] = [
      {
        name: ANALYSIS_SOURCE,
        api: AUTH_API,
        contentType: 'application/json',
        body: Buffer.from(canonicalJson(analysis), 'utf8'),
      },
    ];
    return { facts: { analysis }, sources, errors };
  },

  assess(facts, settings) {
    if (!facts.analysis) return { findings: [], figures: {} };
    return assessPrivilege(facts.analysis, settings);
  },
};
