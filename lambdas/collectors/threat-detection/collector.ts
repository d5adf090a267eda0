// SCAFFOLD: the collector's id, checks, scope and frequency are the contract; gather and assess are to be written.
import type { Collector } from '../collector';
import { THREAT_DETECTION_CHECKS, type ThreatDetectionCheck } from './checks';

export type ThreatDetectionFacts = Record<string, never>;

export const threatDetection: Collector<ThreatDetectionFacts, ThreatDetectionCheck> = {
  id: 'threat-detection',
  title: 'Threat detection: GuardDuty, its findings, Security Hub and IAM Access Analyzer',
  controls: ['CC7.2', 'CC7.3'],
  scope: 'regional',
  frequency: 'daily',
  checks: THREAT_DETECTION_CHECKS,
  iamActions: [],
  policy: () => ({}),
  gather: () => Promise.resolve({ facts: {}, sources: [], errors: [] }),
  assess: () => ({ findings: [], figures: {} }),
};
