import {
  DecisionError,
  decisionDigest,
  MAX_ACCEPTANCE_DAYS,
  validateDecision,
} from '../../lambdas/risk-register/decision';
import { ACCEPT, NOW, REVOKE } from './fixtures';

const refused = (input: unknown) => {
  try {
    validateDecision(input, NOW);
  } catch (err) {
    if (err instanceof DecisionError) return err.message;
    throw err;
  }
  throw new Error('accepted');
};

describe('validateDecision', () => {
  it('returns a valid accept and a valid revoke exactly as given', () => {
    expect(validateDecision({ ...ACCEPT }, NOW)).toEqual(ACCEPT);
    expect(validateDecision({ ...REVOKE }, NOW)).toEqual(REVOKE);
    // Patterns, and the boundaries: tomorrow and 365 days ahead (2027-11-30 from 2026-11-30).
    expect(
      validateDecision({ ...ACCEPT, resource: 'arn:aws:s3:::logs-?-*', expires: '2026-12-01' }, NOW),
    ).toMatchObject({ resource: 'arn:aws:s3:::logs-?-*', expires: '2026-12-01' });
    expect(validateDecision({ ...ACCEPT, expires: '2027-11-30' }, NOW).expires).toBe('2027-11-30');
    expect(
      validateDecision({ ...ACCEPT, resource: 'r'.repeat(1024), reason: 'x'.repeat(1000) }, NOW),
    ).toBeDefined();
    expect(MAX_ACCEPTANCE_DAYS).toBe(365);
  });

  it.each([
    ['not an object', 'accept', /^the decision must be a JSON object/],
    ['an unknown field', { ...ACCEPT, severity: 'low' }, /unknown fields \(severity\)/],
    ['another action', { ...ACCEPT, action: 'ignore' }, /action must be "accept" or "revoke", got "ignore"/],
    ['no check', { ...ACCEPT, check: '' }, /^--check is required: a check id of the catalogue/],
    ['an unknown check', { ...ACCEPT, check: 'no-such-check' }, /^--check "no-such-check" is not a check id/],
    ["the register's own check", { ...ACCEPT, check: 'risk-accepted' }, /risk register's own check/],
    ['no resource', { ...ACCEPT, resource: undefined }, /^--resource is required/],
    [
      'a resource too long',
      { ...ACCEPT, resource: 'r'.repeat(1025) },
      /^--resource must be .* got 1025 characters/,
    ],
    ['a resource on two lines', { ...ACCEPT, resource: 'a\nb' }, /^--resource must be .*on one line/],
    [
      'an owner that is no email',
      { ...ACCEPT, owner: 'alice' },
      /^--owner must be an email address .*got "alice"/,
    ],
    [
      'an owner with a space',
      { ...ACCEPT, owner: 'alice @example.com' },
      /^--owner must be an email address/,
    ],
    [
      'a blank reason',
      { ...ACCEPT, reason: '   ' },
      /^--reason must say why, in 1 to 1000 characters; got 3/,
    ],
    [
      'a reason too long',
      { ...ACCEPT, reason: 'x'.repeat(1001) },
      /^--reason must say .*got 1001 characters/,
    ],
    ['a reason that is not text', { ...ACCEPT, reason: 42 }, /^--reason must be text/],
    ['accept without expires', { ...ACCEPT, expires: undefined }, /^--expires is required with accept/],
    ['a date that is not one', { ...ACCEPT, expires: '2027-02-30' }, /^--expires "2027-02-30" is not a date/],
    [
      'a date in another form',
      { ...ACCEPT, expires: '28/02/2027' },
      /^--expires "28\/02\/2027" is not a date/,
    ],
    [
      'expires today',
      { ...ACCEPT, expires: '2026-11-30' },
      /^--expires 2026-11-30 is not after today \(2026-11-30 UTC\)/,
    ],
    ['expires in the past', { ...ACCEPT, expires: '2025-01-01' }, /is not after today/],
    [
      'expires more than a year ahead',
      { ...ACCEPT, expires: '2027-12-01' },
      /^--expires 2027-12-01 is more than 365 days ahead; the latest is 2027-11-30/,
    ],
    ['revoke with expires', { ...REVOKE, expires: '2027-01-01' }, /^--expires is not taken by revoke/],
  ])('refuses %s with one line naming the field', (_what, input, message) => {
    const line = refused(input);
    expect(line).toMatch(message);
    expect(line).not.toContain('\n');
  });
});

describe('decisionDigest', () => {
  it('is the SHA-256 of the canonical JSON, whatever the key order, and differs for another decision', () => {
    const reordered = Object.fromEntries(Object.entries(ACCEPT).reverse()) as typeof ACCEPT;
    expect(decisionDigest(reordered)).toBe(decisionDigest(ACCEPT));
    expect(decisionDigest(ACCEPT)).toMatch(/^[0-9a-f]{64}$/);
    expect(decisionDigest({ ...ACCEPT, expires: '2027-03-01' })).not.toBe(decisionDigest(ACCEPT));
  });
});
