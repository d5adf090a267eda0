/**
 * verify on a small sealed bucket (iam-mfa daily, the real sealer): what the tamper corpus does not cover,
 * i.e. the clean exit, --public-key, unsealed days, bounded reads, a re-sealed digest breaking the chain,
 * pull's download failures and a directory that is not a package.
 */
import { appendFileSync, chmodSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pull } from '../../cli/pull';
import type { Manifest } from '../../cli/package/manifest';
import { verify, type VerifyOptions } from '../../cli/verify';
import { canonicalJson } from '../../lambdas/evidence/canonical-json';
import { digestKey, type Digest } from '../../lambdas/evidence/digest';
import { SEALER_PRODUCER } from '../../lambdas/evidence/producers';
import type { LocalSigner } from '../../lambdas/evidence/signer';
import { accessDenied, ACCOUNT, BUCKET, serveBucket } from './evidence-bucket-fixture';
import { producerBucket, runDays, seal, writeTrustFile } from './sealed-bucket-fixture';

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `soc2-verify-${name}-`));

let pristine: string;
let trust: string;
let signers: Map<string, LocalSigner>;
let manifest: Manifest;

async function pullInto(
  s3: ReturnType<typeof serveBucket>['s3'],
  out: string,
  options: { from?: string; to?: string; now?: string; trust?: string } = {},
): Promise<number> {
  return pull(
    {
      bucket: BUCKET,
      from: options.from ?? '2026-01-01',
      to: options.to ?? '2026-01-05',
      out,
      collector: ['iam-mfa'],
      trust: options.trust ?? trust,
    },
    { s3, out: () => undefined, now: () => new Date(options.now ?? '2026-01-06T09:00:00Z') },
  );
}

beforeAll(async () => {
  const made = producerBucket();
  signers = made.signers;
  await runDays(made.bucket, made.clock, '2026-01-01', '2026-01-05');
  await seal(made.bucket, made.clock, '2026-01-06T00:30:00Z', signers.get(SEALER_PRODUCER)!);
  trust = writeTrustFile(tmp('trust'), signers);
  pristine = tmp('pristine');
  expect(await pullInto(serveBucket(made.bucket).s3, pristine)).toBe(0);
  manifest = JSON.parse(readFileSync(join(pristine, 'manifest.json'), 'utf8')) as Manifest;
});

function copy(): string {
  const dir = tmp('copy');
  cpSync(pristine, dir, { recursive: true });
  return dir;
}

async function check(dir: string, options: VerifyOptions = { trust }) {
  const lines: string[] = [];
  const code = await verify(dir, options, (l) => lines.push(l));
  return { code, lines };
}

const envelopeOn = (date: string) => manifest.objects.find((o) => o.kind === 'envelope' && o.date === date)!;

