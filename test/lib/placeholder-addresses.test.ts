import { Match } from 'aws-cdk-lib/assertions';
import { CONTEXT_KEY } from '../../lib/config';
import { annotationsOf, BASE_CONFIG, CDK_CONTEXT, synth } from './stack-fixture';

const REAL = { securityEmail: 'security@acme.io', senderEmail: 'soc2@acme.io', alarmEmail: 'alerts@acme.io' };

describe('placeholder addresses: synth works, deploy is refused', () => {
  it('the shipped cdk.json synthesises a template whose Rule refuses the deployment, naming each key', () => {
    const synthesised = synth(CDK_CONTEXT[CONTEXT_KEY] as Record<string, unknown>);
    const { template } = synthesised;
    template.hasParameter('PlaceholderAddresses', {
      Type: 'String',
      Default: 'security@example.com,soc2-evidence@example.com,alerts@example.com',
    });
    const rules = template.toJSON().Rules as Record<string, unknown>;
    expect(rules.ReplacePlaceholderAddresses).toEqual({
      Assertions: [
        {
          Assert: { 'Fn::Equals': [{ Ref: 'PlaceholderAddresses' }, ''] },
          AssertDescription:
            'soc2Evidence.securityEmail is "security@example.com" (receives the quarterly access review); ' +
            'soc2Evidence.senderEmail is "soc2-evidence@example.com" (sends the access review; SES emails it a verification link); ' +
            'soc2Evidence.alarmEmail is "alerts@example.com" (receives the alarms; SNS emails it a subscription confirmation): ' +
            'these are placeholders at a reserved example domain; set them in cdk.json to real addresses you can read, then deploy again',
        },
      ],
    });
    // `cdk synth` says so too, without failing (the warnings of the synthesis above: no second synthesis).
    annotationsOf(synthesised).hasWarning(
      '*',
      Match.stringLikeRegexp(
        'soc2Evidence.securityEmail is "security@example.com".*cdk deploy will be refused',
      ),
    );
  });

  it('names only the keys still at a placeholder', () => {
    const { template } = synth({ ...BASE_CONFIG, ...REAL, alarmEmail: 'alerts@example.net' });
    const rule = (template.toJSON().Rules as Record<string, { Assertions: { AssertDescription: string }[] }>)
      .ReplacePlaceholderAddresses!;
    expect(rule.Assertions[0]!.AssertDescription).toMatch(
      /^soc2Evidence\.alarmEmail is "alerts@example\.net"/,
    );
    expect(rule.Assertions[0]!.AssertDescription).not.toContain('securityEmail');
  });

  it('real addresses deploy: no placeholder parameter or rule', () => {
    const { template } = synth({ ...BASE_CONFIG, ...REAL });
    expect(Object.keys(template.toJSON().Parameters ?? {})).not.toContain('PlaceholderAddresses');
    expect(Object.keys(template.toJSON().Rules ?? {})).not.toContain('ReplacePlaceholderAddresses');
  });
});
