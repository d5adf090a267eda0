import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientFactory } from '../../lambdas/aws/client-factory';
import type { AnyCollector } from '../../lambdas/collectors/collector';
import { DirectoryStore } from '../../lambdas/evidence/directory-store';
import type { Envelope } from '../../lambdas/evidence/envelope';
import { runCollector, type RunResult } from '../../lambdas/run-collector';
import { DEFAULT_SETTINGS, type CollectorSettings } from '../../lambdas/settings';
import { expectValidEnvelope } from './envelope-schema';

export const ACCOUNT = '123456789012';
export const NOW = new Date('2026-11-23T06:00:03.120Z');

/** Runs a collector end to end into a fresh temporary directory and checks the envelope against the schema. */
export async function runInTempDir(
  collector: AnyCollector,
  settings: Partial<CollectorSettings> = {},
): Promise<RunResult & { dir: string; written: Envelope }> {
  const dir = mkdtempSync(join(tmpdir(), 'soc2-evidence-test-'));
  const result = await runCollector(collector, {
    clients: new ClientFactory(),
    store: new DirectoryStore(dir),
    account: ACCOUNT,
    settings: { ...DEFAULT_SETTINGS, ...settings },
    now: () => NOW,
    runId: 'test-run',
  });
  const written = JSON.parse(readFileSync(result.envelopeObject.location, 'utf8')) as Envelope;
  expectValidEnvelope(written);
  return { ...result, dir, written };
}
