import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { NagSuppressions } from 'cdk-nag';
import { memberRoleArn } from '../../lambdas/organization/contract';
import type { OrganizationConfig } from '../config';

/** The Sid of a hub collector role's one way into the accounts. */
export const ASSUME_MEMBER_ROLE_SID = 'AssumeMemberRoleInTheOrganization';

/**
 * Lets a hub collector role assume the member role, and only it, in any account of the configured
 * organization: `sts:AssumeRole` on `arn:<partition>:iam::*:role/<memberRoleName>` with `aws:ResourceOrgID`
 * pinned to the organization id, so a role of that name in an account outside the organization is refused.
 * The member role's own trust policy names this role (member-stack.ts): both sides must agree.
 */
export function grantAssumeMemberRole(role: iam.Role, organization: OrganizationConfig): void {
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: ASSUME_MEMBER_ROLE_SID,
      actions: ['sts:AssumeRole'],
      resources: [memberRoleArn(Aws.PARTITION, '*', organization.memberRoleName)],
      conditions: { StringEquals: { 'aws:ResourceOrgID': organization.id } },
    }),
  );
  NagSuppressions.addResourceSuppressions(
    role,
    [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'The in-scope accounts are listed at run time from the organization: the collector may assume only the member role, by name, in any account of the configured organization (aws:ResourceOrgID).',
        appliesTo: [`Resource::arn:<AWS::Partition>:iam::*:role/${organization.memberRoleName}`],
      },
    ],
    true,
  );
}
