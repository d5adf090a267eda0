import { IAMClient } from '@aws-sdk/client-iam';
import { errorEntry } from '../../aws/aws-error';
import type { ErrorEntry } from '../../evidence/envelope';
import type { RawSource } from '../../evidence/write-evidence';
import type { GatherContext } from '../../collectors/collector';
import { CredentialReportFormatError, parseCredentialReport, type CredentialReport } from './parse';
import { fetchCredentialReport } from './fetch';

export interface CredentialReportFacts {
  /** Undefined when the report could not be fetched or read at all. */
  readonly report?: CredentialReport;
  readonly generatedAt?: string;
}

export interface CredentialReportGathered {
  readonly facts: CredentialReportFacts;
  readonly sources: RawSource[];
  readonly errors: ErrorEntry[];
}

const API = 'iam:GetCredentialReport';

/** Whole minutes since IAM generated the report (never negative, clocks differ); undefined when unknown. */
export function reportAgeMinutes(generatedAt: string | undefined, now: Date): number | undefined {
  if (!generatedAt) return undefined;
  return Math.max(0, Math.round((now.getTime() - Date.parse(generatedAt)) / 60_000));
}

/**
 * The credential report as every IAM collector reads it: fetched once per run (shared through the run's
 * memo, so `collect --all` generates it once), kept verbatim as a source, parsed by header name. A report
 * that cannot be read is an error entry, and its raw bytes are still kept.
 */
export async function gatherCredentialReport(ctx: GatherContext): Promise<CredentialReportGathered> {
  let fetched;
  try {
    fetched = await ctx.memo('iam:credential-report', () =>
      fetchCredentialReport(ctx.clients.get(IAMClient)),
    );
  } catch (err) {
    return { facts: {}, sources: [], errors: [errorEntry(err, 'global', API)] };
  }
  const generated = fetched.generatedAt ? { generatedAt: fetched.generatedAt } : {};
  const sources: RawSource[] = [
    { name: 'credential-report.csv', api: API, contentType: 'text/csv', body: fetched.content, ...generated },
  ];
  // The report is still judged without its time; only its age is unknown, and the envelope says so.
  const errors: ErrorEntry[] = fetched.generatedAt
    ? []
    : [
        {
          region: 'global',
          api: API,
          code: 'UnexpectedFormat',
          message: 'GetCredentialReport returned no GeneratedTime',
        },
      ];
  try {
    const report = parseCredentialReport(Buffer.from(fetched.content).toString('utf8'));
    for (const message of report.problems)
      errors.push({ region: 'global', api: API, code: 'UnexpectedFormat', message });
    return { facts: { report, ...generated }, sources, errors };
  } catch (err) {
    if (!(err instanceof CredentialReportFormatError)) throw err;
    errors.push({ region: 'global', api: API, code: 'UnexpectedFormat', message: err.message });
    return { facts: generated, sources, errors };
  }
}
