/**
 * The tamper corpus: what the audited company's administrators could do to a package before handing it to
 * the auditor, each case against one demo package built once, and what `verify` says about it. Every case
 * name must appear in docs/AUDITOR.md (What verify detects), the table the auditor's guide shows. Cases that
 * need a producer's private key (the demo keeps its keys to itself) pull a small sealed bucket of their own
 * (iam-mfa daily and the real sealer), staged as the attacker would have it.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runDemo, PACKAGE_DIR, TRUST_FILE } from '../../cli/demo';
import type { EvidenceBucket } from '../../cli/demo/evidence-bucket';
import { producerOfKey } from '../../cli/package/checks';
import { pull } from '../../cli/pull';
import type { TrustOptions } from '../../cli/trust/load';
import { exceptionBreakdown, type Manifest, type ManifestObject } from '../../cli/package/manifest';
import { renderTrustFile, TRUST_FILE_KIND } from '../../cli/trust/trust-file';
import { RISK_ACCEPTANCE_KIND } from '../../lambdas/evidence/risk-acceptance';
import { recordDecision } from '../../lambdas/risk-register/record';
import { verify } from '../../cli/verify';
import { COLLECTORS, PRODUCER_IDS } from '../../lambdas/collectors/registry';
import { digestKey } from '../../lambdas/evidence/digest';
import { draftEnvelope } from '../../lambdas/evidence/draft';
import { SEALER_PRODUCER } from '../../lambdas/evidence/producers';
import { LocalSigner } from '../../lambdas/evidence/signer';
import { writeEvidence } from '../../lambdas/evidence/write-evidence';
import { unsignedExplanation } from '../../lambdas/collectors/registry';
import { ACCOUNT as SMALL_ACCOUNT, BUCKET, serveBucket, writeDay } from './evidence-bucket-fixture';
import { producerBucket, runDays, seal, withoutKeys, writeTrustFile } from './sealed-bucket-fixture';

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

/**
 * The corpus tampers with the demo's story (the staged gap, the SLA breach, the accepted risk), not with
 * any one collector's evidence: the eight collectors that tell it keep the package at half the size, and each
 * of the forty verifies at half the time.
 */
const CORPUS_COLLECTORS = [
  'iam-mfa',
  'inactive-users',
  'access-review',
  'network-exposure',
  'console-signins',
  'backups',
  'encryption',
  'tls',
];

/** Every file under `dir` (package-relative, `/`-separated) with the SHA-256 of its bytes. */
function digestsOf(dir: string): Map<string, string> {
  return new Map(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => {
        const path = join(e.parentPath, e.name);
        return [path.slice(dir.length + 1).replaceAll('\\', '/'), sha(readFileSync(path))] as const;
      }),
  );
}
let pristineDigests: Map<string, string>;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'soc2-tamper-'));
  const demo = await runDemo(join(scratch, 'demo'), NOW, { collectors: CORPUS_COLLECTORS });
  pristine = join(demo.out, PACKAGE_DIR);
  demoTrust = join(demo.out, TRUST_FILE);
  manifest = JSON.parse(readFileSync(join(pristine, 'manifest.json'), 'utf8')) as Manifest;
  pristineDigests = digestsOf(pristine);
}, 60_000);

