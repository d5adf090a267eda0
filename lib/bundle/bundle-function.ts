import { build, type BuildOptions, type BuildResult } from 'esbuild';
import { join } from 'node:path';
import { sdkSchemaKeysPlugin } from './sdk-schema-keys';

/**
 * How every function of the stack is bundled (the stack, bench/bundles.ts and the bundled-handler test all
 * use `bundleFunction`, so what is measured and tested is what ships):
 * - the SDK clients are bundled too, so checksum and retry behaviour are the versions tested here;
 * - packages' ES-module builds come first, so esbuild can drop what a handler never imports (the CommonJS
 *   builds cannot be tree-shaken: the encryption bundle is 2.0 MB with them, 1.2 MB without);
 * - the SDK's schema modules are made tree-shakeable (sdk-schema-keys.ts): 1.2 MB → under 0.5 MB for the
 *   collectors that use EC2.
 */
export const LAMBDA_BUNDLING = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node24',
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'error',
} as const satisfies BuildOptions;

/** Bundles `entry` into `<outdir>/index.js`, the file Lambda loads (`index.handler`). */
export function bundleFunction(
  entry: string,
  outdir: string,
  extra: Pick<BuildOptions, 'metafile' | 'write'> = {},
): Promise<BuildResult> {
  return build({
    ...LAMBDA_BUNDLING,
    ...extra,
    entryPoints: [entry],
    outfile: join(outdir, 'index.js'),
    plugins: [sdkSchemaKeysPlugin()],
  });
}
