/**
 * The tamper corpus: what the audited company's administrators could do to a package before handing it to
 * the auditor, each case against one demo package built once, and what `verify` says about it. Every case
 * name must appear in docs/AUDITOR.md (What verify detects), the table the auditor's guide shows.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runDemo, PACKAGE_DIR, TRUST_FILE } from '../../cli/demo';
import { producerOfKey } from '../../cli/package/checks';
import type { Manifest, ManifestObject } from '../../cli/package/manifest';
import { renderTrustFile, TRUST_FILE_KIND } from '../../cli/trust/trust-file';
import { verify } from '../../cli/verify';
import { PRODUCER_IDS } from '../../lambdas/collectors/registry';
import { LocalSigner } from '../../lambdas/evidence/signer';

const NOW = new Date('2026-03-15T12:00:00Z');
const GAP_DATE = '2026-03-11';
const ACCOUNT = '123456789012';

let scratch: string;
let pristine: string;
let demoTrust: string;
let manifest: Manifest;

/** A trust file of fresh keys for every producer, and their signers (an attacker's, or a wrong anchor). */
function freshTrust(dir: string, name: string): { file: string; signers: Map<string, LocalSigner> } {
  const signers = new Map(PRODUCER_IDS.map((id) => [id, LocalSigner.generate(`other-${id}`)]));
  const file = join(dir, name);
  writeFileSync(
    file,
    renderTrustFile({
      schemaVersion: 1,
      kind: TRUST_FILE_KIND,
      pinnedAt: NOW.toISOString(),
      source: `fresh keys (${name})`,
      producers: Object.fromEntries(
        [...signers].map(([id, s]) => [id, { keyArn: s.keyId, publicKey: s.publicKeyPem() }]),
      ),
    }),
  );
  return { file, signers };
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'soc2-tamper-'));
  const demo = await runDemo(join(scratch, 'demo'), NOW);
  pristine = join(demo.out, PACKAGE_DIR);
  demoTrust = join(demo.out, TRUST_FILE);
  manifest = JSON.parse(readFileSync(join(pristine, 'manifest.json'), 'utf8')) as Manifest;
}, 60_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let copies = 0;
/** A fresh copy of the demo's package, writable. */
function copy(): string {
  const dir = join(scratch, `case-${++copies}`);
  cpSync(pristine, dir, { recursive: true });
  return dir;
}

function writable(path: string): void {
  if (existsSync(path)) chmodSync(path, 0o644);
}

function write(dir: string, path: string, body: string | Buffer): void {
  const file = join(dir, ...path.split('/'));
  mkdirSync(dirname(file), { recursive: true });
  writable(file);
  writeFileSync(file, body);
}

const read = (dir: string, path: string) => readFileSync(join(dir, ...path.split('/')));
const sha = (body: Buffer) => createHash('sha256').update(body).digest('hex');

function editManifest(dir: string, edit: (m: { -readonly [K in keyof Manifest]: Manifest[K] }) => void) {
  const m = JSON.parse(read(dir, 'manifest.json').toString('utf8')) as Manifest;
  edit(m);
  write(dir, 'manifest.json', `${JSON.stringify(m, null, 2)}\n`);
}

/** Rewrites SHA256SUMS as an attacker rebuilding the package would: every file listed, with its digest. */
function resum(dir: string, extra: readonly string[] = []): void {
  const listed = read(dir, 'SHA256SUMS')
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(66));
  const lines = [...new Set([...listed, ...extra])]
    .filter((p) => existsSync(join(dir, ...p.split('/'))))
    .sort()
    .map((p) => `${sha(read(dir, p))}  ${p}\n`);
  write(dir, 'SHA256SUMS', lines.join(''));
}

async function check(dir: string, trust: string | undefined = demoTrust) {
  const lines: string[] = [];
  const code = await verify(dir, trust ? { trust } : {}, (l) => lines.push(l));
  if (process.env.VERIFY_DEBUG)
    console.log(
      `${expect.getState().currentTestName} (${lines.length} lines)\n${[...lines.slice(0, 14), '...', ...lines.slice(-4)].join('\n')}`,
    );
  return { code, lines };
}

const envelopes = () => manifest.objects.filter((o) => o.kind === 'envelope');
const envelopeOf = (collector: string, date: string): ManifestObject =>
  envelopes().find((o) => o.collector === collector && o.date === date)!;
const runOf = (envelope: ManifestObject) =>
  manifest.objects.filter((o) => o.key.startsWith(envelope.key.replace(/\.json$/, '')));
