import { PRODUCER } from '../producer';

/**
 * Settings every AWS client of this project gets. Only what the SDK cannot know is set here: region,
 * credentials, profiles and endpoints (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_<SERVICE>`, config files) are
 * left to the SDK's standard resolution, so the code runs unchanged against any AWS-compatible endpoint.
 */
export interface ClientSettings {
  readonly region?: string;
  readonly retryMode: RetryMode;
  readonly maxAttempts: number;
  readonly customUserAgent: string;
  /**
   * Absent: the SDK's credential chain (every single-account run). Given: offline clients (demo, benchmark)
   * or an assumed role's session (organization mode: a member account's run, `withCredentials`).
   */
  readonly credentials?: ClientCredentials;
}

/** Static or session credentials, in the shape the SDK takes (an assumed role's session expires). */
export interface ClientCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

export type RetryMode = 'adaptive' | 'standard';

/** Eight attempts (seven retries with exponential backoff and jitter) outlast a typical throttling burst. */
export const MAX_ATTEMPTS = 8;

/**
 * IAM's credential report and authorization-details APIs throttle hard on a few calls: adaptive retries also
 * slow the client itself down. Everywhere else calls are many and small (one per bucket, listener, database),
 * and adaptive mode's client-side limiter, which cuts the send rate on every throttle and regains it slowly,
 * turned a 10% throttle rate into runs of minutes in the benchmark (docs/PERFORMANCE.md); the standard mode's
 * per-call backoff recovers each call without slowing the rest.
 *
 * Keyed by the SDK's own service id (`client.config.serviceId`, "IAM"), not the client's class name: the
 * deployed bundles are minified, which renames classes, so `IAMClient` is not `IAMClient` in Lambda.
 */
export function retryModeFor(serviceId: string | undefined): RetryMode {
  return serviceId === 'IAM' ? 'adaptive' : 'standard';
}

export function clientSettings(region?: string, retryMode: RetryMode = 'standard'): ClientSettings {
  return {
    ...(region ? { region } : {}),
    retryMode,
    maxAttempts: MAX_ATTEMPTS,
    customUserAgent: `${PRODUCER.name}/${PRODUCER.version}`,
  };
}

/**
 * The same settings as `clientSettings`, signed with `credentials` instead of the SDK's credential chain:
 * region and endpoint resolution (`AWS_REGION`, `AWS_ENDPOINT_URL`...) stay the SDK's standard ones.
 */
export function settingsWithCredentials(
  credentials: ClientCredentials,
  base: (region?: string, retryMode?: RetryMode) => ClientSettings = clientSettings,
): (region?: string, retryMode?: RetryMode) => ClientSettings {
  const own: ClientCredentials = {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
    ...(credentials.expiration ? { expiration: credentials.expiration } : {}),
  };
  return (region, retryMode) => ({ ...base(region, retryMode), credentials: own });
}
