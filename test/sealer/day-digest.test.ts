import { LATE_TOLERANCE_MS, SEAL_DELAY_MS } from '../../lambdas/evidence/digest';
import type { ObjectVersion } from '../../lambdas/evidence/read-store';
import {
  accountsToSeal,
  addDays,
  buildDigest,
  chooseOriginal,
  daysToSeal,
  lastSealableDay,
  type SeenKey,
} from '../../lambdas/sealer/day-digest';

const OWN = '123456789012';
const OTHER = '210987654321';

const v = (versionId: string, lastModified?: string, deleteMarker = false): ObjectVersion => ({
  versionId,
  deleteMarker,
  isLatest: false,
  size: 1,
  ...(lastModified ? { lastModified } : {}),
});

describe('chooseOriginal', () => {
  it('takes the oldest version that is not a delete marker and lists every other one', () => {
    const dm = v('dm', '2026-01-03T00:00:00.000Z', true);
    const overwrite = v('v2', '2026-01-02T10:00:00.000Z');
    const first = v('v1', '2026-01-02T06:00:00.000Z');
    expect(chooseOriginal([dm, overwrite, first])).toEqual({ original: first, others: [dm, overwrite] });
    // Listing order does not matter when every version carries LastModified.
    expect(chooseOriginal([first, overwrite, dm]).original).toBe(first);
  });

  it('without LastModified on every version, takes the last listed (S3 lists newest first)', () => {
    const newer = v('v2');
    const older = v('v1', '2026-01-02T06:00:00.000Z');
    expect(chooseOriginal([newer, older]).original).toBe(older);
    expect(chooseOriginal([older, newer]).original).toBe(newer);
  });

  it('finds no original when the key holds only delete markers', () => {
    const dm = v('dm', undefined, true);
    expect(chooseOriginal([dm])).toEqual({ others: [dm] });
  });
});

describe('the days a run may seal', () => {
  it('seals a day only SEAL_DELAY_MS after it ended', () => {
    const midnight = Date.parse('2026-03-09T00:00:00.000Z');
    expect(lastSealableDay(new Date(midnight + SEAL_DELAY_MS), SEAL_DELAY_MS)).toBe('2026-03-08');
    expect(lastSealableDay(new Date(midnight + SEAL_DELAY_MS - 1), SEAL_DELAY_MS)).toBe('2026-03-07');
    expect(lastSealableDay(new Date('2026-03-09T23:59:59.999Z'), SEAL_DELAY_MS)).toBe('2026-03-08');
  });

  it('lists days in order across a month end, at most `max`', () => {
    expect(daysToSeal('2026-02-27', '2026-03-02', 10)).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
    expect(daysToSeal('2026-02-27', '2026-03-02', 2)).toEqual(['2026-02-27', '2026-02-28']);
    expect(daysToSeal('2026-03-03', '2026-03-02', 2)).toEqual([]);
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });
});

const seen = (key: string, lastModified = '2026-01-02T06:00:05.000Z', signingKey?: string): SeenKey => ({
  key,
  original: {
    versionId: `v-${key.length}`,
    sha256: 'ab'.repeat(32),
    bytes: 10,
    lastModified,
    ...(signingKey ? { signingKey, signature: `sig-of-${key.length}` } : {}),
  },
  others: [],
});
const envelope = (account: string, collector = 'iam-mfa', time = '060003') =>
  `evidence/2026/01/02/${collector}/${account}/global/${time}Z-run-1.json`;

describe('accountsToSeal', () => {
  it('is the own account, the accounts with objects and the chained accounts not yet past the day', () => {
    const chains = new Map([
      ['333333333333', '2026-01-01'],
      ['444444444444', '2026-01-02'],
    ]);
    expect(accountsToSeal('2026-01-02', OWN, [seen(envelope(OTHER))], chains)).toEqual([
      OWN,
      OTHER,
      '333333333333',
    ]);
    expect(accountsToSeal('2026-01-02', OWN, [], new Map([[OWN, '2026-01-02']]))).toEqual([]);
  });
});

describe('buildDigest', () => {
  const base = {
    date: '2026-01-02',
    ownAccount: OWN,
    previous: { key: 'digests/2026/01/01/123456789012.json', sha256: 'cd'.repeat(32), date: '2026-01-01' },
    sealedAt: new Date('2026-01-03T00:30:00.000Z'),
    runId: 'seal-1',
  };

  it("lists the account's objects sorted, with producer, signing key, signature and late flag, and links the previous digest", () => {
    const dayEnd = Date.parse('2026-01-03T00:00:00.000Z');
    const keys: SeenKey[] = [
      seen(envelope(OWN, 'tls'), new Date(dayEnd + LATE_TOLERANCE_MS).toISOString()),
      seen(envelope(OWN), '2026-01-02T06:00:05.000Z', 'arn:aws:kms:us-east-1:123456789012:key/k'),
      seen(envelope(OTHER)),
      seen('evidence/2026/01/02/notes.txt', new Date(dayEnd + LATE_TOLERANCE_MS - 1).toISOString()),
      { key: envelope(OWN, 'backups'), others: [v('dm', undefined, true)] },
    ];
    const digest = buildDigest({ ...base, account: OWN, seen: keys });
    expect(digest).toMatchObject({
      schemaVersion: 1,
      kind: 'soc2-evidence-digest',
      account: OWN,
      date: '2026-01-02',
      sealedAt: '2026-01-03T00:30:00.000Z',
      producer: { name: 'soc2-evidence', runId: 'seal-1' },
      previous: base.previous,
    });
    expect(digest.objects.map((o) => [o.key, o.producer, o.signingKey, o.signature, o.late])).toEqual([
      [
        'evidence/2026/01/02/iam-mfa/123456789012/global/060003Z-run-1.json',
        'iam-mfa',
        expect.any(String),
        `sig-of-${envelope(OWN).length}`,
        undefined,
      ],
      ['evidence/2026/01/02/notes.txt', undefined, undefined, undefined, undefined],
      ['evidence/2026/01/02/tls/123456789012/global/060003Z-run-1.json', 'tls', undefined, undefined, true],
    ]);
    expect(digest.otherVersions).toEqual([
      { key: envelope(OWN, 'backups'), versionId: 'dm', deleteMarker: true },
    ]);
    // Keys of another account go to that account's digest only.
    const other = buildDigest({ ...base, account: OTHER, seen: keys, previous: null });
    expect(other.objects.map((o) => o.key)).toEqual([envelope(OTHER)]);
    expect(other.previous).toBeNull();
  });

  it('marks an object written before its key’s day as late too (a key dated ahead)', () => {
    const digest = buildDigest({
      ...base,
      account: OWN,
      seen: [seen(envelope(OWN), '2026-01-01T23:59:59.000Z')],
    });
    expect(digest.objects[0]!.late).toBe(true);
  });
});