const digestOf = (date: string) => `digests/${date.replace(/-/g, '/')}/${ACCOUNT}.json`;

/** Every corpus case, by the name docs/AUDITOR.md (What verify detects) gives it. */
const CASES: string[] = [];
function tamper(name: string, fn: () => Promise<void>): void {
  CASES.push(name);
  it(name, fn, 30_000);
}

const STAGED_GAPS = ['backups', 'console-signins', 'iam-mfa', 'inactive-users'].map(
  (c) => `gap ${c} account ${ACCOUNT} ${GAP_DATE}: missing`,
);

describe('tamper corpus: verify trusts nothing it cannot prove', () => {
  tamper('untampered package, with the demo trust file', async () => {
    const { code, lines } = await check(copy());
    expect(lines.slice(0, 4)).toEqual(STAGED_GAPS);
    expect(lines.at(-1)).toMatch(/^verified with gaps: 0 integrity problem\(s\), 0 unsealed .*, 4 gap\(s\)/);
    expect(code).toBe(3);
  });

  tamper('untampered package, with another trust file', async () => {
    const { file } = freshTrust(scratch, 'other-trust.json');
    const { code, lines } = await check(copy(), file);
    expect(lines).toContain(
      `${digestOf('2026-03-02')}: signature does not verify with the trusted key of sealer (nor any other trusted key)`,
    );
    const e = envelopeOf('iam-mfa', '2026-03-02');
    expect(lines).toContain(
      `${e.key}: signature does not verify with the trusted key of iam-mfa (nor any other trusted key)`,
    );
    expect(lines).toContain(
      'keys/sealer.pem: not the key the trust anchor pins for sealer (fresh keys (other-trust.json)): a check by hand with it proves nothing (SHA-256 ' +
        sha(read(pristine, 'keys/sealer.pem')) +
        ')',
    );
    expect(code).toBe(4);
  });

  tamper('untampered package, with no trust anchor', async () => {
    await expect(check(copy(), '')).rejects.toThrow(/^verify needs a trust anchor: --trust FILE/);
  });

  tamper('byte flip in an envelope', async () => {
    const dir = copy();
    const e = envelopeOf('backups', '2026-03-05');
    const body = read(dir, e.key);
    body.writeUInt8(body.readUInt8(body.length - 2) ^ 0x01, body.length - 2);
    write(dir, e.key, body);
    resum(dir);
    const { code, lines } = await check(dir);
    expect(lines[0]).toMatch(
      new RegExp(`^${e.key}: SHA-256 [0-9a-f]{64} differs from ${digestOf('2026-03-05')} \\(${e.sha256}\\)$`),
    );
    expect(code).toBe(4);
  });

  tamper('swapped signatures between two objects in the manifest', async () => {
    const dir = copy();
    const a = envelopeOf('iam-mfa', '2026-03-06');
    const b = envelopeOf('backups', '2026-03-06');
    editManifest(dir, (m) => {
      const oa = m.objects.find((o) => o.key === a.key)! as { signature?: string };
      const ob = m.objects.find((o) => o.key === b.key)! as { signature?: string };
      [oa.signature, ob.signature] = [ob.signature, oa.signature];
    });
    resum(dir);
    const { code, lines } = await check(dir);
    // Each signature is over the other's bytes: neither verifies with any trusted key.
    expect(lines.slice(0, 2)).toEqual([
      `${b.key}: signature does not verify with the trusted key of backups (nor any other trusted key)`,
      `${a.key}: signature does not verify with the trusted key of iam-mfa (nor any other trusted key)`,
    ]);
    expect(code).toBe(4);
  });

  tamper('re-dated run: an envelope moved to another day', async () => {
    const dir = copy();
    // The FAIL of the gap's day before is moved to fill the gap: its bytes and signature are intact.
    const e = envelopeOf('iam-mfa', '2026-03-10');
    const moved = new Map(runOf(e).map((o) => [o.key, o.key.replace('2026/03/10', '2026/03/11')]));
    for (const [from, to] of moved) {
      write(dir, to, read(dir, from));
      rmSync(join(dir, ...from.split('/')));
    }
    editManifest(dir, (m) => {
      m.objects = m.objects.map((o) => (moved.has(o.key) ? { ...o, key: moved.get(o.key)! } : o));
    });
    resum(dir, [...moved.values()]);
    const { code, lines } = await check(dir);
    expect(lines).toContain(`${e.key}: missing: listed by ${digestOf('2026-03-10')}`);
    expect(lines).toContain(
      `${moved.get(e.key)}: not accounted for by the digest chain (no digest of the period lists it)`,
    );
    expect(code).toBe(4);
  });

  tamper('extra envelope listed only in SHA256SUMS', async () => {
    const dir = copy();
    const e = envelopeOf('iam-mfa', '2026-03-10');
    const extra = e.key.replace('2026/03/10', '2026/03/11');
    write(dir, extra, read(dir, e.key));
    resum(dir, [extra]);
    const { code, lines } = await check(dir);
    expect(lines).toContain(
      `${extra}: not accounted for by the digest chain (no digest of the period lists it)`,
    );
    expect(code).toBe(4);
  });

  tamper('whole run deleted with its manifest and SHA256SUMS lines', async () => {
    const dir = copy();
    const e = envelopeOf('backups', '2026-03-09');
    const run = new Set(runOf(e).map((o) => o.key));
    for (const key of run) rmSync(join(dir, ...key.split('/')));
    editManifest(dir, (m) => {
      m.objects = m.objects.filter((o) => !run.has(o.key));
    });
    resum(dir);
    const { code, lines } = await check(dir);
    for (const key of run) expect(lines).toContain(`${key}: missing: listed by ${digestOf('2026-03-09')}`);
    expect(lines).toContain(`gap backups account ${ACCOUNT} 2026-03-09: missing`);
    expect(code).toBe(4);
  });

  tamper('coverage.csv edited to hide the gap', async () => {
    const dir = copy();
    const csv = read(dir, 'coverage.csv')
      .toString('utf8')
      .replace(new RegExp(`,${GAP_DATE},true,missing,0`, 'g'), `,${GAP_DATE},true,present,1`);
    write(dir, 'coverage.csv', csv);
    resum(dir);
    const { code, lines } = await check(dir);
    expect(lines[0]).toMatch(
      /^coverage\.csv: differs from the coverage rendered from the verified evidence \(first at line \d+\)$/,
    );
    expect(lines).toEqual(expect.arrayContaining(STAGED_GAPS));
    expect(code).toBe(4);
  });

  tamper("manifest's gaps edited to hide the gap", async () => {
    const dir = copy();
    editManifest(dir, (m) => {
      m.coverage = m.coverage.map((s) => ({ ...s, gaps: [] }));
      m.summary = { ...m.summary, gaps: 0 };
    });
    resum(dir);
    const { code, lines } = await check(dir);
    expect(lines).toContain(
      `manifest.json: its coverage lists gaps: none; the verified envelopes leave: backups account ${ACCOUNT} ${GAP_DATE} missing; console-signins account ${ACCOUNT} ${GAP_DATE} missing; iam-mfa account ${ACCOUNT} ${GAP_DATE} missing; inactive-users account ${ACCOUNT} ${GAP_DATE} missing`,
    );
    expect(lines).toContain(
      'manifest.json: its summary counts 140 objects, 0 with problems and 0 gap(s); recomputed: 140, 0 and 4',
    );
    expect(code).toBe(4);
  });

  tamper('index.html edited to hide the gap', async () => {
    const dir = copy();
    const html = read(dir, 'index.html')
      .toString('utf8')
      .replace(
        /<h2>Gaps<\/h2><ul>.*?<\/ul>/,
        '<h2>Gaps</h2><p class="ok">Every expected run left evidence.</p>',
      );
    write(dir, 'index.html', html);
    resum(dir);
    const { code, lines } = await check(dir);
    expect(lines).toEqual([
      expect.stringMatching(
        /^index\.html: differs from the page rendered from the verified evidence \(\d+ bytes, the rendering has \d+\)$/,
      ),
      ...STAGED_GAPS,
      expect.any(String),
      expect.any(String),
      expect.stringMatching(/^NOT VERIFIED: 1 integrity problem\(s\)/),
    ]);
    expect(code).toBe(4);
  });

  /** Every object re-signed with an attacker's keys, their public halves shipped in keys/. */
  async function resigned(): Promise<{ dir: string; attackerTrust: string }> {
    const dir = copy();
    const attacker = freshTrust(scratch, `attacker-${copies}.json`);
    const signed = new Map<string, string>();
    for (const o of manifest.objects) {
      const signer = attacker.signers.get(producerOfKey(o.key) ?? '');
      if (signer) signed.set(o.key, (await signer.sign(read(dir, o.key))).signature);
    }
    editManifest(dir, (m) => {
      m.objects = m.objects.map((o) => (signed.has(o.key) ? { ...o, signature: signed.get(o.key)! } : o));
    });
    for (const [id, s] of attacker.signers)
      if (existsSync(join(dir, 'keys', `${id}.pem`))) write(dir, `keys/${id}.pem`, s.publicKeyPem());
    resum(dir);
    return { dir, attackerTrust: attacker.file };
  }

  tamper('package re-signed with another key, no anchor given', async () => {
    const { dir } = await resigned();
    await expect(check(dir, '')).rejects.toThrow(/^verify needs a trust anchor/);
  });

  tamper('package re-signed with another key, the real anchor given', async () => {
    const { dir } = await resigned();
    const e = envelopeOf('iam-mfa', '2026-03-02');
    const { code, lines } = await check(dir);
    expect(lines).toContain(
      `${digestOf('2026-03-02')}: signature does not verify with the trusted key of sealer (nor any other trusted key)`,
    );
    expect(lines).toContain(
      `${e.key}: signature does not verify with the trusted key of iam-mfa (nor any other trusted key)`,
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^keys\/sealer\.pem: not the key the trust anchor pins for sealer /),
    );
    expect(code).toBe(4);
  });

  tamper('digest removed from the chain', async () => {
    const dir = copy();
    const removed = digestOf('2026-03-08');
    rmSync(join(dir, ...removed.split('/')));
    editManifest(dir, (m) => {
      m.objects = m.objects.filter((o) => o.key !== removed);
    });
    resum(dir);
    const { code, lines } = await check(dir);
    expect(lines[0]).toBe(
      `${removed}: missing: the chain of account ${ACCOUNT} has no digest for 2026-03-08, so nothing of that day is proven`,
    );
    const e = envelopeOf('iam-mfa', '2026-03-08');
    expect(lines).toContain(
      `${e.key}: not accounted for by the digest chain (no digest of the period lists it)`,
    );
    expect(code).toBe(4);
  });

  tamper('symlink in the package', async () => {
    const dir = copy();
    const link = 'evidence/2026/03/11/iam-mfa/123456789012/global/120000Z-link.json';
    mkdirSync(join(dir, dirname(link)), { recursive: true });
    symlinkSync(join(pristine, envelopeOf('iam-mfa', '2026-03-10').key), join(dir, link));
    const { code, lines } = await check(dir);
    expect(lines[0]).toBe(`${link}: is a symbolic link; verify never follows or opens it`);
    expect(code).toBe(4);
  });

  tamper('FIFO in the package, in place of an envelope', async () => {
    const dir = copy();
    const e = envelopeOf('iam-mfa', '2026-03-10');
    rmSync(join(dir, ...e.key.split('/')));
    // Opening a FIFO for reading blocks until a writer comes: verify must never open it.
    execFileSync('mkfifo', [join(dir, ...e.key.split('/'))]);
    const { code, lines } = await check(dir);
    expect(lines[0]).toBe(`${e.key}: is a FIFO (named pipe); verify never follows or opens it`);
    expect(lines).toContain(`${e.key}: missing: listed by ${digestOf('2026-03-10')}`);
    expect(code).toBe(4);
  });

  const malformed: [string, string, string][] = [
    ['malformed manifest: null', 'null', 'manifest.json must be a JSON object, found null'],
    [
      'malformed manifest: {"objects":5}',
      '{"objects":5}',
      'manifest.json: objects must be an array, found a number',
    ],
    ['malformed manifest: not JSON', '{"objects": [', 'manifest.json is not valid JSON: '],
  ];
  for (const [name, text, problem] of malformed)
    tamper(name, async () => {
      const dir = copy();
      write(dir, 'manifest.json', text);
      const { code, lines } = await check(dir);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`${dir}: ${problem}`);
      expect(code).toBe(4);
    });

  it("docs/AUDITOR.md's table of what verify detects has a row for every corpus case", () => {
    const guide = readFileSync(join(__dirname, '..', '..', 'docs', 'AUDITOR.md'), 'utf8');
    const start = guide.indexOf('### What verify detects');
    const table = guide.slice(start, guide.indexOf('\n\n', guide.indexOf('\n| ', start) + 1));
    expect(start).toBeGreaterThan(0);
    const names = table
      .split('\n')
      .filter((l) => l.startsWith('| '))
      .map((l) => l.split('|')[1]!.trim())
      .slice(2);
    expect(names).toEqual(CASES);
  });
});
