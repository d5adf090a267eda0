import { parseCsv } from '../../../lambdas/readers/credential-report/csv';
import { buildRawMessage } from '../../../lambdas/collectors/access-review/message';
import {
  HTML_ROW_CAP,
  csvCell,
  escapeHtml,
  quarterOf,
  recordCommand,
  renderCsv,
  renderHtml,
  renderText,
  reviewSubject,
} from '../../../lambdas/collectors/access-review/render';
import { entry, population } from './fixtures';
import { decodeHeader, leaves, parseMime } from './mime';

const META = { quarter: '2026-Q4', account: '123456789012', location: { bucket: 'evidence-bucket' } };

describe('the record command and the reviewer columns', () => {
  it('names the quarter and the store, quoting a path that needs it', () => {
    expect(recordCommand(META)).toBe(
      'soc2-evidence review record --review 2026-Q4 --bucket evidence-bucket --decisions access-review-2026-Q4.csv',
    );
    expect(
      recordCommand({ ...META, location: { dir: "/home/o'neil/my evidence" }, review: 'evidence/x.json' }),
    ).toBe(
      `soc2-evidence review record --review evidence/x.json --dir '/home/o'\\''neil/my evidence' --decisions access-review-2026-Q4.csv`,
    );
    const p = population([entry('alice')]);
    expect(renderText(p, META).split('\n')).toContain(recordCommand(META));
    expect(renderHtml(p, META)).toContain(escapeHtml(recordCommand(META)));
  });

  it('shows keys with age and last use, creation, activity and role use as dates', () => {
    const p = {
      ...population([
        entry('kim', {
          lastActivity: '2026-09-30T10:11:12.000Z',
          accessKeys: [
            {
              slot: 1 as const,
              active: true,
              createdAt: '2026-06-03T00:00:00.000Z',
              ageDays: 120,
              lastUsedAt: '2026-09-30T10:11:12.000Z',
              lastUsedService: 's3',
            },
            {
              slot: 2 as const,
              active: false,
              createdAt: null,
              ageDays: null,
              lastUsedAt: null,
              lastUsedService: null,
            },
          ],
        }),
        entry('new', { createdAt: '2026-09-28T00:00:00.000Z', lastActivity: null }),
      ]),
      roles: [
        {
          name: 'Ops',
          arn: 'arn:aws:iam::123456789012:role/Ops',
          trustedBy: ['account:self'],
          createdAt: '2025-01-02T03:04:05.000Z',
          lastUsedAt: '2026-09-29T01:00:00.000Z',
          lastUsedRegion: 'eu-west-1',
          policies: [],
          admin: false,
          nearAdmin: false,
          adminReasons: [],
        },
      ],
    };
    const rows = parseCsv(renderCsv(p));
    const col = (name: string) => rows[0]!.indexOf(name);
    expect(rows[1]![col('access_keys')]).toBe(
      'key 1: 120 days old, last used 2026-09-30 (s3); key 2 (inactive): age unknown, never used',
    );
    expect(rows[1]![col('last_activity')]).toBe('2026-09-30');
    expect(rows[1]![col('created')]).toBe('2024-01-01');
    expect(rows[2]![col('last_activity')]).toBe('none yet (new user)');
    expect(rows[3]!.slice(0, 2)).toEqual(['role', 'Ops']);
    expect([rows[3]![col('last_activity')], rows[3]![col('created')]]).toEqual([
      '2026-09-29 (eu-west-1)',
      '2025-01-02',
    ]);
    expect(rows.slice(1).every((r) => r[col('decision')] === '' && r[col('justification')] === '')).toBe(
      true,
    );
    const html = renderHtml(p, META);
    expect(html).toContain('key 1: 120 days old, last used 2026-09-30 (s3)<br>key 2 (inactive)');
    expect(html).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(renderText(p, META)).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });
});

describe('quarterOf', () => {
  it.each([
    ['2026-10-01T07:00:00Z', 'UTC', '2026-Q4'],
    ['2026-01-01T08:00:00Z', 'Europe/Paris', '2026-Q1'],
    // 09:00 on 1 January in Auckland is still 31 December in UTC: the schedule's zone decides.
    ['2025-12-31T20:00:00Z', 'Pacific/Auckland', '2026-Q1'],
    ['2025-12-31T20:00:00Z', 'UTC', '2025-Q4'],
    ['2026-06-30T23:59:59Z', 'UTC', '2026-Q2'],
  ])('%s in %s → %s', (at, tz, q) => expect(quarterOf(new Date(at), tz)).toBe(q));
});

describe('hostile names', () => {
  const hostile = entry('<script>alert(1)</script>', {
    admin: true,
    groups: ['=HYPERLINK("http://evil.example.com","x")'],
    policies: [{ name: '+cmd|calc', type: 'inline', via: 'user', admin: true, nearAdmin: false }],
  });
  const p = population([hostile, entry('@sum', { inactive: true }), entry('-1+1'), entry('\tTab')]);

  it('escapes everything a user controls in the HTML', () => {
    const html = renderHtml(p, META);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('=HYPERLINK(&quot;http://evil.example.com&quot;,&quot;x&quot;)');
    expect(escapeHtml(`a&b<c>"d"'e'`)).toBe('a&amp;b&lt;c&gt;&quot;d&quot;&#39;e&#39;');
  });

  it('quotes every CSV cell and defuses formulas', () => {
    expect(csvCell('=1+1')).toBe(`"'=1+1"`);
    expect(csvCell('+x')).toBe(`"'+x"`);
    expect(csvCell('-x')).toBe(`"'-x"`);
    expect(csvCell('@x')).toBe(`"'@x"`);
    expect(csvCell('\tx')).toBe(`"'\tx"`);
    expect(csvCell('\rx')).toBe(`"'\rx"`);
    expect(csvCell('say "hi", ok')).toBe('"say ""hi"", ok"');
    expect(csvCell('alice')).toBe('"alice"');
    const rows = parseCsv(renderCsv(p));
    const names = rows.slice(1).map((r) => r[1]);
    expect(names).toEqual(['<script>alert(1)</script>', "'@sum", "'-1+1", "'\tTab"]);
    expect(rows[1]![8]).toBe(`'=HYPERLINK("http://evil.example.com","x")`);
    expect(rows[1]![9]).toBe(`'+cmd|calc (inline)`);
  });
});

