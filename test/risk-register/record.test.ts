import type { Envelope } from '../../lambdas/evidence/envelope';
import { parseEvidenceKey } from '../../lambdas/evidence/keys';
import { decisionOf, type RiskDecision } from '../../lambdas/evidence/risk-acceptance';
import { DecisionError, recordDecision, registerDecision } from '../../lambdas/risk-register/record';
import { MemoryStore } from '../evidence/memory-store';
import { expectValidEnvelope } from '../helpers/envelope-schema';
import {
  ACCEPT,
  ACCOUNT,
  CALLER_ARN,
  fakeSts,
  NOW,
  OTHER_ACCOUNT,
  REVOKE,
  signedFor,
  stsXml,
} from './fixtures';

const envelopeOf = (store: MemoryStore) =>
  JSON.parse(Buffer.from(store.objects.at(-1)!.body).toString()) as Envelope;

describe('recordDecision', () => {
  it('writes one risk-acceptance envelope whose policy decisionOf reads back as written', async () => {
    const store = new MemoryStore();
    const decision: RiskDecision = {
      ...ACCEPT,
      recordedBy: { arn: CALLER_ARN, account: ACCOUNT, proof: 'sts-get-caller-identity' },
    };
    const written = await recordDecision({
      store,
      account: ACCOUNT,
      decision,
      now: NOW,
      runId: 'run-1',
      invocationId: 'req-1',
    });
    expect(store.objects).toHaveLength(1);
    const envelope = envelopeOf(store);
    expectValidEnvelope(envelope);
    expect(envelope).toEqual(written.envelope);
    expect(parseEvidenceKey(written.envelopeObject.key)).toMatchObject({
      collector: 'risk-acceptance',
      account: ACCOUNT,
      region: 'global',
    });
    expect(
      written.envelopeObject.key.startsWith('evidence/2026/11/30/risk-acceptance/123456789012/global/'),
    ).toBe(true);
    expect(envelope).toMatchObject({
      collector: 'risk-acceptance',
      controls: ['CC3.2', 'CC9.1'],
      account: ACCOUNT,
      region: 'global',
      collectedAt: NOW.toISOString(),
      errors: [],
      sources: [],
      producer: { runId: 'run-1', invocationId: 'req-1' },
    });
    expect(envelope.findings).toEqual([
      {
        resource: ACCEPT.resource,
        check: 'risk-accepted',
        status: 'INFO',
        detail: {
          owner: ACCEPT.owner,
          reason: ACCEPT.reason,
          expires: ACCEPT.expires,
          recordedBy: CALLER_ARN,
        },
      },
    ]);
    expect(decisionOf(envelope.policy)).toEqual(decision);
  });

  it('writes a revocation with the revoked check, no expiry, and a local writer as given', async () => {
    const store = new MemoryStore();
    const decision: RiskDecision = { ...REVOKE, recordedBy: { arn: 'local:alice', proof: 'none' } };
    await recordDecision({ store, account: ACCOUNT, decision, now: NOW, runId: 'run-2' });
    const envelope = envelopeOf(store);
    expect(envelope.findings).toEqual([
      {
        resource: REVOKE.resource,
        check: 'risk-acceptance-revoked',
        status: 'INFO',
        detail: { owner: REVOKE.owner, reason: REVOKE.reason, recordedBy: 'local:alice' },
      },
    ]);
    expect(envelope.producer.invocationId).toBe('cli');
    expect(decisionOf(envelope.policy)).toEqual(decision);
  });

  it('refuses an invalid decision or a missing writer with a DecisionError, writing nothing', async () => {
    const store = new MemoryStore();
    const by = { arn: 'local:alice', proof: 'none' } as const;
    await expect(
      recordDecision({
        store,
        account: ACCOUNT,
        decision: { ...ACCEPT, expires: '2026-11-29', recordedBy: by },
        now: NOW,
        runId: 'r',
      }),
    ).rejects.toThrow(
      new DecisionError(
        '--expires 2026-11-29 is not after today (2026-11-30 UTC); expected the last day the acceptance is in force, YYYY-MM-DD, after today (2026-11-30 UTC) and at most 365 days ahead (2027-11-30)',
      ),
    );
    await expect(
      recordDecision({
        store,
        account: ACCOUNT,
        decision: { ...ACCEPT, recordedBy: { arn: '', proof: 'none' } },
        now: NOW,
        runId: 'r',
      }),
    ).rejects.toThrow(/recordedBy\.arn is required/);
    expect(store.objects).toHaveLength(0);
  });
});

describe('registerDecision', () => {
  it('records the decision in the name STS answers with, for the caller of its own account', async () => {
    const store = new MemoryStore();
    const identity = await signedFor(ACCEPT);
    const fetch = fakeSts(stsXml(CALLER_ARN, ACCOUNT));
    const result = await registerDecision({
      store,
      account: ACCOUNT,
      payload: { decision: ACCEPT, identity },
      now: NOW,
      runId: 'run-3',
      fetch,
    });
    expect(result).toEqual({
      key: store.objects[0]!.key,
      sha256: store.objects[0]!.sha256,
      action: 'accept',
      recordedBy: {
        arn: CALLER_ARN,
        account: ACCOUNT,
        userId: 'AROAEXAMPLEID:alice@example.com',
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        proof: 'sts-get-caller-identity',
      },
    });
    expect(decisionOf(envelopeOf(store).policy)).toEqual({ ...ACCEPT, recordedBy: result.recordedBy });
  });

  it('writes nothing for a caller of another account, a proof of another decision, or an invalid one', async () => {
    const store = new MemoryStore();
    const identity = await signedFor(ACCEPT);
    const other = fakeSts(stsXml(`arn:aws:iam::${OTHER_ACCOUNT}:user/mallory`, OTHER_ACCOUNT));
    await expect(
      registerDecision({
        store,
        account: ACCOUNT,
        payload: { decision: ACCEPT, identity },
        now: NOW,
        runId: 'r',
        fetch: other,
      }),
    ).rejects.toThrow(/of account 210987654321, not of this register's account 123456789012/);
    const fetch = fakeSts(stsXml(CALLER_ARN, ACCOUNT));
    // The same proof sent with a longer expiry: the signed header does not match the decision.
    await expect(
      registerDecision({
        store,
        account: ACCOUNT,
        payload: { decision: { ...ACCEPT, expires: '2027-11-30' }, identity },
        now: NOW,
        runId: 'r',
        fetch,
      }),
    ).rejects.toThrow(/is not the SHA-256 of this decision/);
    // A recordedBy sent by the caller is not theirs to say.
    await expect(
      registerDecision({
        store,
        account: ACCOUNT,
        payload: { decision: { ...ACCEPT, recordedBy: { arn: 'x', proof: 'none' } }, identity },
        now: NOW,
        runId: 'r',
        fetch,
      }),
    ).rejects.toThrow(/unknown fields \(recordedBy\)/);
    await expect(
      registerDecision({ store, account: ACCOUNT, payload: 'accept', now: NOW, runId: 'r', fetch }),
    ).rejects.toThrow('the request must be a JSON object {decision, identity}');
    expect(fetch).not.toHaveBeenCalled();
    expect(store.objects).toHaveLength(0);
  });
});
