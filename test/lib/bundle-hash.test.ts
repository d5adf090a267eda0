import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleInputsHash, localSources } from '../../lib/bundle-hash';
import { functionBundleHash } from '../../lib/scheduled-function';
import { handlerEntry } from '../../lib/scheduled-collector';

/** A small project: two handlers sharing a module, one with a module of its own, a lockfile. */
function project() {
  const root = mkdtempSync(join(tmpdir(), 'bundle-hash-'));
  mkdirSync(join(root, 'lambdas', 'handlers'), { recursive: true });
  mkdirSync(join(root, 'lambdas', 'shared'), { recursive: true });
  const write = (p: string, text: string) => writeFileSync(join(root, p), text);
  write('package-lock.json', '{"lockfileVersion":3}');
  write('lambdas/shared/index.ts', "export { b } from './b';\n");
  write('lambdas/shared/b.ts', 'export const b = 1;\n');
  write('lambdas/own.ts', "import data from './data.json';\nexport const own = data;\n");
  write('lambdas/data.json', '{"x":1}');
  write(
    'lambdas/handlers/one.ts',
    "import { b } from '../shared';\nimport { own } from '../own';\nimport { S3Client } from '@aws-sdk/client-s3';\nexport const handler = () => [b, own, S3Client];\n",
  );
  write('lambdas/handlers/two.ts', "import { b } from '../shared/index';\nexport const handler = () => b;\n");
  const hash = (name: string, bundling: unknown = { minify: true }) =>
    bundleInputsHash(join(root, 'lambdas', 'handlers', `${name}.ts`), {
      root,
      alwaysRead: [join(root, 'package-lock.json')],
      bundling,
    });
  return { root, write, hash };
}

describe('bundleInputsHash: what a function bundle is made of', () => {
  it('follows relative imports (folders, index files, JSON) and leaves packages to the lockfile', () => {
    const p = project();
    const files = localSources(join(p.root, 'lambdas', 'handlers', 'one.ts'))
      .map((f) => f.slice(p.root.length + 1))
      .sort();
    expect(files).toEqual([
      'lambdas/data.json',
      'lambdas/handlers/one.ts',
      'lambdas/own.ts',
      'lambdas/shared/b.ts',
      'lambdas/shared/index.ts',
    ]);
  });

  it('changes for the functions whose inputs changed, and only for them', () => {
    const p = project();
    const before = { one: p.hash('one'), two: p.hash('two') };
    expect(p.hash('one')).toBe(before.one);
    p.write('lambdas/own.ts', "import data from './data.json';\nexport const own = [data];\n");
    expect(p.hash('one')).not.toBe(before.one);
    expect(p.hash('two')).toBe(before.two);
    p.write('lambdas/shared/b.ts', 'export const b = 2;\n');
    expect(p.hash('two')).not.toBe(before.two);
  });

  it('changes for every function with the lockfile or the bundling options', () => {
    const p = project();
    const two = p.hash('two');
    expect(p.hash('two', { minify: false })).not.toBe(two);
    p.write('package-lock.json', '{"lockfileVersion":3,"packages":{}}');
    expect(p.hash('two')).not.toBe(two);
  });

  it('refuses an import it cannot resolve, rather than hashing too little', () => {
    const p = project();
    p.write('lambdas/handlers/two.ts', "import { gone } from '../missing';\n");
    expect(() => p.hash('two')).toThrow(/imports \.\.\/missing, which is not/);
  });

  it("covers every function of the stack: each handler's hash is computed from this checkout", () => {
    const a = functionBundleHash(handlerEntry('iam-mfa'));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(functionBundleHash(handlerEntry('iam-mfa'))).toBe(a);
    expect(functionBundleHash(handlerEntry('tls'))).not.toBe(a);
  });
});
