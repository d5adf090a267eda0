import type { Context } from 'aws-lambda';

/** The Lambda context a producer's handler is invoked with: its ARN names the account it runs in. */
export function lambdaContext(
  account: string,
  functionName: string,
  awsRequestId: string,
  remainingMs: number,
): Context {
  return {
    invokedFunctionArn: `arn:aws:lambda:us-east-1:${account}:function:${functionName}`,
    awsRequestId,
    getRemainingTimeInMillis: () => remainingMs,
  } as unknown as Context;
}

/**
 * The environment of a producer that runs on no schedule of its own (the sealer, the event-driven tamper
 * watch): it must run without SCHEDULE_EXPRESSION or SCHEDULE_TIME_ZONE.
 */
export function setUnscheduledProducerEnv(signingKeyArn: string): void {
  process.env.EVIDENCE_BUCKET = 'evidence-bucket';
  process.env.SIGNING_KEY_ARN = signingKeyArn;
  delete process.env.SCHEDULE_EXPRESSION;
  delete process.env.SCHEDULE_TIME_ZONE;
}
