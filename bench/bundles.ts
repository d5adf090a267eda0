import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleFunction } from '../lib/bundle/bundle-function';

export interface BundleMeasurement {
  readonly id: string;
  readonly bytes: number;
  /** Median of the repetitions, each a fresh `node` process requiring the bundle once. */
  readonly loadMs: number;
  readonly loadRuns: readonly number[];
  /** RSS of that process after the require: the Lambda's memory before it does any work. */
  readonly loadedRssMb: number;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Every deployed function's handler (lambdas/handlers/<id>.ts): the collectors and the stack's other functions. */
export const HANDLER_IDS: readonly string[] = readdirSync(resolve(__dirname, '..', 'lambdas', 'handlers'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .sort();

/** The handler bundled exactly as the stack bundles it (lib/bundle/bundle-function.ts), into `<outDir>/<id>/index.js`. */
export async function bundleHandler(id: string, outDir: string): Promise<string> {
  const dir = join(outDir, id);
  await bundleFunction(resolve(__dirname, '..', 'lambdas', 'handlers', `${id}.ts`), dir);
  return join(dir, 'index.js');
}

const PROBE = `const t=process.hrtime.bigint();require(process.argv[1]);const ms=Number(process.hrtime.bigint()-t)/1e6;process.stdout.write(JSON.stringify({ms,rss:process.memoryUsage().rss}))`;

export async function measureBundles(ids: readonly string[], repetitions = 5): Promise<BundleMeasurement[]> {
  const dir = mkdtempSync(join(tmpdir(), 'soc2-bench-bundles-'));
  try {
    const out: BundleMeasurement[] = [];
    for (const id of ids) {
      const file = await bundleHandler(id, dir);
      const runs: { ms: number; rss: number }[] = [];
      for (let i = 0; i < repetitions; i++) {
        const text = execFileSync(process.execPath, ['--no-warnings', '-e', PROBE, file], {
          encoding: 'utf8',
          env: { ...process.env, AWS_REGION: 'us-east-1' },
        });
        runs.push(JSON.parse(text) as { ms: number; rss: number });
      }
      out.push({
        id,
        bytes: statSync(file).size,
        loadMs: Math.round(median(runs.map((r) => r.ms)) * 10) / 10,
        loadRuns: runs.map((r) => Math.round(r.ms * 10) / 10),
        loadedRssMb: Math.round((median(runs.map((r) => r.rss)) / 1024 / 1024) * 10) / 10,
      });
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
