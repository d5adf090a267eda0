import { defineChecks } from '../collectors/check-catalogue';
import { RISK_ACCEPTED_CHECK, RISK_REVOKED_CHECK } from '../evidence/risk-acceptance';

/**
 * The risk register's checks: the single INFO finding of each acceptance or revocation envelope. They judge
 * nothing (the findings of the accepted check keep their status); they record a person's decision, and who
 * AWS says asked for it, so the period report can show an exception as accepted while the decision is in
 * force. CC3.2 (risks are identified and analysed, including deciding how to respond to them) and CC9.1
 * (risk mitigation activities are selected, acceptance among them).
 */
export const RISK_REGISTER_CHECKS = defineChecks({
  [RISK_ACCEPTED_CHECK]: {
    title: 'A failing check on a resource was accepted as a risk until a date',
    description:
      'One INFO finding per recorded acceptance: the check and the resource (exactly, or a pattern with * and ?) whose failures are accepted, the owner of the risk (an email address), the reason, the last day the acceptance is in force (at most 365 days after it is recorded), and the ARN of the AWS identity that recorded it, as AWS STS proved it. The evidence of the check itself is unchanged: its findings still FAIL, and the period report shows them as accepted, with this record, until the acceptance expires or is revoked.',
    criteria: ['CC3.2', 'CC9.1'],
    severity: 'info',
    remediation:
      'None needed for the record itself. Before the expiry date, fix the failing resource or record a new acceptance with a current reason; revoke the acceptance when the risk is no longer accepted.',
  },
  [RISK_REVOKED_CHECK]: {
    title: 'An accepted risk was revoked',
    description:
      'One INFO finding per recorded revocation: the check and the resource (or pattern) of an earlier acceptance that is no longer in force from the day of this record, who revokes it (an email address), why, and the ARN of the AWS identity that recorded it, as AWS STS proved it. From that day the failures of the check on the resource are ordinary exceptions again in the period report.',
    criteria: ['CC3.2', 'CC9.1'],
    severity: 'info',
    remediation: 'None: the failures it covered are exceptions again and follow their remediation SLA.',
  },
});

export type RiskRegisterCheck = keyof typeof RISK_REGISTER_CHECKS;
