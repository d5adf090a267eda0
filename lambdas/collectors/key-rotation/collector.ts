// SCAFFOLD: the collector's id, checks, scope and frequency are the contract; gather and assess are to be written.
import type { Collector } from '../collector';
import { KEY_ROTATION_CHECKS, type KeyRotationCheck } from './checks';

export type KeyRotationFacts = Record<string, never>;

export const keyRotation: Collector<KeyRotationFacts, KeyRotationCheck> = {
  id: 'key-rotation',
  title: 'Key rotation: IAM access keys, KMS keys and Secrets Manager secrets',
  controls: ['CC6.1'],
  scope: 'regional',
  frequency: 'weekly',
  checks: KEY_ROTATION_CHECKS,
  iamActions: [],
  policy: () => ({}),
  gather: () => Promise.resolve({ facts: {}, sources: [], errors: [] }),
  assess: () => ({ findings: [], figures: {} }),
};
