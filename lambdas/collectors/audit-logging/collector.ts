// SCAFFOLD: the collector's id, checks, scope and frequency are the contract; gather and assess are to be written.
import type { Collector } from '../collector';
import { AUDIT_LOGGING_CHECKS, type AuditLoggingCheck } from './checks';

export type AuditLoggingFacts = Record<string, never>;

export const auditLogging: Collector<AuditLoggingFacts, AuditLoggingCheck> = {
  id: 'audit-logging',
  title: 'Audit logging: CloudTrail, AWS Config, log retention, VPC flow logs, load balancer access logs',
  controls: ['CC7.2', 'CC2.1'],
  scope: 'regional',
  frequency: 'daily',
  checks: AUDIT_LOGGING_CHECKS,
  iamActions: [],
  policy: () => ({}),
  gather: () => Promise.resolve({ facts: {}, sources: [], errors: [] }),
  assess: () => ({ findings: [], figures: {} }),
};
