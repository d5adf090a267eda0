/**
 * Peak memory of one collector against the synthetic account at several multiples of one dimension of it
 * (issue 18: access-review grows with users, backups with backup jobs), each run in a process of its own.
 *
 *   node --import tsx scripts/measure-memory.ts [--collector access-review|backups] [--scales 1,3,10]
 *     [--max-old-space-mb N]
 *
 * Each run is bench/child.ts as the benchmark runs it (bundled with esbuild, no TypeScript loader in the
 * measured process), with `--trace-gc` so the largest heap the collector reached before a collection is known
 * as well as the peak RSS. The RSS before the run (every collector and SDK client loaded) is subtracted to give
 * what the run itself added; MB per 1,000 units is that increase divided by the dimension, and the projected
 * size at which a Lambda function of 512 MB runs out is where that slope meets 512 MB less a runtime allowance.
 *
 * V8 collects lazily when its heap may grow to gigabytes, as on a workstation, so the peak RSS there holds
 * garbage a Lambda function never lets pile up. `--max-old-space-mb` runs the child with that heap limit
 * (`--max-old-space-size`) to see whether the run fits a function of that size at all: a run that does not fit
 * dies with V8's out-of-memory error, reported as such.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { CollectorMeasurement, Job } from '../bench/child';
import { DEFAULT_SIZES, type AccountSizes } from '../bench/synthetic-account';

const ROOT = join(__dirname, '..');
const SEED = 20260302;
const NOW = '2026-11-30T06:00:00.000Z';
/** The memory a deployed function has, and what its runtime and bundle take before the collector runs. */
const LAMBDA_MB = 512;
const RUNTIME_ALLOWANCE_MB = 60;

const DIMENSION: Readonly<Record<string, keyof AccountSizes>> = {
  'access-review': 'users',
  backups: 'backupJobs',
};

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const only = flag('collector');
  const ids = only ? [only] : Object.keys(DIMENSION);
  const scales = (flag('scales') ?? '1,3,10').split(',').map(Number);
  const maxOldSpace = flag('max-old-space-mb');
  if (maxOldSpace !== undefined && !(Number(maxOldSpace) > 0))
    throw new Error('--max-old-space-mb must be a number of MB, e.g. 460');
  const heapFlags = maxOldSpace ? [`--max-old-space-size=${maxOldSpace}`] : [];
  for (const id of ids)
    if (!DIMENSION[id]) throw new Error(`--collector must be one of ${Object.keys(DIMENSION).join(', ')}`);
  if (scales.some((s) => !(s > 0))) throw new Error('--scales must be positive numbers, e.g. 1,3,10');
  const dir = mkdtempSync(join(tmpdir(), 'soc2-memory-'));
  try {
    const child = join(dir, 'child.js');
    await build({
      entryPoints: [join(ROOT, 'bench', 'child.ts')],
      bundle: true,
      keepNames: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      outfile: child,
      logLevel: 'error',
    });
    console.log(
      '| collector | dimension | units | peak RSS MB | RSS before MB | run added MB | peak heap MB (at GC) | evidence MB | MB / 1,000 units | wall s |',
    );
    console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const id of ids) {
      const dimension = DIMENSION[id]!;
      const rows: { units: number; added: number }[] = [];
      for (const scale of scales) {
        const units = Math.round(DEFAULT_SIZES[dimension] * scale);
        const out = join(dir, `${id}-${scale}.json`);
        const job: Job = {
          kind: 'collector',
          id,
          seed: SEED,
          sizes: { ...DEFAULT_SIZES, [dimension]: units },
          now: NOW,
          latencyMs: 0,
          throttleRate: 0,
          out,
        };
        const jobFile = join(dir, `job-${id}-${scale}.json`);
        writeFileSync(jobFile, JSON.stringify(job));
        let trace: string;
        try {
          trace = execFileSync(
            process.execPath,
            ['--no-warnings', '--trace-gc', ...heapFlags, child, jobFile],
            {
              encoding: 'utf8',
              maxBuffer: 256 * 1024 * 1024,
              stdio: ['ignore', 'pipe', 'pipe'],
              env: { ...process.env, AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' },
            },
          );
        } catch (err) {
          const stderr = String((err as { stderr?: unknown }).stderr ?? '');
          const oom = /heap out of memory|Allocation failed/.test(stderr);
          console.log(
            `| ${id} | ${dimension} | ${units} | ${oom ? `out of memory (heap limit ${maxOldSpace ?? 'default'} MB)` : `failed: ${stderr.split('\n')[0]}`} | | | | | | |`,
          );
          continue;
        }
        // "Mark-Compact 245.3 (260.1) -> 200.1 (250.0) MB": the first figure is the heap used before it.
        let heap = 0;
        for (const m of trace.matchAll(/: [\w-]+(?: \([^)]*\))? ([\d.]+) \([\d.]+\) -> /g))
          heap = Math.max(heap, Number(m[1]));
        const r = JSON.parse(readFileSync(out, 'utf8')) as CollectorMeasurement;
        const added = r.maxRssMb - r.rssBeforeMb;
        rows.push({ units, added });
        const perThousand = added / (units / 1000);
        console.log(
          `| ${id} | ${dimension} | ${units} | ${r.maxRssMb} | ${r.rssBeforeMb} | ${added.toFixed(1)} | ${heap.toFixed(1)} | ${(r.evidenceBytes / 1048576).toFixed(1)} | ${perThousand.toFixed(2)} | ${(r.wallMs / 1000).toFixed(1)} |`,
        );
      }
      const first = rows[0]!;
      const last = rows[rows.length - 1]!;
      if (rows.length > 1 && last.units > first.units) {
        const slope = (last.added - first.added) / ((last.units - first.units) / 1000);
        const fixed = first.added - slope * (first.units / 1000);
        const limit = ((LAMBDA_MB - RUNTIME_ALLOWANCE_MB - fixed) / slope) * 1000;
        console.log(
          `\n${id}: slope ${slope.toFixed(2)} MB per 1,000 ${dimension} (between ${first.units} and ${last.units}); a ${LAMBDA_MB} MB function less ${RUNTIME_ALLOWANCE_MB} MB of runtime is reached near ${Math.round(limit)} ${dimension}\n`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
