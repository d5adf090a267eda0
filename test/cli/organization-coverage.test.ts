/**
 * Coverage per account in organization mode, end to end: pull a sealed bucket whose hub wrote an account
 * list per day, check the sections, then tamper with the package and let verify recompute the gaps.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pull } from '../../cli/pull';
import type { Manifest } from '../../cli/package/manifest';
import type { PullOptions } from '../../cli/pull/options';
import { verify } from '../../cli/verify';
import { BUCKET, serveBucket } from './evidence-bucket-fixture';
import { writeTrustFile } from './sealed-bucket-fixture';
import {
  HUB,
  MEMBER_A,
  MEMBER_B,
  MEMBER_C,
  ORG_DAYS,
  organizationBucket,
  REFUSED_OU,
} from './organization-fixture';

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `soc2-org-${name}-`));

let served: ReturnType<typeof serveBucket>;
let trust: string;

beforeAll(async () => {
  const { bucket, signers } = await organizationBucket();
  served = serveBucket(bucket);
  trust = writeTrustFile(tmp('trust'), signers);
});

async function pullInto(extra: Partial<PullOptions> = {}) {
  const out = tmp('pkg');
  const lines: string[] = [];
  const code = await pull(
    { bucket: BUCKET, from: '2026-01-01', to: '2026-01-04', out, collector: ['iam-mfa'], trust, ...extra },
    { s3: served.s3, out: (l) => lines.push(l), now: () => new Date('2026-01-05T09:00:00Z') },
  );
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
  return { out, code, lines, manifest };
}

async function check(dir: string, scope: Record<string, unknown> = { collector: ['iam-mfa'] }) {
  const lines: string[] = [];
  const code = await verify(dir, { trust, scope }, (l) => lines.push(l));
  return { code, lines };
}

function copy(dir: string): string {
  const to = tmp('copy');
  cpSync(dir, to, { recursive: true });
  return to;
}

describe('pull and verify in organization mode', () => {
  it('gives every account a list met a section with its scope, and no gap when every in-scope account wrote', async () => {
    const { code, manifest, lines, out } = await pullInto();
    expect(lines.filter((l) => l.startsWith('gap') || l.startsWith('problem'))).toEqual([]);
    expect(code).toBe(0);
    expect(manifest.coverage.map((s) => s.account)).toEqual([MEMBER_A, HUB, MEMBER_B, MEMBER_C]);
    const byAccount = new Map(manifest.coverage.map((s) => [s.account, s]));
    expect(byAccount.get(MEMBER_B)!.scope).toEqual({
      name: 'account-222',
      ouPath: 'Root/Workloads',
      changes: ['suspended', 'left 2026-01-03', 'joined 2026-01-04'],
      firstInScope: '2026-01-01',
      lastInScope: '2026-01-04',
      expected: 3,
      covered: 3,
    });
    // C never wrote evidence: it still has a section, excluded, expected nothing.
    expect(byAccount.get(MEMBER_C)!.scope).toMatchObject({ changes: ['excluded'], expected: 0, covered: 0 });
    // The hub was never in scope: it owes no iam-mfa run.
    expect(byAccount.get(HUB)!.scope).toMatchObject({ changes: ['never listed'], expected: 0 });
    expect(manifest.accountLists).toEqual({ hubs: [HUB], lists: 4, missing: [] });
    const csv = readFileSync(join(out, 'coverage.csv'), 'utf8');
    expect(csv).toContain(`${MEMBER_B},iam-mfa,2026-01-03,false,not-expected,0`);
    expect(csv).toContain(`${MEMBER_C},iam-mfa,2026-01-01,false,not-expected,0`);
  });

  it('verify: the untouched package verifies; an in-scope account envelope deleted is that account, day and collector gap', async () => {
    const { out } = await pullInto();
    const clean = await check(copy(out));
    expect(clean.lines.at(-1)).toMatch(/^verified: /);
    expect(clean.code).toBe(0);

    const dir = copy(out);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    const victim = manifest.objects.find(
      (o) => o.kind === 'envelope' && o.account === MEMBER_B && o.date === '2026-01-02',
    )!;
    rmSync(join(dir, victim.key));
    const { code, lines } = await check(dir);
    expect(lines).toContain(`gap iam-mfa account ${MEMBER_B} 2026-01-02: missing`);
    expect(
      lines.some((l) =>
        l.startsWith(`${victim.key}: missing: listed by digests/2026/01/02/${MEMBER_B}.json`),
      ),
    ).toBe(true);
    expect(code).toBe(4);
  });

  it('verify: an account list deleted is an integrity problem and a gap of that day and collector, and its accounts stay expected', async () => {
    const { out } = await pullInto();
    const dir = copy(out);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    const list = manifest.objects.find(
      (o) => o.collector === 'organization-accounts' && o.date === '2026-01-03',
    )!;
    const envelopeOfA = manifest.objects.find(
      (o) => o.kind === 'envelope' && o.account === MEMBER_A && o.date === '2026-01-03',
    )!;
    rmSync(join(dir, list.key));
    rmSync(join(dir, envelopeOfA.key));
    const { code, lines } = await check(dir);
    expect(lines).toContain(
      'gap iam-mfa account list 2026-01-03: missing (no account list of the run: the accounts its nearest list had in scope are expected)',
    );
    // Without the list, A is still expected on the 3rd (the day before's list had it): its gap stays.
    expect(lines).toContain(`gap iam-mfa account ${MEMBER_A} 2026-01-03: missing`);
    expect(
      lines.some((l) => l.startsWith(`${list.key}: missing: listed by digests/2026/01/03/${HUB}.json`)),
    ).toBe(true);
    expect(code).toBe(4);
  });

  it('pull --account B: holds the account lists and the hub chain, judges B by them; verify needs --account B', async () => {
    const { out, code, manifest } = await pullInto({ account: MEMBER_B });
    expect(code).toBe(0);
    expect(manifest.filters).toEqual({ collectors: ['iam-mfa'], account: MEMBER_B });
    expect(manifest.coverage.map((s) => s.account)).toEqual([MEMBER_B]);
    const keys = manifest.objects.map((o) => o.key);
    expect(keys.filter((k) => k.includes('/organization-accounts/'))).toHaveLength(4);
    expect(keys).toContain(`digests/2026/01/01/${HUB}.json`);
    expect(keys.some((k) => k.includes(`/${MEMBER_A}/`))).toBe(false);
    const asked = await check(copy(out), { collector: ['iam-mfa'], account: MEMBER_B });
    expect(asked.lines.at(-1)).toMatch(/^verified: /);
    expect(asked.code).toBe(0);
    const unasked = await check(copy(out));
    expect(unasked.lines[0]).toBe(
      `account: the package holds only account ${MEMBER_B}; pass --account ${MEMBER_B} to accept a filtered package`,
    );
  });

  it('pull --account A,B: several accounts, named as such; verify with the same list accepts it', async () => {
    const { out, code, manifest } = await pullInto({ accounts: [MEMBER_B, MEMBER_A] });
    expect(code).toBe(0);
    expect(manifest.filters).toEqual({ collectors: ['iam-mfa'], accounts: [MEMBER_A, MEMBER_B] });
    expect(manifest.coverage.map((s) => s.account)).toEqual([MEMBER_A, MEMBER_B]);
    expect((await check(copy(out), { collector: ['iam-mfa'], accounts: [MEMBER_A, MEMBER_B] })).code).toBe(0);
    const one = await check(copy(out), { collector: ['iam-mfa'], account: MEMBER_A });
    expect(one.lines[0]).toBe(
      `account: the package holds only accounts ${MEMBER_A}, ${MEMBER_B}, not account ${MEMBER_A} that you passed with --account`,
    );
  });
});

describe('index.html in organization mode', () => {
  it('shows a per-account table (name, OU path, scope changes, covered / expected, gaps) and a calendar per account', async () => {
    const { out } = await pullInto();
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('<h3>Accounts</h3>');
    expect(html).toContain('4 signed account list(s) of hub 123456789012');
    expect(html).toMatch(
      new RegExp(
        `<code>${MEMBER_B}</code></a></td><td>account-222</td><td>Root/Workloads</td><td>2026-01-01 to 2026-01-04</td><td>suspended; left 2026-01-03; joined 2026-01-04</td><td>3 / 3</td><td class="ok">0</td>`,
      ),
    );
    expect(html).toContain(`<h3 id="account-${MEMBER_C}">Account ${MEMBER_C} · account-333</h3>`);
    for (const account of [MEMBER_A, MEMBER_B, MEMBER_C, HUB])
      expect(html).toContain(`id="account-${account}"`);
  });

  it('pull and verify: an ERROR and a PARTIAL account list are gaps saying which, and the accounts they did not reach stay expected', async () => {
    const complete = ORG_DAYS[0]!;
    const days = [
      complete,
      // The organization could not be read: the run fanned out to nobody.
      {
        date: '2026-01-02',
        met: [],
        wrote: [],
        errors: [{ ...REFUSED_OU, api: 'organizations:DescribeOrganization' }],
      },
      // B's OU was refused: only A (and C, excluded) were read, and only A was fanned out to.
      {
        date: '2026-01-03',
        met: complete.met.filter((m) => m.account !== MEMBER_B),
        wrote: [MEMBER_A],
        errors: [REFUSED_OU],
      },
      { ...complete, date: '2026-01-04' },
    ];
    const { bucket, signers } = await organizationBucket(days);
    const out = tmp('incomplete');
    const pulled: string[] = [];
    const trustFile = writeTrustFile(tmp('t'), signers);
    const code = await pull(
      { bucket: BUCKET, from: '2026-01-01', to: '2026-01-04', out, collector: ['iam-mfa'], trust: trustFile },
      {
        s3: serveBucket(bucket).s3,
        out: (l) => pulled.push(l),
        now: () => new Date('2026-01-05T09:00:00Z'),
      },
    );
    expect(code).toBe(3);
    const gapLines = [
      `gap iam-mfa account ${MEMBER_A} 2026-01-02: missing`,
      `gap iam-mfa account ${MEMBER_B} 2026-01-02: missing`,
      `gap iam-mfa account ${MEMBER_B} 2026-01-03: missing`,
      expect.stringMatching(/^gap iam-mfa account list 2026-01-02: account list failed \(ERROR/),
      expect.stringMatching(/^gap iam-mfa account list 2026-01-03: account list incomplete \(PARTIAL/),
    ];
    expect(pulled.filter((l) => l.startsWith('gap'))).toEqual(gapLines);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.accountLists?.missing).toEqual([
      { collector: 'iam-mfa', date: '2026-01-02', status: 'ERROR' },
      { collector: 'iam-mfa', date: '2026-01-03', status: 'PARTIAL' },
    ]);
    expect(manifest.summary.gaps).toBe(5);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('<li class="bad">iam-mfa · account list · 2026-01-02: account list failed (ERROR');
    expect(html).toContain(
      '<li class="bad">iam-mfa · account list · 2026-01-03: account list incomplete (PARTIAL',
    );

    const lines: string[] = [];
    const verified = await verify(out, { trust: trustFile, scope: { collector: ['iam-mfa'] } }, (l) =>
      lines.push(l),
    );
    expect(lines.filter((l) => l.startsWith('gap'))).toEqual(gapLines);
    // The package is intact (its manifest claims the same gaps verify recomputes): verified, with gaps.
    expect(lines.at(-1)).toMatch(/^verified with gaps: 0 integrity problem\(s\), .*, 5 gap\(s\)/);
    expect(verified).toBe(3);
  });

  it('shows a member that skipped a day as a gap in its row, in Gaps and in the control rollup', async () => {
    const days = ORG_DAYS.map((d) =>
      d.date === '2026-01-02' ? { ...d, wrote: d.wrote.filter((a) => a !== MEMBER_A) } : d,
    );
    const { bucket, signers } = await organizationBucket(days);
    const out = tmp('skipped');
    const code = await pull(
      {
        bucket: BUCKET,
        from: '2026-01-01',
        to: '2026-01-04',
        out,
        collector: ['iam-mfa'],
        trust: writeTrustFile(tmp('t'), signers),
      },
      { s3: serveBucket(bucket).s3, out: () => undefined, now: () => new Date('2026-01-05T09:00:00Z') },
    );
    expect(code).toBe(3);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toMatch(
      new RegExp(`<code>${MEMBER_A}</code></a></td>.*<td>3 / 4</td><td class="bad">1</td>`),
    );
    expect(html).toContain(`<li class="bad">iam-mfa · account ${MEMBER_A} · 2026-01-02: missing</li>`);
    expect(html).toContain('<th>Accounts with gaps</th>');
    expect(html).toMatch(new RegExp(`<b>CC6.1</b>.*<td class="bad">1</td><td>${MEMBER_A}</td></tr>`));
  });
});
