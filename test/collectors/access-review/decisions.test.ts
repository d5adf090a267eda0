import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GenerateCredentialReportCommand,
  GetAccountAuthorizationDetailsCommand,
  GetCredentialReportCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import { recordDecisions } from '../../../lambdas/collectors/access-review/attestation';
import { DecisionsError, validateDecisions } from '../../../lambdas/collectors/access-review/decisions';
import { renderCsv } from '../../../lambdas/collectors/access-review/render';
import { parseCsv } from '../../../lambdas/readers/credential-report/csv';
import { runAccessReview } from '../../../lambdas/collectors/access-review/review';
import { ClientFactory } from '../../../lambdas/aws/client-factory';
import { DirectoryStore } from '../../../lambdas/evidence/directory-store';
import { directoryReader } from '../../../lambdas/evidence/read-store';
import { DEFAULT_SETTINGS } from '../../../lambdas/settings';
import { expectValidEnvelope } from '../../helpers/envelope-schema';
import { entry, population, user } from './fixtures';

const P = {
  ...population([entry('alice'), entry('bob'), entry('carol')]),
  roles: [
    {
      name: 'sso-admin',
      arn: 'arn:aws:iam::123456789012:role/sso-admin',
      trustedBy: [],
      createdAt: null,
      lastUsedAt: null,
      lastUsedRegion: null,
      policies: [],
      admin: true,
      nearAdmin: false,
      adminReasons: [],
    },
  ],
};
const HEAD = 'user,decision,justification\n';

function problems(csv: string, reviewer = 'dora'): readonly string[] {
  try {
    validateDecisions(csv, P, reviewer);
  } catch (err) {
    if (err instanceof DecisionsError) return err.problems;
    throw err;
  }
  return [];
}

describe('validateDecisions', () => {
  it('accepts one decision per user, roles optional, and flags the self-review', () => {
    const rows = validateDecisions(
      `${HEAD}alice,keep,\nbob,Remove,left the company\ncarol,modify,"drop admin, keep read"\nrole/sso-admin,keep,break-glass\n`,
      P,
      'Carol',
    );
    expect(rows.map((r) => [r.principal, r.decision, r.selfReview])).toEqual([
      ['alice', 'keep', false],
      ['bob', 'remove', false],
      ['carol', 'modify', true],
      ['role/sso-admin', 'keep', false],
    ]);
  });

  it.each([
    [
      'an unknown user',
      `${HEAD}alice,keep,\nbob,keep,\ncarol,keep,on call\nmallory,keep,\n`,
      ['line 5: "mallory" is not in the review population'],
    ],
    ['a missing user', `${HEAD}alice,keep,\nbob,keep,\n`, ['user "carol" has no decision']],
    [
      'a bad decision',
      `${HEAD}alice,maybe,\nbob,keep,\ncarol,keep,on call\n`,
      ['line 2: decision for "alice" must be keep, remove or modify, got "maybe"'],
    ],
    [
      'a duplicate',
      `${HEAD}alice,keep,\nalice,remove,\nbob,keep,\ncarol,keep,on call\n`,
      ['line 3: "alice" is decided more than once'],
    ],
    [
      'a self-review without justification',
      `${HEAD}alice,keep,\nbob,keep,\ncarol,keep,\n`,
      ['line 4: "carol" is the reviewer\'s own access (a self-review) and needs a justification'],
    ],
    ['a missing column', 'user,decision\nalice,keep\n', ['missing column(s): justification']],
  ])('rejects %s', (_n, csv, expected) => {
    expect(problems(csv, 'carol')).toEqual(expected);
  });

  it('lists every problem at once', () => {
    expect(problems(`${HEAD}mallory,keep,\nalice,nope,\n`)).toHaveLength(4);
  });
});

