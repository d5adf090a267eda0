import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeOrganizationalUnitCommand,
  DescribeOrganizationCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
} from '@aws-sdk/client-organizations';
import { ClientFactory } from '../../lambdas/aws/client-factory';
import { DirectoryStore } from '../../lambdas/evidence/directory-store';
import type { Envelope } from '../../lambdas/evidence/envelope';
import {
  AccountListError,
  judgeAccounts,
  listAccounts,
  parseListAccountsEvent,
  type AccountRead,
} from '../../lambdas/organization/accounts';
import {
  LIST_ACCOUNTS_SOURCE,
  ORGANIZATION_ENV,
  type OrganizationSettings,
} from '../../lambdas/organization/contract';
import { parseOrganizationSettings } from '../../lambdas/organization/contract';
import { expectValidEnvelope } from '../helpers/envelope-schema';
import { mockOrganization, ORG_ID, PRODUCTION, ROOT, SANDBOX, WORKLOADS } from './org-fixture';

const HUB = '123456789012';
const NOW = new Date('2026-03-02T06:00:05Z');
const EVENT = {
  source: LIST_ACCOUNTS_SOURCE,
  collector: 'iam-mfa',
  execution: `arn:aws:states:us-east-1:${HUB}:execution:Soc2Evidence-iam-mfa:run-1`,
} as const;
const settings = (extra: Partial<OrganizationSettings> = {}): OrganizationSettings => ({
  id: ORG_ID,
  organizationalUnits: [ROOT],
  excludeAccounts: ['666666666666'],
  memberRoleName: 'soc2-evidence-member',
  ...extra,
});

let org: ReturnType<typeof mockOrganization>;
afterEach(() => org.restore());

async function list(s: OrganizationSettings) {
  const dir = mkdtempSync(join(tmpdir(), 'soc2-accounts-'));
  const store = new DirectoryStore(dir);
  const read = (key: string) => readFileSync(join(dir, key), 'utf8');
  try {
    const listed = await listAccounts({
      clients: new ClientFactory(),
      store,
      hubAccount: HUB,
      settings: s,
      event: EVENT,
      now: NOW,
      runId: 'run-1',
    });
    const envelope = JSON.parse(read(listed.listKey)) as Envelope;
    expectValidEnvelope(envelope);
    return { listed, envelope, read };
  } catch (err) {
    if (!(err instanceof AccountListError)) throw err;
    const envelope = JSON.parse(read(err.listKey)) as Envelope;
    expectValidEnvelope(envelope);
    return { error: err, envelope, read };
  }
}

const byAccount = (e: Envelope) => Object.fromEntries(e.findings.map((f) => [f.resource, f]));

