import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identityCenterAnswers, SAMPLE_IDC_ACCOUNTS } from '../../../cli/demo/samples/identity-center';
import { OfflineClientFactory } from '../../../cli/demo/offline-clients';
import { recordDecisions } from '../../../lambdas/collectors/access-review/attestation';
import { POPULATION_SOURCE } from '../../../lambdas/collectors/access-review/collector';
import { DecisionsError } from '../../../lambdas/collectors/access-review/decisions';
import {
  readAccountPopulation,
  runOrganizationReview,
} from '../../../lambdas/collectors/access-review/organization';
import {
  ACCOUNT_IN_SCOPE_CHECK,
  ACCOUNTS_KIND,
  type OrganizationReviewEvent,
} from '../../../lambdas/organization/contract';
import {
  buildOrganizationPopulation,
  type AccountReadback,
} from '../../../lambdas/collectors/access-review/organization-population';
import {
  assessOrganization,
  ORGANIZATION_CSV_HEADER,
  renderOrganizationCsv,
} from '../../../lambdas/collectors/access-review/organization-render';
import {
  populationJson,
  type PolicyRef,
  type Population,
  type RoleEntry,
} from '../../../lambdas/collectors/access-review/population';
import { canonicalBytes } from '../../../lambdas/evidence/canonical-json';
import { draftEnvelope } from '../../../lambdas/evidence/draft';
import { DirectoryStore } from '../../../lambdas/evidence/directory-store';
import type { Envelope } from '../../../lambdas/evidence/envelope';
import { directoryReader } from '../../../lambdas/evidence/read-store';
import { writeEvidence } from '../../../lambdas/evidence/write-evidence';
import type { IdentityCenterSnapshot } from '../../../lambdas/identity-center/reader';
import { ORGANIZATION_REVIEW_SOURCE } from '../../../lambdas/organization/contract';
import { parseCsv } from '../../../lambdas/readers/credential-report/csv';
import { DEFAULT_SETTINGS } from '../../../lambdas/settings';
import { expectValidEnvelope } from '../../helpers/envelope-schema';
import { customerPolicy, entry, population } from './fixtures';

const NOW = new Date('2026-10-01T08:00:00Z');
const PS = (id: string) => `arn:aws:sso:::permissionSet/ssoins-1/${id}`;

function role(name: string, extra: Partial<RoleEntry> = {}): RoleEntry {
  return {
    name,
    arn: `arn:aws:iam::123456789012:role/${name}`,
    trustedBy: ['federated:arn:aws:iam::123456789012:saml-provider/AWSSSO_x_DO_NOT_DELETE'],
    createdAt: null,
    lastUsedAt: null,
    lastUsedRegion: null,
    policies: [],
    admin: false,
    nearAdmin: false,
    adminReasons: [],
    ...extra,
  };
}

const snapshot: IdentityCenterSnapshot = {
  region: 'eu-west-1',
  errors: [],
  instances: [
    {
      instanceArn: 'arn:aws:sso:::instance/ssoins-1',
      identityStoreId: 'd-1',
      ownerAccountId: null,
      name: null,
      users: [
        { userId: 'u-alice', userName: 'alice', displayName: null, email: null, status: 'ENABLED' },
        { userId: 'u-dave', userName: 'dave', displayName: null, email: null, status: 'DISABLED' },
      ],
      groups: [{ groupId: 'g-admins', displayName: 'Admins', members: ['u-alice', 'u-dave'] }],
      permissionSets: [
        {
          arn: PS('ps-admin'),
          id: 'ps-admin',
          name: 'Admin',
          description: null,
          sessionDuration: null,
          managedPolicies: [
            { name: 'AdministratorAccess', arn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
          ],
          customerManagedPolicies: [],
          inlinePolicy: '',
          unread: [],
        },
        {
          arn: PS('ps-ops'),
          id: 'ps-ops',
          name: 'Ops',
          description: null,
          sessionDuration: null,
          managedPolicies: [],
          customerManagedPolicies: [{ name: 'ops-all', path: '/' }],
          inlinePolicy: '',
          unread: [],
        },
      ],
      assignments: [
        {
          account: '123456789012',
          permissionSetArn: PS('ps-admin'),
          principalType: 'GROUP',
          principalId: 'g-admins',
        },
        {
          account: '123456789012',
          permissionSetArn: PS('ps-admin'),
          principalType: 'USER',
          principalId: 'u-alice',
        },
        {
          account: '123456789012',
          permissionSetArn: PS('ps-ops'),
          principalType: 'USER',
          principalId: 'u-alice',
        },
        {
          account: '222222222222',
          permissionSetArn: PS('ps-ops'),
          principalType: 'USER',
          principalId: 'u-alice',
        },
      ],
      accountsNotInScope: [],
    },
  ],
};

const accountPop: Population = {
  ...population([entry('bob'), entry('carol', { admin: true, adminReasons: ['AdministratorAccess'] })]),
  roles: [
    role('AWSReservedSSO_Admin_0123456789abcdef', { admin: true }),
    role('break-glass', { admin: true, trustedBy: ['account:self'] }),
  ],
};
const readback: AccountReadback = {
  account: '123456789012',
  status: 'read',
  population: accountPop,
  customerPolicies: [
    customerPolicy('ops-all', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    }),
  ],
};
const missing: AccountReadback = { account: '222222222222', status: 'missing', reason: 'no evidence' };

