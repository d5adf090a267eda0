/** A problem the user can fix: printed as one line, never with a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** What a machine with no AWS region is told, by every command that talks to AWS. */
export const NO_REGION =
  'no AWS region is configured; set AWS_REGION or a region in your AWS profile (AWS_PROFILE)';

/**
 * The SDK's messages for a machine with no AWS setup, said in terms of what to do. A missing region is said
 * on its own: the SDK's "Region is missing", often wrapped as "Error: Region is missing" in the first
 * request's error, adds nothing to it.
 */
export function explainSetupError(message: string): string {
  if (/Region is missing/.test(message)) return NO_REGION;
  if (/Could not load credentials from any providers/.test(message)) {
    return `${message}: no AWS credentials found; set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run 'aws sso login'`;
  }
  return message;
}
