import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CONTEXT_KEY, parseConfig, type Soc2EvidenceConfig } from '../lib/config';
import { CliError } from './cli-error';
import { messageOf } from '../lambdas/aws/aws-error';

/**
 * The CLI reads the same `soc2Evidence` block as the deployed stack, from `--config` or ./cdk.json, so a
 * local run judges by the same thresholds. Without a file it uses the defaults.
 */
export function loadCliConfig(path?: string): Soc2EvidenceConfig {
  const file = resolve(path ?? 'cdk.json');
  if (!existsSync(file)) {
    if (path) throw new CliError(`config file ${file} does not exist`);
    return parseConfig({});
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CliError(`config file ${file} is not valid JSON: ${messageOf(err)}`);
  }
  const context = (json as { context?: Record<string, unknown> })?.context;
  return parseConfig(context?.[CONTEXT_KEY]);
}
