import { judgeSignature, PERSON_ONLY, type ProducerKeys } from '../../lambdas/evidence/signature-check';
import { LocalSigner } from '../../lambdas/evidence/signer';
import { producerOfKey, signatureProblem } from '../../cli/package/checks';

const body = Buffer.from('{"evidence":true}');
const iamMfa = LocalSigner.generate('k-iam-mfa');
const sealer = LocalSigner.generate('k-sealer');
const stranger = LocalSigner.generate('k-stranger');
const pinned = new Map([
  ['iam-mfa', { key: iamMfa.publicKey }],
  ['sealer', { key: sealer.publicKey }],
]);
const sign = async (s: LocalSigner) => (await s.sign(body)).signature;
const ATTESTATION = 'evidence/2026/01/02/access-review-attestation/123456789012/global/140000Z-r.json';

describe('judgeSignature', () => {
  it('knows a kind only a person writes from a key outside the layout', () => {
    expect(producerOfKey(ATTESTATION)).toBe(PERSON_ONLY);
    expect(producerOfKey('evidence/2026/01/02/notes.txt')).toBeUndefined();
    expect(producerOfKey('evidence/2026/01/02/iam-mfa/123456789012/global/060000Z-r.json')).toBe('iam-mfa');
  });

  it("refuses any producer's signature on a kind only a person writes, pinned or unbound", async () => {
    const keys: ProducerKeys = { producers: pinned, unbound: [] };
    const judged = judgeSignature(body, await sign(iamMfa), PERSON_ONLY, keys);
    expect(judged).toEqual({ verdict: 'wrong-producer', signedBy: 'iam-mfa' });
    expect(signatureProblem(ATTESTATION, judged, PERSON_ONLY)).toBe(
      "signed with the key of iam-mfa, but access-review-attestation is written only by a person, with their own credentials: no function writes it, so a function's key signed what it must not",
    );
    const unbound = { producers: new Map(), unbound: [iamMfa.publicKey] };
    expect(judgeSignature(body, await sign(iamMfa), PERSON_ONLY, unbound).verdict).toBe('wrong-producer');
    expect(judgeSignature(body, undefined, PERSON_ONLY, keys).verdict).toBe('unsigned');
    expect(judgeSignature(body, await sign(stranger), PERSON_ONLY, keys).verdict).toBe('invalid');
    // Outside the layout any trusted key still does, and says whose.
    expect(judgeSignature(body, await sign(iamMfa), undefined, keys)).toEqual({
      verdict: 'valid',
      signedBy: 'iam-mfa',
    });
  });

  it("takes another pinned producer's key as wrong-producer even when it is also given unbound", async () => {
    // `--trust` and `--public-key keys/sealer.pem`: the sealer's key must not become valid for iam-mfa.
    const keys: ProducerKeys = { producers: pinned, unbound: [sealer.publicKey] };
    expect(judgeSignature(body, await sign(sealer), 'iam-mfa', keys)).toEqual({
      verdict: 'wrong-producer',
      signedBy: 'sealer',
    });
    expect(judgeSignature(body, await sign(iamMfa), 'iam-mfa', keys).verdict).toBe('valid');
    // An unbound key pinned for no producer is still trusted for every producer.
    const extra = { producers: pinned, unbound: [stranger.publicKey] };
    expect(judgeSignature(body, await sign(stranger), 'iam-mfa', extra).verdict).toBe('valid');
  });
});
