import { Duration, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import {
  ACCOUNTS_PRODUCER,
  ORGANIZATION_ENV,
  ORGANIZATIONS_IAM_ACTIONS,
} from '../../lambdas/organization/contract';
import { ENV } from '../../lambdas/runtime/runtime-env';
import { functionFailedAlarm } from '../alarm';
import { organizationSettings, type OrganizationConfig } from '../config';
import { EVIDENCE_KIND_RESOURCE_REGEX, kindsWrittenBy, type EvidenceBucket } from '../evidence-bucket';
import { handlerEntry } from '../scheduled-collector';
import { addStackFunction } from '../scheduled-function';
import type { SigningKeys } from '../signing-keys';

export interface OrganizationAccountsProps {
  readonly organization: OrganizationConfig;
  readonly evidence: EvidenceBucket;
  readonly signingKeys: SigningKeys;
  readonly alarmTopic: sns.ITopic;
}

/**
 * The organization-accounts function `<stack>-organization-accounts`, the first state of every collector's
 * run over the organization: it reads the organization (ORGANIZATIONS_IAM_ACTIONS, with the hub's own
 * credentials: the hub is a delegated administrator), writes the signed list of in-scope accounts with its
 * own key, and returns the accounts to fan out to. Its role may do exactly that.
 */
export class OrganizationAccounts extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: OrganizationAccountsProps) {
    super(scope, id);
    const name = `${Stack.of(this).stackName}-${ACCOUNTS_PRODUCER}`;
    const signingKey = props.signingKeys.keyFor(ACCOUNTS_PRODUCER);
    const fn = addStackFunction(this, {
      functionName: name,
      entry: handlerEntry(ACCOUNTS_PRODUCER),
      description: 'soc2-evidence: the in-scope accounts of the organization, for each collector run',
      roleDescription: `soc2-evidence organization-accounts: read-only ${ORGANIZATIONS_IAM_ACTIONS.join(', ')}; writes evidence`,
      memorySize: 512,
      timeout: Duration.minutes(5),
      environment: {
        [ENV.bucket]: props.evidence.bucket.bucketName,
        [ENV.signingKeyArn]: signingKey.keyArn,
        [ORGANIZATION_ENV]: JSON.stringify(organizationSettings(props.organization)),
      },
    });
    this.function = fn.function;
    this.role = fn.role;
    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: [...ORGANIZATIONS_IAM_ACTIONS], resources: ['*'] }),
    );
    props.evidence.grantWriteEvidence(this.role, kindsWrittenBy(ACCOUNTS_PRODUCER, true));
    props.signingKeys.grantSign(ACCOUNTS_PRODUCER, this.role);

    this.alarms.push(
      functionFailedAlarm(this, this.function, {
        alarmName: `${name}-failed`,
        alarmDescription:
          'The organization-accounts function threw: a collector run over the organization found no accounts to run in, so it wrote no evidence. See docs/OPERATIONS.md.',
        topic: props.alarmTopic,
      }),
    );

    NagSuppressions.addResourceSuppressions(
      this.role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'DescribeOrganization supports no resource-level permission, and the ARNs of the OUs and accounts embed the management account id, which the hub does not know; writes are limited to the account list kind under evidence/YYYY/MM/DD/ of one bucket.',
          appliesTo: ['Resource::*', { regex: EVIDENCE_KIND_RESOURCE_REGEX }],
        },
      ],
      true,
    );
  }
}
