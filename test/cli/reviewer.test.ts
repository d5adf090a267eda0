import { reviewerFromArn } from '../../cli/review';

describe('the default reviewer of review record: the name in the caller identity ARN', () => {
  it.each([
    ['arn:aws:iam::123456789012:user/alice', 'alice'],
    ['arn:aws:iam::123456789012:user/division/team/alice', 'alice'],
    [
      'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com',
      'alice@example.com',
    ],
    ['arn:aws:iam::123456789012:root', 'root'],
  ])('%s → %s', (arn, name) => {
    expect(reviewerFromArn(arn)).toBe(name);
  });
});
