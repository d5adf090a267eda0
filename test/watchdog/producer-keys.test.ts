import { GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { LocalSigner } from '../../lambdas/evidence/signer';
import { loadProducerKeys, parseProducerKeyArns } from '../../lambdas/watchdog/producer-keys';

const kms = mockClient(KMSClient);
beforeEach(() => kms.reset());

describe('producer keys', () => {
  it('reads the producer → key ARN object and names what is wrong with it', () => {
    expect(parseProducerKeyArns('{"iam-mfa":"arn:k1"}')).toEqual({ 'iam-mfa': 'arn:k1' });
    expect(() => parseProducerKeyArns('{')).toThrow('producer signing keys are not JSON');
    expect(() => parseProducerKeyArns('["arn"]')).toThrow('must be a JSON object');
    expect(() => parseProducerKeyArns('{"tls":1}')).toThrow(
      'the signing key of producer tls must be a key ARN',
    );
  });

  it('fetches each needed key once; a key that cannot be fetched is an error entry, an unknown producer is left out', async () => {
    const signer = LocalSigner.generate();
    kms.on(GetPublicKeyCommand, { KeyId: 'arn:k1' }).resolves({
      PublicKey: signer.publicKey.export({ type: 'spki', format: 'der' }),
    });
    kms
      .on(GetPublicKeyCommand, { KeyId: 'arn:k2' })
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const { keys, errors } = await loadProducerKeys(
      new KMSClient({}),
      { 'iam-mfa': 'arn:k1', backups: 'arn:k2', tls: 'arn:k3' },
      ['iam-mfa', 'backups', 'iam-mfa', 'encryption'],
    );
    expect([...keys.producers.keys()]).toEqual(['iam-mfa']);
    expect(keys.producers.get('iam-mfa')!.key.equals(signer.publicKey)).toBe(true);
    expect(keys.unbound).toEqual([]);
    expect(errors).toEqual([
      expect.objectContaining({
        api: 'kms:GetPublicKey',
        code: 'AccessDeniedException',
        message: 'arn:k2: denied',
      }),
    ]);
    expect(kms.commandCalls(GetPublicKeyCommand).map((c) => c.args[0].input.KeyId)).toEqual([
      'arn:k2',
      'arn:k1',
    ]);
  });
});
