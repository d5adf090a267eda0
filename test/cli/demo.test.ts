import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoTable, runDemo } from '../../cli/demo';
import { COLLECTORS } from '../../lambdas/collectors/registry';
import type { Envelope } from '../../lambdas/evidence/envelope';
import { expectValidEnvelope } from '../helpers/envelope-schema';

describe('demo', () => {
  it('runs every collector offline against the sample account and prints a table', async () => {
    const out = mkdtempSync(join(tmpdir(), 'soc2-demo-'));
    const result = await runDemo(out, new Date('2026-11-23T06:00:00Z'));
    expect(result.results.map((r) => r.envelope.collector)).toEqual(COLLECTORS.map((c) => c.id));
    for (const r of result.results) {
      const envelope = JSON.parse(readFileSync(r.envelopeObject.location, 'utf8')) as Envelope;
      expectValidEnvelope(envelope);
      expect(envelope.errors).toEqual([]);
    }
    const table = demoTable(result);
    expect(table[0]).toMatch(/^collector\s+status\s+passed\s+failed\s+warnings\s+evidence$/);
    expect(table.join('\n')).toContain(`Evidence written to ${out}`);
  });

  it('shows the sample account problems as failures', async () => {
    const result = await runDemo(mkdtempSync(join(tmpdir(), 'soc2-demo-')), new Date('2026-11-23T06:00:00Z'));
    const mfa = result.results.find((r) => r.envelope.collector === 'iam-mfa')!.envelope;
    expect(mfa.findings.filter((f) => f.status === 'FAIL').map((f) => f.detail.user)).toEqual([
      'bob',
      'erin',
    ]);
  });
});
