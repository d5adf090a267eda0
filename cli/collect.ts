import { GetObjectLockConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ClientFactory } from '../lambdas/aws/client-factory';
import type { AnyCollector } from '../lambdas/collectors/collector';
import { COLLECTOR_IDS, collectorById } from '../lambdas/collectors/registry';
import { DirectoryStore } from '../lambdas/evidence/directory-store';
import { S3Store } from '../lambdas/evidence/s3-store';
import type { EvidenceStore } from '../lambdas/evidence/store';
import { runOutcome, type Summary } from '../lambdas/evidence/envelope';
import { runCollector, type RunResult } from '../lambdas/run-collector';
import { collectorSettings, type Soc2EvidenceConfig } from '../lib/config';
import { CliError } from './cli-error';
import { messageOf, readAwsError } from '../lambdas/aws/aws-error';

export interface CollectOptions {
  readonly all?: boolean;
  readonly bucket?: string;
  readonly dir?: string;
  readonly regions?: string[];
  /** With `bucket`: write even though the bucket is not in GOVERNANCE mode (the evidence is unsigned). */
  readonly unsigned?: boolean;
}

export function selectCollectors(ids: readonly string[], all: boolean | undefined): AnyCollector[] {
  if (all && ids.length > 0) throw new CliError('give collector ids or --all, not both');
  if (all) return COLLECTOR_IDS.map((id) => collectorById(id)!);
  if (ids.length === 0)
    throw new CliError(`name at least one collector (${COLLECTOR_IDS.join(', ')}) or use --all`);
  return ids.map((id) => {
    const c = collectorById(id);
    if (!c) throw new CliError(`unknown collector "${id}"; known collectors: ${COLLECTOR_IDS.join(', ')}`);
    return c;
  });
}

export function storeFor(options: CollectOptions, clients: ClientFactory): EvidenceStore {
  if (Boolean(options.bucket) === Boolean(options.dir))
    throw new CliError('give exactly one of --bucket NAME or --dir PATH');
  return options.bucket
    ? new S3Store(clients.get(S3Client), options.bucket)
    : new DirectoryStore(options.dir!);
}

/**
 * Refuses a bucket that does not exist or has no Object Lock before any collector runs, so evidence is
 * never written somewhere it could be deleted. Then refuses, unless `unsigned`, a bucket whose default
 * retention is not GOVERNANCE: evidence written from here is unsigned (only the deployed functions may use
 * the signing key), `pull` and `verify` report every unsigned object as an integrity problem (exit 4), and
 * COMPLIANCE retention keeps it there for the whole retention period. A caller who may not read the lock
 * configuration cannot show the bucket is GOVERNANCE, so is refused the same way.
 */
export async function checkEvidenceBucket(
  clients: ClientFactory,
  bucket: string,
  options: { readonly unsigned?: boolean } = {},
): Promise<void> {
  let mode: string | undefined;
  let days: number | undefined;
  let unreadable: string | undefined;
  try {
    const lock = await clients.get(S3Client).send(new GetObjectLockConfigurationCommand({ Bucket: bucket }));
    if (lock.ObjectLockConfiguration?.ObjectLockEnabled !== 'Enabled') {
      throw new CliError(`bucket ${bucket} is not an evidence bucket: Object Lock is not enabled`);
    }
    const retention = lock.ObjectLockConfiguration.Rule?.DefaultRetention;
    mode = retention?.Mode;
    days = retention?.Days ?? (retention?.Years === undefined ? undefined : retention.Years * 365);
  } catch (err) {
    if (err instanceof CliError) throw err;
    const name = readAwsError(err).code;
    if (name === 'NoSuchBucket')
      throw new CliError(`bucket ${bucket} does not exist (or is in another partition)`);
    if (name === 'ObjectLockConfigurationNotFoundError') {
      throw new CliError(`bucket ${bucket} is not an evidence bucket: Object Lock is not enabled`);
    }
    if (name !== 'AccessDenied') throw new CliError(`cannot check bucket ${bucket}: ${messageOf(err)}`);
    unreadable = 'its retention mode cannot be read (AccessDenied on s3:GetBucketObjectLockConfiguration)';
  }
  if (mode === 'GOVERNANCE' || options.unsigned) return;
  const what = unreadable ?? `its default retention is ${mode ?? 'not set'}`;
  const locked = mode === 'COMPLIANCE' ? `for ${days ?? 'the retention'} days` : 'for the retention period';
  throw new CliError(
    `refusing to write to bucket ${bucket}: ${what}, and evidence written with your own credentials is unsigned, so every later pull of that period exits 4 and, under COMPLIANCE retention, nobody can remove it ${locked}; run the deployed functions with 'soc2-evidence run <collector...>', or add --unsigned to write anyway`,
  );
}

export async function callerAccount(clients: ClientFactory): Promise<string> {
  try {
    const id = await clients.get(STSClient).send(new GetCallerIdentityCommand({}));
    if (!id.Account) throw new Error('GetCallerIdentity returned no account');
    return id.Account;
  } catch (err) {
    throw new CliError(`cannot identify the AWS account from your credentials: ${messageOf(err)}`);
  }
}

/** A run's status and counts, as `collect` and `run` print them. */
/**
 * A run's status as every reader takes it (`runOutcome`): a failed check is FAIL even when the run also
 * recorded errors, and then says so, `FAIL (incomplete)`. PARTIAL and ERROR are incomplete by definition.
 */
export function statusText(s: Pick<Summary, 'status' | 'failed' | 'complete'>): string {
  const outcome = runOutcome(s);
  return outcome.status === 'FAIL' && !outcome.complete ? 'FAIL (incomplete)' : outcome.status;
}

export function summaryText(s: Summary): string {
  return `${statusText(s).padEnd(8)} evaluated ${s.evaluated}, passed ${s.passed}, failed ${s.failed}, warnings ${s.warnings}`;
}

export function resultLine(r: RunResult): string {
  return [
    r.envelope.collector.padEnd(16),
    `${summaryText(r.envelope.summary)}, errors ${r.envelope.errors.length}`,
    ` ${r.envelopeObject.location}`,
  ].join(' ');
}

/** Runs the collectors once with the caller's credentials; returns the exit code (2 when any is ERROR). */
export async function collect(
  ids: readonly string[],
  options: CollectOptions,
  config: Soc2EvidenceConfig,
  out: (line: string) => void,
  clients = new ClientFactory(),
): Promise<number> {
  const collectors = selectCollectors(ids, options.all);
  const store = storeFor(options, clients);
  if (options.bucket)
    await checkEvidenceBucket(clients, options.bucket, { unsigned: options.unsigned === true });
  const settings = { ...collectorSettings(config), ...(options.regions ? { regions: options.regions } : {}) };
  const account = await callerAccount(clients);
  const memo = new Map<string, Promise<unknown>>();
  let exit = 0;
  for (const collector of collectors) {
    const schedule = config.schedules[collector.id];
    const result = await runCollector(collector, {
      clients,
      store,
      account,
      settings,
      memo,
      ...(schedule ? { schedule: { expression: schedule.cron, timeZone: schedule.timeZone } } : {}),
    });
    out(resultLine(result));
    for (const e of result.envelope.errors) out(`  error ${e.region} ${e.api} ${e.code}: ${e.message}`);
    if (runOutcome(result.envelope.summary).status === 'ERROR') exit = 2;
  }
  return exit;
}
