import { PRODUCER } from '../producer';

/**
 * Settings every AWS client of this project gets. Only what the SDK cannot know is set here: region,
 * credentials, profiles and endpoints (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_<SERVICE>`, config files) are
 * left to the SDK's standard resolution, so the code runs unchanged against any AWS-compatible endpoint.
 */
export interface ClientSettings {
  readonly region?: string;
  readonly retryMode: 'adaptive';
  readonly maxAttempts: number;
  readonly customUserAgent: string;
  /** Only for offline clients (demo, benchmark); real runs use the SDK's credential chain. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** IAM's credential report and authorization-details APIs throttle hard; adaptive retries back off on the
 * client side too, and eight attempts outlast a typical burst. */
export const MAX_ATTEMPTS = 8;

export function clientSettings(region?: string): ClientSettings {
  return {
    ...(region ? { region } : {}),
    retryMode: 'adaptive',
    maxAttempts: MAX_ATTEMPTS,
    customUserAgent: `${PRODUCER.name}/${PRODUCER.version}`,
  };
}
