/**
 * `soc2-evidence report`: the period report for a security lead who wants answers, not a package. It pulls
 * and checks the period exactly as `pull` does (the report is computed from verified evidence only, so
 * everything must be downloaded and checked), into --out, then prints each control's statement and the
 * exceptions to act on.
 */
import { join, resolve } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import type { Command } from 'commander';
import { ClientFactory } from '../lambdas/aws/client-factory';
import { checkOutputDir, checkPeriod, requireRegion } from './arguments';
import { loadCliConfig } from './load-config';
import { EXCEPTIONS_FILE, INDEX_FILE, OSCAL_FILE } from './package/manifest';
import { progressFor } from './package/progress';
import type { SlaPolicy } from './period/model';
import { periodReportLines } from './period/report-lines';
import { slaPolicy } from './period/sla-option';
import type { PullDeps, PullOptions } from './pull/options';
import { pullPackage } from './pull/pull';
import { withPeriodOptions } from './pull/command';
import { accountFilterFields } from './pull/options';
import { loadTrustAnchor } from './trust/load';

export type ReportOptions = Omit<PullOptions, 'out'> & { readonly out?: string };

/** Where the report's package goes without --out: named by the period, in the working directory. */
export const defaultReportDir = (from: string, to: string) => `soc2-report-${from}_${to}`;

/** Pulls the period and prints its report; the exit code is pull's (0, 3 gaps, 4 integrity problems). */
export async function report(options: ReportOptions, deps: PullDeps): Promise<number> {
  const out = options.out ?? defaultReportDir(options.from, options.to);
  const pulled: string[] = [];
  const result = await pullPackage({ ...options, out }, { ...deps, out: (l) => pulled.push(l) });
  // pull's own lines: its problems and gaps matter to the report (a gap is an unknown day), then its summary.
  for (const line of pulled) deps.out(line);
  const root = resolve(out);
  const files = [
    join(root, EXCEPTIONS_FILE),
    `${join(root, INDEX_FILE)}#period-report`,
    join(root, OSCAL_FILE),
  ];
  for (const line of periodReportLines(result.period, files)) deps.out(line);
  return result.exitCode;
}

export function registerReport(program: Command, out: (line: string) => void): void {
  withPeriodOptions(
    program
      .command('report')
      .description(
        'The period report for a security lead: pulls and checks the period like pull, then prints each control’s ' +
          'statement and the exceptions past their remediation SLA, open or accepted. Exit codes as pull.',
      ),
  )
    .option(
      '--out <dir>',
      'where the checked evidence and the report files go (default: soc2-report-<from>_<to>)',
    )
    .option(
      '--sla <days>',
      'remediation SLA by severity, e.g. critical=7,high=30,medium=90 (default: remediationSlaDays of the config, else those)',
      slaPolicy,
    )
    .option('--config <file>', 'read remediationSlaDays from this cdk.json (default: ./cdk.json if present)')
    .action(
      async (
        given: Omit<ReportOptions, 'account'> & { account?: string[]; config?: string; sla?: SlaPolicy },
      ) => {
        // --account gives a list (several accounts in organization mode): the options say one as `account`.
        const { account, ...rest } = given;
        const opts = { ...rest, ...accountFilterFields(account) };
        checkPeriod(opts.from, opts.to);
        const dir = opts.out ?? defaultReportDir(opts.from, opts.to);
        checkOutputDir('--out', dir);
        loadTrustAnchor('report', opts);
        const sla = opts.sla ?? loadCliConfig(opts.config).remediationSlaDays;
        const clients = new ClientFactory();
        const s3 = clients.get(S3Client);
        await requireRegion(s3);
        process.exitCode = await report(
          { ...opts, out: dir, sla },
          { s3, out, progress: progressFor(process.stderr) },
        );
      },
    );
}
