/**
 * Regenerates what the docs derive from the code: docs/CONTROLS.md and the README's collectors table, from
 * the registry of evidence kinds, their check catalogues and the shipped cdk.json. test/cli/controls.test.ts
 * fails when either is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderCollectorTable, renderControlsMarkdown, withCollectorTable } from '../cli/controls';
import { loadCliConfig } from '../cli/load-config';

const root = join(__dirname, '..');
const config = loadCliConfig(join(root, 'cdk.json'));
writeFileSync(join(root, 'docs', 'CONTROLS.md'), renderControlsMarkdown(config));
const readme = join(root, 'README.md');
writeFileSync(readme, withCollectorTable(readFileSync(readme, 'utf8'), renderCollectorTable(config)));
console.log('wrote docs/CONTROLS.md and the collectors table in README.md');
