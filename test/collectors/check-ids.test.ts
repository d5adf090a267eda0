/**
 * Declared check ids, against the demo's sample account (cli/demo/sample-answers.ts): every collector is
 * gathered and assessed on it, and must do so without an error entry. The compiler already refuses a literal
 * undeclared check (second block); this run also catches an id assembled at run time. Editing the sample
 * account can only change which checks this run sees, never make an undeclared one pass.
 */
import { SAMPLE_ACCOUNT_ID } from '../../cli/demo/sample-account';
import { sampleAnswers } from '../../cli/demo/sample-answers';
import { OfflineClientFactory } from '../../cli/demo/offline-clients';
import type { Collector } from '../../lambdas/collectors/collector';
import type { IamMfaCheck } from '../../lambdas/collectors/iam-mfa/checks';
import { iamMfa } from '../../lambdas/collectors/iam-mfa/collector';
import { COLLECTORS } from '../../lambdas/collectors/registry';
import type { Finding } from '../../lambdas/evidence/envelope';
import { memoFrom } from '../../lambdas/run-collector';
import { DEFAULT_SETTINGS } from '../../lambdas/settings';

const NOW = new Date('2026-11-23T06:00:00Z');
// As the demo configures the sample account (cli/demo.ts): its team requires Security Hub.
const settings = { ...DEFAULT_SETTINGS, regions: ['us-east-1', 'eu-west-1'], requireSecurityHub: true };

// The compiler enforces this for literal ids (Finding.check is typed from the catalogue, see below); this
// run also catches an id assembled at run time.
const emitted = new Map<string, Set<string>>();
const failing = new Set<string>();

beforeAll(async () => {
  const clients = new OfflineClientFactory(sampleAnswers(NOW));
  const memo = memoFrom(new Map());
  for (const c of COLLECTORS) {
    const gathered = await c.gather({ clients, settings, now: NOW, memo, account: SAMPLE_ACCOUNT_ID });
    expect(gathered.errors).toEqual([]);
    const { findings } = c.assess(gathered.facts, settings, NOW);
    emitted.set(c.id, new Set(findings.map((f) => f.check)));
    for (const f of findings) if (f.status === 'FAIL') failing.add(f.check);
  }
});

describe("declared check ids, against the demo's sample account", () => {
  it.each(COLLECTORS.map((c) => [c.id, c] as const))(
    '%s declares every check its assess emits on the demo account',
    (id, c) => {
      const seen = [...emitted.get(id)!];
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.filter((check) => !(check in c.checks))).toEqual([]);
    },
  );
});

/**
 * The controls auditors test that issue 14 added must each be seen failing in the demo (the sample account
 * carries a PROBLEM for every one), so the demo shows what each looks like and the tests reach each FAIL path
 * end to end. Only counts are exempt: INFO by design.
 */
const ADDED_CONTROLS = [
  'iam-privilege',
  'password-policy',
  'key-rotation',
  'public-access',
  'threat-detection',
  'audit-logging',
  'vulnerabilities',
  'resilience',
];
const INFO_BY_DESIGN = ['vulnerability-counts'];

describe("every check of the added controls fails at least once on the demo's sample account", () => {
  const cases = COLLECTORS.filter((c) => ADDED_CONTROLS.includes(c.id)).flatMap((c) =>
    Object.keys(c.checks).map((check) => [c.id, check] as const),
  );
  it('covers every added collector, restore-tests and Classic listeners', () => {
    expect(new Set(cases.map(([id]) => id))).toEqual(new Set(ADDED_CONTROLS));
    expect(failing.has('restore-tests')).toBe(true);
  });
  it.each(cases)('%s %s', (_id, check) => {
    if (INFO_BY_DESIGN.includes(check)) expect(failing.has(check)).toBe(false);
    else expect({ check, fails: failing.has(check) }).toEqual({ check, fails: true });
  });
});

describe('Finding.check is typed from the catalogue', () => {
  it('refuses an undeclared check at compile time: the @ts-expect-error lines below are the assertion, checked by npm run typecheck (CI), not by jest', () => {
    const declared: Finding<IamMfaCheck> = {
      resource: 'r',
      check: 'console-mfa',
      status: 'PASS',
      detail: {},
    };
    const undeclared: Finding<IamMfaCheck> = {
      resource: 'r',
      // @ts-expect-error `console-mfa-typo` is not in lambdas/collectors/iam-mfa/checks.ts
      check: 'console-mfa-typo',
      status: 'PASS',
      detail: {},
    };
    const emitsUndeclared: Collector<unknown, IamMfaCheck> = {
      ...iamMfa,
      gather: () => Promise.resolve({ facts: {}, sources: [], errors: [] }),
      assess: () => ({
        // @ts-expect-error a collector's assess can only emit checks of its own catalogue
        findings: [{ resource: 'r', check: 'backup-job', status: 'FAIL', detail: {} }],
        figures: {},
      }),
    };
    expect([declared.check, undeclared.check, typeof emitsUndeclared.assess]).toEqual([
      'console-mfa',
      'console-mfa-typo',
      'function',
    ]);
  });
});
