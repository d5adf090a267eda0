/**
 * The trust anchor of pull and verify: a trust file binds each key to its producer, so a --public-key key
 * (trusted for every producer) is refused beside it; --public-key alone stays allowed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTrustAnchor, PUBLIC_KEY_BESIDE_TRUST } from '../../../cli/trust/load';
import { renderTrustFile, TRUST_FILE_KIND } from '../../../cli/trust/trust-file';
import { LocalSigner } from '../../../lambdas/evidence/signer';

const dir = mkdtempSync(join(tmpdir(), 'soc2-load-'));
const producer = LocalSigner.generate('key-iam-mfa');
const stray = LocalSigner.generate('key-stray');
const trust = join(dir, 'trust.json');
writeFileSync(
  trust,
  renderTrustFile({
    schemaVersion: 1,
    kind: TRUST_FILE_KIND,
    pinnedAt: '2026-12-01T09:00:00.000Z',
    source: 'test keys',
    producers: { 'iam-mfa': { keyArn: 'key-iam-mfa', publicKey: producer.publicKeyPem() } },
  }),
);
const pem = join(dir, 'stray.pem');
writeFileSync(pem, stray.publicKeyPem());

describe('loadTrustAnchor', () => {
  it('refuses --public-key beside --trust in one line, before reading either file', () => {
    expect(() => loadTrustAnchor('verify', { trust, publicKey: [pem] })).toThrow(PUBLIC_KEY_BESIDE_TRUST);
    expect(() =>
      loadTrustAnchor('verify', { trust: join(dir, 'nope.json'), publicKey: [join(dir, 'nope.pem')] }),
    ).toThrow(PUBLIC_KEY_BESIDE_TRUST);
    expect(PUBLIC_KEY_BESIDE_TRUST).not.toContain('\n');
  });

  it('takes a trust file alone with its producers bound and no unbound key', () => {
    const anchor = loadTrustAnchor('verify', { trust, publicKey: [] });
    expect([...anchor.producers.keys()]).toEqual(['iam-mfa']);
    expect(anchor.unbound).toEqual([]);
  });

  it('takes --public-key alone (a single-key deployment) as unbound keys', () => {
    const anchor = loadTrustAnchor('verify', { publicKey: [pem] });
    expect(anchor.producers.size).toBe(0);
    expect(anchor.unbound).toHaveLength(1);
    expect(anchor.source).toBe(`--public-key ${pem}`);
  });
});
