import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Annotations, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../lib/app';
import { OUTSIDE_ITS_FUNCTION_SID } from '../../lib/scheduled-function';
import type { Soc2EvidenceStack } from '../../lib/soc2-evidence-stack';

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

export interface SynthOptions {
  /**
   * Run CloudFormation's built-in template validation, strictly: any error or warning fails the synth
   * (`cdk synth` runs it too, but only warns). Building its rule engine takes seconds, so one test file
   * (stack.test.ts) validates the default stack and the others leave it out.
   */
  readonly validate?: boolean;
}

/**
 * An App for tests: the shipped feature flags, no function bundled (`aws:cdk:bundling-stacks: []`; only
 * bundled-handler.test.ts bundles), and CloudFormation's template validation only when asked for.
 */
export function testApp(context: Record<string, unknown> = {}, options: SynthOptions = {}): App {
  return new App({
    builtinCloudFormationValidation: options.validate === true,
    context: {
      ...CDK_CONTEXT,
      ...context,
      'aws:cdk:bundling-stacks': [],
      ...(options.validate
        ? { '@aws-cdk/core:validateAgainstDefaultRules': true, '@aws-cdk/core:strictCfnValidateErrors': true }
        : {}),
    },
  });
}

export interface Synthesised {
  readonly app: App;
  readonly stack: Soc2EvidenceStack;
  readonly template: Template;
}

/** One synthesis per configuration within a test file (jest gives each file its own module registry). */
const cache = new Map<string, Synthesised>();

/**
 * Synthesises the app as `cdk synth` would (cdk-nag included), without bundling the functions. A second call
 * with the same configuration in the same file returns the same stack and template: treat them as read-only.
 */
export function synth(
  config: Record<string, unknown> = BASE_CONFIG,
  options: SynthOptions = {},
): Synthesised {
  const key = JSON.stringify({ config, validate: options.validate === true });
  let hit = cache.get(key);
  if (!hit) {
    const app = testApp({ soc2Evidence: config }, options);
    const { stack } = buildApp(app);
    hit = { app, stack, template: Template.fromStack(stack) };
    cache.set(key, hit);
  }
  return hit;
}

/**
 * The annotations of a synthesised stack, read from the assembly `synth` already made. `Annotations.fromStack`
 * synthesises the whole app again (`synth({ force: true })`, about a second of CPU); the messages are the
 * same (they are recorded on the constructs), so the assertions on them are the same.
 */
export function annotationsOf({ app, stack }: Synthesised): Annotations {
  const messages = app.synth().getStackArtifact(stack.artifactId).messages;
  // The class's constructor, which fromStack calls with the messages of the forced synthesis, is private in
  // the typings only.
  const FromMessages = Annotations as unknown as new (m: typeof messages) => Annotations;
  return new FromMessages(messages);
}

/**
 * A producer role with no managed policy and, inline, only the Deny of signing and writing outside its own
 * function (its full statement: test/lib/function-roles.test.ts).
 */
export function expectOnlyItsOwnFunctionDeny(roleProperties: Record<string, unknown>): void {
  expect(roleProperties.ManagedPolicyArns).toBeUndefined();
  expect(roleProperties.Policies).toEqual([
    expect.objectContaining({
      PolicyName: OUTSIDE_ITS_FUNCTION_SID,
      PolicyDocument: expect.objectContaining({
        Statement: [expect.objectContaining({ Effect: 'Deny', Sid: OUTSIDE_ITS_FUNCTION_SID })],
      }),
    }),
  ]);
}