const build = () =>
  buildOrganizationPopulation({
    now: NOW,
    execution: 'arn:aws:states:eu-west-1:123456789012:execution:sm:1',
    hubAccount: '123456789012',
    accounts: [readback, missing],
    identityCenter: snapshot,
  });

describe('buildOrganizationPopulation', () => {
  it('lists Identity Center users per account and permission set, through groups and directly', () => {
    const rows = build().rows.filter((r) => r.type === 'identity-center-user');
    const line = (r: (typeof rows)[number]) =>
      `${r.account} ${r.principal} ${r.permission} ${r.via.join('+')} ${r.admin}`;
    expect(rows.map(line).sort()).toEqual([
      '123456789012 alice Admin direct+group:Admins yes',
      // Customer managed reference resolved against the account's frozen IAM policies: admin there...
      '123456789012 alice Ops direct yes',
      '123456789012 dave Admin group:Admins yes',
      // ...and unknown where the account's population was not read.
      '222222222222 alice Ops direct unknown',
    ]);
    expect(rows.find((r) => r.account === '222222222222')!.adminReasons.join(' ')).toMatch(
      /population is missing/,
    );
  });

  it("lists each account's IAM users and assumable roles, and an account not read as a row of its own", () => {
    const p = build();
    expect(
      p.rows.filter((r) => r.type !== 'identity-center-user').map((r) => `${r.id} ${r.decisionRequired}`),
    ).toEqual([
      'arn:aws:iam::123456789012:role/AWSReservedSSO_Admin_0123456789abcdef false',
      'arn:aws:iam::123456789012:role/break-glass true',
      'arn:aws:iam::123456789012:user/carol true',
      'arn:aws:iam::123456789012:user/bob true',
      'account:222222222222 false',
    ]);
    expect(p.accounts.map((a) => `${a.account} ${a.status}`)).toEqual([
      '123456789012 read',
      '222222222222 missing',
    ]);
  });

  it('renders the CSV with one id per row and the decision columns', () => {
    const csv = renderOrganizationCsv(build());
    const [header, ...rows] = parseCsv(csv);
    expect(header).toEqual(ORGANIZATION_CSV_HEADER);
    expect(rows).toHaveLength(build().rows.length);
    expect(rows.map((r) => r[0])).toContain('identity-center:123456789012:u-alice:ps-admin');
    expect(rows.every((r) => r[13] === '' && r[14] === '')).toBe(true);
  });

  it('judges: missing account FAIL, disabled user assigned FAIL, direct admin WARN, admin access WARN', () => {
    const { findings } = assessOrganization(build());
    const of = (check: string) =>
      findings.filter((f) => f.check === check).map((f) => `${f.resource} ${f.status}`);
    expect(of('account-population-read')).toEqual(['123456789012 PASS', '222222222222 FAIL']);
    expect(of('identity-center-disabled-user-assigned')).toEqual(['identity-center:user/u-dave FAIL']);
    expect(of('identity-center-direct-admin-assignment')).toEqual([
      'identity-center:123456789012:u-alice:ps-admin WARN',
      'identity-center:123456789012:u-alice:ps-ops WARN',
    ]);
    expect(of('identity-center-admin-access')).toHaveLength(4);
  });
});

