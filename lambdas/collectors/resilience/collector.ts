// SCAFFOLD: the collector's id, checks, scope and frequency are the contract; gather and assess are to be written.
import type { Collector } from '../collector';
import { RESILIENCE_CHECKS, type ResilienceCheck } from './checks';

export type ResilienceFacts = Record<string, never>;

export const resilience: Collector<ResilienceFacts, ResilienceCheck> = {
  id: 'resilience',
  title:
    'Resilience: Multi-AZ, deletion protection, point-in-time recovery, versioning, backup plans and vault lock',
  controls: ['A1.2'],
  scope: 'regional',
  frequency: 'weekly',
  checks: RESILIENCE_CHECKS,
  iamActions: [],
  policy: () => ({}),
  gather: () => Promise.resolve({ facts: {}, sources: [], errors: [] }),
  assess: () => ({ findings: [], figures: {} }),
};
