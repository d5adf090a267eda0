import { GetObjectLockConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { checkEvidenceBucket } from '../../cli/collect';
import { ClientFactory } from '../../lambdas/aws/client-factory';

const s3 = mockClient(S3Client);
afterEach(() => s3.reset());

describe('collect --bucket preflight', () => {
  it.each([
    [
      Object.assign(new Error('The specified bucket does not exist'), { name: 'NoSuchBucket' }),
      'bucket logs does not exist',
    ],
    [
      Object.assign(new Error('Object Lock configuration does not exist'), {
        name: 'ObjectLockConfigurationNotFoundError',
      }),
      'bucket logs is not an evidence bucket: Object Lock is not enabled',
    ],
  ])('refuses a bucket that cannot hold evidence (%s)', async (error, message) => {
    s3.on(GetObjectLockConfigurationCommand).rejects(error);
    await expect(checkEvidenceBucket(new ClientFactory(), 'logs')).rejects.toThrow(message);
  });

  const lock = (mode?: 'GOVERNANCE' | 'COMPLIANCE') => ({
    ObjectLockConfiguration: {
      ObjectLockEnabled: 'Enabled' as const,
      ...(mode ? { Rule: { DefaultRetention: { Mode: mode, Days: 400 } } } : {}),
    },
  });

  it('accepts a bucket in GOVERNANCE mode', async () => {
    s3.on(GetObjectLockConfigurationCommand).resolves(lock('GOVERNANCE'));
    await expect(checkEvidenceBucket(new ClientFactory(), 'evidence')).resolves.toBeUndefined();
  });

  it('refuses a COMPLIANCE bucket in one line saying why, and what to do instead', async () => {
    s3.on(GetObjectLockConfigurationCommand).resolves(lock('COMPLIANCE'));
    const refusal = checkEvidenceBucket(new ClientFactory(), 'evidence');
    await expect(refusal).rejects.toThrow(
      "refusing to write to bucket evidence: its default retention is COMPLIANCE, and evidence written with your own credentials is unsigned, so every later pull of that period exits 4 and, under COMPLIANCE retention, nobody can remove it for 400 days; run the deployed functions with 'soc2-evidence run <collector...>', or add --unsigned to write anyway",
    );
    await expect(refusal).rejects.not.toThrow(/\n/);
  });

  it('refuses a bucket without default retention or whose mode cannot be read', async () => {
    s3.on(GetObjectLockConfigurationCommand).resolves(lock());
    await expect(checkEvidenceBucket(new ClientFactory(), 'evidence')).rejects.toThrow(
      'refusing to write to bucket evidence: its default retention is not set',
    );
    s3.on(GetObjectLockConfigurationCommand).rejects(
      Object.assign(new Error('denied'), { name: 'AccessDenied' }),
    );
    await expect(checkEvidenceBucket(new ClientFactory(), 'evidence')).rejects.toThrow(
      'refusing to write to bucket evidence: its retention mode cannot be read',
    );
  });

  it('writes anyway with --unsigned, to COMPLIANCE or an unreadable mode, but never without Object Lock', async () => {
    s3.on(GetObjectLockConfigurationCommand).resolves(lock('COMPLIANCE'));
    await expect(
      checkEvidenceBucket(new ClientFactory(), 'evidence', { unsigned: true }),
    ).resolves.toBeUndefined();
    s3.on(GetObjectLockConfigurationCommand).rejects(
      Object.assign(new Error('denied'), { name: 'AccessDenied' }),
    );
    await expect(
      checkEvidenceBucket(new ClientFactory(), 'evidence', { unsigned: true }),
    ).resolves.toBeUndefined();
    s3.on(GetObjectLockConfigurationCommand).resolves({ ObjectLockConfiguration: {} });
    await expect(checkEvidenceBucket(new ClientFactory(), 'logs', { unsigned: true })).rejects.toThrow(
      'Object Lock is not enabled',
    );
  });
});
