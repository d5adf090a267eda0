/**
 * Producers: the deployed functions that write and sign evidence, one signing key each. A signature names
 * its producer: `verify` checks every object against the pinned key of the producer its kind belongs to,
 * so no function can make evidence of another kind that verifies (docs/ARCHITECTURE.md, "Chain of custody").
 *
 * Producer ids are contracts: they name the signing keys' aliases (`alias/<stack>/signing/<producer>`),
 * the entries of an auditor's trust file and the `producer` field of digests.
 */

/** The coverage watchdog's producer id (it writes `coverage` evidence). */
export const WATCHDOG_PRODUCER = 'coverage-watchdog';
/** The daily sealer's producer id (it writes `digests/`). */
export const SEALER_PRODUCER = 'sealer';
/** The tamper watch's producer id (it writes `tamper-watch` evidence). */
export const TAMPER_WATCH_PRODUCER = 'tamper-watch';
/** The evidence kind (the `<collector>` key segment) the tamper watch writes. */
export const TAMPER_WATCH_KIND = 'tamper-watch';

/** The alias of a producer's signing key in a stack: stable, and protected by the key policy. */
export function signingKeyAlias(stackName: string, producer: string): string {
  return `alias/${stackName}/signing/${producer}`;
}

/** The sealer's schedule (UTC): after every run that started before midnight has landed (SEAL_DELAY_MS). */
export const SEALER_CRON = 'cron(30 0 * * ? *)';
