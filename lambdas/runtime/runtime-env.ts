/** Environment the stack sets on every collector function (shared by the stack and the handlers). */
export const ENV = {
  bucket: 'EVIDENCE_BUCKET',
  settings: 'COLLECTOR_SETTINGS',
  scheduleExpression: 'SCHEDULE_EXPRESSION',
  scheduleTimeZone: 'SCHEDULE_TIME_ZONE',
  /** Access review only: who receives the review, and the verified SES identity it is sent from. */
  securityEmail: 'SECURITY_EMAIL',
  senderEmail: 'SENDER_EMAIL',
  /** Optional: the KMS key that signs every evidence object (absent: objects are not signed). */
  signingKeyArn: 'SIGNING_KEY_ARN',
  /**
   * Watchdog: JSON object producer id → signing key ARN, so it can fetch each producer's public key and
   * count only evidence its own producer signed.
   */
  producerKeys: 'PRODUCER_SIGNING_KEYS',
} as const;

/** CloudWatch namespace of the per-run metrics the handlers emit. */
export const METRICS_NAMESPACE = 'Soc2Evidence';

/**
 * The dead-man metric: the watchdog and the sealer each emit `Heartbeat` = 1 (dimension `Producer`) at the
 * end of every successful run; an alarm that treats missing data as breaching fires when it stops.
 */
export const HEARTBEAT_METRIC = 'Heartbeat';
export const HEARTBEAT_DIMENSION = 'Producer';

/** Emitted by the tamper watch once per recorded change to a protected resource (alarmed on any). */
export const TAMPER_EVENTS_METRIC = 'TamperEvents';
/** Its dimension: the same name as the heartbeat's, valued with the tamper watch's producer id. */
export const TAMPER_EVENTS_DIMENSION = { name: HEARTBEAT_DIMENSION, value: 'tamper-watch' } as const;
