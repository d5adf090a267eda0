/**
 * The coverage watchdog's evidence kind, in a module that imports nothing: the registry reads it, and the
 * watchdog's own code imports the registry, so these constants must not live in the watchdog module.
 */
export const COVERAGE_COLLECTOR = 'coverage';

/** Midday: after every default collector schedule (06:00, 09:00) and their retries have had time to land. */
export const WATCHDOG_CRON = 'cron(0 12 * * ? *)';

/**
 * CC4.1 (ongoing evaluations ascertain that controls are present and functioning): this is the evaluation
 * that the evidence-producing controls ran. CC7.2 (system components are monitored for anomalies, which
 * are analysed): a missing or failed run is such an anomaly, and it alarms. Not A1.2: that criterion is
 * about recovery infrastructure (backups), which the `backups` collector evidences.
 */
export const COVERAGE_CONTROLS = ['CC4.1', 'CC7.2'] as const;