describe('rendering sizes', () => {
  it('renders an empty population with "None." tables and a header-only CSV', () => {
    const p = population([]);
    expect(parseCsv(renderCsv(p))).toHaveLength(1);
    const html = renderHtml(p, META);
    expect(html).toContain('IAM users: 0');
    expect(html).toContain('<h2>Everyone (0)</h2>');
    expect(html).toContain('None.');
    expect(renderText(p, META)).toContain('Administrators: 0');
  });

  it('renders one user in every table it belongs to', () => {
    const p = population([entry('solo', { admin: true, mfa: false, inactive: true })]);
    const html = renderHtml(p, META);
    for (const t of [
      'Administrators and near-administrators (1)',
      'Console users without MFA (1)',
      'Inactive users (1)',
      'Everyone (1)',
    ])
      expect(html).toContain(t);
    expect(parseCsv(renderCsv(p))).toHaveLength(2);
  });

  it('lists near-admins beside admins, with the reason, in the HTML, text and CSV', () => {
    const reason = 'PowerUserAccess: every action except IAM, Organizations and Account management';
    const p = population([
      entry('ann', { admin: true, adminReasons: ['AdministratorAccess: AdministratorAccess'] }),
      entry('ben', { nearAdmin: true, adminReasons: [`PowerUserAccess: ${reason}`] }),
      entry('cat'),
    ]);
    const html = renderHtml(p, META);
    const admins = html.slice(html.indexOf('<h2>Administrators'), html.indexOf('<h2>Console users'));
    expect(admins).toContain('Administrators and near-administrators (2)');
    expect(admins).toContain(`<tr><td>ben</td><td>near</td><td>PowerUserAccess: ${reason}</td>`);
    expect(admins).not.toContain('<td>cat</td>');
    expect(html).toContain('Administrators: 1, and 1 near-administrators');
    expect(renderText(p, META)).toContain(`  - ben: PowerUserAccess: ${reason}`);
    const rows = parseCsv(renderCsv(p));
    const col = (name: string) => rows[0]!.indexOf(name);
    expect(rows[2]![col('admin')]).toBe('no');
    expect(rows[2]![col('near_admin')]).toBe('yes');
    expect(rows[2]![col('admin_reason')]).toBe(`PowerUserAccess: ${reason}`);
  });

  it('caps the HTML at 500 rows with a note, while the CSV carries all 5,000 users', () => {
    const users = Array.from({ length: 5000 }, (_, i) => entry(`user-${String(i).padStart(4, '0')}`));
    const p = population(users);
    const html = renderHtml(p, META);
    const everyone = html.slice(html.indexOf('<h2>Everyone'));
    expect(everyone.match(/<tr><td>/g)).toHaveLength(HTML_ROW_CAP);
    expect(html).toContain(
      `Showing the first ${HTML_ROW_CAP} of 5000 users; the attached CSV carries all of them.`,
    );
    expect(html).toContain('user-0499');
    expect(html).not.toContain('user-0500');
    const rows = parseCsv(renderCsv(p));
    expect(rows).toHaveLength(5001);
    expect(rows[5000]![1]).toBe('user-4999');
  });
});

describe('buildRawMessage', () => {
  it('builds a message whose subject, both bodies and CSV attachment read back', async () => {
    const p = population([entry('alice', { admin: true }), entry('=bob', { mfa: false })]);
    const csv = renderCsv(p);
    const raw = await buildRawMessage({
      from: 'soc2-evidence@example.com',
      to: 'security@example.com',
      subject: reviewSubject(META),
      text: renderText(p, META),
      html: renderHtml(p, META),
      csv,
      csvFilename: 'access-review-2026-Q4.csv',
      date: new Date('2026-10-01T07:00:00Z'),
    });
    const msg = parseMime(raw);
    expect(decodeHeader(msg.headers.subject!)).toBe('SOC 2 access review 2026-Q4 — AWS account 123456789012');
    expect(msg.headers.from).toBe('soc2-evidence@example.com');
    expect(msg.headers.to).toBe('security@example.com');
    expect(msg.headers['content-type']).toMatch(/^multipart\/mixed/);
    const parts = leaves(msg);
    const byType = (t: string) => parts.find((x) => (x.headers['content-type'] ?? '').startsWith(t))!;
    expect(byType('text/plain').body.toString('utf8')).toContain('Administrators: 1');
    expect(byType('text/html').body.toString('utf8')).toContain(
      '<h2>Administrators and near-administrators (1)</h2>',
    );
    const attachment = byType('text/csv');
    expect(attachment.headers['content-disposition']).toMatch(
      /attachment; filename=access-review-2026-Q4\.csv/,
    );
    expect(attachment.body.toString('utf8')).toBe(csv);
    expect(parseCsv(attachment.body.toString('utf8')).map((r) => r[1])).toEqual(['name', 'alice', "'=bob"]);
  });
});
