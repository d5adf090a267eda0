import { resourceMatches } from '../../lambdas/evidence/risk-acceptance';

describe('resourceMatches: an acceptance pattern against a finding resource', () => {
  it.each<[string, string, boolean]>([
    ['arn:aws:iam::123456789012:user/bob', 'arn:aws:iam::123456789012:user/bob', true],
    ['arn:aws:iam::123456789012:user/bob', 'arn:aws:iam::123456789012:user/bobby', false],
    ['arn:aws:iam::123456789012:user/*', 'arn:aws:iam::123456789012:user/bob', true],
    ['arn:aws:iam::123456789012:user/*', 'arn:aws:iam::123456789012:role/bob', false],
    ['arn:aws:s3:::legacy-*', 'arn:aws:s3:::legacy-exports', true],
    ['*:db:legacy-crm', 'arn:aws:rds:us-east-1:123456789012:db:legacy-crm', true],
    ['arn:aws:s3:::log?', 'arn:aws:s3:::logs', true],
    ['arn:aws:s3:::log?', 'arn:aws:s3:::log', false],
    ['*a*b', 'xaxb', true],
    ['*a*b', 'xaxc', false],
    ['a**b', 'ab', true],
    ['*', '', true],
    // A resource holding a `*` (a policy's resource, say): the pattern's `*` still matches anything.
    ['*', '*/', true],
    ['*b', '*ab', true],
    ['arn:aws:s3:::*', 'arn:aws:s3:::*', true],
    ['?', '', false],
    // Only * and ? are special: a dot or brackets are themselves.
    ['arn:aws:s3:::a.c', 'arn:aws:s3:::abc', false],
    ['arn:aws:s3:::[ab]', 'arn:aws:s3:::[ab]', true],
  ])('%s against %s: %s', (pattern, resource, expected) => {
    expect(resourceMatches(pattern, resource)).toBe(expected);
  });

  it('agrees with a regular expression built from the pattern on random short inputs', () => {
    const alphabet = ['a', 'b', '*', '?', '/'];
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const word = (chars: string[]) =>
      Array.from({ length: rnd(7) }, () => chars[rnd(chars.length)]!).join('');
    for (let i = 0; i < 5000; i++) {
      const pattern = word(alphabet);
      const resource = word(['a', 'b', '*', '/']);
      const source = [...pattern]
        .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[*/]/g, '\\$&')))
        .join('');
      expect([pattern, resource, resourceMatches(pattern, resource)]).toEqual([
        pattern,
        resource,
        new RegExp(`^${source}$`, 's').test(resource),
      ]);
    }
  });

  it('decides a pattern built to backtrack without backtracking exponentially (a RegExp would never return)', () => {
    // 20 pairs of *? and a final character that never matches: exponential matching takes years here.
    const pattern = `${'*?'.repeat(20)}!`;
    expect(resourceMatches(pattern, 'arn:aws:iam::123456789012:user/alice')).toBe(false);
    expect(resourceMatches(`${'*?'.repeat(500)}e`, 'arn:aws:iam::123456789012:user/alice'.repeat(20))).toBe(
      true,
    );
  });
});
