/** The `pull` command: its options, checked as commander parses them, and the real AWS clients. */
import { S3Client } from '@aws-sdk/client-s3';
import { type Command } from 'commander';
import { ClientFactory } from '../../lambdas/aws/client-factory';
import { progressFor } from '../package/progress';
import { accountIds, checkOutputDir, checkPeriod, collectorIds, isoDay, requireRegion } from '../arguments';
import { loadTrustAnchor } from '../trust/load';
import { pull } from './pull';
import { accountFilterFields } from './options';
import type { SlaPolicy } from '../period/model';
import { slaPolicy } from '../period/sla-option';

/**
 * What to pull and whom to trust, the options `pull` and `report` share: the bucket, the period, the
 * filters and the trust anchor, each checked as commander parses it.
 */
export function withPeriodOptions(command: Command): Command {
  return command
    .requiredOption('--bucket <name>', 'the evidence bucket')
    .requiredOption('--from <date>', 'first UTC day, YYYY-MM-DD', isoDay)
    .requiredOption('--to <date>', 'last UTC day, YYYY-MM-DD', isoDay)
    .option('--collector <id>', 'only this collector (repeat for more)', collectorIds)
    .option(
      '--account <id>',
      'only this account; several comma-separated (organization mode), or all (the default). The account lists that say which accounts were expected are always pulled',
      accountIds,
    )
    .option(
      '--trust <file>',
      "the producers' signing keys you pinned with 'soc2-evidence pin' (the trust anchor)",
    )
    .option(
      '--public-key <file>',
      'a PEM public key trusted for every producer (repeatable; for a single-key deployment, never beside --trust)',
      (value: string, previous: string[] = []) => [...previous, value],
    );
}

/** The `pull` command; `out` receives the report lines, progress goes to stderr. */
export function registerPull(program: Command, out: (line: string) => void): void {
  withPeriodOptions(
    program
      .command('pull')
      .description(
        'Download a period of evidence into the --out directory, check every object (SHA-256, signature, Object Lock) and every ' +
          'expected run. Exit 3: expected runs missing; exit 4: integrity problems.',
      ),
  )
    .requiredOption('--out <dir>', 'package directory (an existing one is resumed)')
    .option(
      '--sla <days>',
      'remediation SLA the period report judges exceptions by, e.g. critical=7,high=30,medium=90 (the default); a severity left out has none',
      slaPolicy,
    )
    .action(
      async (opts: {
        bucket: string;
        from: string;
        to: string;
        out: string;
        collector?: string[];
        account?: string[];
        trust?: string;
        publicKey?: string[];
        sla?: SlaPolicy;
      }) => {
        // Every argument is checked before the first AWS call, so each mistake is named as itself.
        checkPeriod(opts.from, opts.to);
        checkOutputDir('--out', opts.out);
        loadTrustAnchor('pull', opts);
        const clients = new ClientFactory();
        const s3 = clients.get(S3Client);
        await requireRegion(s3);
        const { account, ...rest } = opts;
        process.exitCode = await pull(
          { ...rest, ...accountFilterFields(account) },
          {
            s3,
            out,
            progress: progressFor(process.stderr),
          },
        );
      },
    );
}
