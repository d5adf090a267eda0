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
    ['?', '', false],
    // Only * and ? are special: a dot or brackets are themselves.
    ['arn:aws:s3:::a.c', 'arn:aws:s3:::abc', false],
    ['arn:aws:s3:::[ab]', 'arn:aws:s3:::[ab]', true],
  ])('%s against %s: %s', (pattern, resource, expected) => {
    expect(resourceMatches(pattern, resource)).toBe(expected);
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
