/**
 * The watchdog in organization mode: the hub's account lists of the window say which accounts owed each
 * collector's evidence; every such account's evidence is judged, and a scheduled day without a list is a gap.
 */
import { draftEnvelope } from '../../lambdas/evidence/draft';
import type { Finding } from '../../lambdas/evidence/envelope';
import type { ObjectRead } from '../../lambdas/evidence/read-store';
import type { ProducerKeys } from '../../lambdas/evidence/signature-check';
import { LocalSigner, SIGNATURE_METADATA } from '../../lambdas/evidence/signer';
import type { EvidenceObject, EvidenceStore, StoredObject } from '../../lambdas/evidence/store';
import { writeEvidence } from '../../lambdas/evidence/write-evidence';
import { ACCOUNTS_PRODUCER } from '../../lambdas/organization/contract';
import { runWatchdog, type WatchdogContext } from '../../lambdas/watchdog/watchdog';
import {
  HUB,
  MEMBER_A,
  MEMBER_B,
  REFUSED_OU,
  writeAccountList,
  type MetAccount,
} from '../evidence/account-list-fixture';
import { MemoryStore } from '../evidence/memory-store';
import { expectValidEnvelope } from '../helpers/envelope-schema';

const MEMBER_C = '333333333333';
const SIGNERS = new Map(
  ['iam-mfa', ACCOUNTS_PRODUCER, 'coverage-watchdog'].map((p) => [
    p,
    LocalSigner.generate(`arn:aws:kms:us-east-1:${HUB}:key/${p}`),
  ]),
);
const KEYS: ProducerKeys = {
  producers: new Map([...SIGNERS].map(([p, s]) => [p, { key: s.publicKey }])),
  unbound: [],
};

