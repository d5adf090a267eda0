import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { readAwsError } from '../../aws/aws-error';

export interface FetchedCredentialReport {
  /** The CSV exactly as IAM returned it. */
  readonly content: Uint8Array;
  /** When IAM generated it; AWS serves a cached report for up to 4 hours. Absent when IAM did not say:
   * an invented date would pass for a real one in the evidence. */
  readonly generatedAt?: string;
}

export interface FetchOptions {
  /** Give up after this long; the report usually takes seconds, rarely a minute. */
  readonly maxWaitMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const NOT_READY = 'CredentialReportNotReadyException';
const ABSENT = new Set(['CredentialReportNotPresentException', 'CredentialReportExpiredException']);

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Asks IAM for a report (a no-op when one under 4 hours old exists), then polls for it with a bounded,
 * growing wait. A report that expires or vanishes between the calls is requested once more.
 */
export async function fetchCredentialReport(
  iam: IAMClient,
  options: FetchOptions = {},
): Promise<FetchedCredentialReport> {
  const maxWaitMs = options.maxWaitMs ?? 120_000;
  const sleep = options.sleep ?? defaultSleep;
  let waited = 0;
  let delay = 1000;
  let regenerated = 0;
  await iam.send(new GenerateCredentialReportCommand({}));
  for (;;) {
    try {
      const report = await iam.send(new GetCredentialReportCommand({}));
      if (!report.Content) throw new Error('GetCredentialReport returned no content');
      return {
        content: report.Content,
        ...(report.GeneratedTime ? { generatedAt: report.GeneratedTime.toISOString() } : {}),
      };
    } catch (err) {
      const name = readAwsError(err).code;
      if (ABSENT.has(name) && regenerated < 2) {
        regenerated++;
        await iam.send(new GenerateCredentialReportCommand({}));
      } else if (name !== NOT_READY && !ABSENT.has(name)) {
        throw err;
      }
      if (waited >= maxWaitMs) {
        throw new Error(`the credential report was not ready after ${Math.round(waited / 1000)} s (${name})`);
      }
      const step = Math.min(delay, maxWaitMs - waited);
      await sleep(step);
      waited += step;
      delay = Math.min(delay * 2, 8000);
    }
  }
}
