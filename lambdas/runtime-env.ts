/** Environment the stack sets on every collector function (shared by the stack and the handlers). */
export const ENV = {
  bucket: 'EVIDENCE_BUCKET',
  settings: 'COLLECTOR_SETTINGS',
  scheduleExpression: 'SCHEDULE_EXPRESSION',
  scheduleTimeZone: 'SCHEDULE_TIME_ZONE',
} as const;

/** CloudWatch namespace of the per-run metrics the handlers emit. */
export const METRICS_NAMESPACE = 'Soc2Evidence';
