/** EventBridge "AWS API Call via CloudTrail" events as the tamper watch receives them. */
export const ACCOUNT = '123456789012';
export const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

function eventOf(source: string, detail: Record<string, unknown>) {
  return {
    version: '0',
    id: '6f1d1b0e-5f3c-4a9e-9d0b-000000000001',
    'detail-type': 'AWS API Call via CloudTrail',
    source,
    account: ACCOUNT,
    time: '2026-03-09T10:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      eventVersion: '1.08',
      userIdentity: {
        type: 'AssumedRole',
        principalId: 'AROAEXAMPLEID:alice',
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice`,
        accountId: ACCOUNT,
        sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/Admin` } },
      },
      eventTime: '2026-03-09T09:59:58Z',
      awsRegion: 'us-east-1',
      sourceIPAddress: '203.0.113.7',
      userAgent: 'aws-cli/2.15.0',
      eventType: 'AwsApiCall',
      readOnly: false,
      recipientAccountId: ACCOUNT,
      ...detail,
    },
  };
}

/** Someone scheduled the deletion of a signing key. */
export const scheduleKeyDeletion = eventOf('aws.kms', {
  eventSource: 'kms.amazonaws.com',
  eventName: 'ScheduleKeyDeletion',
  requestParameters: { keyId: KEY_ARN, pendingWindowInDays: 7 },
  responseElements: { keyId: KEY_ARN, deletionDate: 'Mar 16, 2026, 12:00:00 AM' },
  eventID: '0b9c5c6e-7d5e-4a3f-8d6b-2f6a3b5c4d1e',
  resources: [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: KEY_ARN }],
});

/** Someone tried to replace the evidence bucket's policy and was refused. */
export const deniedBucketPolicy = eventOf('aws.s3', {
  eventSource: 's3.amazonaws.com',
  eventName: 'PutBucketPolicy',
  errorCode: 'AccessDenied',
  errorMessage: 'Access Denied',
  requestParameters: {
    bucketName: 'soc2-evidence-bucket',
    Host: 'soc2-evidence-bucket.s3.amazonaws.com',
    bucketPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*' }] },
    policy: [''],
  },
  eventID: '1c0d6d7f-8e6f-4b40-9e7c-3a7b4c6d5e2f',
});
