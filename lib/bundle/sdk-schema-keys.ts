import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';

/**
 * Why the EC2 client made bundles of over 1 MB, and the fix.
 *
 * Since the schema-based serde (3.9xx), each AWS SDK client ships its shapes as one module
 * (`dist-es/schemas/schemas_0.js`, 1.3 MB for EC2), every shape its own `export var X$ = [...]`, and member
 * traits written as objects with computed keys over module constants: `{ [_xN]: _BDM }` with
 * `const _xN = "xmlName"`. A computed key runs ToPropertyKey, which can call user code unless the key is
 * known to be a primitive, and esbuild does not look through the constant to see that it is a string: every
 * shape whose traits use one counts as having side effects and is kept, with everything it references.
 * An entry importing only `DescribeSecurityGroupsCommand` bundled 922 KB, 553 KB of it this module.
 * (esbuild's answer: evanw/esbuild#4373, #2450; the SDK's: aws/aws-sdk-js-v3#7607.)
 *
 * The fix is exact, not a heuristic: in those modules only, a computed key that names a module constant
 * holding a plain string literal is written as that literal (`{ "xmlName": _BDM }`), which is the same
 * object; esbuild can then drop every shape a handler never reaches. test/lib/bundle.test.ts checks that
 * the rewritten modules export the same values as the originals.
 */
export function literalSchemaKeys(source: string): { readonly source: string; readonly replaced: number } {
  const constants = new Map<string, string>();
  for (const m of source.matchAll(/^const (_\w+) = ("[^"\\\n]*");$/gm)) constants.set(m[1]!, m[2]!);
  let replaced = 0;
  const rewritten = source.replace(/\[(_\w+)\]:/g, (whole, name: string) => {
    const literal = constants.get(name);
    // `{ "__proto__": v }` would set the prototype where `{ ["__proto__"]: v }` makes an own property.
    if (literal === undefined || literal === '"__proto__"') return whole;
    replaced++;
    return `${literal}:`;
  });
  return { source: rewritten, replaced };
}

/** The SDK clients' schema modules, ES-module builds (the ones LAMBDA_BUNDLING's mainFields pick). */
export const SDK_SCHEMA_MODULE =
  /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/;

/** An esbuild plugin applying `literalSchemaKeys` to every SDK schema module it loads. */
export function sdkSchemaKeysPlugin(): Plugin {
  return {
    name: 'soc2-evidence-sdk-schema-keys',
    setup(build) {
      build.onLoad({ filter: SDK_SCHEMA_MODULE }, async (args) => ({
        contents: literalSchemaKeys(await readFile(args.path, 'utf8')).source,
        loader: 'js',
      }));
    },
  };
}
