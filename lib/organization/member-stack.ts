import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  App,
  Aws,
  CfnParameter,
  Duration,
  LegacyStackSynthesizer,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import type { AnyCollector } from '../../lambdas/collectors/collector';
import { hubCollectorRoleName } from '../../lambdas/organization/contract';
import type { OrganizationConfig } from '../config';

/**
 * The member template's one parameter: the hub (evidence) account's id. The StackSet passes the hub's own
 * account id; the management account's stack (`cdk deploy <stack>-member`, which StackSets skip) needs it on
 * the command line: `--parameters HubAccountId=<12-digit id>`. A parameter rather than a value synthesised
 * in: the member template is deployed with another account's credentials than the hub's, so neither
 * CDK_DEFAULT_ACCOUNT nor the hub stack's environment would be the hub's account there.
 */
export const HUB_ACCOUNT_PARAMETER = 'HubAccountId';

/** The Sid of the member role's inline policy statement, and the policy's name. */
export const MEMBER_READ_POLICY = 'ReadOnlyForTheHubCollectors';

/** The one-hour session of a member role: a collector's run in one account takes minutes. */
export const MEMBER_SESSION = Duration.hours(1);

export interface MemberStackProps extends StackProps {
  /** The hub stack's name: the hub collector roles are `<hub stack>-<collector>`. */
  readonly hubStackName: string;
  readonly organization: Pick<OrganizationConfig, 'id' | 'memberRoleName'>;
  /** The collectors the hub deploys: the role trusts each one's hub role and holds the union of their reads. */
  readonly collectors: readonly AnyCollector[];
}

/** The member stack's id (and name) in the app: `<hub stack>-member`, like the StackSet. */
export function memberStackId(hubStackName: string): string {
  return `${hubStackName}-member`;
}

/** A hub collector role's ARN, in the partition the template is deployed in. */
export function hubCollectorRoleArn(hubAccount: string, hubStackName: string, collectorId: string): string {
  return `arn:${Aws.PARTITION}:iam::${hubAccount}:role/${hubCollectorRoleName(hubStackName, collectorId)}`;
}

/** Exactly the read actions of `collectors`, deduplicated and sorted. */
export function memberReadActions(collectors: readonly AnyCollector[]): string[] {
  return [...new Set(collectors.flatMap((c) => [...c.iamActions]))].sort();
}

/**
 * What every in-scope account holds for the hub (deployed by the hub's service-managed StackSet, and as a
 * plain stack in the management account, which StackSets never deploy to): one role, `memberRoleName`,
 * that only the hub's collector roles of this organization may assume, holding exactly the union of the
 * deployed collectors' read actions and nothing that writes.
 *
 * Its template is self-contained: no bootstrap version rule (StackSet accounts are not CDK-bootstrapped), no
 * CDK metadata, no construct paths, so the StackSet's TemplateBody is exactly this stack's template
 * (memberTemplate) and `cdk deploy` of it needs no bootstrap in the management account.
 */
export class Soc2EvidenceMemberStack extends Stack {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: MemberStackProps) {
    super(scope, id, {
      description:
        'soc2-evidence member account: the read-only role the hub collectors assume (deployed by the hub StackSet)',
      ...props,
      analyticsReporting: false,
      synthesizer: new LegacyStackSynthesizer(),
    });
    // No `aws:cdk:path` metadata: the template must not depend on the App it was synthesised in.
    this.node.setContext('aws:cdk:enable-path-metadata', false);
    if (props.collectors.length === 0)
      throw new Error('the member role needs at least one deployed collector');

    const hubAccount = new CfnParameter(this, HUB_ACCOUNT_PARAMETER, {
      type: 'String',
      allowedPattern: '^\\d{12}$',
      constraintDescription: `${HUB_ACCOUNT_PARAMETER} must be the 12-digit id of the soc2-evidence hub (evidence) account`,
      description:
        'The 12-digit id of the soc2-evidence hub (evidence) account, whose collectors assume the role',
    }).valueAsString;
    const hubRoleArns = props.collectors.map((c) =>
      hubCollectorRoleArn(hubAccount, props.hubStackName, c.id),
    );

    this.role = new iam.Role(this, 'MemberRole', {
      roleName: props.organization.memberRoleName,
      description: `soc2-evidence: read-only, for the collectors of the hub stack ${props.hubStackName}`,
      maxSessionDuration: MEMBER_SESSION,
      assumedBy: new iam.AccountPrincipal(hubAccount).withConditions({
        ArnEquals: { 'aws:PrincipalArn': hubRoleArns },
        StringEquals: { 'aws:PrincipalOrgID': props.organization.id },
      }),
      inlinePolicies: {
        [MEMBER_READ_POLICY]: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              sid: MEMBER_READ_POLICY,
              actions: memberReadActions(props.collectors),
              resources: ['*'],
            }),
          ],
        }),
      },
    });
    NagSuppressions.addResourceSuppressions(this.role, [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'The collector read actions (e.g. iam:GetCredentialReport, list/describe calls) read the whole account and most support no resource-level permission; the role holds no write action.',
        appliesTo: ['Resource::*'],
      },
    ]);
  }
}

/**
 * The member stack's template, synthesised in an App of its own with the given context (the feature flags
 * of the app the hub is in): the hub's StackSet deploys exactly this, so the member role has one source.
 */
export function memberTemplate(
  stackId: string,
  props: MemberStackProps,
  context: Record<string, unknown> = {},
): Record<string, unknown> {
  const outdir = mkdtempSync(join(tmpdir(), 'soc2-evidence-member-'));
  try {
    const app = new App({ outdir, context, analyticsReporting: false });
    const stack = new Soc2EvidenceMemberStack(app, stackId, props);
    return app.synth().getStackArtifact(stack.artifactId).template as Record<string, unknown>;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
