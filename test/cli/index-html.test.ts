import { checkIds } from '../../lambdas/collectors/check-catalogue';
import { IAM_MFA_CHECKS } from '../../lambdas/collectors/iam-mfa/checks';
import type { RunStatus } from '../../lambdas/evidence/envelope';
import { computeCoverage } from '../../lambdas/evidence/coverage';
import { summariseDay } from '../../cli/package/day-status';
import { extractFindings, type ExtractedFinding } from '../../cli/package/findings';
import { renderIndexHtml } from '../../cli/package/index-html';
import type { Envelope } from '../../lambdas/evidence/envelope';
import type { Manifest, ManifestObject } from '../../cli/package/manifest';
import { dayEnvelope, INDEX_ACCOUNT, NO_EXCEPTIONS, weekPackage } from './index-fixture';

// What a forged envelope or a rebuilt manifest can put in any string field.
const HOSTILE = '<img src=x onerror=alert(1)>';
const SCRIPT = '</td><script>alert(document.cookie)</script>';
const KEY = 'evidence/2026/01/02/iam-mfa/123456789012/global/060003Z-run-1.json';

function hostileObject(): ManifestObject {
  return {
    key: KEY,
    bytes: 10,
    sha256: `${SCRIPT}${'a'.repeat(64)}`,
    versionId: HOSTILE,
    signingKey: HOSTILE,
    objectLock: { mode: HOSTILE, retainUntil: SCRIPT },
    kind: 'envelope',
    collector: HOSTILE,
    account: '123456789012',
    region: 'global',
    date: '2026-01-02',
    status: SCRIPT as RunStatus,
    controls: [HOSTILE],
    checks: {
      digest: 'ok',
      s3Checksum: 'ok',
      metadataSha256: 'ok',
      signature: HOSTILE as 'valid',
      envelope: 'ok',
      retention: 'ok',
    },
    problems: [SCRIPT],
    warnings: [HOSTILE],
  };
}