/** A bucket in memory that signs each object with its kind's producer key, read as the watchdog reads. */
class SignedBucket implements EvidenceStore {
  readonly description = 'signed memory bucket';
  readonly objects = new Map<string, { body: Uint8Array; signature: string }>();
  async put(o: EvidenceObject): Promise<StoredObject> {
    const producer = o.key.split('/')[4]!;
    const signer = SIGNERS.get(producer === 'organization-accounts' ? ACCOUNTS_PRODUCER : producer)!;
    const { signature } = await signer.sign(o.body);
    this.objects.set(o.key, { body: o.body, signature });
    return { key: o.key, sha256: o.sha256, location: `memory:${o.key}` };
  }
  reader(): WatchdogContext['reader'] {
    return {
      list: async (prefix) => [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort(),
      read: async (key) => {
        const o = this.objects.get(key)!;
        return {
          body: o.body,
          metadata: { [SIGNATURE_METADATA]: o.signature },
          objectLock: {},
        } as ObjectRead;
      },
    };
  }
}

async function memberRun(bucket: SignedBucket, account: string, date: string) {
  const runId = `run-${account}-${date}`;
  const findings: Finding[] = [{ resource: 'r', check: 'console-mfa', status: 'PASS', detail: {} }];
  await writeEvidence(
    bucket,
    draftEnvelope({
      collector: 'iam-mfa',
      controls: ['CC6.1'],
      account,
      region: 'global',
      collectedAt: new Date(`${date}T06:00:03Z`),
      policy: {},
      findings,
      errors: [],
      runId,
    }),
    [],
    runId,
  );
}

const inScope = (...a: string[]): MetAccount[] => a.map((account) => ({ account }));

async function run(bucket: SignedBucket, days = 2) {
  const store = new MemoryStore();
  const result = await runWatchdog({
    reader: bucket.reader(),
    producerKeys: KEYS,
    store,
    account: HUB,
    schedules: { 'iam-mfa': { expression: 'cron(0 6 * * ? *)', timeZone: 'UTC' } },
    now: new Date('2026-01-04T08:00:00Z'),
    days,
    runId: 'watch-1',
  });
  expectValidEnvelope(result.envelope);
  const byResource = new Map(result.envelope.findings.map((f) => [f.resource, f]));
  return { result, byResource };
}

describe('coverage watchdog in organization mode', () => {
  it("judges every in-scope account's evidence and names the account in the resource", async () => {
    const bucket = new SignedBucket();
    await writeAccountList(bucket, 'iam-mfa', '2026-01-02', [
      ...inScope(MEMBER_A, MEMBER_B),
      { account: MEMBER_C, reason: 'excluded' },
    ]);
    await writeAccountList(bucket, 'iam-mfa', '2026-01-03', [
      ...inScope(MEMBER_A),
      { account: MEMBER_B, reason: 'suspended' },
    ]);
    await memberRun(bucket, MEMBER_A, '2026-01-02');
    await memberRun(bucket, MEMBER_B, '2026-01-02');
    const { result, byResource } = await run(bucket);

    expect(byResource.get(`account:${MEMBER_A}/collector:iam-mfa`)).toMatchObject({
      status: 'FAIL',
      detail: { account: MEMBER_A, expected: 2, present: 1, missingDates: ['2026-01-03'] },
    });
    // B was suspended on the 3rd: not expected that day, no gap.
    expect(byResource.get(`account:${MEMBER_B}/collector:iam-mfa`)).toMatchObject({
      status: 'PASS',
      detail: { expectedDates: ['2026-01-02'] },
    });
    // C, excluded, owed nothing and says nothing; the hub, never in scope, owes nothing.
    expect([...byResource.keys()].some((r) => r.includes(MEMBER_C))).toBe(false);
    expect(byResource.get('collector:iam-mfa')).toMatchObject({
      status: 'INFO',
      detail: { account: HUB, expected: 0 },
    });
    expect(result.gaps).toBe(1);
    expect(result.envelope.summary.figures).toMatchObject({
      accountsJudged: 4,
      accountLists: 2,
      missingAccountLists: 0,
      missingRuns: 1,
    });
    expect(result.accounts?.map((a) => a.account)).toEqual([MEMBER_A, HUB, MEMBER_B, MEMBER_C]);
  });

  it('reports a scheduled day without an account list, and keeps the accounts of the nearest list expected', async () => {
    const bucket = new SignedBucket();
    await writeAccountList(bucket, 'iam-mfa', '2026-01-02', inScope(MEMBER_A, MEMBER_B));
    await memberRun(bucket, MEMBER_A, '2026-01-02');
    await memberRun(bucket, MEMBER_B, '2026-01-02');
    await memberRun(bucket, MEMBER_A, '2026-01-03');
    const { result, byResource } = await run(bucket);
    expect(byResource.get('account-list:iam-mfa')).toMatchObject({
      status: 'FAIL',
      detail: { missingDates: ['2026-01-03'] },
    });
    expect(byResource.get(`account:${MEMBER_B}/collector:iam-mfa`)).toMatchObject({
      status: 'FAIL',
      detail: { missingDates: ['2026-01-03'] },
    });
    expect(byResource.get(`account:${MEMBER_A}/collector:iam-mfa`)?.status).toBe('PASS');
    expect(result.gaps).toBe(2);
  });

  it('fails account-list:<collector> for an ERROR or PARTIAL list day, saying which, and keeps its accounts expected', async () => {
    const bucket = new SignedBucket();
    // The 2nd: the organization could not be read (ERROR, no account met). The 3rd: A's OU was refused
    // (PARTIAL: only B met), and a complete list of the day would have had A.
    await writeAccountList(bucket, 'iam-mfa', '2026-01-01', inScope(MEMBER_A, MEMBER_B));
    await writeAccountList(bucket, 'iam-mfa', '2026-01-02', [], {
      errors: [{ ...REFUSED_OU, api: 'organizations:DescribeOrganization' }],
    });
    await writeAccountList(bucket, 'iam-mfa', '2026-01-03', inScope(MEMBER_B), { errors: [REFUSED_OU] });
    await memberRun(bucket, MEMBER_A, '2026-01-01');
    await memberRun(bucket, MEMBER_B, '2026-01-01');
    await memberRun(bucket, MEMBER_B, '2026-01-03');
    const { result, byResource } = await run(bucket, 3);
    const list = byResource.get('account-list:iam-mfa');
    expect(list).toMatchObject({
      status: 'FAIL',
      detail: { missingDates: [], failedDates: ['2026-01-02'], incompleteDates: ['2026-01-03'] },
    });
    expect(list?.detail.why).toMatch(/account list failed \(ERROR.*account list incomplete \(PARTIAL/);
    // Nobody was fanned out to on the 2nd, and A not on the 3rd: their evidence is owed all the same.
    expect(byResource.get(`account:${MEMBER_A}/collector:iam-mfa`)).toMatchObject({
      status: 'FAIL',
      detail: { missingDates: ['2026-01-02', '2026-01-03'] },
    });
    expect(byResource.get(`account:${MEMBER_B}/collector:iam-mfa`)).toMatchObject({
      status: 'FAIL',
      detail: { missingDates: ['2026-01-02'] },
    });
    expect(result.envelope.summary.figures).toMatchObject({
      missingAccountLists: 0,
      failedAccountLists: 1,
      incompleteAccountLists: 1,
    });
    expect(result.gaps).toBe(5);
  });

  it('does not count an unsigned account list: without it the run is single-account', async () => {
    const bucket = new SignedBucket();
    await writeAccountList(bucket, 'iam-mfa', '2026-01-02', inScope(MEMBER_A));
    const [key, list] = [...bucket.objects].find(([k]) => k.includes('/organization-accounts/'))!;
    bucket.objects.set(key, { ...list, signature: '' });
    const { result, byResource } = await run(bucket);
    expect(byResource.get(key)).toMatchObject({ check: 'envelope-authentic', status: 'FAIL' });
    expect(result.accounts).toBeUndefined();
    // Single-account mode: the hub's own iam-mfa is judged by its schedule, as before organization mode.
    expect(byResource.get('collector:iam-mfa')).toMatchObject({ status: 'FAIL', detail: { missing: 2 } });
  });
});
