import { resolve } from 'node:path';
import { OfflineClientFactory } from '../lambdas/aws/offline-clients';
import { COLLECTORS } from '../lambdas/collectors/registry';
import { DirectoryStore } from '../lambdas/evidence/directory-store';
import { runCollector, type RunResult } from '../lambdas/run-collector';
import { collectorSettings, parseConfig } from '../lib/config';
import { SAMPLE_ACCOUNT_ID } from './demo/sample-account';
import { sampleAnswers } from './demo/sample-answers';

export interface DemoResult {
  readonly out: string;
  readonly results: readonly RunResult[];
  readonly elapsedMs: number;
}

/**
 * Runs every collector against the bundled sample account (cli/demo/sample-account.ts) through the same
 * gather, assess and store code the Lambdas use; only the source of the AWS answers differs.
 */
export async function runDemo(outDir: string, now = new Date()): Promise<DemoResult> {
  const started = Date.now();
  const out = resolve(outDir);
  const config = parseConfig({ regions: ['us-east-1', 'eu-west-1'] });
  const clients = new OfflineClientFactory(sampleAnswers(now));
  const store = new DirectoryStore(out);
  const memo = new Map<string, Promise<unknown>>();
  const results: RunResult[] = [];
  for (const collector of COLLECTORS) {
    const schedule = config.schedules[collector.id]!;
    results.push(
      await runCollector(collector, {
        clients,
        store,
        account: SAMPLE_ACCOUNT_ID,
        settings: collectorSettings(config),
        now: () => now,
        memo,
        schedule: { expression: schedule.cron, timeZone: schedule.timeZone },
      }),
    );
  }
  return { out, results, elapsedMs: Date.now() - started };
}

export function demoTable(result: DemoResult): string[] {
  const rows = result.results.map((r) => {
    const s = r.envelope.summary;
    return [
      r.envelope.collector,
      s.status,
      String(s.passed),
      String(s.failed),
      String(s.warnings),
      r.envelopeObject.key,
    ];
  });
  const head = ['collector', 'status', 'passed', 'failed', 'warnings', 'evidence'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `Evidence written to ${result.out} in ${(result.elapsedMs / 1000).toFixed(1)} s.`,
    'Edit cli/demo/sample-account.ts and run the demo again to see the findings change.',
  ];
}
