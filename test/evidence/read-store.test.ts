import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAwsError } from '../../lambdas/aws/aws-error';
import { hexToBase64 } from '../../lambdas/evidence/canonical-json';
import { pathUnder } from '../../lambdas/evidence/key-path';
import { directoryReader, s3Reader, type KeyVersions } from '../../lambdas/evidence/read-store';
import { LocalSigner, SIGNATURE_METADATA } from '../../lambdas/evidence/signer';
import {
  BUCKET,
  KEY_ARN,
  memoryBucket,
  RETAIN_UNTIL,
  serveBucket,
  writeDay,
} from '../cli/evidence-bucket-fixture';

async function twoDays() {
  const bucket = memoryBucket(LocalSigner.generate(KEY_ARN));
  for (const d of ['2026-01-01', '2026-01-02']) await writeDay(bucket, d);
  const keys = [...bucket.objects.keys()].sort();
  bucket.addVersions(keys[1]!, [
    { versionId: 'dm-1', deleteMarker: true, isLatest: true },
    { versionId: 'v-old', deleteMarker: false, isLatest: false },
  ]);
  return { bucket, keys };
}

describe('s3Reader against the bucket model', () => {
  it('lists every version the same way whatever the page size, one page per ListObjectVersions call', async () => {
    const { bucket, keys } = await twoDays();
    const listings: KeyVersions[][] = [];
    for (const pageSize of [1, 2, 3, 1000]) {
      const { s3, calls } = serveBucket(bucket, { pageSize });
      listings.push(await s3Reader(s3, BUCKET).listVersions('evidence/2026/01/'));
      // 4 keys, one of them with two more entries: 6 entries in all.
      expect(calls.filter((c) => c.api === 'S3:ListObjectVersions')).toHaveLength(Math.ceil(6 / pageSize));
    }
    // A page returns versions and delete markers apart, so only the order within a key may differ.
    const byId = (l: KeyVersions[]) =>
      l.map((k) => ({
        ...k,
        versions: [...k.versions].sort((a, b) => a.versionId.localeCompare(b.versionId)),
      }));
    for (const listing of listings) expect(byId(listing)).toEqual(byId(listings[0]!));
    expect(listings[0]!.map((k) => k.key)).toEqual(keys);
    expect(byId(listings[0]!)[1]!.versions.map((v) => [v.versionId, v.deleteMarker, v.isLatest])).toEqual([
      ['dm-1', true, true],
      ['v-old', false, false],
      [bucket.objects.get(keys[1]!)!.versionId, false, false],
    ]);
  });

  it('reads a version with its checksum, signature metadata and Object Lock; a wrong version is NoSuchKey', async () => {
    const { bucket, keys } = await twoDays();
    const held = bucket.objects.get(keys[0]!)!;
    const reader = s3Reader(serveBucket(bucket).s3, BUCKET);
    const read = await reader.read(keys[0]!, held.versionId);
    expect(Buffer.from(read.body)).toEqual(held.body);
    expect(read).toMatchObject({
      etag: held.etag,
      versionId: held.versionId,
      checksumSha256: hexToBase64(held.sha256),
      metadata: { sha256: held.sha256, [SIGNATURE_METADATA]: held.signature },
      objectLock: { mode: 'COMPLIANCE', retainUntil: RETAIN_UNTIL },
    });
    expect(await reader.getText(keys[0]!)).toBe(held.body.toString('utf8'));
    const missing = await reader.read(keys[0]!, 'v-none').catch((err: unknown) => err);
    expect(isAwsError(missing, 'NoSuchKey')).toBe(true);
  });
});

describe('pathUnder: a key never leaves its root', () => {
  it.each([
    ['evidence/2026/01/01/a.json', true],
    ['evidence/../../etc/passwd', false],
    ['../outside', false],
    ['', false],
    ['/evidence/a.json', true],
  ])('%s → inside: %s', (key, inside) => {
    const root = '/tmp/package';
    expect(pathUnder(root, key) !== undefined).toBe(inside);
    if (inside) expect(pathUnder(root, key)!.startsWith('/tmp/package/')).toBe(true);
  });

  it('the directory reader refuses a key outside its directory and lists a missing prefix as empty', async () => {
    const reader = directoryReader(mkdtempSync(join(tmpdir(), 'soc2-reader-')));
    await expect(reader.get('../secret')).rejects.toThrow('evidence key ../secret leaves the directory');
    await expect(reader.list('evidence/2026/')).resolves.toEqual([]);
  });
});