describe('the account list', () => {
  it('walks nested OUs breadth first over every page, judges each account once and writes the list with its source', async () => {
    org = mockOrganization();
    const { listed, envelope, read } = await list(settings());

    expect(listed!.accounts).toEqual(['111111111111', '123456789012', '222222222222', '444444444444']);
    expect(listed!.listKey).toMatch(
      /^evidence\/2026\/03\/02\/organization-accounts\/123456789012\/global\/060005Z-run-1\.json$/,
    );
    expect(envelope.summary).toMatchObject({
      status: 'PASS',
      info: 9,
      evaluated: 0,
      figures: { inScope: 4, outOfScope: 5 },
    });
    expect(envelope.policy).toEqual({
      collector: 'iam-mfa',
      execution: EVENT.execution,
      organizationId: ORG_ID,
      organizationalUnits: [ROOT],
      excludeAccounts: ['666666666666'],
      memberRoleName: 'soc2-evidence-member',
    });
    const f = byAccount(envelope);
    expect(f['222222222222']).toEqual({
      resource: '222222222222',
      check: 'account-in-scope',
      status: 'INFO',
      detail: {
        name: 'prod-app',
        ouPath: 'Root/Workloads/Production',
        parent: PRODUCTION,
        state: 'ACTIVE',
        joinedAt: '2024-05-01T10:00:00.000Z',
      },
    });
    expect(f['123456789012']!.detail).toMatchObject({ ouPath: 'Root', parent: ROOT });
    // Legacy Status read when State is absent.
    expect(f['444444444444']).toMatchObject({ check: 'account-in-scope', detail: { state: 'ACTIVE' } });
    expect(
      Object.fromEntries(
        envelope.findings
          .filter((x) => x.check === 'account-out-of-scope')
          .map((x) => [x.resource, x.detail.reason]),
      ),
    ).toEqual({
      '333333333333': 'suspended',
      '555555555555': 'closed',
      '666666666666': 'excluded',
      '777777777777': 'pending-closure',
      '888888888888': 'pending-activation',
    });
    // The root is named without a call; every parent is listed once per page.
    expect(org.commandCalls(DescribeOrganizationCommand)).toHaveLength(1);
    expect(org.commandCalls(DescribeOrganizationalUnitCommand)).toHaveLength(0);
    expect(
      org.commandCalls(ListOrganizationalUnitsForParentCommand).map((c) => c.args[0].input.ParentId),
    ).toEqual([ROOT, WORKLOADS, SANDBOX, PRODUCTION]);
    expect(
      org.sent
        .filter((p) => p.api === 'ListAccountsForParent' && p.parent === PRODUCTION)
        .map((p) => p.token),
    ).toEqual([undefined, 'page-1', 'page-2', 'page-3']);
    // The tree as read, reduced (no e-mail addresses), signed beside the envelope.
    expect(envelope.sources).toEqual([
      expect.objectContaining({
        name: 'accounts.json',
        api: 'organizations:ListAccountsForParent',
        contentType: 'application/json',
      }),
    ]);
    const source = JSON.parse(read(envelope.sources[0]!.key)) as {
      organization: unknown;
      units: unknown[];
      accounts: unknown[];
    };
    expect(source.organization).toEqual({ id: ORG_ID, arn: expect.any(String), managementAccountId: HUB });
    expect(source.units).toHaveLength(4);
    expect(source.accounts).toHaveLength(9);
    expect(JSON.stringify(source)).not.toContain('@example.com');
  });

  it.each([
    ['root first', [ROOT, PRODUCTION]],
    ['nested OU first', [PRODUCTION, ROOT]],
  ])(
    'lists an account of nested configured units once, under the longest path (%s), reading each parent once',
    async (_label, units) => {
      org = mockOrganization();
      const { listed, envelope } = await list(settings({ organizationalUnits: units, excludeAccounts: [] }));
      expect(envelope.findings.map((f) => f.resource)).toEqual([
        ...new Set(envelope.findings.map((f) => f.resource)),
      ]);
      expect(envelope.findings).toHaveLength(9);
      expect(byAccount(envelope)['222222222222']!.detail.ouPath).toBe('Root/Workloads/Production');
      expect(listed!.accounts).toContain('666666666666');
      expect(
        org.commandCalls(DescribeOrganizationalUnitCommand).map((c) => c.args[0].input.OrganizationalUnitId),
      ).toEqual([PRODUCTION]);
      const parents = org
        .commandCalls(ListOrganizationalUnitsForParentCommand)
        .map((c) => c.args[0].input.ParentId);
      expect(parents.sort()).toEqual([PRODUCTION, ROOT, SANDBOX, WORKLOADS].sort());
    },
  );

  it('names a configured OU by DescribeOrganizationalUnit and paths start there', async () => {
    org = mockOrganization();
    const { envelope } = await list(settings({ organizationalUnits: [WORKLOADS] }));
    expect(byAccount(envelope)['222222222222']!.detail.ouPath).toBe('Workloads/Production');
    expect(byAccount(envelope)['111111111111']!.detail.ouPath).toBe('Workloads');
  });

  it('writes what one OU gave when another is refused, with the refusal recorded (PARTIAL)', async () => {
    org = mockOrganization({ refuse: [WORKLOADS] });
    const { listed, envelope } = await list(
      settings({ organizationalUnits: [WORKLOADS, SANDBOX], excludeAccounts: [] }),
    );
    expect(listed!.accounts).toEqual(['666666666666']);
    expect(envelope.summary).toMatchObject({
      status: 'PARTIAL',
      complete: false,
      figures: { inScope: 1, outOfScope: 2 },
    });
    expect(envelope.errors.map((e) => [e.api, e.code, e.message.slice(0, 21)])).toEqual([
      ['organizations:DescribeOrganizationalUnit', 'AccessDeniedException', `${WORKLOADS}: You`],
      ['organizations:ListOrganizationalUnitsForParent', 'AccessDeniedException', `${WORKLOADS}: You`],
      ['organizations:ListAccountsForParent', 'AccessDeniedException', `${WORKLOADS}: You`],
    ]);
  });

  it('refuses an organization other than the configured one: ERROR envelope naming both, then throws', async () => {
    org = mockOrganization({ orgId: 'o-zzzzzzzzzz' });
    const { error, envelope } = await list(settings());
    expect(error).toBeInstanceOf(AccountListError);
    expect(error!.message).toContain('the account list could not be read');
    expect(envelope.summary.status).toBe('ERROR');
    expect(envelope.findings).toEqual([]);
    expect(envelope.errors).toEqual([
      expect.objectContaining({
        api: 'organizations:DescribeOrganization',
        code: 'OrganizationMismatch',
        message: expect.stringMatching(
          /organization o-zzzzzzzzzz, but organization\.id is configured as o-a1b2c3d4e5/,
        ),
      }),
    ]);
    expect(org.commandCalls(ListAccountsForParentCommand)).toHaveLength(0);
    expect(org.commandCalls(ListOrganizationalUnitsForParentCommand)).toHaveLength(0);
  });

  it('writes an ERROR envelope and throws when the organization cannot be read at all', async () => {
    org = mockOrganization();
    org
      .on(DescribeOrganizationCommand)
      .rejects(Object.assign(new Error('not a member'), { name: 'AWSOrganizationsNotInUseException' }));
    const { error, envelope } = await list(settings());
    expect(error).toBeInstanceOf(AccountListError);
    expect(envelope).toMatchObject({ summary: { status: 'ERROR' }, sources: [] });
    expect(envelope.errors[0]).toMatchObject({ code: 'AWSOrganizationsNotInUseException' });
  });

  it('throws after writing when every configured unit was refused (nothing to fan out to)', async () => {
    org = mockOrganization({ refuse: [SANDBOX] });
    const { error, envelope } = await list(settings({ organizationalUnits: [SANDBOX] }));
    expect(error).toBeInstanceOf(AccountListError);
    expect(envelope.summary.status).toBe('ERROR');
  });
});

