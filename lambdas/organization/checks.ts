import { defineChecks } from '../collectors/check-catalogue';
import { ACCOUNT_IN_SCOPE_CHECK, ACCOUNT_OUT_OF_SCOPE_CHECK } from './contract';

/**
 * CC4.1 (ongoing evaluations ascertain that controls are present and functioning): the account list says
 * which accounts each organization run evaluated, so a missing account's day is a gap, not silence. CC6.1
 * (logical access security over information assets, their inventory included): the list is the
 * organization's account inventory as Organizations reported it, each exclusion recorded with its reason.
 */
export const ACCOUNT_LIST_CONTROLS = ['CC4.1', 'CC6.1'] as const;

/** The signed account list's checks (lambdas/organization/contract.ts names them). */
export const ACCOUNT_LIST_CHECKS = defineChecks({
  [ACCOUNT_IN_SCOPE_CHECK]: {
    title: 'An account of the organization is in scope for the run',
    description:
      "One INFO finding per account met under the configured roots and organizational units whose Organizations state is ACTIVE and which is not in `excludeAccounts`: the organization run fanned the collector out to it. The finding names the account, its name, its OU path (from the configured root or OU down to its parent), its parent's id, its state and when it joined the organization. An auditor reads the day's list for a collector to know which accounts that collector's evidence must cover: an in-scope account without that collector's envelope for the day is a gap.",
    criteria: ['CC4.1', 'CC6.1'],
    severity: 'info',
    remediation:
      'None: an account in scope is evaluated. If it should not be, add its id to `organization.excludeAccounts` (the exclusion is then recorded in every list) or move it out of the configured organizational units.',
  },
  [ACCOUNT_OUT_OF_SCOPE_CHECK]: {
    title: 'An account of the organization is out of scope for the run, with the reason',
    description:
      'One INFO finding per account met under the configured roots and organizational units that the run did not fan out to, with `detail.reason`: `excluded` (listed in `organization.excludeAccounts`), `suspended`, `pending-closure`, `closed` or `pending-activation` (its Organizations state, read from `State`, or from the legacy `Status` when `State` is absent). Nothing is left out silently: an auditor sees every account the organization holds under the configured units, and why each one without evidence has none.',
    criteria: ['CC4.1'],
    severity: 'info',
    remediation:
      'Check that each exclusion is intended and approved (a suspended or closed account needs no evidence; an excluded active account needs a recorded reason outside this tool); remove an account from `organization.excludeAccounts` to bring it back in scope.',
  },
});

export type AccountListCheck = keyof typeof ACCOUNT_LIST_CHECKS;
