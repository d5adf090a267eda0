import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CONTEXT_KEY, parseConfig, STACK_NAME } from './config';
import { Soc2EvidenceStack } from './soc2-evidence-stack';

/** Builds the app from cdk.json context; a bad configuration throws before anything is synthesised. */
export function buildApp(app: App = new App()): { app: App; stack: Soc2EvidenceStack } {
  const config = parseConfig(app.node.tryGetContext(CONTEXT_KEY), { requireEmails: true });
  const stack = new Soc2EvidenceStack(app, STACK_NAME, {
    config,
    description: 'soc2-evidence: scheduled SOC 2 evidence collectors and the Object Lock evidence bucket',
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { app, stack };
}