describe('runOrganizationReview and review record', () => {
  let dir: string;
  let sent: string[] = [];

  beforeEach(async () => {
    sent = [];
    dir = mkdtempSync(join(tmpdir(), 'org-review-'));
    // Account 123456789012 froze its population an hour ago; 111111111111 and 222222222222 left nothing.
    const runId = 'acct-run-1';
    await writeEvidence(
      new DirectoryStore(dir),
      draftEnvelope({
        collector: 'access-review',
        controls: ['CC6.2'],
        account: '123456789012',
        region: 'global',
        collectedAt: new Date(NOW.getTime() - 3_600_000),
        policy: {},
        findings: [{ resource: 'x', check: 'user-access', status: 'INFO', detail: {} }],
        errors: [],
        runId,
      }),
      [
        {
          name: POPULATION_SOURCE,
          api: 'x',
          contentType: 'application/json',
          body: canonicalBytes(accountPop),
        },
      ],
      runId,
    );
  });

  async function run(event: Partial<OrganizationReviewEvent> = {}) {
    const clients = new OfflineClientFactory({
      ...identityCenterAnswers(NOW),
      'SESv2:SendEmail': () => {
        sent.push('sent');
        return { MessageId: 'ses-org-1' };
      },
    });
    return runOrganizationReview({
      event: {
        source: ORGANIZATION_REVIEW_SOURCE,
        execution: 'exec-1',
        accounts: [...SAMPLE_IDC_ACCOUNTS],
        ...event,
      },
      organization: {
        id: 'o-abcdefghij',
        organizationalUnits: ['r-abcd'],
        excludeAccounts: [],
        memberRoleName: 'm',
        identityCenterRegion: 'eu-west-1',
      },
      clients,
      store: new DirectoryStore(dir),
      reader: directoryReader(dir),
      location: { dir },
      account: '123456789012',
      settings: DEFAULT_SETTINGS,
      now: () => NOW,
      senderEmail: 'review@example.com',
      securityEmail: 'security@example.com',
    });
  }

  it('freezes the organization population, then sends one email linked to it', async () => {
    const result = await run();
    const env = JSON.parse(readFileSync(join(dir, result.population.envelopeObject.key), 'utf8')) as Envelope;
    expectValidEnvelope(env);
    expect(env.collector).toBe('access-review-organization');
    expect(env.sources.map((s) => s.name)).toEqual([
      'identity-center.json',
      'organization-population.json',
      'organization-access-review.csv',
    ]);
    expect(result.organization.accounts.map((a) => `${a.account} ${a.status}`)).toEqual([
      '111111111111 missing',
      '123456789012 read',
      '222222222222 missing',
    ]);
    expect(result.messageId).toBe('ses-org-1');
    expect(sent).toHaveLength(1);
    const email = result.email.envelope;
    expect(email.policy.populationEnvelopeKey).toBe(result.population.envelopeObject.key);
    expect(result.html.indexOf('Account 111111111111: administrator access')).toBeLessThan(
      result.html.indexOf('How to record'),
    );
  });

  it("reviews the accounts of the execution's signed list, not the event's, and records a mismatch", async () => {
    const listRun = 'list-run-1';
    const list = await writeEvidence(
      new DirectoryStore(dir),
      draftEnvelope({
        collector: ACCOUNTS_KIND,
        controls: ['CC6.1'],
        account: '123456789012',
        region: 'global',
        collectedAt: new Date(NOW.getTime() - 7_200_000),
        policy: { collector: 'access-review', execution: 'exec-1' },
        findings: ['111111111111', '123456789012', '222222222222'].map((resource) => ({
          resource,
          check: ACCOUNT_IN_SCOPE_CHECK,
          status: 'INFO' as const,
          detail: {},
        })),
        errors: [],
        runId: listRun,
      }),
      [],
      listRun,
    );
    // Someone invoked the review naming one account only: the signed list's three are reviewed.
    const result = await run({ accounts: ['123456789012'], listKey: list.envelopeObject.key });
    expect(result.organization.accounts.map((a) => a.account)).toEqual([
      '111111111111',
      '123456789012',
      '222222222222',
    ]);
    const env = JSON.parse(readFileSync(join(dir, result.population.envelopeObject.key), 'utf8')) as Envelope;
    expect(env.policy.accountListKey).toBe(list.envelopeObject.key);
    expect(env.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'AccountListMismatch' })]),
    );
    // A list of another execution is not taken: recorded, and the event's accounts are used.
    const other = await run({ execution: 'exec-2', listKey: list.envelopeObject.key });
    const otherEnv = JSON.parse(
      readFileSync(join(dir, other.population.envelopeObject.key), 'utf8'),
    ) as Envelope;
    expect(JSON.stringify(otherEnv.errors)).toContain('not for this access review');
  });

  function filled(csv: string, decide: (cells: string[]) => string | undefined): string {
    const [header, ...rows] = parseCsv(csv);
    const d = header!.indexOf('decision');
    const out = [
      header!,
      ...rows.map((r) => {
        const c = [...r];
        c[d] = decide(c) ?? '';
        return c;
      }),
    ];
    return out.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\n');
  }

  it('records decisions on the organization CSV by row id', async () => {
    const result = await run();
    const csv = filled(result.csv, (c) => (c[12] === 'yes' ? 'keep' : undefined));
    const written = await recordDecisions({
      reader: directoryReader(dir),
      store: new DirectoryStore(dir),
      review: '2026-Q4',
      reviewer: 'dora',
      decisionsCsv: Buffer.from(csv),
      now: NOW,
    });
    expect(written.envelope.policy.scope).toBe('organization');
    expect(written.envelope.findings.length).toBe(
      result.organization.rows.filter((r) => r.decisionRequired).length,
    );
    expect(written.envelope.findings[0]!.resource).toMatch(/^identity-center:|^arn:aws:iam::/);
  });

  it('rejects a missing decision on an admin row (empty or left out) and an unknown row, writing nothing', async () => {
    const result = await run();
    const admins = result.organization.rows.filter(
      (r) => r.type === 'identity-center-user' && r.admin === 'yes',
    );
    const [empty, absent] = [admins[0]!.id, admins[1]!.id];
    let csv = filled(result.csv, (c) => (c[12] === 'yes' && c[0] !== empty ? 'keep' : undefined))
      .split('\n')
      .filter((l) => !l.startsWith(`"${absent}"`))
      .join('\n');
    csv += '\n"identity-center:123456789012:u-nobody:ps-x","","","","","","","","","","","","","keep",""';
    const attempt = recordDecisions({
      reader: directoryReader(dir),
      store: new DirectoryStore(dir),
      review: result.population.envelopeObject.key,
      reviewer: 'dora',
      decisionsCsv: Buffer.from(csv),
      now: NOW,
    });
    const problems = await attempt.then(
      () => [],
      (e: unknown) => (e instanceof DecisionsError ? e.problems : [String(e)]),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^line 2: alice@example.com in 111111111111 \(AdministratorAccess\) has no decision/,
      ),
      expect.stringMatching(/"identity-center:123456789012:u-nobody:ps-x" is not in the review population/),
      `row "${absent}" (${admins[1]!.principal} in ${admins[1]!.account} (${admins[1]!.permission}), admin: yes) has no decision`,
    ]);
    expect((await directoryReader(dir).list('evidence/')).some((k) => k.includes('attestation'))).toBe(false);
  });
});

