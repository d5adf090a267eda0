import { canonicalJson, hexToBase64, sha256Base64, sha256Hex } from '../../lambdas/evidence/canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('gives the same bytes whatever the insertion order', () => {
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });

  it('sorts by UTF-16 code units as RFC 8785 does', () => {
    expect(canonicalJson({ é: 1, z: 2, A: 3 })).toBe('{"A":3,"z":2,"é":1}');
  });

  it('omits undefined members and serialises dates as ISO strings', () => {
    expect(canonicalJson({ a: undefined, d: new Date('2026-01-02T03:04:05Z') })).toBe(
      '{"d":"2026-01-02T03:04:05.000Z"}',
    );
  });

  it.each([NaN, Infinity])('refuses %s, which has no JSON form', (n) => {
    expect(() => canonicalJson({ figures: { x: n } })).toThrow('$.figures.x');
  });
});

describe('digests', () => {
  it('computes SHA-256 in hex and in the base64 form S3 uses', () => {
    const hex = sha256Hex('abc');
    expect(hex).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Base64('abc')).toBe(hexToBase64(hex));
    expect(sha256Base64('abc')).toBe('ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=');
  });
});
