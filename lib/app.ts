import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CONTEXT_KEY, parseConfig, STACK_NAME } from './config';
import { memberStackId, Soc2EvidenceMemberStack } from './organization/member-stack';
import { deployedCollectors, Soc2EvidenceStack } from './soc2-evidence-stack';

/**
 * Builds the app from cdk.json context; a bad configuration throws before anything is synthesised. In
 * organization mode the app also holds the member stack `<stack>-member`, for the management account (which
 * the hub's StackSet never deploys to): `cdk deploy <stack>-member --parameters HubAccountId=<hub account>`
 * with the management account's credentials.
 */
export function buildApp(app: App = new App()): {
  app: App;
  stack: Soc2EvidenceStack;
  member?: Soc2EvidenceMemberStack;
} {
  const config = parseConfig(app.node.tryGetContext(CONTEXT_KEY), { requireEmails: true });
  const stack = new Soc2EvidenceStack(app, STACK_NAME, {
    config,
    description: 'soc2-evidence: scheduled SOC 2 evidence collectors and the Object Lock evidence bucket',
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  const member = config.organization
    ? new Soc2EvidenceMemberStack(app, memberStackId(STACK_NAME), {
        hubStackName: stack.stackName,
        organization: config.organization,
        collectors: deployedCollectors(config),
      })
    : undefined;
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { app, stack, ...(member ? { member } : {}) };
}
