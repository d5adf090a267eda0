import { IAMClient } from '@aws-sdk/client-iam';
import { errorEntry } from '../../aws/error-entry';
import type { ErrorEntry } from '../../evidence/envelope';
import type { RawSource } from '../../evidence/write-evidence';
import type { GatherContext } from '../collector';
import {
  CredentialReportFormatError,
  parseCredentialReport,
  type CredentialReport,
} from './credential-report';
import { fetchCredentialReport } from './fetch-credential-report';

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
  const sources: RawSource[] = [
    {
      name: 'credential-report.csv',
      api: API,
      contentType: 'text/csv',
      body: fetched.content,
      generatedAt: fetched.generatedAt,
    },
  ];
  try {
    const report = parseCredentialReport(Buffer.from(fetched.content).toString('utf8'));
    const errors = report.problems.map((message) => ({
      region: 'global',
      api: API,
      code: 'UnexpectedFormat',
      message,
    }));
    return { facts: { report, generatedAt: fetched.generatedAt }, sources, errors };
  } catch (err) {
    if (!(err instanceof CredentialReportFormatError)) throw err;
    return {
      facts: { generatedAt: fetched.generatedAt },
      sources,
      errors: [{ region: 'global', api: API, code: 'UnexpectedFormat', message: err.message }],
    };
  }
}
