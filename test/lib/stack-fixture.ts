import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../lib/app';

export const BASE_CONFIG = {
  securityEmail: 'security@example.com',
  senderEmail: 'soc2-evidence@example.com',
  alarmEmail: 'alerts@example.com',
  timeZone: 'Europe/Paris',
  regions: ['us-east-1', 'eu-west-1'],
};

/** The feature flags of the shipped cdk.json, so tests synthesise what `cdk synth` does. */
export const CDK_CONTEXT = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  }
).context;

/** Synthesises the app as `cdk synth` would (cdk-nag included), without bundling the functions. */
export function synth(config: Record<string, unknown> = BASE_CONFIG) {
  const app = new App({ context: { ...CDK_CONTEXT, soc2Evidence: config, 'aws:cdk:bundling-stacks': [] } });
  const { stack } = buildApp(app);
  return { app, stack, template: Template.fromStack(stack) };
}
