import {
  accountScope,
  expectedAccounts,
  expectedWhenFor,
  listGapText,
  listState,
  missingLists,
  readAccountList,
  SINGLE_ACCOUNT,
  type AccountList,
} from '../../lambdas/evidence/account-scope';
import { computeCoverage } from '../../lambdas/evidence/coverage';
import type { Envelope } from '../../lambdas/evidence/envelope';
import { MemoryStore } from './memory-store';
import { expectValidEnvelope } from '../helpers/envelope-schema';
import {
  accountListDraft,
  HUB,
  MEMBER_A,
  MEMBER_B,
  REFUSED_OU,
  writeAccountList,
  type ListOptions,
  type MetAccount,
} from './account-list-fixture';

const C = '333333333333';

async function lists(entries: [string, string, MetAccount[], ListOptions?][]): Promise<AccountList[]> {
  const store = new MemoryStore();
  const out: AccountList[] = [];
  for (const [collector, date, accounts, options] of entries) {
    const w = await writeAccountList(store, collector, date, accounts, {
      runId: `list-${collector}-${date}-${out.length}`,
      ...options,
    });
    expectValidEnvelope(w.envelope);
    const list = readAccountList(w.envelopeObject.key, w.envelope);
    if (typeof list === 'string') throw new Error(list);
    out.push(list);
  }
  return out;
}

const inScope = (...accounts: string[]): MetAccount[] => accounts.map((account) => ({ account }));

