import { METRICS_NAMESPACE } from './runtime-env';

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
