import {
  canonicalBytes,
  canonicalJson,
  CanonicalWriter,
  hexToBase64,
  sha256Base64,
  sha256Hex,
} from '../../lambdas/evidence/canonical-json';

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

/** A deterministic document of about `n` users, with text that crosses the writer's chunks. */
function population(n: number) {
  return {
    account: '123456789012',
    users: Array.from({ length: n }, (_, i) => ({
      name: `user-${i}`,
      note: i % 7 === 0 ? 'é😀\u2028"\\\n' : undefined,
      created: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
      groups: i % 3 ? [`g${i % 11}`, `g${i % 13}`] : [],
      policies: [{ z: i, admin: i % 5 === 0, nested: { b: [1, 2.5, -0, 1e21], a: null } }],
    })),
  };
}

describe('canonicalBytes and CanonicalWriter', () => {
  it.each([0, 1, 3000])('give exactly the bytes of canonicalJson (%s users)', (n) => {
    const value = population(n);
    expect(Buffer.from(canonicalBytes(value)).equals(Buffer.from(canonicalJson(value), 'utf8'))).toBe(true);
  });

  it('match canonicalJson on scalars, empty containers, key order and unicode keys', () => {
    for (const v of [null, true, false, 0, -1.5, 'x', '', [], {}, [[]], { é: 1, z: 2, A: 3, a: [{}] }])
      expect(Buffer.from(canonicalBytes(v)).toString('utf8')).toBe(canonicalJson(v));
  });

  it('build a document a piece at a time, and move another writer in without copying it twice', () => {
    const value = population(2000);
    const inner = new CanonicalWriter();
    value.users.forEach((u, i) => (i > 0 ? inner.text(',') : inner).value(u));
    const outer = new CanonicalWriter().text('{"account":').value(value.account).text(',"users":[');
    outer.append(inner).text(']}');
    expect(inner.byteLength).toBe(0);
    const bytes = outer.bytes();
    expect(bytes.byteLength).toBe(Buffer.byteLength(canonicalJson(value)));
    expect(bytes.toString('utf8')).toBe(canonicalJson(value));
    expect(outer.byteLength).toBe(0);
  });

  it.each([NaN, Infinity])('refuse %s naming its path, as canonicalJson does', (n) => {
    expect(() => canonicalBytes({ figures: { x: [1, n] } })).toThrow('$.figures.x[1]: ');
    expect(() => canonicalBytes({ figures: { x: [1, n] } })).toThrow(
      (() => {
        try {
          canonicalJson({ figures: { x: [1, n] } });
        } catch (err) {
          return (err as Error).message;
        }
        return 'no error';
      })(),
    );
    expect(() => canonicalBytes([undefined])).toThrow('$[0]: a undefined has no JSON form');
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