afterAll(() => {
  try {
    // The cases' copies share the package's files (copy()): none of them may have changed one.
    if (pristineDigests) expect(digestsOf(pristine)).toEqual(pristineDigests);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

let copies = 0;
/** The demo's package itself, for the cases that only read it (verify writes nothing into a package). */
const readOnly = () => pristine;

/** `to`, a new directory of the same tree as `from`, each file a hard link to the one in `from`. */
function linkTree(from: string, to: string): void {
  mkdirSync(to);
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const [source, target] = [join(from, entry.name), join(to, entry.name)];
    if (entry.isDirectory()) linkTree(source, target);
    else linkSync(source, target);
  }
}

/**
 * A fresh copy of the demo's package, writable. Its files are hard links to the package's own (copying every
 * file for each case cost more CPU than the verify it served): a case changes a file only through write(),
 * which replaces it, or removes it; afterAll checks that the package itself is unchanged.
 */
function copy(): string {
  const dir = join(scratch, `case-${++copies}`);
  linkTree(pristine, dir);
  return dir;
}

/** Writes `body` at `path` in `dir` as a new file: never into a file a copy shares with the package. */
function write(dir: string, path: string, body: string | Buffer): void {
  const file = join(dir, ...path.split('/'));
  mkdirSync(dirname(file), { recursive: true });
  rmSync(file, { force: true });
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

async function check(dir: string, trust: string | TrustOptions | undefined = demoTrust) {
  const lines: string[] = [];
  const options = typeof trust === 'object' ? trust : trust ? { trust } : {};
  const code = await verify(dir, options, (l) => lines.push(l));
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

/** The gap day is a weekday with no run at all: every daily collector is missing that day. */
const STAGED_GAPS = COLLECTORS.filter((c) => CORPUS_COLLECTORS.includes(c.id) && c.frequency === 'daily')
  .map((c) => c.id)
  .sort()
  .map((c) => `gap ${c} account ${ACCOUNT} ${GAP_DATE}: missing`);

describe('tamper corpus: verify trusts nothing it cannot prove', () => {
  tamper('untampered package, with the demo trust file', async () => {
    const { code, lines } = await check(readOnly());
    expect(lines.slice(0, STAGED_GAPS.length)).toEqual(STAGED_GAPS);
    expect(lines.at(-1)).toMatch(
      new RegExp(
        `^verified with gaps: 0 integrity problem\\(s\\), 0 unsealed .*, ${STAGED_GAPS.length} gap\\(s\\)`,
      ),
    );
    expect(code).toBe(3);
  });

  tamper('untampered package, with another trust file', async () => {
    const { file } = freshTrust(scratch, 'other-trust.json');
    const { code, lines } = await check(readOnly(), file);
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
    await expect(check(readOnly(), '')).rejects.toThrow(/^verify needs a trust anchor: --trust FILE/);
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
    // The digest sealed each object's own signature: that one is judged, the manifest's copy is not.
    expect(lines.slice(0, 2)).toEqual(
      [b.key, a.key].map(
        (key) =>
          `${key}: manifest.json records a signature that ${digestOf('2026-03-06')} did not seal (it sealed another): the sealed one is judged`,
      ),
    );
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
    const objects = manifest.objects.length;
    editManifest(dir, (m) => {
      m.coverage = m.coverage.map((s) => ({ ...s, gaps: [] }));
      m.summary = { ...m.summary, gaps: 0 };
    });
    resum(dir);
    const { code, lines } = await check(dir);
    expect(lines).toContain(
      `manifest.json: its coverage lists gaps: none; the verified envelopes leave: ${STAGED_GAPS.slice(0, 4)
        .map((g) => g.replace(/^gap /, '').replace(/: missing$/, ' missing'))
        .join('; ')}${STAGED_GAPS.length > 4 ? `; and ${STAGED_GAPS.length - 4} more` : ''}`,
    );
    expect(lines).toContain(
      `manifest.json: its summary counts ${objects} objects, 0 with problems and 0 gap(s); recomputed: ${objects}, 0 and ${STAGED_GAPS.length}`,
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
      expect.stringMatching(/^period report: remediation SLA critical=7,high=30,medium=90 \(chosen when/),
      expect.stringMatching(/^NOT VERIFIED: 1 integrity problem\(s\)/),
    ]);
    expect(code).toBe(4);
  });

  tamper('exceptions.csv edited to hide the exception past its SLA', async () => {
    const dir = copy();
    const csv = read(dir, 'exceptions.csv').toString('utf8');
    const rows = csv.split('\r\n');
    // The root user's MFA lapse, remediated after its 7-day SLA (the public-access criticals breach theirs too).
    const hidden = rows.filter((r) => !(r.includes('"breached"') && r.includes('"root-mfa"')));
    expect(hidden).toHaveLength(rows.length - 1);
    write(dir, 'exceptions.csv', hidden.join('\r\n'));
    resum(dir);
    const { code, lines } = await check(dir);
    expect(lines[0]).toMatch(
      /^exceptions\.csv: differs from the period report \(exceptions\) rendered from the verified evidence \(\d+ bytes, the rendering has \d+\)$/,
    );
    expect(lines.filter((l) => /^(exceptions\.csv|manifest\.json|index\.html|oscal)/.test(l))).toHaveLength(
      1,
    );
    expect(code).toBe(4);
  });

  tamper("manifest's period report edited to hide the SLA breach", async () => {
    const dir = copy();
    const counts = manifest.periodReport;
    expect(counts.slaBreaches).toBeGreaterThan(0);
    editManifest(dir, (m) => {
      m.periodReport = { ...m.periodReport, slaBreaches: 0 };
    });
    resum(dir);
    const { code, lines } = await check(dir);
    expect(lines[0]).toBe(
      `manifest.json: its period report counts ${exceptionBreakdown({ ...counts, slaBreaches: 0 })}; the verified evidence gives ${exceptionBreakdown(counts)}`,
    );
    expect(code).toBe(4);
  });

  tamper('OSCAL document edited to mark every control satisfied', async () => {
    const dir = copy();
    const oscal = read(dir, 'oscal-assessment-results.json')
      .toString('utf8')
      .replace(/"not-satisfied"/g, '"satisfied"');
    write(dir, 'oscal-assessment-results.json', oscal);
    resum(dir);
    const { code, lines } = await check(dir);
    expect(lines[0]).toMatch(
      /^oscal-assessment-results\.json: differs from the OSCAL assessment results rendered from the verified evidence/,
    );
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
      `${e.key}: manifest.json records a signature that ${digestOf('2026-03-02')} did not seal (it sealed another): the sealed one is judged`,
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

  /** A day of the small bucket's package, as its digest key. */
  const smallDigest = (date: string) => digestKey(date, SMALL_ACCOUNT);
  const smallKey = (bucket: EvidenceBucket, date: string) =>
    [...bucket.objects.keys()].find(
      (k) => k.startsWith(`evidence/${date.replace(/-/g, '/')}/`) && k.endsWith('.json'),
    )!;

  /**
   * A small package: iam-mfa's runs of Jan 1-5 (but `skip`), `history` written before the real sealer seals
   * them at 00:30Z on Jan 6, `after` done to the bucket afterwards, then pulled from the bucket as the attacker
   * serves it (`hidden` keys left out of its listings) at `now`, with the auditor's trust file as anchor.
   */
  async function smallPackage(options: {
    skip?: readonly string[];
    history?: (
      bucket: EvidenceBucket,
      clock: { at: Date },
      signers: Map<string, LocalSigner>,
    ) => Promise<void>;
    after?: (bucket: EvidenceBucket, clock: { at: Date }, signers: Map<string, LocalSigner>) => Promise<void>;
    hidden?: readonly string[];
    now?: string;
    collectors?: string[];
  }): Promise<{ dir: string; anchor: TrustOptions; bucket: EvidenceBucket }> {
    const { bucket, clock, signers } = producerBucket();
    await runDays(bucket, clock, '2026-01-01', '2026-01-05', options.skip);
    await options.history?.(bucket, clock, signers);
    await seal(bucket, clock, '2026-01-06T00:30:00Z', signers.get(SEALER_PRODUCER)!);
    await options.after?.(bucket, clock, signers);
    const home = join(scratch, `small-${++copies}`);
    mkdirSync(home);
    const trust = writeTrustFile(home, signers);
    const anchor: TrustOptions = { trust };
    const hidden = new Set(options.hidden ?? []);
    const { s3 } = serveBucket(bucket, { pageSize: 1000, answers: (served) => withoutKeys(served, hidden) });
    const dir = join(home, 'package');
    await pull(
      {
        bucket: BUCKET,
        from: '2026-01-01',
        to: '2026-01-05',
        out: dir,
        collector: options.collectors ?? ['iam-mfa'],
        ...anchor,
      },
      { s3, out: () => undefined, now: () => new Date(options.now ?? '2026-01-06T09:00:00Z') },
    );
    return { dir, anchor, bucket };
  }

  tamper("object sealed unsigned, a producer's signature added at pull", async () => {
    let key = '';
    const { dir, anchor } = await smallPackage({
      // Written on Jan 2 with an administrator's own credentials: unsigned, and sealed so.
      history: async (bucket) => {
        key = smallKey(bucket, '2026-01-02');
        bucket.alter(key, ({ signature: _s, signingKey: _k, ...o }) => o);
      },
      // Later, a signature made with iam-mfa's key over the same bytes, served with the object to pull.
      after: async (bucket, _clock, signers) => {
        const { signature } = await signers.get('iam-mfa')!.sign(bucket.objects.get(key)!.body);
        bucket.alter(key, (o) => ({ ...o, signature }));
      },
    });
    const { code, lines } = await check(dir, anchor);
    expect(lines).toContain(
      `${key}: manifest.json records a signature that ${smallDigest('2026-01-02')} did not seal (it sealed none: the object was unsigned): the sealed one is judged`,
    );
    expect(lines).toContain(`${key}: ${unsignedExplanation('iam-mfa')}`);
    expect(lines).toContain(`gap iam-mfa account ${SMALL_ACCOUNT} 2026-01-02: missing`);
    expect(code).toBe(4);
  });

  /** Jan 3 has no run; one is written (signed by iam-mfa's key) on Jan 6, after the day was sealed. */
  const lateRun = async (bucket: EvidenceBucket, clock: { at: Date }) => {
    clock.at = new Date('2026-01-06T09:00:00Z');
    await writeDay(bucket, '2026-01-03', 'late-run');
    // Re-dated where the attacker serves the bucket: S3's LastModified says nothing of the delay.
    for (const key of [...bucket.objects.keys()].filter((k) => k.includes('late-run')))
      bucket.alter(key, (o) => ({ ...o, lastModified: new Date('2026-01-03T06:00:05Z') }));
  };

  tamper(
    "last days' digests withheld, generatedAt moved back, a late run re-dated into the gap",
    async () => {
      const withheld = ['2026-01-03', '2026-01-04', '2026-01-05'];
      const { dir, anchor } = await smallPackage({
        skip: ['2026-01-03'],
        after: lateRun,
        hidden: withheld.map(smallDigest),
        now: '2026-01-03T12:00:00Z',
      });
      const { code, lines } = await check(dir, anchor);
      for (const day of withheld) {
        expect(lines).toContain(
          `${day}: not sealed yet when the package was pulled (2026-01-03T12:00:00.000Z): no digest for account ${SMALL_ACCOUNT}; its objects prove no run, so its expected runs are gaps (pull again after 00:30 UTC the day after)`,
        );
        expect(lines).toContain(`gap iam-mfa account ${SMALL_ACCOUNT} ${day}: missing`);
      }
      expect(lines.at(-1)).toMatch(
        /^verified with gaps: 0 integrity problem\(s\), 3 unsealed day\(s\) or late object\(s\), 3 gap\(s\)/,
      );
      expect(code).toBe(3);
    },
  );

  tamper("a digest withheld before the chain's latest, generatedAt moved back", async () => {
    const { dir, anchor, bucket } = await smallPackage({
      skip: ['2026-01-03'],
      after: lateRun,
      hidden: [smallDigest('2026-01-03')],
      now: '2026-01-03T12:00:00Z',
    });
    const { code, lines } = await check(dir, anchor);
    expect(lines[0]).toBe(
      `${smallDigest('2026-01-03')}: missing: the chain of account ${SMALL_ACCOUNT} has no digest for 2026-01-03, yet it holds the digest of 2026-01-05 and the sealer seals days in order, so nothing of that day is proven`,
    );
    const late = [...bucket.objects.keys()].find((k) => k.includes('late-run') && k.endsWith('.json'))!;
    expect(lines).toContain(
      `${late}: not accounted for by the digest chain (no digest of the period lists it)`,
    );
    expect(lines).toContain(`gap iam-mfa account ${SMALL_ACCOUNT} 2026-01-03: missing`);
    expect(code).toBe(4);
  });

  tamper("a producer's signature on the reviewer's attestation", async () => {
    let key = '';
    const { dir, anchor } = await smallPackage({
      collectors: ['iam-mfa', 'access-review-attestation'],
      // Decisions a function wrote and signed, as if the reviewer had recorded them.
      history: async (bucket, clock, signers) => {
        clock.at = new Date('2026-01-02T14:22:02Z');
        const written = await writeEvidence(
          bucket,
          draftEnvelope({
            collector: 'access-review-attestation',
            controls: ['CC6.2'],
            account: SMALL_ACCOUNT,
            region: 'global',
            collectedAt: new Date('2026-01-02T14:22:01.000Z'),
            policy: {},
            findings: [],
            errors: [],
            runId: 'attested',
            invocationId: 'test',
          }),
          [],
          'attested',
        );
        key = written.envelopeObject.key;
        const { signature } = await signers.get('iam-mfa')!.sign(bucket.objects.get(key)!.body);
        bucket.alter(key, (o) => ({ ...o, signature }));
      },
    });
    const { code, lines } = await check(dir, anchor);
    expect(lines[0]).toBe(
      `${key}: signed with the key of iam-mfa, but access-review-attestation is written only by a person, with their own credentials: no function writes it, so a function's key signed what it must not`,
    );
    expect(code).toBe(4);
  });

  tamper("an accepted risk signed by a collector's key", async () => {
    let key = '';
    const { dir, anchor } = await smallPackage({
      collectors: ['iam-mfa', RISK_ACCEPTANCE_KIND],
      // An acceptance a collector's function wrote and signed, as if the security lead had recorded it.
      history: async (bucket, clock, signers) => {
        clock.at = new Date('2026-01-02T14:22:02Z');
        const written = await recordDecision({
          store: bucket,
          account: SMALL_ACCOUNT,
          decision: {
            action: 'accept',
            check: 'console-mfa',
            resource: '*',
            owner: 'security-lead@example.com',
            reason: 'forged',
            expires: '2026-03-01',
            recordedBy: {
              arn: `arn:aws:sts::${SMALL_ACCOUNT}:assumed-role/SecurityLead/lead`,
              proof: 'sts-get-caller-identity',
            },
          },
          now: new Date('2026-01-02T14:22:01.000Z'),
          runId: 'forged',
        });
        key = written.envelopeObject.key;
        const { signature } = await signers.get('iam-mfa')!.sign(bucket.objects.get(key)!.body);
        bucket.alter(key, (o) => ({ ...o, signature }));
      },
    });
    const { code, lines } = await check(dir, anchor);
    expect(lines[0]).toBe(
      `${key}: signed with the key of iam-mfa, but this is evidence of risk-register: one function wrote another's evidence`,
    );
    const m = JSON.parse(read(dir, 'manifest.json').toString('utf8')) as Manifest;
    expect(m.periodReport.accepted).toBe(0);
    expect(code).toBe(4);
  });

  tamper("evidence signed with the sealer's key; --public-key beside --trust refused", async () => {
    let key = '';
    let sealerPem = '';
    const { dir, anchor } = await smallPackage({
      // Jan 2's envelope signed with the sealer's key, and sealed so: one function wrote another's evidence.
      history: async (bucket, _clock, signers) => {
        key = smallKey(bucket, '2026-01-02');
        const { signature } = await signers.get(SEALER_PRODUCER)!.sign(bucket.objects.get(key)!.body);
        bucket.alter(key, (o) => ({ ...o, signature }));
        sealerPem = signers.get(SEALER_PRODUCER)!.publicKeyPem();
      },
    });
    const { code, lines } = await check(dir, anchor);
    expect(lines[0]).toBe(
      `${key}: signed with the key of sealer, but this is evidence of iam-mfa: one function wrote another's evidence`,
    );
    expect(lines).toContain(`gap iam-mfa account ${SMALL_ACCOUNT} 2026-01-02: missing`);
    expect(code).toBe(4);
    // The same key given again with --public-key would be trusted for every producer: refused outright.
    const pem = join(dir, '..', 'sealer-again.pem');
    writeFileSync(pem, sealerPem);
    await expect(check(dir, { ...anchor, publicKey: [pem] })).rejects.toThrow(
      /^--public-key cannot be given beside --trust/,
    );
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
