// SCAFFOLD: the collector's id, checks, scope and frequency are the contract; gather and assess are to be written.
import type { Collector } from '../collector';
import { IAM_PRIVILEGE_CHECKS, type IamPrivilegeCheck } from './checks';

export type IamPrivilegeFacts = Record<string, never>;

export const iamPrivilege: Collector<IamPrivilegeFacts, IamPrivilegeCheck> = {
  id: 'iam-privilege',
  title: 'IAM privilege: administrator-equivalent and privilege-escalating permissions, and who holds them',
  controls: ['CC6.1', 'CC6.3'],
  scope: 'global',
  frequency: 'daily',
  checks: IAM_PRIVILEGE_CHECKS,
  iamActions: [],
  policy: () => ({}),
  gather: () => Promise.resolve({ facts: {}, sources: [], errors: [] }),
  assess: () => ({ findings: [], figures: {} }),
};
