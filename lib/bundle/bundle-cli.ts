/**
 * `node bundle-cli.js <entry> <outdir>`: what the stack's local bundling runs for each function, in a
 * process of its own because CDK's bundling hook is synchronous and esbuild plugins need the async API.
 */
import { bundleFunction } from './bundle-function';

const [entry, outdir] = process.argv.slice(2);
if (!entry || !outdir) {
  process.stderr.write('usage: bundle-cli <entry.ts> <output directory>\n');
  process.exit(2);
}
bundleFunction(entry, outdir).catch((err: unknown) => {
  process.stderr.write(`bundling ${entry} failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
