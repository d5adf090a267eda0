/**
 * The auditor page in a real browser: headless Chromium loads index.html through
 * scripts/check-index-in-browser.sh (the same check CI runs on the demo's package) and must find no console
 * output, the calendar and findings sections, and nothing loaded from the network, with hostile values in
 * every field the page shows. Runs only where a Chromium binary is found (CHROMIUM_PATH, chromium or
 * chromium-browser); CI installs one and also runs the script on the demo's package.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExtractedFinding } from '../../cli/package/findings';
import { renderIndexHtml } from '../../cli/package/index-html';
import type { ManifestObject } from '../../cli/package/manifest';
import type { RunStatus } from '../../lambdas/evidence/envelope';
import { dayEnvelope, INDEX_ACCOUNT, weekPackage } from './index-fixture';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'check-index-in-browser.sh');

function findChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const name of ['chromium', 'chromium-browser']) {
    const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
  }
  return undefined;
}

const chromium = findChromium();
if (!chromium) {
  // Said once, so a skipped suite is not mistaken for a passing one.
  console.warn(
    'index-browser.test.ts: skipped: no Chromium found (install chromium, or set CHROMIUM_PATH to its binary)',
  );
}
const describeInBrowser = chromium ? describe : describe.skip;

const HOSTILE = '<img src=x onerror=console.error(1)>';
const SCRIPT_TAG = '</td><script>console.error("xss")</script>';
const ACCOUNT = INDEX_ACCOUNT;

const envelope = (day: string, status: RunStatus): ManifestObject =>
  dayEnvelope(day, status, { problems: day === '4' ? [SCRIPT_TAG] : [], warnings: [HOSTILE] });

function writePage(html: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'index-browser-'));
  const path = join(dir, 'index.html');
  writeFileSync(path, html);
  return path;
}

function check(page: string) {
  return spawnSync('bash', [SCRIPT, page], {
    encoding: 'utf8',
    env: { ...process.env, CHROMIUM_PATH: chromium },
    timeout: 120_000,
  });
}

describeInBrowser('index.html in headless Chromium', () => {
  it('renders with no console output, with the calendar and findings, even with hostile findings', () => {
    const objects = [
      envelope('1', 'PASS'),
      envelope('2', 'FAIL'),
      envelope('3', 'PARTIAL'),
      envelope('4', 'ERROR'),
    ];
    const { manifest, report } = weekPackage(objects, 1);
    const finding: ExtractedFinding = {
      check: 'console-mfa',
      resource: HOSTILE,
      status: 'FAIL',
      date: '2026-01-02',
      key: objects[1]!.key,
      collector: 'iam-mfa',
      account: ACCOUNT,
      detail: SCRIPT_TAG,
    };
    const page = writePage(
      renderIndexHtml(manifest, [{ account: ACCOUNT, report }], {
        findings: [finding, { ...finding, check: SCRIPT_TAG, status: 'WARN' }],
        unverifiedEnvelopes: 1,
      }),
    );

    const result = check(page);

    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/no console output, calendar, findings and folded object table present/);
    expect(result.status).toBe(0);
    // What the browser built: the hostile values are text, not elements.
    const dom = execFileSync(
      chromium!,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        `--user-data-dir=${page}.profile`,
        '--dump-dom',
        `file://${page}`,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 120_000 },
    );
    expect(dom).not.toMatch(/<script|<img/i);
    expect(dom).toContain('&lt;img src=x onerror=console.error(1)&gt;');
  });

  it('fails a page that logs to the console or lacks the sections', () => {
    const result = check(
      writePage('<!doctype html><html><body><script>undefinedFn()</script></body></html>'),
    );

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the page logged to the console');
    expect(result.stderr).toContain('Uncaught ReferenceError: undefinedFn is not defined');
    expect(result.stderr).toContain('the rendered DOM has no <section id="findings">');
    expect(result.stderr).toContain('the rendered DOM has no <table class="cal">');
  });
});
