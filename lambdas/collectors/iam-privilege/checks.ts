import type { CollectorIdentity } from '../collector';
import { defineChecks } from '../check-catalogue';

/** The checks of `iam-privilege`, in the order of its `checks` list. */
export const IAM_PRIVILEGE_CHECKS = defineChecks({
  'admin-privileges': {
    title: 'Only approved administrators hold administrator-equivalent permissions',
    description:
      "One finding per IAM user, group and role holding administrator-equivalent permissions: the AWS managed AdministratorAccess policy, or a customer managed or inline policy allowing Action `*` on Resource `*`, NotAction on Resource `*` that still allows IAM policy writes, or Action `*` with a NotResource that leaves IAM in reach (the access review's rules), whether attached directly or through a group. It names the policies, how each is attached and the grant that makes it admin. It PASSes when the principal is in `approvedAdministrators` (a user also through a listed group) and FAILs otherwise; a group with no members WARNs, since nobody holds its permissions until someone is added. A service-linked role is INFO: AWS owns its permissions and only its service can assume it. Every administrator is a principal whose compromise or mistake reaches the whole account, so auditors expect the list of who holds that power to be short, deliberate and approved.",
    criteria: ['CC6.1', 'CC6.3'],
    severity: 'high',
    remediation:
      'Detach the policy (`aws iam detach-user-policy --user-name NAME --policy-arn ARN`, or detach-group-policy, detach-role-policy, remove-user-from-group, delete-user-policy) or, when the access is intended, add the principal or its group to approvedAdministrators.',
  },
  'privilege-escalation': {
    title: 'Only approved administrators hold privilege-escalation paths',
    description:
      "One finding per IAM user, group and role that is not administrator-equivalent but holds a known privilege-escalation path (Rhino Security Labs' methods and Prowler's pass-a-role combinations: writing or attaching its own policies, new policy versions, keys or passwords for admin users, iam:PassRole with Lambda, EC2, CloudFormation, Glue, CodeBuild, ECS and others), across all the policies it holds, directly or through a group. It names each path, the actions, and the policies granting them. Grants count on every resource, on the principal itself for policy writes, on an admin principal for PassRole and credential actions, and on any resource for creating compute; an unconditional Deny on every resource removes an action. It PASSes when the principal is in `approvedAdministrators` and FAILs otherwise; a group with no members WARNs; a service-linked role is INFO. An escalation path is administrator access one step removed, so it needs the same approval.",
    criteria: ['CC6.1', 'CC6.3'],
    severity: 'high',
    remediation:
      'Narrow the policy: scope iam:PassRole to the roles the workload needs (with an iam:PassedToService condition) and remove IAM write actions on other principals (`aws iam create-policy-version --policy-arn ARN --policy-document file://narrowed.json --set-as-default`), or approve the principal in approvedAdministrators.',
  },
});

export type IamPrivilegeCheck = keyof typeof IAM_PRIVILEGE_CHECKS;

/** What `iam-privilege` is: its id, title, criteria, schedule class and checks; collector.ts adds how it reads AWS. */
export const IAM_PRIVILEGE_IDENTITY: CollectorIdentity<IamPrivilegeCheck> = {
  id: 'iam-privilege',
  title: 'IAM privilege: administrator-equivalent and privilege-escalating permissions, and who holds them',
  controls: ['CC6.1', 'CC6.3'],
  scope: 'global',
  frequency: 'daily',
  checks: IAM_PRIVILEGE_CHECKS,
};
