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

  it('accepts a bucket with Object Lock enabled', async () => {
    s3.on(GetObjectLockConfigurationCommand).resolves({
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' },
    });
    await expect(checkEvidenceBucket(new ClientFactory(), 'evidence')).resolves.toBeUndefined();
  });

  it('lets through a caller who may not read the lock configuration (the write is then the check)', async () => {
    s3.on(GetObjectLockConfigurationCommand).rejects(
      Object.assign(new Error('denied'), { name: 'AccessDenied' }),
    );
    await expect(checkEvidenceBucket(new ClientFactory(), 'evidence')).resolves.toBeUndefined();
  });
});
