import { dayPrefix, envelopeKey, parseEvidenceKey, sourceKey } from '../../lambdas/evidence/keys';

const parts = {
  collectedAt: new Date('2026-01-05T23:59:07.999Z'),
  collector: 'iam-mfa',
  account: '123456789012',
  region: 'global',
  runId: '3f1c2a9e-0b7d-4a51-9a55-0e9f1f0c2b7a',
};

describe('key layout', () => {
  it('places the envelope under its UTC day, collector, account and region', () => {
    expect(envelopeKey(parts)).toBe(
      'evidence/2026/01/05/iam-mfa/123456789012/global/235907Z-3f1c2a9e-0b7d-4a51-9a55-0e9f1f0c2b7a.json',
    );
  });

  it('uses UTC, not the local time zone, for the day', () => {
    expect(envelopeKey({ ...parts, collectedAt: new Date('2026-01-05T23:30:00-05:00') })).toMatch(
      /^evidence\/2026\/01\/06\//,
    );
  });

  it('puts raw sources beside the envelope with the same stem', () => {
    expect(sourceKey(parts, 'credential-report.csv')).toBe(
      'evidence/2026/01/05/iam-mfa/123456789012/global/235907Z-3f1c2a9e-0b7d-4a51-9a55-0e9f1f0c2b7a--credential-report.csv',
    );
  });

  it('parses its own keys back', () => {
    expect(parseEvidenceKey(envelopeKey(parts))).toEqual({
      date: '2026-01-05',
      collector: 'iam-mfa',
      account: '123456789012',
      region: 'global',
      time: '235907',
      runId: parts.runId,
    });
    expect(parseEvidenceKey(sourceKey(parts, 'credential-report.csv'))?.source).toBe('credential-report.csv');
    expect(parseEvidenceKey('evidence/2026/01/05/notes.txt')).toBeUndefined();
  });

  it.each([
    [{ collector: '../etc' }, 'collector'],
    [{ region: 'eu/west' }, 'region'],
    [{ runId: 'a--b' }, 'runId'],
  ])('refuses a segment that would break the layout (%j)', (bad, name) => {
    expect(() => envelopeKey({ ...parts, ...bad })).toThrow(`evidence key ${name} must match`);
  });

  it('builds day prefixes and refuses malformed dates', () => {
    expect(dayPrefix('2026-11-23')).toBe('evidence/2026/11/23/');
    expect(() => dayPrefix('23/11/2026')).toThrow('date must be YYYY-MM-DD, got "23/11/2026"');
  });
});
