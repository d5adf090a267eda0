/**
 * `cdk synth` ends with "N feature flags are not configured" for every flag whose unconfigured behaviour
 * differs from its recommended value (aws-cdk's FlagOperations.filterNeedsAttention). cdk.json sets each of
 * them, to the behaviour the stack was built and tested with, so the notice does not print. An aws-cdk-lib
 * upgrade that brings a new such flag fails here: choose its value in cdk.json deliberately.
 */
import { FLAGS } from 'aws-cdk-lib/cx-api';
import { CDK_CONTEXT } from './stack-fixture';

const unconfiguredValue = (flag: (typeof FLAGS)[string]): unknown =>
  flag.unconfiguredBehavesLike?.v2 ?? false;

describe('cdk.json feature flags', () => {
  it('sets every flag cdk synth would report as not configured', () => {
    const needsAttention = Object.entries(FLAGS)
      .filter(([, flag]) => JSON.stringify(unconfiguredValue(flag)) !== JSON.stringify(flag.recommendedValue))
      .map(([name]) => name);
    expect(needsAttention.length).toBeGreaterThan(0);
    expect(needsAttention.filter((name) => CDK_CONTEXT[name] === undefined)).toEqual([]);
  });
});
