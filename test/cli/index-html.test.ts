import { checkIds } from '../../lambdas/collectors/check-catalogue';
import { IAM_MFA_CHECKS } from '../../lambdas/collectors/iam-mfa/checks';
import type { RunStatus } from '../../lambdas/evidence/envelope';
import { computeCoverage } from '../../lambdas/evidence/coverage';
import { renderIndexHtml } from '../../cli/package/index-html';
import type { Manifest, ManifestObject } from '../../cli/package/manifest';

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
      publicKeys: {},
      objects: [hostileObject()],
      coverage: [],
      summary: { objects: 1, integrityProblems: 1, gaps: 0 },
    };
    const report = computeCoverage({
      from: '2026-01-01',
      to: '2026-01-03',
      schedules: {},
      unscheduled: [HOSTILE],
      envelopes: [{ collector: HOSTILE, date: '2026-01-02', status: SCRIPT as RunStatus }],
    });

    const html = renderIndexHtml(manifest, [{ account: SCRIPT, report }]);

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
      publicKeys: {},
      objects: [object],
      coverage: [],
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
});