describe('readAccountList', () => {
  it('reads the collector, hub, date and each account met with its name, OU path and reason', async () => {
    const [list] = await lists([
      [
        'iam-mfa',
        '2026-01-02',
        [
          { account: MEMBER_A, name: 'prod', ouPath: 'Root/Prod' },
          { account: MEMBER_B, reason: 'excluded' },
        ],
      ],
    ]);
    expect(list).toEqual({
      key: expect.stringMatching(/^evidence\/2026\/01\/02\/organization-accounts\/123456789012\/global\//),
      hub: HUB,
      date: '2026-01-02',
      collector: 'iam-mfa',
      state: 'complete',
      accounts: [
        { account: MEMBER_A, inScope: true, name: 'prod', ouPath: 'Root/Prod' },
        {
          account: MEMBER_B,
          inScope: false,
          name: 'account-222',
          ouPath: 'Root/Workloads',
          reason: 'excluded',
        },
      ],
    });
  });

  it('refuses a list with no policy.collector or a resource that is not an account id, naming the field', async () => {
    const store = new MemoryStore();
    const w = await writeAccountList(store, 'iam-mfa', '2026-01-02', inScope(MEMBER_A));
    const noCollector = { ...w.envelope, policy: {} } as Envelope;
    expect(readAccountList(w.envelopeObject.key, noCollector)).toMatch(/policy\.collector must be/);
    const badResource = {
      ...w.envelope,
      findings: [{ ...w.envelope.findings[0]!, resource: 'arn:aws:iam::1:root' }],
    } as Envelope;
    expect(readAccountList(w.envelopeObject.key, badResource)).toMatch(
      /resource must be a 12-digit account id/,
    );
    expect(
      readAccountList('evidence/2026/01/02/iam-mfa/123456789012/global/060000Z-r.json', w.envelope),
    ).toMatch(/not an organization-accounts envelope key/);
  });
});

describe('accountScope', () => {
  it('is single-account mode when the period holds no list (lists outside it are ignored)', async () => {
    const outside = await lists([['iam-mfa', '2025-12-31', inScope(MEMBER_A)]]);
    expect(accountScope(outside, '2026-01-01', '2026-01-05')).toBe(SINGLE_ACCOUNT);
    expect(expectedWhenFor(SINGLE_ACCOUNT, MEMBER_A)).toBeUndefined();
  });

  it('gives each account its scope history: joined, left, excluded, suspended', async () => {
    const scope = accountScope(
      await lists([
        ['iam-mfa', '2026-01-01', [...inScope(MEMBER_A), { account: C, reason: 'excluded' }]],
        ['iam-mfa', '2026-01-02', [...inScope(MEMBER_A, MEMBER_B), { account: C, reason: 'excluded' }]],
        ['iam-mfa', '2026-01-03', [...inScope(MEMBER_B), { account: MEMBER_A, reason: 'suspended' }]],
        ['iam-mfa', '2026-01-04', inScope(MEMBER_B)],
      ]),
      '2026-01-01',
      '2026-01-05',
    );
    expect(scope.organization).toBe(true);
    expect(scope.hubs).toEqual([HUB]);
    expect(scope.accounts).toEqual([MEMBER_A, MEMBER_B, C]);
    expect(scope.history.get(MEMBER_A)).toMatchObject({
      firstInScope: '2026-01-01',
      lastInScope: '2026-01-02',
      outOfScope: [{ date: '2026-01-03', reason: 'suspended' }],
      changes: ['suspended', 'left 2026-01-03'],
    });
    expect(scope.history.get(MEMBER_B)).toMatchObject({
      firstInScope: '2026-01-02',
      lastInScope: '2026-01-04',
      changes: ['joined 2026-01-02'],
    });
    expect(scope.history.get(C)).toEqual({
      account: C,
      name: 'account-333',
      ouPath: 'Root/Workloads',
      outOfScope: [
        { date: '2026-01-01', reason: 'excluded' },
        { date: '2026-01-02', reason: 'excluded' },
      ],
      changes: ['excluded'],
    });
  });

  it('expects per collector and day the accounts its list had in scope; with no list, the nearest one', async () => {
    const scope = accountScope(
      await lists([
        ['iam-mfa', '2026-01-01', inScope(MEMBER_A)],
        ['iam-mfa', '2026-01-03', inScope(MEMBER_A, MEMBER_B)],
        ['backups', '2026-01-05', inScope(MEMBER_B)],
      ]),
      '2026-01-01',
      '2026-01-05',
    );
    expect(expectedAccounts(scope, 'iam-mfa', '2026-01-03')).toEqual({
      listed: true,
      accounts: new Set([MEMBER_A, MEMBER_B]),
    });
    // No list on the 2nd: the day before's; on the 5th: the 3rd's; backups before its first list: its next.
    expect(expectedAccounts(scope, 'iam-mfa', '2026-01-02')).toEqual({
      listed: false,
      accounts: new Set([MEMBER_A]),
    });
    expect(expectedAccounts(scope, 'iam-mfa', '2026-01-05').accounts).toEqual(new Set([MEMBER_A, MEMBER_B]));
    expect(expectedAccounts(scope, 'backups', '2026-01-01').accounts).toEqual(new Set([MEMBER_B]));
    // A collector with no list in the period: the nearest list of any collector.
    expect(expectedAccounts(scope, 'tls', '2026-01-02').accounts).toEqual(new Set([MEMBER_A]));
    expect(
      missingLists(scope, new Map([['iam-mfa', new Set(['2026-01-01', '2026-01-02', '2026-01-03'])]])),
    ).toEqual([{ collector: 'iam-mfa', date: '2026-01-02' }]);
  });
});

describe('incomplete account lists', () => {
  const ERROR_LIST: ListOptions = { errors: [{ ...REFUSED_OU, api: 'organizations:DescribeOrganization' }] };
  const PARTIAL_LIST: ListOptions = { errors: [REFUSED_OU] };
  const daily = (...dates: string[]) => new Map([['iam-mfa', new Set(dates)]]);

  it('reads an ERROR list, a PARTIAL list and a list with an error entry as incomplete', async () => {
    const [failed, partial, complete] = await lists([
      ['iam-mfa', '2026-01-02', [], ERROR_LIST],
      ['iam-mfa', '2026-01-02', inScope(MEMBER_A), PARTIAL_LIST],
      ['iam-mfa', '2026-01-02', inScope(MEMBER_A)],
    ]);
    expect([failed!.state, partial!.state, complete!.state]).toEqual(['ERROR', 'PARTIAL', 'complete']);
    // A summary that claims PASS beside an error entry is still not the whole organization.
    const draft = accountListDraft('iam-mfa', '2026-01-02', inScope(MEMBER_A));
    expect(listState(draft)).toBe('complete');
    expect(listState({ summary: draft.summary, errors: [REFUSED_OU] })).toBe('PARTIAL');
    expect(listState({ summary: { ...draft.summary, complete: false }, errors: [] })).toBe('PARTIAL');
  });

  it('takes an ERROR list as no list: the nearest complete list is expected and the day is a gap', async () => {
    const scope = accountScope(
      await lists([
        ['iam-mfa', '2026-01-01', inScope(MEMBER_A, MEMBER_B)],
        ['iam-mfa', '2026-01-02', [], ERROR_LIST],
        ['iam-mfa', '2026-01-03', inScope(MEMBER_A)],
      ]),
      '2026-01-01',
      '2026-01-03',
    );
    expect(expectedAccounts(scope, 'iam-mfa', '2026-01-02')).toEqual({
      listed: false,
      accounts: new Set([MEMBER_A, MEMBER_B]),
      list: 'ERROR',
    });
    expect(missingLists(scope, daily('2026-01-01', '2026-01-02', '2026-01-03'))).toEqual([
      { collector: 'iam-mfa', date: '2026-01-02', status: 'ERROR' },
    ]);
    // Reported even on a day the schedule did not promise (a run was made and reached nobody).
    expect(missingLists(scope, daily('2026-01-01', '2026-01-03'))).toEqual([
      { collector: 'iam-mfa', date: '2026-01-02', status: 'ERROR' },
    ]);
    const cover = computeCoverage({
      from: '2026-01-01',
      to: '2026-01-03',
      schedules: { 'iam-mfa': { expression: 'cron(0 6 * * ? *)', timeZone: 'UTC' } },
      envelopes: [
        { collector: 'iam-mfa', date: '2026-01-01', status: 'PASS' },
        { collector: 'iam-mfa', date: '2026-01-03', status: 'PASS' },
      ],
      expectedWhen: expectedWhenFor(scope, MEMBER_A)!,
    });
    expect(cover.gaps.map((g) => `${g.date} ${g.status}`)).toEqual(['2026-01-02 missing']);
    // B's history does not show it leaving on the ERROR day (nothing was read that day).
    expect(scope.history.get(MEMBER_B)?.changes).toEqual(['left 2026-01-03']);
  });

  it('expects of a PARTIAL list its in-scope accounts and the nearest complete ones, less those it names out of scope', async () => {
    const scope = accountScope(
      await lists([
        ['iam-mfa', '2026-01-01', inScope(MEMBER_A, MEMBER_B, C)],
        // The OU of A was refused: A is not met; C was read and is now suspended; a new account joined.
        [
          'iam-mfa',
          '2026-01-02',
          [...inScope(MEMBER_B, '444444444444'), { account: C, reason: 'suspended' }],
          PARTIAL_LIST,
        ],
      ]),
      '2026-01-01',
      '2026-01-02',
    );
    expect(expectedAccounts(scope, 'iam-mfa', '2026-01-02')).toEqual({
      listed: true,
      accounts: new Set([MEMBER_A, MEMBER_B, '444444444444']),
      list: 'PARTIAL',
    });
    expect(missingLists(scope, daily('2026-01-01', '2026-01-02'))).toEqual([
      { collector: 'iam-mfa', date: '2026-01-02', status: 'PARTIAL' },
    ]);
    expect(scope.history.get(MEMBER_A)?.changes).toEqual([]);
    expect(expectedWhenFor(scope, MEMBER_A)!('iam-mfa', '2026-01-02', false)).toBe(true);
    expect(expectedWhenFor(scope, C)!('iam-mfa', '2026-01-02', true)).toBe(false);
  });

  it('lets a complete list of the day win over an ERROR or PARTIAL one', async () => {
    const scope = accountScope(
      await lists([
        ['iam-mfa', '2026-01-01', inScope(MEMBER_A, MEMBER_B)],
        ['iam-mfa', '2026-01-02', [], ERROR_LIST],
        ['iam-mfa', '2026-01-02', inScope(MEMBER_A)],
        ['iam-mfa', '2026-01-03', inScope(C), PARTIAL_LIST],
        ['iam-mfa', '2026-01-03', inScope(MEMBER_B)],
      ]),
      '2026-01-01',
      '2026-01-03',
    );
    expect(expectedAccounts(scope, 'iam-mfa', '2026-01-02')).toEqual({
      listed: true,
      accounts: new Set([MEMBER_A]),
    });
    expect(expectedAccounts(scope, 'iam-mfa', '2026-01-03')).toEqual({
      listed: true,
      accounts: new Set([MEMBER_B]),
    });
    expect(missingLists(scope, daily('2026-01-01', '2026-01-02', '2026-01-03'))).toEqual([]);
  });

  it('says which failure each gap of the fan-out is', () => {
    expect(listGapText({})).toMatch(/^missing/);
    expect(listGapText({ status: 'ERROR' })).toMatch(/^account list failed \(ERROR/);
    expect(listGapText({ status: 'PARTIAL' })).toMatch(/^account list incomplete \(PARTIAL/);
  });
});

describe('computeCoverage with expectedWhen', () => {
  it('makes an in-scope account without an envelope a gap, and a day out of scope not expected', async () => {
    const scope = accountScope(
      await lists([
        ['iam-mfa', '2026-01-01', inScope(MEMBER_A)],
        ['iam-mfa', '2026-01-02', [...inScope(MEMBER_A), { account: MEMBER_B, reason: 'excluded' }]],
        ['iam-mfa', '2026-01-03', inScope(MEMBER_A, MEMBER_B)],
      ]),
      '2026-01-01',
      '2026-01-03',
    );
    const cover = (account: string) =>
      computeCoverage({
        from: '2026-01-01',
        to: '2026-01-03',
        schedules: { 'iam-mfa': { expression: 'cron(0 6 * * ? *)', timeZone: 'UTC' } },
        envelopes: [{ collector: 'iam-mfa', date: '2026-01-01', status: 'PASS' }],
        expectedWhen: expectedWhenFor(scope, account)!,
      });
    expect(cover(MEMBER_A).gaps.map((g) => `${g.date} ${g.status}`)).toEqual([
      '2026-01-02 missing',
      '2026-01-03 missing',
    ]);
    const b = cover(MEMBER_B);
    expect(b.cells.map((c) => c.status)).toEqual(['present', 'not-expected', 'missing']);
    expect(b.gaps.map((g) => g.date)).toEqual(['2026-01-03']);
  });
});
