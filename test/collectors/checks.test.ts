/**
 * Declared check ids, against the demo's sample account (cli/demo/sample-answers.ts): every collector is
 * gathered and assessed on it, and must do so without an error entry. This pins the demo's data only that
 * far; a check the sample no longer triggers falls back to the source-text test below, so editing the sample
 * account cannot make a wrong declaration pass, only move which test proves it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleAnswers } from '../../cli/demo/sample-answers';
import { OfflineClientFactory } from '../../cli/demo/offline-clients';
import { COLLECTORS } from '../../lambdas/collectors/registry';
import { memoFrom } from '../../lambdas/run-collector';
import { DEFAULT_SETTINGS } from '../../lambdas/settings';

const NOW = new Date('2026-11-23T06:00:00Z');
const settings = { ...DEFAULT_SETTINGS, regions: ['us-east-1', 'eu-west-1'] };

/** Every .ts file under lambdas/, as text. */
function lambdaSources(dir = join(__dirname, '..', '..', 'lambdas')): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
    .join('\n');
}

describe("declared check ids, against the demo's sample account", () => {
  const emitted = new Map<string, Set<string>>();

  beforeAll(async () => {
    const clients = new OfflineClientFactory(sampleAnswers(NOW));
    const memo = memoFrom(new Map());
    for (const c of COLLECTORS) {
      const gathered = await c.gather({ clients, settings, now: NOW, memo });
      expect(gathered.errors).toEqual([]);
      const { findings } = c.assess(gathered.facts, settings, NOW);
      emitted.set(c.id, new Set(findings.map((f) => f.check)));
    }
  });

  it.each(COLLECTORS.map((c) => [c.id, c] as const))(
    '%s declares every check its assess emits on the demo account',
    (id, c) => {
      const seen = [...emitted.get(id)!];
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.filter((check) => !c.checks.includes(check))).toEqual([]);
      expect(new Set(c.checks).size).toBe(c.checks.length);
    },
  );

  it('declares no check that the code never emits', () => {
    // The demo account does not trigger every branch; a declared id it did not emit must still be written
    // as a finding's check somewhere, not only in a `checks` list.
    const text = lambdaSources();
    for (const c of COLLECTORS) {
      for (const check of c.checks) {
        if (emitted.get(c.id)!.has(check)) continue;
        const uses = text.split(`'${check}'`).length - 1;
        expect({ collector: c.id, check, usedOutsideTheList: uses >= 2 }).toEqual({
          collector: c.id,
          check,
          usedOutsideTheList: true,
        });
      }
    }
  });
});
