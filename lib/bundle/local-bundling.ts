import type { ILocalBundling } from 'aws-cdk-lib';
import { buildSync } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { extname, join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SOURCES = ['bundle-cli', 'bundle-function', 'sdk-schema-keys'].map((f) =>
  join(__dirname, f + extname(__filename)),
);

let compiled: string | undefined;

/**
 * bundle-cli compiled once to plain JavaScript (keyed by its sources), so each function's bundling starts a
 * bare `node` process rather than a TypeScript loader. Kept under node_modules/.cache, where `require('esbuild')`
 * resolves to the project's own esbuild.
 */
function compiledBundler(): string {
  if (compiled) return compiled;
  const hash = createHash('sha256');
  for (const f of SOURCES) hash.update(readFileSync(f));
  const dir = join(ROOT, 'node_modules', '.cache', 'soc2-evidence');
  const out = join(dir, `bundle-cli-${hash.digest('hex').slice(0, 16)}.cjs`);
  if (!existsSync(out)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${out}.${process.pid}.tmp`;
    buildSync({
      entryPoints: [SOURCES[0]!],
      outfile: tmp,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      packages: 'external',
      logLevel: 'error',
    });
    renameSync(tmp, out);
  }
  compiled = out;
  return out;
}

/**
 * CDK's local bundling for one function: `bundleFunction` (esbuild with the SDK schema plugin) in a child
 * process. CDK skips it when the function's asset hash is already staged in cdk.out (lib/bundle-hash.ts), and
 * for stacks outside `aws:cdk:bundling-stacks` (the tests).
 */
export class FunctionBundling implements ILocalBundling {
  // An ES private field: CDK hashes `JSON.stringify` of the bundling options into the asset hash, and the
  // checkout's absolute path must not be in it (the hash is the bundle's inputs, the same in every checkout).
  readonly #entry: string;

  constructor(entry: string) {
    this.#entry = entry;
  }

  tryBundle(outputDir: string): boolean {
    execFileSync(process.execPath, [compiledBundler(), this.#entry, outputDir], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    return true;
  }
}
