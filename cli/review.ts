import { resolve } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Command } from 'commander';
import { recordDecisions } from '../lambdas/collectors/access-review/attestation';
import { accessReview } from '../lambdas/collectors/access-review/collector';
import { DecisionsError } from '../lambdas/collectors/access-review/decisions';
import { runAccessReview } from '../lambdas/collectors/access-review/review';
import { ClientFactory } from '../lambdas/aws/client-factory';
import { directoryReader, s3Reader, type EvidenceReader } from '../lambdas/evidence/read-store';
import { collectorSettings, type Soc2EvidenceConfig } from '../lib/config';
import { loginName, readInputFile } from './arguments';
import { CliError } from './cli-error';
import { callerAccount, storeFor } from './collect';
import { loadCliConfig } from './load-config';
import { messageOf } from '../lambdas/aws/aws-error';

interface Where {
  readonly bucket?: string;
  readonly dir?: string;
}

export function readerFor(options: Where, clients: ClientFactory): EvidenceReader {
  if (Boolean(options.bucket) === Boolean(options.dir))
    throw new CliError('give exactly one of --bucket NAME or --dir PATH');
  return options.bucket ? s3Reader(clients.get(S3Client), options.bucket) : directoryReader(options.dir!);
}

/** `review send`: freezes the population, stores it, emails it (unless --dry-run) and records the email. */
export async function reviewSend(
  options: Where & { dryRun?: boolean },
  config: Soc2EvidenceConfig,
  out: (line: string) => void,
  clients = new ClientFactory(),
): Promise<number> {
  const missing = (['senderEmail', 'securityEmail'] as const).filter((k) => !config[k]);
  if (missing.length > 0)
    throw new CliError(
      `soc2Evidence.${missing.join(' and soc2Evidence.')} must be set in the config to send the review`,
    );
  const store = storeFor(options, clients);
  const schedule = config.schedules[accessReview.id];
  const result = await runAccessReview({
    clients,
    store,
    account: await callerAccount(clients),
    settings: collectorSettings(config),
    senderEmail: config.senderEmail!,
    securityEmail: config.securityEmail!,
    // The email's record command names this store; a directory as an absolute path, to work from anywhere.
    location: options.bucket ? { bucket: options.bucket } : { dir: resolve(options.dir!) },
    timeZone: schedule?.timeZone ?? config.timeZone,
    dryRun: Boolean(options.dryRun),
  });
  out(`access review ${result.quarter}: population ${result.population.envelopeObject.location}`);
  out(
    options.dryRun
      ? `  dry run: not sent; message stored with ${result.email.envelopeObject.location}`
      : `  sent to ${config.securityEmail} (SES message id ${result.messageId}); ${result.email.envelopeObject.location}`,
  );
  return 0;
}

/** The name in an identity ARN: an IAM user's name, an assumed role's session name (an SSO user's sign-in). */
export function reviewerFromArn(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  if (resource === 'root') return 'root';
  const parts = resource.split('/');
  return parts[parts.length - 1] ?? resource;
}

/** Who reviewed when --reviewer is not given: the AWS identity for a bucket, the login name for a directory. */
async function defaultReviewer(options: Where, clients: ClientFactory): Promise<string> {
  if (options.bucket) {
    try {
      const id = await clients.get(STSClient).send(new GetCallerIdentityCommand({}));
      if (id.Arn) return reviewerFromArn(id.Arn);
    } catch (err) {
      throw new CliError(
        `cannot tell who you are from your AWS credentials (${messageOf(err)}); pass --reviewer NAME`,
      );
    }
  }
  const login = loginName();
  if (!login) throw new CliError('cannot tell who you are; pass --reviewer NAME');
  return login;
}

/** `review record`: checks a decisions CSV against the frozen population, then writes the attestation. */
export async function reviewRecord(
  options: Where & { review: string; reviewer?: string; decisions: string },
  out: (line: string) => void,
  clients = new ClientFactory(),
): Promise<number> {
  const csv = readInputFile('--decisions', options.decisions, 'a decisions CSV file');
  const reader = readerFor(options, clients);
  const store = storeFor(options, clients);
  const reviewer = options.reviewer?.trim() || (await defaultReviewer(options, clients));
  try {
    const written = await recordDecisions({
      reader,
      store,
      review: options.review,
      reviewer,
      decisionsCsv: csv,
    });
    const f = written.envelope.summary.figures;
    out(
      `recorded ${f.decisions} decisions by ${reviewer} (keep ${f.keep}, remove ${f.remove}, modify ${f.modify}, self-reviews ${f.selfReviews}): ${written.envelopeObject.location}`,
    );
    if (options.bucket)
      out(
        "note: the attestation is unsigned (your own credentials cannot use the signing key); pull and verify report it as an unsigned object, and the bucket's access log records you as its writer",
      );
    return 0;
  } catch (err) {
    if (err instanceof DecisionsError) throw new CliError(err.message);
    if (err instanceof CliError) throw err;
    throw new CliError(messageOf(err));
  }
}

export function addReviewCommands(program: Command, out: (line: string) => void): void {
  const review = program
    .command('review')
    .description('Run the quarterly access review and record its decisions.');
  review
    .command('send')
    .description(
      'Freeze the access review population, store it as evidence, and email it to the security team.',
    )
    .option('--bucket <name>', 'write to this evidence bucket (S3)')
    .option('--dir <path>', 'write to this local directory, in the same layout as the bucket')
    .option(
      '--config <file>',
      'read the soc2Evidence block from this cdk.json (default: ./cdk.json if present)',
    )
    .option('--dry-run', 'render and store the message, but do not send it')
    .action(async (opts: Where & { config?: string; dryRun?: boolean }) => {
      process.exitCode = await reviewSend(opts, loadCliConfig(opts.config), out);
    });
  review
    .command('record')
    .description(
      "Check a reviewer's decisions against the frozen population and store them as an attestation.",
    )
    .requiredOption('--review <key-or-quarter>', 'the review: a quarter such as 2026-Q4, or its evidence key')
    .option(
      '--reviewer <name>',
      'who reviewed; their own row is flagged as a self-review (default: your AWS user or session name; with --dir, your login name)',
    )
    .requiredOption(
      '--decisions <file>',
      "the review email's CSV with its decision (keep|remove|modify) and justification columns filled in (or a CSV with columns user, decision, justification)",
    )
    .option('--bucket <name>', 'read and write this evidence bucket (S3)')
    .option('--dir <path>', 'read and write this local directory')
    .action(async (opts: Where & { review: string; reviewer?: string; decisions: string }) => {
      process.exitCode = await reviewRecord(opts, out);
    });
}
