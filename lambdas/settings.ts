/**
 * What a collector run needs to know from the deployment's configuration: the thresholds it judges by and
 * where to look. The CDK app validates the configuration at synth time and passes these to each function;
 * the CLI reads the same keys from cdk.json.
 */
export interface CollectorSettings {
  readonly regions: readonly string[];
  readonly inactiveAfterDays: number;
}

export const DEFAULT_SETTINGS: CollectorSettings = {
  regions: ['us-east-1'],
  inactiveAfterDays: 90,
};
