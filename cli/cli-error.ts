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

/** The SDK's messages for a machine with no AWS setup, said in terms of what to do. */
export function explainSetupError(message: string): string {
  if (/Region is missing/.test(message)) {
    return `${message}: no AWS region is configured; set AWS_REGION or a region in your AWS profile`;
  }
  if (/Could not load credentials from any providers/.test(message)) {
    return `${message}: no AWS credentials found; set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run 'aws sso login'`;
  }
  return message;
}
