// SCAFFOLD: the collector's id, checks, scope and frequency are the contract; gather and assess are to be written.
import type { Collector } from '../collector';
import { PUBLIC_ACCESS_CHECKS, type PublicAccessCheck } from './checks';

export type PublicAccessFacts = Record<string, never>;

export const publicAccess: Collector<PublicAccessFacts, PublicAccessCheck> = {
  id: 'public-access',
  title: 'Public access: S3 Block Public Access, public buckets, databases, snapshots and AMIs',
  controls: ['CC6.1', 'CC6.6'],
  scope: 'regional',
  frequency: 'daily',
  checks: PUBLIC_ACCESS_CHECKS,
  iamActions: [],
  policy: () => ({}),
  gather: () => Promise.resolve({ facts: {}, sources: [], errors: [] }),
  assess: () => ({ findings: [], figures: {} }),
};
