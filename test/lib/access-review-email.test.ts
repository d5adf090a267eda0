import { Match } from 'aws-cdk-lib/assertions';
import { BASE_CONFIG, synth } from './stack-fixture';

// stack-fixture builds an App with context `aws:cdk:bundling-stacks: []`, so no function is bundled.
const { template } = synth();

function reviewFunction(): [string, { Properties: Record<string, unknown> }] {
  const fns = template.findResources('AWS::Lambda::Function', {
    Properties: { Description: Match.stringLikeRegexp('access review population') },
  });
  const entries = Object.entries(fns);
  expect(entries).toHaveLength(1);
  return entries[0] as [string, { Properties: Record<string, unknown> }];
}

describe('access review email', () => {
  it('is scheduled quarterly at 09:00 on the first day of each quarter in the configured time zone', () => {
    const [fnId] = reviewFunction();
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 9 1 1,4,7,10 ? *)',
      ScheduleExpressionTimezone: BASE_CONFIG.timeZone,
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] } }),
    });
  });

  it('creates an SES identity for the sender and gives the function the addresses', () => {
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: BASE_CONFIG.senderEmail });
    const [, fn] = reviewFunction();
    expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({
      SENDER_EMAIL: BASE_CONFIG.senderEmail,
      SECURITY_EMAIL: BASE_CONFIG.securityEmail,
    });
  });

  it('grants ses:SendEmail on the sender identity and the recipient identity (SES sandbox) only, to the review function only', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy')) as {
      Properties: { PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] } };
    }[];
    const sesStatements = policies
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s) => JSON.stringify(s.Action).includes('ses:'));
    expect(sesStatements).toHaveLength(1);
    expect(sesStatements[0]!.Action).toBe('ses:SendEmail');
    const resource = JSON.stringify(sesStatements[0]!.Resource);
    expect(resource).toContain(':ses:');
    expect(resource).toContain(`identity/`);
    expect(resource).toMatch(/AccessReviewEmailSender/);
    expect(resource).not.toContain('"*"');
    expect(sesStatements[0]!.Resource).toHaveLength(2);
    expect(resource).toContain(':identity/security@example.com');
  });
});
