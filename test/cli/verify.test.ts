import { createHash } from 'node:crypto';
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pull } from '../../cli/pull';
import type { Manifest } from '../../cli/package/manifest';
import { verify } from '../../cli/verify';
import { LocalSigner } from '../../lambdas/evidence/signer';
import {
  accessDenied,
  BUCKET,
  KEY_ARN,
  memoryBucket,
  serveBucket,
  writeDay,
} from './evidence-bucket-fixture';

let pristine: string;
let pem: string;
let manifest: Manifest;

beforeAll(async () => {
  const signer = LocalSigner.generate(KEY_ARN);
  const bucket = memoryBucket(signer);
  for (const d of ['2026-01-01', '2026-01-02', '2026-01-03']) await writeDay(bucket, d);
  const { s3 } = serveBucket(bucket);
  pristine = mkdtempSync(join(tmpdir(), 'soc2-verify-'));
  pem = join(pristine, '..', `${Date.now()}-trusted.pem`);
  writeFileSync(pem, signer.publicKeyPem());
  const code = await pull(
    {
      bucket: BUCKET,
      from: '2026-01-01',
      to: '2026-01-03',
      out: pristine,
      collector: ['iam-mfa'],
      publicKey: pem,
    },
    { s3, out: () => undefined },
  );
  expect(code).toBe(0);
  manifest = JSON.parse(readFileSync(join(pristine, 'manifest.json'), 'utf8')) as Manifest;
});

function pem2(signer: LocalSigner): string {
  const file = join(mkdtempSync(join(tmpdir(), 'soc2-verify-key-')), 'trusted.pem');
  writeFileSync(file, signer.publicKeyPem());
  return file;
}

function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'soc2-verify-copy-'));
  cpSync(pristine, dir, { recursive: true });
  return dir;
}

async function check(dir: string, publicKey?: string) {
  const lines: string[] = [];
  const code = await verify(dir, publicKey ? { publicKey } : {}, (l) => lines.push(l));
  return { code, lines };
}

const OWN_KEY_NOTE =
  "signatures were checked against the package's own key (signing-key.pem); pass --public-key with the key from 'aws kms get-public-key' to authenticate them";

/** Rewrites SHA256SUMS for the files an attacker changed, as anyone rebuilding the package can. */
function resum(dir: string, files: readonly string[]) {
  const sums = readFileSync(join(dir, 'SHA256SUMS'), 'utf8')
    .split('\n')
    .map((l) => {
      const file = l.slice(66);
      return files.includes(file)
        ? `${createHash('sha256')
            .update(readFileSync(join(dir, file)))
            .digest('hex')}  ${file}`
        : l;
    });
  for (const file of files)
    if (!sums.some((l) => l.slice(66) === file))
      sums.splice(
        sums.length - 1,
        0,
        `${createHash('sha256')
          .update(readFileSync(join(dir, file)))
          .digest('hex')}  ${file}`,
      );
  writeFileSync(join(dir, 'SHA256SUMS'), sums.join('\n'));
}

const envelopeKey = () => manifest.objects.find((o) => o.kind === 'envelope')!.key;
const sourceKey = () => manifest.objects.find((o) => o.kind === 'source')!.key;

