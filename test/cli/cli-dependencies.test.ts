/**
 * The auditor installs the CLI with production dependencies only (scripts/pack-and-verify.sh): nothing the
 * CLI imports, however indirectly, may need a development dependency such as the CDK. Found by following
 * every relative import from the CLI's entry point.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

/** Every module reachable from `entry` by relative imports, and every package they import. */
function graph(entry: string): { files: Set<string>; packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    // Type-only imports vanish when compiled: they need nothing at run time.
    for (const m of text.matchAll(/^(?:import|export)(?!\s+type\b)[^;]*?\sfrom\s+'([^']+)';$/gms)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) {
        const base = resolve(dirname(file), spec);
        const found = [`${base}.ts`, join(base, 'index.ts')].find((p) => existsSync(p));
        if (found) visit(found);
      } else if (!spec.startsWith('node:')) {
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (!packages.has(name)) packages.set(name, file.slice(ROOT.length + 1));
      }
    }
  };
  visit(entry);
  return { files, packages };
}

describe('the installed CLI', () => {
  it('imports only production dependencies, from every module it reaches', () => {
    const { files, packages } = graph(join(ROOT, 'cli/main.ts'));
    expect(files.size).toBeGreaterThan(50);
    const missing = [...packages].filter(([name]) => !(name in pkg.dependencies));
    expect(missing).toEqual([]);
  });
});