describe('readAccountPopulation', () => {
  it("reads a format 2 population.json back with each user's group policies", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'org-readback-'));
    const admins: PolicyRef = {
      name: 'AdministratorAccess',
      type: 'aws-managed',
      via: 'group:admins',
      arn: 'arn:aws:iam::aws:policy/AdministratorAccess',
      admin: true,
      nearAdmin: false,
      reason: 'AdministratorAccess',
    };
    const pop = population([
      entry('dan', {
        groups: ['admins'],
        policies: [admins],
        admin: true,
        adminReasons: ['AdministratorAccess'],
      }),
      entry('eve', {
        groups: ['admins'],
        policies: [admins],
        admin: true,
        adminReasons: ['AdministratorAccess'],
      }),
    ]);
    await writeEvidence(
      new DirectoryStore(dir),
      draftEnvelope({
        collector: 'access-review',
        controls: ['CC6.2'],
        account: '123456789012',
        region: 'global',
        collectedAt: new Date(NOW.getTime() - 3_600_000),
        policy: {},
        findings: [{ resource: 'x', check: 'user-access', status: 'INFO', detail: {} }],
        errors: [],
        runId: 'v2-run',
      }),
      [{ name: POPULATION_SOURCE, api: 'x', contentType: 'application/json', body: populationJson(pop) }],
      'v2-run',
    );
    const read = await readAccountPopulation(directoryReader(dir), '123456789012', NOW);
    expect(read.status).toBe('read');
    expect(read.population!.users.map((u) => [u.name, u.policies.map((p) => p.via)])).toEqual([
      ['dan', ['group:admins']],
      ['eve', ['group:admins']],
    ]);
  });
});
