/**
 * The access review's round trip as a reviewer walks it, against the demo's sample account: read the
 * email, fill in the attached CSV in a spreadsheet, paste the command the email prints. Only the decisions
 * file's path is replaced (the reviewer's copy lives in a temporary folder here).
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { runDemo } from '../../cli/demo';
import { buildProgram } from '../../cli/main';
import { SAMPLE_ROLES, SAMPLE_USERS } from '../../cli/demo/sample-account';
import type { Envelope } from '../../lambdas/evidence/envelope';
import { parseCsv } from '../../lambdas/readers/credential-report/csv';
import { expectValidEnvelope } from '../helpers/envelope-schema';
import { leaves, parseMime, type MimePart } from '../collectors/access-review/mime';
import { tmpdir } from 'node:os';

const NOW = new Date('2026-11-23T06:00:00Z');

/** Splits a command line as a POSIX shell does for plain words and single-quoted ones. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/(?:'([^']*)'|([^\s']+))+|\s+/g)) {
    if (/^\s+$/.test(m[0])) continue;
    words.push(m[0].replace(/'([^']*)'/g, '$1').replace(/\\'/g, "'"));
  }
  return words;
}

/** Writes rows as a spreadsheet does when saving CSV: BOM, CRLF, quotes only where needed, blank rows left over. */
function spreadsheetCsv(rows: readonly (readonly string[])[]): string {
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const width = rows[0]!.length;
  return `\uFEFF${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n${','.repeat(width - 1)}\r\n\r\n`;
}

describe('access review round trip (demo sample account)', () => {
  let out: string;
  let text: string;
  let attachment: MimePart;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'soc2-round-trip-'));
    const demo = await runDemo(out, NOW, { days: 1 });
    const parts = leaves(parseMime(readFileSync(demo.email.eml)));
    const byType = (t: string) => parts.find((p) => (p.headers['content-type'] ?? '').startsWith(t))!;
    text = byType('text/plain').body.toString('utf8');
    attachment = byType('text/csv');
  });

  it('records the filled-in attachment with the command the email prints', async () => {
    const printed = text.split(/\r?\n/).filter((l) => l.startsWith('soc2-evidence review record '));
    expect(printed).toHaveLength(1);
    const argv = shellWords(printed[0]!).slice(1);
    // Filled in: no placeholder left, the review and the store named.
    expect(printed[0]).not.toMatch(/[<>]|\.\.\./);
    expect(argv).toEqual(expect.arrayContaining(['--dir', out]));
    const review = argv[argv.indexOf('--review') + 1]!;
    expect(review).toMatch(/^evidence\/.*\/access-review\/.*\.json$/); // a dry run names its population
    expect(attachment.headers['content-disposition']).toContain(argv[argv.indexOf('--decisions') + 1]);

    // The reviewer's spreadsheet: every row decided, one removal with a justification full of CSV syntax,
    // an extra column of their own, rows re-sorted.
    const [header, ...rows] = parseCsv(attachment.body.toString('utf8'));
    expect(header).toEqual(expect.arrayContaining(['arn', 'decision', 'justification']));
    expect(rows).toHaveLength(SAMPLE_USERS.length + SAMPLE_ROLES.length);
    const col = (name: string) => header!.indexOf(name);
    expect(rows.every((r) => r[col('decision')] === '' && r[col('justification')] === '')).toBe(true);
    const filled = rows
      .map((r) => {
        const copy = [...r, 'checked in the meeting'];
        const removed = r[col('name')] === 'deploy-bot';
        copy[col('decision')] = removed ? 'Remove' : 'KEEP';
        copy[col('justification')] = removed ? 'key never used, "deploy v1", owner left\nticket SEC-12' : '';
        return copy;
      })
      .reverse();
    const file = join(mkdtempSync(join(tmpdir(), 'soc2-reviewer-')), 'filled-in.csv');
    writeFileSync(
      file,
      spreadsheetCsv([[...header!.map((h) => h.toUpperCase()), 'My notes'], ...filled]),
      'utf8',
    );

    argv[argv.indexOf('--decisions') + 1] = file;
    // The reviewer defaults to the login name; a machine whose login is a sample principal's name would turn
    // that row into a self-review, so only then is a reviewer named.
    const login = userInfo().username;
    const principals = [...SAMPLE_USERS, ...SAMPLE_ROLES].map((p) => p.name.toLowerCase());
    const reviewer = principals.includes(login.toLowerCase()) ? 'external-reviewer' : login;
    if (reviewer !== login) argv.push('--reviewer', reviewer);
    const lines: string[] = [];
    process.exitCode = undefined;
    await buildProgram((l) => lines.push(l))
      .exitOverride()
      .parseAsync(argv, { from: 'user' });
    expect(process.exitCode).toBe(0);
    process.exitCode = undefined;

    const users = SAMPLE_USERS.length;
    const total = users + SAMPLE_ROLES.length;
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^recorded ${total} decisions by ${reviewer} \\(keep ${total - 1}, remove 1, modify 0, self-reviews 0\\): `,
        ),
      ),
    ]);
    // Dated when recorded (now), not when the demo's population was frozen.
    const keys = readdirSync(join(out, 'evidence'), { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.includes('/access-review-attestation/') && /Z-[^/]*[0-9a-f]\.json$/.test(f),
    );
    expect(keys).toHaveLength(1);
    const envelope = JSON.parse(readFileSync(join(out, 'evidence', keys[0]!), 'utf8')) as Envelope;
    expectValidEnvelope(envelope);
    expect(envelope.summary.figures).toMatchObject({
      decisions: total,
      keep: total - 1,
      remove: 1,
      modify: 0,
    });
    expect(envelope.policy).toMatchObject({
      reviewer,
      review: { populationEnvelopeKey: review },
    });
    const removed = envelope.findings.find((f) => f.detail.decision === 'remove')!;
    expect(removed.resource).toBe('arn:aws:iam::123456789012:user/deploy-bot');
    expect(removed.detail.justification).toBe('key never used, "deploy v1", owner left\nticket SEC-12');
    expect(envelope.findings.map((f) => f.detail.principal)).toEqual(
      expect.arrayContaining(SAMPLE_ROLES.map((r) => `role/${r.name}`)),
    );
  });
});
