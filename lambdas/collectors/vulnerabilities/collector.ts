// SCAFFOLD: the collector's id, checks, scope and frequency are the contract; gather and assess are to be written.
import type { Collector } from '../collector';
import { VULNERABILITIES_CHECKS, type VulnerabilitiesCheck } from './checks';

export type VulnerabilitiesFacts = Record<string, never>;

export const vulnerabilities: Collector<VulnerabilitiesFacts, VulnerabilitiesCheck> = {
  id: 'vulnerabilities',
  title: 'Vulnerabilities: Amazon Inspector coverage and findings against the remediation SLA',
  controls: ['CC7.1'],
  scope: 'regional',
  frequency: 'daily',
  checks: VULNERABILITIES_CHECKS,
  iamActions: [],
  policy: () => ({}),
  gather: () => Promise.resolve({ facts: {}, sources: [], errors: [] }),
  assess: () => ({ findings: [], figures: {} }),
};