describe('judgeAccounts (pure)', () => {
  const a = (id: string, state: string, extra: Partial<AccountRead> = {}): AccountRead => ({
    id,
    name: `n${id.slice(0, 1)}`,
    state,
    stateFrom: 'State',
    parent: ROOT,
    ouPath: 'Root',
    ...extra,
  });

  it('puts ACTIVE, not excluded accounts in scope, sorted, and gives every other account its reason', () => {
    const j = judgeAccounts(
      [
        a('333333333333', 'ACTIVE'),
        a('111111111111', 'ACTIVE'),
        a('222222222222', 'SUSPENDED'),
        a('444444444444', 'SUSPENDED'),
      ],
      settings({ excludeAccounts: ['333333333333', '444444444444'] }),
    );
    expect(j.inScope).toEqual(['111111111111']);
    expect(j.figures).toEqual({ inScope: 1, outOfScope: 3 });
    expect(j.findings.map((f) => [f.resource, f.check, f.detail.reason])).toEqual([
      ['111111111111', 'account-in-scope', undefined],
      ['222222222222', 'account-out-of-scope', 'suspended'],
      // Excluded wins over the state: the configuration's decision is recorded.
      ['333333333333', 'account-out-of-scope', 'excluded'],
      ['444444444444', 'account-out-of-scope', 'excluded'],
    ]);
    expect(j.errors).toEqual([]);
  });

  it('keeps an account in a state it does not know out of scope, with an error entry', () => {
    const j = judgeAccounts(
      [a('111111111111', 'UNKNOWN', { stateFrom: 'none' })],
      settings({ excludeAccounts: [] }),
    );
    expect(j.inScope).toEqual([]);
    expect(j.findings[0]).toMatchObject({ check: 'account-out-of-scope', detail: { state: 'UNKNOWN' } });
    expect(j.findings[0]!.detail).not.toHaveProperty('reason');
    expect(j.errors).toEqual([expect.objectContaining({ code: 'UnknownAccountState' })]);
  });
});

describe('inputs', () => {
  it('validates the ListAccounts event with a one-line error naming the field', () => {
    expect(parseListAccountsEvent(EVENT)).toEqual(EVENT);
    expect(() => parseListAccountsEvent({ ...EVENT, source: 'x' })).toThrow(
      `account list event: source must be "${LIST_ACCOUNTS_SOURCE}", got "x"`,
    );
    expect(() => parseListAccountsEvent({ ...EVENT, collector: 'Bad Id' })).toThrow(
      'collector must be a collector id',
    );
    expect(() => parseListAccountsEvent({ source: LIST_ACCOUNTS_SOURCE, collector: 'iam-mfa' })).toThrow(
      'execution must be a Step Functions execution id, got nothing',
    );
  });

  it('validates the organization settings from the environment', () => {
    expect(parseOrganizationSettings(JSON.stringify(settings()), ORGANIZATION_ENV)).toEqual(settings());
    expect(() => parseOrganizationSettings('{', ORGANIZATION_ENV)).toThrow(
      `environment variable ${ORGANIZATION_ENV} must hold the organization settings as JSON`,
    );
    expect(() =>
      parseOrganizationSettings(JSON.stringify(settings({ id: 'org-1' })), ORGANIZATION_ENV),
    ).toThrow(
      `environment variable ${ORGANIZATION_ENV}: id must be an organization id such as "o-a1b2c3d4e5", got "org-1"`,
    );
    expect(() =>
      parseOrganizationSettings(JSON.stringify(settings({ organizationalUnits: [] })), ORGANIZATION_ENV),
    ).toThrow('organizationalUnits must be a non-empty list');
  });
});
