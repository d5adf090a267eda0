import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, stop } from 'esbuild';
import { LAMBDA_BUNDLING } from '../../lib/bundle/bundle-function';
import { FunctionBundling } from '../../lib/bundle/local-bundling';
import { literalSchemaKeys, sdkSchemaKeysPlugin } from '../../lib/bundle/sdk-schema-keys';

const ROOT = join(__dirname, '..', '..');
const dependencies = Object.keys(
  (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> })
    .dependencies,
).filter((d) => d.startsWith('@aws-sdk/client-'));

/**
 * The schema modules of the clients the bundles lean on most (EC2, whose shapes caused the issue, and the
 * design card's IAM, RDS, S3 and ELBv2); comparing all 24 clients takes 15 s, these 5.
 */
const CHECKED = new Set(
  ['ec2', 'iam', 'rds', 's3', 'elastic-load-balancing-v2'].map((c) => `@aws-sdk/client-${c}`),
);
const schemaModules = dependencies
  .filter((c) => CHECKED.has(c))
  .flatMap((client) => {
    const dir = join(ROOT, 'node_modules', client, 'dist-es', 'schemas');
    return readdirSync(dir)
      .filter((f) => /^schemas_\d+\.js$/.test(f))
      .map((f) => ({ client, path: join(dir, f) }));
  });

/** Bundles `contents` (an entry importing SDK modules) to CommonJS in memory and returns its exports. */
async function load(contents: string, withPlugin: boolean): Promise<Record<string, unknown>> {
  const out = await build({
    stdin: { contents, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    mainFields: [...LAMBDA_BUNDLING.mainFields],
    write: false,
    logLevel: 'error',
    plugins: withPlugin ? [sdkSchemaKeysPlugin()] : [],
  });
  const module = { exports: {} as Record<string, unknown> };
  new Function('module', 'exports', 'require', out.outputFiles[0]!.text)(module, module.exports, require);
  return module.exports;
}

/**
 * A schema value as plain data: arrays and trait objects as they are, a lazy reference (`() => Shape$`) as
 * the name of the shape it returns, so two modules compare by value and by what each member points to.
 */
function plain(value: unknown, depth = 0): unknown {
  if (depth > 6) return '…';
  if (typeof value === 'function') {
    if (value.length !== 0) return `function ${value.name}`;
    const target: unknown = (value as () => unknown)();
    return Array.isArray(target) ? `→ ${String(target[1])}#${String(target[2])}` : `→ ${typeof target}`;
  }
  if (Array.isArray(value)) return value.map((v) => plain(v, depth + 1));
  if (value && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as object | null;
    if (proto !== Object.prototype && proto !== null) return `instance of ${proto.constructor.name}`;
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, plain((value as Record<string, unknown>)[k], depth + 1)]),
    );
  }
  return value;
}

// esbuild's service process would outlive the tests and keep the Jest worker from exiting.
afterAll(() => stop());

describe('literalSchemaKeys', () => {
  it('writes a computed key naming a string constant as that literal, and nothing else', () => {
    const source = [
      'const _xN = "xmlName";',
      'const _eQN = "ec2QueryName";',
      'let _mutable = "no";',
      'const _esc = "a\\"b";',
      'export var A$ = [3, n0, _A, 0, [_B], [[0, { [_eQN]: `B`, [_xN]: _b }]]];',
      'export var C$ = { [_mutable]: 1, [_esc]: 2, [_unknown]: 3, [_xN]: 4 };',
      'const _p = "__proto__";',
      'export var D$ = { [_p]: 5 };',
    ].join('\n');
    const { source: out, replaced } = literalSchemaKeys(source);
    expect(replaced).toBe(3);
    expect(out).toContain('{ "ec2QueryName": `B`, "xmlName": _b }');
    // Not a const, an escaped string, or not declared in the module: left computed.
    expect(out).toContain('{ [_mutable]: 1, [_esc]: 2, [_unknown]: 3, "xmlName": 4 }');
    // A literal "__proto__" key would set the prototype instead of making an own property.
    expect(out).toContain('{ [_p]: 5 }');
  });

  it('finds computed keys to rewrite in the installed clients (else the plugin would do nothing)', () => {
    const ec2 = schemaModules.find((m) => m.client === '@aws-sdk/client-ec2')!;
    expect(literalSchemaKeys(readFileSync(ec2.path, 'utf8')).replaced).toBeGreaterThan(10_000);
  });

  it.each(schemaModules.map((m) => [m.client, m.path]))(
    '%s: the rewritten schema module exports the same values as the original',
    async (_client, path) => {
      const entry = `module.exports = require(${JSON.stringify(path)});`;
      const [original, rewritten] = await Promise.all([load(entry, false), load(entry, true)]);
      expect(Object.keys(rewritten).sort()).toEqual(Object.keys(original).sort());
      expect(Object.keys(original).length).toBeGreaterThan(10);
      expect(plain(rewritten)).toEqual(plain(original));
    },
  );
});

describe("the stack's local bundling", () => {
  it("keeps the checkout's absolute path out of what CDK hashes into the asset hash", () => {
    expect(
      JSON.stringify(new FunctionBundling('/home/someone/checkout/lambdas/handlers/tls.ts')),
    ).not.toContain('someone');
  });
});

describe('bundling with the plugin', () => {
  it('drops the EC2 shapes a handler never reaches (one command: under 0.5 MB; 0.92 MB without the plugin)', async () => {
    const entry = `import { EC2Client, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
export const handler = () => new EC2Client({}).send(new DescribeSecurityGroupsCommand({}));`;
    const out = await build({
      ...LAMBDA_BUNDLING,
      mainFields: [...LAMBDA_BUNDLING.mainFields],
      stdin: { contents: entry, resolveDir: ROOT, loader: 'js' },
      write: false,
      plugins: [sdkSchemaKeysPlugin()],
    });
    expect(out.outputFiles[0]!.contents.byteLength).toBeLessThan(500_000);
  });
});
