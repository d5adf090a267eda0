import { Aws, Stack } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import { Construct } from 'constructs';
import type { OrganizationConfig } from '../config';
import { HUB_ACCOUNT_PARAMETER } from './member-stack';

export interface MemberStackSetProps {
  readonly organization: OrganizationConfig;
  /** The member stack's template (memberTemplate): the StackSet deploys exactly it. */
  readonly template: Record<string, unknown>;
}

/**
 * CloudFormation StackSets' operation preferences for the member role: a quarter of the accounts at once, and
 * an operation that keeps going while at most a tenth of them fail (SOFT_FAILURE_TOLERANCE: concurrency is
 * not cut down to the failure tolerance). Auto-deployment to a new account ignores them.
 */
export const MEMBER_STACK_SET_OPERATION = {
  concurrencyMode: 'SOFT_FAILURE_TOLERANCE',
  failureTolerancePercentage: 10,
  maxConcurrentPercentage: 25,
  regionConcurrencyType: 'PARALLEL',
} as const;

/**
 * The member role in every account of the configured OUs (and those that join them later): a
 * service-managed StackSet `<stack>-member` with auto-deployment, whose instances are removed with an
 * account that leaves the OUs, in the hub's region only (IAM is global). Excluded accounts get no instance.
 * The management account is never a StackSet target: it gets the member stack by `cdk deploy <stack>-member`.
 */
export class MemberStackSet extends Construct {
  readonly stackSet: cloudformation.CfnStackSet;

  constructor(scope: Construct, id: string, props: MemberStackSetProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const o = props.organization;
    this.stackSet = new cloudformation.CfnStackSet(this, 'StackSet', {
      stackSetName: `${stack.stackName}-member`,
      description: `soc2-evidence: the read-only role ${o.memberRoleName} that the collectors of ${stack.stackName} assume`,
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      callAs: o.stackSetCallAs,
      capabilities: ['CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      operationPreferences: { ...MEMBER_STACK_SET_OPERATION },
      parameters: [{ parameterKey: HUB_ACCOUNT_PARAMETER, parameterValue: Aws.ACCOUNT_ID }],
      stackInstancesGroup: [
        {
          deploymentTargets: {
            organizationalUnitIds: [...o.organizationalUnits],
            ...(o.excludeAccounts.length > 0
              ? { accountFilterType: 'DIFFERENCE', accounts: [...o.excludeAccounts] }
              : {}),
          },
          regions: [stack.region],
        },
      ],
      templateBody: JSON.stringify(props.template),
    });
  }
}
