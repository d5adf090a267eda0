import { S3ServiceException } from '@aws-sdk/client-s3';
import {
  errorEntry,
  isAwsError,
  messageOf,
  readAwsError,
  resourceError,
  withApi,
} from '../../lambdas/aws/aws-error';

const sdkError = (name: string, message: string, status = 403) =>
  new S3ServiceException({ name, message, $fault: 'client', $metadata: { httpStatusCode: status } });

describe('reading what a call threw', () => {
  it('reads an SDK exception: its name as the code, its message and HTTP status', () => {
    expect(readAwsError(sdkError('AccessDenied', 'Access Denied'))).toEqual({
      code: 'AccessDenied',
      message: 'Access Denied',
      httpStatus: 403,
    });
  });

  it('prefers a Code field (query-protocol services), then the name, then a Node error code', () => {
    expect(readAwsError(Object.assign(new Error('x'), { name: 'Wrong', Code: 'Throttling' })).code).toBe(
      'Throttling',
    );
    const enoent = Object.assign(new Error('no such file'), { code: 'ENOENT' });
    expect(readAwsError(enoent)).toEqual({ code: 'ENOENT', message: 'no such file' });
    expect(readAwsError(new Error('plain')).code).toBe('Error');
    expect(readAwsError('a string')).toEqual({ code: 'Error', message: 'a string' });
    expect(messageOf(undefined)).toBe('undefined');
  });

  it('withApi names the API a failure came from, and errorEntry records that API over the caller’s guess', async () => {
    const failing = withApi('rds:DescribeDBClusters', () =>
      Promise.reject(sdkError('AccessDenied', 'not allowed')),
    );
    const err = await failing.catch((e: unknown) => e);
    expect(isAwsError(err, 'AccessDenied')).toBe(true);
    expect(readAwsError(err)).toMatchObject({ code: 'AccessDenied', api: 'rds:DescribeDBClusters' });
    expect(errorEntry(err, 'eu-west-1', 'rds:DescribeDBInstances')).toEqual({
      region: 'eu-west-1',
      api: 'rds:DescribeDBClusters',
      code: 'AccessDenied',
      message: 'not allowed',
    });
    // Nested wrappers keep the innermost API: the one that actually failed.
    const nested = await withApi('outer:Call', () => failing).catch((e: unknown) => e);
    expect(readAwsError(nested).api).toBe('rds:DescribeDBClusters');
    await expect(withApi('s3:ListBuckets', () => Promise.resolve(7))).resolves.toBe(7);
  });

  it('resourceError names the resource, which the SDK message often omits; messages are capped', () => {
    expect(
      resourceError(sdkError('NoSuchBucket', 'gone'), 'us-east-1', 's3:GetBucketPolicy', 'logs'),
    ).toEqual({
      region: 'us-east-1',
      api: 's3:GetBucketPolicy',
      code: 'NoSuchBucket',
      message: 'logs: gone',
    });
    expect(errorEntry(new Error('x'.repeat(2000)), 'global', 'iam:GetCredentialReport').message).toHaveLength(
      1000,
    );
  });
});
