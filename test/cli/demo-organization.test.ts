/**
 * `demo --organization`: the hub of the demo's three-account organization (cli/demo/organization.ts), run
 * end to end offline through the same functions the state machine invokes. Three days and two collectors keep
 * it quick; the whole organization demo is what `npm run demo -- --organization` runs.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoTable, runDemo, verifiedAsStaged, type DemoResult } from '../../cli/demo';
import { DEMO_BROKEN_ACCOUNT, DEMO_PRODUCTION_ACCOUNT } from '../../cli/demo/organization';
import { SAMPLE_ACCOUNT_ID } from '../../cli/demo/sample-account';
import type { Manifest } from '../../cli/package/manifest';
import type { Envelope } from '../../lambdas/evidence/envelope';
import { ACCOUNT_IN_SCOPE_CHECK, ACCOUNT_OUT_OF_SCOPE_CHECK } from '../../lambdas/organization/contract';

const NOW = new Date('2026-11-23T06:00:00Z');
let out: string;
let result: DemoResult;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'soc2-demo-org-'));
  result = await runDemo(out, NOW, {
    organization: true,
    days: 3,
    gapDaysAgo: null,
    collectors: ['iam-mfa', 'access-review'],
  });
});

const envelope = (key: string) => JSON.parse(readFileSync(join(out, key), 'utf8')) as Envelope;

describe('demo --organization', () => {
  it('runs every in-scope account, the broken one included, and leaves the suspended one out', () => {
    expect(result.organization?.accounts).toEqual(
      [DEMO_PRODUCTION_ACCOUNT, SAMPLE_ACCOUNT_ID, DEMO_BROKEN_ACCOUNT].sort(),
    );
    const accounts = result.results.map((r) => `${r.envelope.collector}/${r.envelope.account}`);
    expect(accounts).toEqual(
      expect.arrayContaining([
        `iam-mfa/${DEMO_PRODUCTION_ACCOUNT}`,
        `iam-mfa/${SAMPLE_ACCOUNT_ID}`,
        `iam-mfa/${DEMO_BROKEN_ACCOUNT}`,
      ]),
    );
  });

  it('records the broken member role as ERROR evidence for that account, naming the refused AssumeRole', () => {
    const broken = result.results.filter((r) => r.envelope.account === DEMO_BROKEN_ACCOUNT);
    expect(broken.length).toBeGreaterThan(0);
    for (const r of broken) {
      expect(r.envelope.summary.status).toBe('ERROR');
      expect(r.envelope.errors).toEqual([
        expect.objectContaining({
          api: 'sts:AssumeRole',
          code: 'AccessDenied',
          message: expect.stringContaining(`arn:aws:iam::${DEMO_BROKEN_ACCOUNT}:role/soc2-evidence-member`),
        }),
      ]);
    }
    // The production account is read in its own terms: its findings name its own ARNs.
    const prod = result.results.find(
      (r) => r.envelope.collector === 'iam-mfa' && r.envelope.account === DEMO_PRODUCTION_ACCOUNT,
    )!;
    expect(prod.envelope.summary.status).not.toBe('ERROR');
    expect(JSON.stringify(prod.envelope.findings)).toContain(`arn:aws:iam::${DEMO_PRODUCTION_ACCOUNT}:`);
    expect(JSON.stringify(prod.envelope.findings)).not.toContain(`arn:aws:iam::${SAMPLE_ACCOUNT_ID}:`);
  });

  it('signs one account list per run, in-scope and out-of-scope accounts with their OU path', () => {
    expect(result.organization?.listKeys).toHaveLength(2);
    const list = envelope(result.organization!.listKeys[0]!);
    expect(list.account).toBe(SAMPLE_ACCOUNT_ID);
    const byAccount = Object.fromEntries(list.findings.map((f) => [f.resource, f]));
    expect(byAccount[DEMO_BROKEN_ACCOUNT]).toMatchObject({ check: ACCOUNT_IN_SCOPE_CHECK });
    expect(byAccount['333333333333']).toMatchObject({
      check: ACCOUNT_OUT_OF_SCOPE_CHECK,
      detail: expect.objectContaining({ reason: 'suspended', ouPath: 'Workloads' }),
    });
    expect(byAccount['444444444444']).toBeUndefined();
  });

  it('verifies with no integrity problem; the only gaps are the broken account’s', () => {
    expect(result.auditorPackage.verifyExitCode).toBe(3);
    expect(verifiedAsStaged(result)).toBe(true);
    expect(result.auditorPackage.verifyLines.at(-1)).toMatch(/0 integrity problem\(s\)/);
    const manifest = JSON.parse(
      readFileSync(join(result.auditorPackage.dir, 'manifest.json'), 'utf8'),
    ) as Manifest & { coverage: { account: string; gaps: number }[] };
    const gaps = JSON.stringify(manifest);
    expect(gaps).toContain(DEMO_BROKEN_ACCOUNT);
    expect(demoTable(result).join('\n')).toContain('refuses the hub (AccessDenied)');
  });

  it('sends one organization review covering Identity Center and every account', () => {
    const csv = readFileSync(result.email.csv, 'utf8');
    expect(csv).toContain(DEMO_PRODUCTION_ACCOUNT);
    expect(csv).toContain(DEMO_BROKEN_ACCOUNT);
    expect(csv.toLowerCase()).toContain('identity');
    const html = readFileSync(result.email.html, 'utf8');
    // The two reachable accounts' populations were read back; the broken one's is listed as not read.
    expect(html).toMatch(/Accounts reviewed: 2 of 3 \(<strong>1 not read: 222222222222/);
    expect(html).toContain('Identity Center user');
  });
});
