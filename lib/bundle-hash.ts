import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

/**
 * What a function's bundle is made of, as one SHA-256: the bundling options, the lockfile (every package
 * version, esbuild's included), tsconfig.json, and the handler's own source files, found by following its
 * relative imports. The stack gives it to each function as its asset hash: `cdk synth` then finds an
 * unchanged function's bundle already staged in `cdk.out` (`asset.<hash>`) and skips esbuild for it, and a
 * deploy updates only the functions whose inputs changed. A fresh clone (CI) has no `cdk.out` and bundles all.
 */
export function bundleInputsHash(entry: string, options: BundleHashOptions): string {
  const root = resolve(options.root);
  const hash = createHash('sha256');
  hash.update('soc2-evidence bundle inputs v1\n');
  hash.update(`${JSON.stringify(options.bundling)}\n`);
  for (const file of [...options.alwaysRead, ...localSources(resolve(entry))].sort()) {
    const at = relative(root, file).split('\\').join('/');
    hash.update(`${at}\n${digest(file)}\n`);
  }
  return hash.digest('hex');
}

export interface BundleHashOptions {
  /** Paths in the hash are relative to it, so the hash is the same in every checkout. */
  readonly root: string;
  /** Files every bundle depends on (the lockfile, tsconfig.json). */
  readonly alwaysRead: readonly string[];
  /** The bundling options, as given to esbuild. */
  readonly bundling: unknown;
}

function digest(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** `from './x'`, `import './x'`, `import('./x')`, `require('./x')`: relative specifiers only (packages are the lockfile's). */
const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

/** The entry and every local source file it reaches through relative imports. */
export function localSources(entry: string): string[] {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(RELATIVE_IMPORT)) {
      const target = resolveSource(dirname(file), m[1]!);
      if (target === undefined)
        throw new Error(`${file} imports ${m[1]}, which is not a .ts, .js or .json file or folder index`);
      if (!seen.has(target)) queue.push(target);
    }
  }
  return [...seen];
}

function resolveSource(from: string, specifier: string): string | undefined {
  const base = resolve(from, specifier);
  return [base, `${base}.ts`, `${base}.js`, `${base}.json`, `${base}/index.ts`, `${base}/index.js`].find(
    (p) => statSync(p, { throwIfNoEntry: false })?.isFile() === true,
  );
}
