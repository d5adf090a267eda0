import { PERIOD_CSS, periodReportHtml } from '../../../cli/period/period-html';
import { buildPeriodReport } from '../../../cli/period/report';
import { href } from '../../../cli/package/html';
import { ALICE, BOB, checksOf, decision, input, sequence } from './period-fixture';

const SCRIPT = '<script>alert(1)</script>';

describe('the period report section of index.html', () => {
  const runs = [
    ...sequence('PFFFP'), // mfa on alice: remediated within SLA
    ...sequence('FFFFFFFFFFFFFF', { check: 'keys', resource: BOB, region: 'eu-west-1' }), // accepted
    ...sequence('PPPF.FFFFFFFFF', { resource: SCRIPT, region: 'us-east-1' }), // past SLA, open
  ];
  const accept = decision({
    day: '2026-11-03',
    check: 'keys',
    resource: BOB,
    owner: 'risk-owner@example.com',
    reason: `legacy ${SCRIPT}`,
  });
  const revoke = decision({ action: 'revoke', day: '2026-11-05', check: 'mfa', resource: ALICE });
  const report = buildPeriodReport(input({ runs, acceptances: [accept, revoke] }), checksOf);
  const html = periodReportHtml(report);

  test('a section with its heading, the controls with their statements', () => {
    expect(
      html.startsWith('<section id="period-report"><h2>Period report: controls and exceptions</h2>'),
    ).toBe(true);
    expect(html.endsWith('</section>')).toBe(true);
    expect(html).toContain('<a href="exceptions.csv">exceptions.csv</a>');
    for (const c of report.controls) expect(html).toContain(`<td class="statement">${c.statement}</td>`);
    expect(report.controls.length).toBeGreaterThan(0);
  });

  test('everything from evidence is escaped: a resource or reason named <script> is text', () => {
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('legacy &lt;script&gt;');
  });

  test('each boundary links to its envelope; the open exception says open; the acceptance links to its record', () => {
    const alice = report.exceptions.find((e) => e.resource === ALICE)!;
    expect(html).toContain(`href="${href(alice.firstFail.key)}"`);
    expect(html).toContain(`href="${href(alice.lastFail.key)}"`);
    expect(html).toContain(`href="${href(alice.resolved!.key)}"`);
    expect(alice.firstFail.key).toMatch(/^evidence\/2026\/11\/02\/iam-mfa\//);
    const open = report.exceptions.find((e) => e.resource === SCRIPT)!;
    const row = html.slice(html.indexOf(`id="exception-${open.id}"`));
    expect(row.slice(0, row.indexOf('</tr>'))).toContain('✗ open');
    expect(html).toContain(`href="${href(accept.key)}"`);
    expect(html).toContain(`href="${href(revoke.key)}"`);
  });

  test('the SLA breaches are listed, with their due day', () => {
    const breached = report.exceptions.filter((e) => e.sla.verdict === 'breached');
    expect(breached.map((e) => e.resource)).toEqual([SCRIPT]);
    const list = html.slice(html.indexOf('<ul class="breaches">'), html.indexOf('</ul>'));
    expect(list).toContain('&lt;script&gt;');
    expect(list).toContain(`due ${breached[0]!.sla.due}`);
    expect(list).not.toContain(ALICE);
  });

  test('no breach: says so', () => {
    const none = periodReportHtml(buildPeriodReport(input({ runs: sequence('PFP') }), checksOf));
    expect(none).toContain('✓ No exception is past its remediation SLA.');
    expect(none).not.toContain('<ul class="breaches">');
  });

  test('the acceptance: owner, reason, expiry, in force; an expired one says expired', () => {
    expect(html).toContain('⚑ in force');
    expect(html).toContain('risk-owner@example.com');
    expect(html).toContain('until 2026-12-31');
    const expired = periodReportHtml(
      buildPeriodReport(
        input({
          runs: sequence('FFFFFFFFFFFFFF'),
          acceptances: [decision({ day: '2026-11-01', expires: '2026-11-05' })],
        }),
        checksOf,
      ),
    );
    expect(expired).toContain('✗ expired');
    expect(expired).toContain('its acceptance expired');
  });

  test('every acceptance and revocation is listed in full', () => {
    const table = html.slice(html.indexOf('<table class="records">'));
    expect(table).toContain('⚑ accept');
    expect(table).toContain('✗ revoke');
    expect(table).toContain('✓ proven by AWS STS');
  });

  test('the stylesheet addition is plain CSS', () => {
    expect(PERIOD_CSS).toContain('.accepted{');
    expect(PERIOD_CSS).not.toMatch(/<\/?style/);
  });
});