describe('index.html', () => {
  it('escapes every value taken from envelopes and the manifest', () => {
    const manifest: Manifest = {
      schemaVersion: 1,
      producer: { name: HOSTILE, version: SCRIPT },
      generatedAt: HOSTILE,
      bucket: SCRIPT,
      period: { from: '2026-01-01', to: '2026-01-03' },
      filters: {},
      trust: { source: 'test', producers: {}, unbound: 0 },
      objects: [hostileObject()],
      coverage: [],
      periodReport: NO_EXCEPTIONS,
      summary: { objects: 1, integrityProblems: 1, gaps: 0 },
    };
    const report = computeCoverage({
      from: '2026-01-01',
      to: '2026-01-03',
      schedules: {},
      unscheduled: [HOSTILE],
      envelopes: [{ collector: HOSTILE, date: '2026-01-02', status: SCRIPT as RunStatus }],
    });

    const hostileFinding: ExtractedFinding = {
      check: SCRIPT,
      resource: HOSTILE,
      status: 'FAIL',
      date: '2026-01-02',
      key: `${KEY}"><script>`,
      collector: HOSTILE,
      account: SCRIPT,
      detail: SCRIPT,
    };
    const findings = {
      findings: [hostileFinding, { ...hostileFinding, status: 'WARN' as const }],
      unverifiedEnvelopes: 0,
    };

    const html = renderIndexHtml(manifest, [{ account: SCRIPT, report }], findings);

    expect(html).toContain('<section id="findings">');
    expect(html).toContain(`<code>&lt;img src=x onerror=alert(1)&gt;</code>`);
    expect(html).toContain('(not in this version’s check catalogue)');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('&lt;/td&gt;&lt;script&gt;alert(document.cookie)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    // The status column in particular, which used to be inserted as is.
    expect(html).toContain(
      '<td>envelope &lt;/td&gt;&lt;script&gt;alert(document.cookie)&lt;/script&gt;</td>',
    );
  });

  it('describes the checks of the kinds in the package, from their catalogues, and no others', () => {
    const object = {
      ...hostileObject(),
      collector: 'iam-mfa',
      status: 'FAIL' as RunStatus,
      controls: ['CC6.1'],
    };
    const manifest: Manifest = {
      schemaVersion: 1,
      producer: { name: 'soc2-evidence', version: '0.1.0' },
      generatedAt: '2026-01-04T00:00:00Z',
      bucket: 'evidence-bucket-example',
      period: { from: '2026-01-01', to: '2026-01-03' },
      filters: {},
      trust: { source: 'test', producers: {}, unbound: 0 },
      objects: [object],
      coverage: [],
      periodReport: NO_EXCEPTIONS,
      summary: { objects: 1, integrityProblems: 0, gaps: 0 },
    };
    const html = renderIndexHtml(manifest, []);
    const checks = html.slice(html.indexOf('<h2>Checks</h2>'), html.indexOf('<h2>Integrity problems</h2>'));
    for (const id of checkIds(IAM_MFA_CHECKS)) {
      expect(checks).toContain(`<code>${id}</code>`);
      expect(checks).toContain(`<summary>${IAM_MFA_CHECKS[id].title}</summary>`);
    }
    expect(checks).toContain(IAM_MFA_CHECKS['console-mfa'].description);
    // Inline code in the catalogue's prose is shown as code.
    expect(checks).toContain('<code>aws iam delete-login-profile --user-name NAME</code>');
    expect(checks).not.toContain('<code>backup-job</code>');
  });

  it('turns envelope findings into rows, reading hostile fields as text and skipping envelopes that failed a check', () => {
    const good = { ...hostileObject(), collector: 'iam-mfa', problems: [] };
    const bad = { ...good, key: KEY.replace('run-1', 'run-2') };
    const envelope = {
      findings: [
        {
          check: 'console-mfa',
          resource: HOSTILE,
          status: 'FAIL',
          detail: { user: SCRIPT, ports: [22, 3389] },
        },
        { check: 'console-mfa', resource: 'arn:aws:iam::123456789012:user/ok', status: 'PASS', detail: {} },
        { check: 'root-recently-used', resource: 'root', status: 'WARN', detail: 'not an object' },
        'not a finding',
        null,
      ],
    } as unknown as Envelope;
    const out = extractFindings(
      [good, { ...bad, problems: ['signature does not verify'] }],
      new Map([
        [good.key, envelope],
        [bad.key, envelope],
      ]),
    );
    expect(out.unverifiedEnvelopes).toBe(1);
    expect(out.findings).toEqual([
      {
        check: 'console-mfa',
        resource: HOSTILE,
        status: 'FAIL',
        date: '2026-01-02',
        key: KEY,
        collector: 'iam-mfa',
        account: '123456789012',
        detail: `user: ${SCRIPT}, ports: 22 3389`,
      },
      {
        check: 'root-recently-used',
        resource: 'root',
        status: 'WARN',
        date: '2026-01-02',
        key: KEY,
        collector: 'iam-mfa',
        account: '123456789012',
      },
    ]);
  });

  it("summarises a day as the worst of each scope's latest completed run", () => {
    const k = (scope: string, time: string) => `evidence/2026/01/02/tls/1/${scope}/${time}Z-r.json`;
    // A FAIL at 06:00 fixed by 07:00: the day passes.
    expect(
      summariseDay([
        { key: k('us-east-1', '060000'), status: 'FAIL' },
        { key: k('us-east-1', '070000'), status: 'PASS' },
      ]).result,
    ).toBe('pass');
    // A later retry that errored does not erase the completed run.
    expect(
      summariseDay([
        { key: k('us-east-1', '060000'), status: 'FAIL' },
        { key: k('us-east-1', '070000'), status: 'ERROR' },
      ]),
    ).toEqual({
      result: 'fail',
      complete: true,
      key: k('us-east-1', '060000'),
      runs: { FAIL: 1, ERROR: 1 },
    });
    // One region passed, another only errored: partial. Every run errored: error.
    expect(
      summariseDay([
        { key: k('us-east-1', '060000'), status: 'PASS' },
        { key: k('eu-west-1', '060000'), status: 'ERROR' },
      ]).result,
    ).toBe('partial');
    expect(summariseDay([{ key: k('global', '060000'), status: 'ERROR' }]).result).toBe('error');
    // Worst across scopes, and the link goes to the run that decided it.
    expect(
      summariseDay([
        { key: k('us-east-1', '060000'), status: 'PARTIAL' },
        { key: k('eu-west-1', '060000'), status: 'FAIL' },
      ]),
    ).toMatchObject({ result: 'fail', key: k('eu-west-1', '060000') });
  });

  it('colours and marks each day by its result, lists findings per check and per control, and folds the object table', () => {
    const env = (day: string, status: RunStatus, account = INDEX_ACCOUNT): ManifestObject =>
      dayEnvelope(day, status, { account });
    const objects = [env('1', 'PASS'), env('2', 'FAIL'), env('3', 'PARTIAL'), env('4', 'ERROR')];
    const { manifest, report } = weekPackage(objects);
    const finding = (date: string, resource: string): ExtractedFinding => ({
      check: 'console-mfa',
      resource,
      status: 'FAIL',
      date,
      key: objects.find((o) => o.date === date)!.key,
      collector: 'iam-mfa',
      account: '123456789012',
    });
    const html = renderIndexHtml(manifest, [{ account: '123456789012', report }], {
      findings: [
        finding('2026-01-02', 'arn:aws:iam::123456789012:user/bob'),
        finding('2026-01-03', 'arn:aws:iam::123456789012:user/bob'),
      ],
      unverifiedEnvelopes: 0,
    });

    const cal = html.slice(html.indexOf('<section id="coverage">'), html.indexOf('<section id="findings">'));
    // Jan 1 2026 is a Thursday: Thu-Fri expected, Sat-Sun not, Mon-Tue expected.
    expect(cal).toMatch(
      /<td class="s-pass" title="iam-mfa 2026-01-01: pass \(expected\), 1 run\(s\): 1 PASS"><a href="[^"]*run-1.json">✓<\/a>/,
    );
    expect(cal).toMatch(/<td class="s-fail" [^>]*><a [^>]*>✗<\/a>/);
    expect(cal).toMatch(
      /<td class="s-partial extra" title="iam-mfa 2026-01-03: partial \(run on an unscheduled day\)[^"]*"><a [^>]*>◐\+<\/a>/,
    );
    expect(cal).toMatch(/<td class="s-error extra" [^>]*><a [^>]*>!\+<\/a>/);
    expect(cal).toMatch(
      /<td class="s-missing" title="iam-mfa 2026-01-05: missing \(expected\), 0 runs">∅<\/td>/,
    );
    for (const word of [
      'pass:',
      'fail:',
      'partial:',
      'error:',
      'missing:',
      'not expected:',
      'did not promise',
      'worst of those counted runs',
    ])
      expect(cal).toContain(word);

    const findings = html.slice(html.indexOf('<section id="findings">'), html.indexOf('<h2>Gaps</h2>'));
    expect(findings).toContain(
      '<span class="sev sev-high">high</span> <code>console-mfa</code> Console users have MFA',
    );
    expect(findings).toMatch(
      /<code>arn:aws:iam::123456789012:user\/bob<\/code><\/td><td>123456789012<\/td><td class="bad">✗ FAIL<\/td><td class="day">2026-01-02<\/td><td class="day">2026-01-03 <span class="open">still open<\/span><\/td><td>2 of 3<\/td>/,
    );
    expect(findings).toContain(
      'href="evidence/2026/01/03/iam-mfa/123456789012/global/060003Z-run-3.json">envelope</a>',
    );
    // Per control: CC6.1 holds console-mfa with one failing resource.
    expect(findings).toMatch(
      /<th rowspan="\d+" class="control">CC6.1<br><span class="bad">1 resource\(s\) failing/,
    );
    expect(findings).toMatch(
      /<code>console-mfa<\/code> Console users have MFA<\/td><td class="sev-high">high<\/td><td class="bad">✗ 1<\/td>/,
    );
    expect(html).toContain('1 resource(s) failed 1 check(s) within the period');
    expect(html).toMatch(
      /<h2>All objects<\/h2><details><summary>[^<]*\(4 objects\)<\/summary><table class="objects">/,
    );
  });
});
