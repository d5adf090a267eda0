// SCAFFOLD: the collector's id, checks, scope and frequency are the contract; gather and assess are to be written.
import type { Collector } from '../collector';
import { PASSWORD_POLICY_CHECKS, type PasswordPolicyCheck } from './checks';

export type PasswordPolicyFacts = Record<string, never>;

export const passwordPolicy: Collector<PasswordPolicyFacts, PasswordPolicyCheck> = {
  id: 'password-policy',
  title: 'Password policy: the account password policy against the required minimums',
  controls: ['CC6.1'],
  scope: 'global',
  frequency: 'weekly',
  checks: PASSWORD_POLICY_CHECKS,
  iamActions: [],
  policy: () => ({}),
  gather: () => Promise.resolve({ facts: {}, sources: [], errors: [] }),
  assess: () => ({ findings: [], figures: {} }),
};