describe('validateDecisions on the review CSV filled in', () => {
  const T = { ...P, users: [...P.users, entry('=bob'), entry('@ops')] };
  /** The attached template with `fill(name)` as [decision, justification] per row, saved as `columns`. */
  function filled(fill: (name: string) => [string, string], drop: readonly string[] = []): string {
    const [header, ...rows] = parseCsv(renderCsv(T));
    const keep = header!.map((h, i) => (drop.includes(h) ? -1 : i)).filter((i) => i >= 0);
    const d = header!.indexOf('decision');
    const j = header!.indexOf('justification');
    const name = header!.indexOf('name');
    const out = rows.map((r) => {
      const c = [...r];
      [c[d], c[j]] = fill(c[name]!);
      return c;
    });
    return [header!, ...out]
      .map((r) => keep.map((i) => `"${r[i]!.replace(/"/g, '""')}"`).join(','))
      .join('\r\n');
  }

  it('matches every row, guarded names included, by arn; a role left empty stays undecided', () => {
    const csv = filled((n) =>
      n === 'sso-admin' ? ['', ''] : n === "'=bob" ? ['remove', 'left'] : ['keep', ''],
    );
    expect(csv).toContain('"\'=bob"');
    const rows = validateDecisions(csv, T, 'dora');
    expect(rows.map((r) => [r.principal, r.decision])).toEqual([
      ['alice', 'keep'],
      ['bob', 'keep'],
      ['carol', 'keep'],
      ['=bob', 'remove'],
      ['@ops', 'keep'],
    ]);
    expect(rows[3]!.arn).toBe('arn:aws:iam::123456789012:user/=bob');
  });

  it('matches by type and name when the arn column is gone, undoing the formula guard', () => {
    const csv = filled((n) => ['keep', n === 'sso-admin' ? 'break-glass' : ''], ['arn']);
    expect(validateDecisions(csv, T, 'dora').map((r) => r.principal)).toEqual([
      'alice',
      'bob',
      'carol',
      '=bob',
      '@ops',
      'role/sso-admin',
    ]);
  });

  it('names the user rows left without a decision', () => {
    const csv = filled((n) => (n === 'bob' ? ['', ''] : ['keep', '']));
    expect(problems2(csv)).toEqual(['line 3: "bob" has no decision (keep, remove or modify)']);
  });

  function problems2(csv: string): readonly string[] {
    try {
      validateDecisions(csv, T, 'dora');
    } catch (err) {
      if (err instanceof DecisionsError) return err.problems;
      throw err;
    }
    return [];
  }
});

