import { HEARTBEAT_DIMENSION, HEARTBEAT_METRIC, METRICS_NAMESPACE } from './runtime-env';

export type EmfUnit = 'Count' | 'Milliseconds';

/**
 * One CloudWatch embedded-metric-format log line: Lambda's log pipeline turns it into metrics, with no API
 * call and no permission. `metrics` become billed metrics (per dimension value); `properties` stay
 * searchable log fields only.
 */
export function emfLine(
  dimension: { readonly name: string; readonly value: string },
  metrics: Readonly<Record<string, { readonly value: number; readonly unit: EmfUnit }>>,
  now: Date,
  properties: Readonly<Record<string, unknown>> = {},
): string {
  return JSON.stringify({
    _aws: {
      Timestamp: now.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: [[dimension.name]],
          Metrics: Object.entries(metrics).map(([Name, m]) => ({ Name, Unit: m.unit })),
        },
      ],
    },
    ...properties,
    [dimension.name]: dimension.value,
    ...Object.fromEntries(Object.entries(metrics).map(([name, m]) => [name, m.value])),
  });
}

/**
 * The dead-man line a producer prints at the end of every successful run (`Heartbeat` = 1, dimension
 * `Producer`): its alarm treats missing data as breaching, so a producer that stops running, or keeps
 * failing, alarms.
 */
export function heartbeatLine(
  producer: string,
  now: Date,
  properties: Readonly<Record<string, unknown>> = {},
): string {
  return emfLine(
    { name: HEARTBEAT_DIMENSION, value: producer },
    { [HEARTBEAT_METRIC]: { value: 1, unit: 'Count' } },
    now,
    properties,
  );
}