describe('soc2-evidence verify', () => {
  it('accepts an untouched package, with its own key copy or a trusted one', async () => {
    expect(await check(copy())).toEqual({
      code: 0,
      lines: [
        OWN_KEY_NOTE,
        expect.stringMatching(/^verified 6 objects in .*every digest and signature holds/),
      ],
    });
    expect(await check(copy(), pem)).toEqual({
      code: 0,
      lines: [expect.stringMatching(/^verified 6 objects in /)],
    });
  });

  it('names an edited file', async () => {
    const dir = copy();
    const path = join(dir, sourceKey());
    chmodSync(path, 0o644);
    writeFileSync(path, readFileSync(path, 'utf8').replace('false', 'true'));
    const { code, lines } = await check(dir);
    expect(code).toBe(4);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${sourceKey()}: SHA-256 [0-9a-f]{64} differs from SHA256SUMS`)),
        `${sourceKey()}: signature does not verify`,
        expect.stringMatching(new RegExp(`^${envelopeKey()}: source ${sourceKey()} has SHA-256`)),
      ]),
    );
  });

  it('names an edited envelope that was re-signed with another key, when given the trusted key', async () => {
    const dir = copy();
    // An attacker who rewrites the package can also fix SHA256SUMS and swap the packaged public key...
    const other = LocalSigner.generate(KEY_ARN);
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    const target = m.objects.find((o) => o.kind === 'envelope')!;
    (target as { signature?: string }).signature = (
      await other.sign(readFileSync(join(dir, target.key)))
    ).signature;
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
    writeFileSync(join(dir, 'signing-key.pem'), other.publicKeyPem());
    const { createHash } = await import('node:crypto');
    const sums = readFileSync(join(dir, 'SHA256SUMS'), 'utf8')
      .split('\n')
      .map((l) => {
        const file = l.slice(66);
        return file === 'manifest.json' || file === 'signing-key.pem'
          ? `${createHash('sha256')
              .update(readFileSync(join(dir, file)))
              .digest('hex')}  ${file}`
          : l;
      })
      .join('\n');
    writeFileSync(join(dir, 'SHA256SUMS'), sums);
    // ...which is why an auditor passes the key obtained from the account: then the forgery shows.
    const { code, lines } = await check(dir, pem);
    expect(code).toBe(4);
    expect(lines).toContain(`${target.key}: signature does not verify with the key given by --public-key`);
  });

  it('names a deleted file', async () => {
    const dir = copy();
    rmSync(join(dir, envelopeKey()), { force: true });
    const { code, lines } = await check(dir);
    expect(code).toBe(4);
    expect(lines).toEqual(expect.arrayContaining([`${envelopeKey()}: missing (listed in SHA256SUMS)`]));
  });

  it('names an added file', async () => {
    const dir = copy();
    writeFileSync(join(dir, 'evidence', '2026', '01', '02', 'extra.json'), '{}');
    const { code, lines } = await check(dir);
    expect(code).toBe(4);
    expect(lines).toEqual([
      'evidence/2026/01/02/extra.json: extra file, not in SHA256SUMS',
      OWN_KEY_NOTE,
      expect.stringMatching(/^1 problem\(s\) in /),
    ]);
  });

  it('refuses a directory that is not a package', async () => {
    await expect(check(mkdtempSync(join(tmpdir(), 'soc2-empty-')))).rejects.toThrow(
      /is not an evidence package/,
    );
  });
  it('passes a package re-signed by another key only with a note, and fails it with --public-key', async () => {
    const dir = copy();
    // The attacker signs with their own key, names it, and ships its public half in the package.
    const attacker = LocalSigner.generate('arn:aws:kms:us-east-1:123456789012:key/attacker');
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    const target = m.objects.find((o) => o.kind === 'envelope')!;
    Object.assign(target, {
      signature: (await attacker.sign(readFileSync(join(dir, target.key)))).signature,
      signingKey: attacker.keyId,
    });
    (m.publicKeys as Record<string, string>)[attacker.keyId] = 'signing-key-attacker.pem';
    writeFileSync(join(dir, 'signing-key-attacker.pem'), attacker.publicKeyPem());
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
    resum(dir, ['manifest.json', 'signing-key-attacker.pem']);

    const own = await check(dir);
    expect(own.code).toBe(0);
    expect(own.lines).toContain(
      "signatures were checked against the package's own key (signing-key-attacker.pem, signing-key.pem); pass --public-key with the key from 'aws kms get-public-key' to authenticate them",
    );
    const trusted = await check(dir, pem);
    expect(trusted.code).toBe(4);
    expect(trusted.lines).toContain(
      `${target.key}: signature does not verify with the key given by --public-key`,
    );
  });

  it('fails a package whose pull could not download an object or found an integrity problem', async () => {
    const signer = LocalSigner.generate(KEY_ARN);
    const bucket = memoryBucket(signer);
    for (const d of ['2026-01-01', '2026-01-02']) await writeDay(bucket, d);
    const keys = [...bucket.objects.keys()].sort();
    const unlocked = keys[0]!;
    bucket.alter(unlocked, ({ retention: _none, ...o }) => o);
    const unreadable = keys[3]!;
    const { s3 } = serveBucket(bucket, {
      answers: (served) => ({
        ...served,
        'S3:GetObject': (input, region) => {
          if (input.Key === unreadable) throw accessDenied();
          return served['S3:GetObject']!(input, region);
        },
      }),
    });
    const dir = mkdtempSync(join(tmpdir(), 'soc2-verify-broken-'));
    const code = await pull(
      { bucket: BUCKET, from: '2026-01-01', to: '2026-01-02', out: dir, publicKey: pem2(signer) },
      { s3, out: () => undefined },
    );
    expect(code).toBe(4);

    const { code: verified, lines } = await check(dir, pem2(signer));
    expect(verified).toBe(4);
    expect(lines).toEqual(
      expect.arrayContaining([
        `${unreadable}: not downloaded by pull: AccessDenied: Access Denied`,
        `${unlocked}: pull found: the object has no Object Lock retention (needs s3:GetObjectRetention to be seen)`,
      ]),
    );
  });
});