describe('soc2-evidence verify', () => {
  it('verifies an untouched, fully sealed package without a gap: exit 0, filters and anchor said', async () => {
    const { code, lines } = await check(copy());
    expect(lines).toEqual([
      'the package covers 2026-01-01 to 2026-01-05, filtered by pull to collectors iam-mfa',
      'signatures were judged against the trust anchor: test keys',
      'period report: remediation SLA critical=7,high=30,medium=90 (chosen when the package was pulled; pass --sla to check it); 1 exception(s): 0 remediated within SLA, 0 past SLA, 0 accepted, 1 open',
      expect.stringMatching(
        /^verified: 5 runs proven by 5 digest\(s\), every file accounted for, every signature and view holds, no gap in /,
      ),
    ]);
    expect(code).toBe(0);
  });

  it('takes --public-key files (each trusted for every producer) as the anchor', async () => {
    const dir = copy();
    const keys = [...signers].map(([id, s]) => {
      const file = join(dir, '..', `${id}-${Date.now()}.pem`);
      writeFileSync(file, s.publicKeyPem());
      return file;
    });
    const { code, lines } = await check(dir, { publicKey: keys });
    expect(lines.at(-1)).toMatch(/^verified: 5 runs proven by 5 digest\(s\)/);
    expect(code).toBe(0);
  });

  it('says a day not sealed when the package was pulled is a gap-class problem whose runs count for nothing: exit 3', async () => {
    const made = producerBucket();
    await runDays(made.bucket, made.clock, '2026-01-01', '2026-01-06');
    await seal(made.bucket, made.clock, '2026-01-06T00:30:00Z', made.signers.get(SEALER_PRODUCER)!);
    const out = tmp('unsealed');
    const own = writeTrustFile(tmp('trust'), made.signers);
    await pullInto(serveBucket(made.bucket).s3, out, {
      to: '2026-01-06',
      now: '2026-01-06T09:00:00Z',
      trust: own,
    });
    const { code, lines } = await check(out, { trust: own });
    expect(lines.slice(0, 2)).toEqual([
      `2026-01-06: not sealed yet when the package was pulled (2026-01-06T09:00:00.000Z): no digest for account ${ACCOUNT}; its objects prove no run, so its expected runs are gaps (pull again after 00:30 UTC the day after)`,
      // The day's run is in the package, accounted for, but not counted: only a digest proves a run.
      `gap iam-mfa account ${ACCOUNT} 2026-01-06: missing`,
    ]);
    expect(lines.at(-1)).toMatch(
      /^verified with gaps: 0 integrity problem\(s\), 1 unsealed day\(s\) or late object\(s\), 1 gap\(s\); 5 runs proven/,
    );
    expect(code).toBe(3);
  });

  it('never reads a file past the size its digest records', async () => {
    const dir = copy();
    const e = envelopeOn('2026-01-03');
    const path = join(dir, ...e.key.split('/'));
    chmodSync(path, 0o644);
    appendFileSync(path, Buffer.alloc(1024 * 1024));
    const { code, lines } = await check(dir);
    expect(lines[0]).toBe(
      `${e.key}: ${e.bytes + 1024 * 1024} bytes, ${digestKey('2026-01-03', ACCOUNT)} records ${e.bytes}: not read`,
    );
    expect(code).toBe(4);
  });

  it('names a digest re-sealed with the sealer key: the next digest no longer links to it', async () => {
    const dir = copy();
    const key = digestKey('2026-01-03', ACCOUNT);
    const path = join(dir, ...key.split('/'));
    const digest = JSON.parse(readFileSync(path, 'utf8')) as Digest;
    // A run hidden from the day's digest, signed again by the sealer's own key (what a stolen key could do).
    const body = Buffer.from(canonicalJson({ ...digest, objects: [] }));
    chmodSync(path, 0o644);
    writeFileSync(path, body);
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    const record = m.objects.find((o) => o.key === key)! as { signature?: string; bytes: number };
    record.signature = (await signers.get(SEALER_PRODUCER)!.sign(body)).signature;
    record.bytes = body.length;
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
    const { code, lines } = await check(dir);
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^${digestKey('2026-01-04', ACCOUNT)}: links to ${key} with SHA-256 [0-9a-f]{64}, but the package's ${key} has SHA-256 [0-9a-f]{64}: the chain is broken$`,
        ),
      ),
    );
    expect(lines).toContain(
      `${envelopeOn('2026-01-03').key}: not accounted for by the digest chain (no digest of the period lists it)`,
    );
    expect(code).toBe(4);
  });

  it('says an object pull could not download is missing, with pull’s error', async () => {
    const made = producerBucket();
    await runDays(made.bucket, made.clock, '2026-01-01', '2026-01-05');
    await seal(made.bucket, made.clock, '2026-01-06T00:30:00Z', made.signers.get(SEALER_PRODUCER)!);
    const unreadable = [...made.bucket.objects.keys()].find(
      (k) => k.includes('/2026/01/02/') && k.endsWith('.json'),
    )!;
    const { s3 } = serveBucket(made.bucket, {
      answers: (served) => ({
        ...served,
        'S3:GetObject': (input, region) => {
          if (input.Key === unreadable) throw accessDenied();
          return served['S3:GetObject']!(input, region);
        },
      }),
    });
    const out = tmp('broken');
    const own = writeTrustFile(tmp('trust'), made.signers);
    expect(await pullInto(s3, out, { trust: own })).toBe(4);
    const { code, lines } = await check(out, { trust: own });
    expect(lines).toContain(
      `${unreadable}: missing: listed by ${digestKey('2026-01-02', ACCOUNT)} (pull could not download it: AccessDenied: Access Denied)`,
    );
    expect(code).toBe(4);
  });

  it('refuses a directory that is no package at all as a usage error, and one missing half its files as malformed', async () => {
    const dir = tmp('empty');
    await expect(check(dir)).rejects.toThrow(
      `verify ${dir} is not an evidence package: it has no manifest.json or SHA256SUMS; expected the package directory written by pull`,
    );
    writeFileSync(join(dir, 'SHA256SUMS'), '');
    const { code, lines } = await check(dir);
    expect(lines).toEqual([
      `${dir}: not an evidence package: it has no manifest.json; expected the package directory written by pull (with manifest.json and SHA256SUMS)`,
    ]);
    expect(code).toBe(4);
  });
});