describe('recordDecisions', () => {
  const iam = mockClient(IAMClient);
  const ses = mockClient(SESv2Client);
  beforeEach(() => {
    iam.reset();
    ses.reset();
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-message-1' });
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iam
      .on(GetCredentialReportCommand)
      .resolves({ Content: readFileSync(join(__dirname, '..', '..', 'fixtures', 'credential-report.csv')) });
    iam
      .on(GetAccountAuthorizationDetailsCommand)
      .resolves({ UserDetailList: [user('alice'), user('=bob')], IsTruncated: false });
  });

  async function frozen(
    at = '2026-10-01T07:00:00Z',
    extra: { dryRun?: boolean; timeZone?: string; runId?: string } = {},
    dir = mkdtempSync(join(tmpdir(), 'soc2-decisions-')),
  ) {
    const review = await runAccessReview({
      clients: new ClientFactory(),
      store: new DirectoryStore(dir),
      account: '123456789012',
      settings: DEFAULT_SETTINGS,
      now: () => new Date(at),
      runId: 'review-run',
      senderEmail: 'soc2-evidence@example.com',
      securityEmail: 'security@example.com',
      location: { dir },
      ...extra,
    });
    return { dir, review };
  }

  it('resolves a quarter to the review actually sent, not a later dry run or failed send', async () => {
    const { dir, review } = await frozen();
    await frozen('2026-11-15T07:00:00Z', { dryRun: true, runId: 'adhoc' }, dir);
    ses.reset();
    ses.on(SendEmailCommand).rejects(Object.assign(new Error('slow down'), { name: 'Throttling' }));
    await expect(frozen('2026-12-01T07:00:00Z', { runId: 'failed' }, dir)).rejects.toThrow(/not sent/);
    const written = await recordDecisions({
      reader: directoryReader(dir),
      store: new DirectoryStore(dir),
      review: '2026-Q4',
      reviewer: 'dora',
      decisionsCsv: Buffer.from(`${HEAD}alice,keep,on call\n'=bob,remove,left\n`),
      runId: 'attest',
    });
    expect(written.envelope.policy.review).toMatchObject({
      populationEnvelopeKey: review.population.envelopeObject.key,
    });
  });

  it('finds a quarter that began the previous UTC day in the schedule time zone', async () => {
    // 09:00 on 1 January in Auckland: 31 December in UTC, so under evidence/2025/12/31/.
    const { dir, review } = await frozen('2025-12-31T20:00:00Z', { timeZone: 'Pacific/Auckland' });
    expect(review.quarter).toBe('2026-Q1');
    expect(review.email.envelopeObject.key).toMatch(/^evidence\/2025\/12\/31\//);
    const written = await recordDecisions({
      reader: directoryReader(dir),
      store: new DirectoryStore(dir),
      review: '2026-Q1',
      reviewer: 'dora',
      decisionsCsv: Buffer.from(`${HEAD}alice,keep,on call\n'=bob,remove,left\n`),
      runId: 'attest',
    });
    expect(written.envelope.policy.review).toMatchObject({
      populationEnvelopeKey: review.population.envelopeObject.key,
    });
  });

  it('lists what it found when no review of the quarter was sent', async () => {
    const { dir, review } = await frozen('2026-10-01T07:00:00Z', { dryRun: true });
    const attempt = recordDecisions({
      reader: directoryReader(dir),
      store: new DirectoryStore(dir),
      review: '2026-Q4',
      reviewer: 'dora',
      decisionsCsv: Buffer.from(`${HEAD}alice,keep,on call\n'=bob,remove,left\n`),
    });
    await expect(attempt).rejects.toThrow(/no access review email sent for 2026-Q4/);
    await expect(attempt).rejects.toThrow(`${review.email.envelopeObject.key} (quarter 2026-Q4, dry run)`);
    await expect(attempt).rejects.toThrow(review.population.envelopeObject.key);
  });

  it.each(['2026-Q4', 'population', 'email'])(
    'writes an attestation linked to the population by its digest (--review %s)',
    async (how) => {
      const { dir, review } = await frozen();
      const ref =
        how === 'population'
          ? review.population.envelopeObject.key
          : how === 'email'
            ? review.email.envelopeObject.key
            : how;
      // The CSV the reviewer edits keeps the formula guard on "=bob".
      const csv = Buffer.from(`${HEAD}alice,keep,on call\n'=bob,remove,left\n`);
      const written = await recordDecisions({
        reader: directoryReader(dir),
        store: new DirectoryStore(dir),
        review: ref,
        reviewer: 'alice',
        decisionsCsv: csv,
        now: new Date('2026-10-05T10:00:00Z'),
        runId: 'attest',
      });
      expectValidEnvelope(JSON.parse(JSON.stringify(written.envelope)));
      const population = review.population.envelope.sources.find((s) => s.name === 'population.json')!;
      expect(written.envelope).toMatchObject({
        collector: 'access-review-attestation',
        controls: ['CC6.2', 'CC6.3'],
        policy: {
          reviewer: 'alice',
          review: {
            populationEnvelopeKey: review.population.envelopeObject.key,
            populationEnvelopeSha256: review.population.envelopeObject.sha256,
            populationSha256: population.sha256,
          },
        },
        summary: { figures: { decisions: 2, keep: 1, remove: 1, selfReviews: 1 } },
      });
      expect(written.envelope.findings.map((f) => [f.detail.principal, f.status])).toEqual([
        ['alice', 'WARN'],
        ['=bob', 'INFO'],
      ]);
    },
  );

  it('writes nothing when the decisions are wrong', async () => {
    const { dir } = await frozen();
    const before = readdirSync(dir, { recursive: true }).length;
    await expect(
      recordDecisions({
        reader: directoryReader(dir),
        store: new DirectoryStore(dir),
        review: '2026-Q4',
        reviewer: 'alice',
        decisionsCsv: Buffer.from(`${HEAD}alice,keep,\nzed,keep,x\n`),
      }),
    ).rejects.toThrow(/3 problem\(s\); nothing was written/);
    expect(readdirSync(dir, { recursive: true }).length).toBe(before);
  });

  it('says so when no review exists for the quarter', async () => {
    const { dir } = await frozen();
    await expect(
      recordDecisions({
        reader: directoryReader(dir),
        store: new DirectoryStore(dir),
        review: '2026-Q1',
        reviewer: 'a',
        decisionsCsv: Buffer.from(HEAD),
      }),
    ).rejects.toThrow('no access review email sent for 2026-Q1');
  });
});
