import { exceptionBreakdown } from './package/manifest';
import type { SlaPolicy } from './period/model';
import { slaPolicy, slaText } from './period/sla-option';
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { accountIds, checkInputDir, collectorIds, isoDay } from './arguments';
import { CliError } from './cli-error';
import { EXIT_GAPS, EXIT_INTEGRITY, MANIFEST_FILE, SUMS_FILE, type Manifest } from './package/manifest';
import { loadTrustAnchor, type TrustOptions } from './trust/load';
import type { TrustAnchor } from './trust/trust-file';
import { checkChain } from './verify/chain';
import { VerifyContext } from './verify/context';
import { MalformedPackage, parseManifest } from './verify/manifest-shape';
import { checkObjects } from './verify/objects';
import { Problems } from './verify/problems';
import { checkScopeArguments, PERIOD_NOT_CHECKED, scopeProblems, type VerifyScope } from './verify/scope';
import { accountFilterFields, accountFilterOf } from './pull/options';
import { accountListGapLine } from './pull/report';
import { checkKeyFiles, checkSums, checkViews, recompute } from './verify/views';
import { readExactly, UnreadableFile, walkPackage, type PackageTree } from './verify/walk';

/** What `verify <dir>` expects. */
const PACKAGE_FORM = `the package directory written by pull (with ${MANIFEST_FILE} and ${SUMS_FILE})`;

/** manifest.json and SHA256SUMS are read whole: past this size they are refused, not read. */
const MAX_TOP_FILE = 256 * 1024 * 1024;

export interface VerifyOptions extends TrustOptions {
  /**
   * The period and filters the auditor asked for (`--from`, `--to`, `--collector`, `--account`), which the
   * package's manifest must match. The command always passes it (with nothing in it when no option was
   * given: then any filter in the package is a problem and the period is said to be unchecked). Absent, the
   * package's own period and filters are taken as given: only for callers that made the package themselves.
   */
  readonly scope?: VerifyScope;
}

/** Said whenever the anchor is `--public-key` keys: they stand for every producer. */
export const UNBOUND_LINE =
  "signatures were not bound to producers: a --public-key key is trusted for every producer, so one producer's key passes for another's; pin the keys with 'soc2-evidence pin' and pass --trust to bind each to its producer";

/** A top-level file verify must read whole (manifest.json, SHA256SUMS): a regular file of bounded size. */
async function readTopFile(root: string, tree: PackageTree, name: string): Promise<Buffer> {
  const kind = tree.special.get(name);
  if (kind) throw new MalformedPackage(`${name} is ${kind}; verify never follows or opens it`);
  const size = tree.files.get(name);
  if (size === undefined)
    throw new MalformedPackage(`not an evidence package: it has no ${name}; expected ${PACKAGE_FORM}`);
  if (size > MAX_TOP_FILE)
    throw new MalformedPackage(`${name} is ${size} bytes, more than verify reads (${MAX_TOP_FILE})`);
  try {
    return await readExactly(root, name, size);
  } catch (err) {
    if (err instanceof UnreadableFile) throw new MalformedPackage(`${name} ${err.message}`);
    throw err;
  }
}

function filterLine(manifest: Manifest): string {
  const { collectors } = manifest.filters;
  const accounts = accountFilterOf(manifest.filters);
  const parts = [
    collectors?.length ? `collectors ${collectors.join(', ')}` : undefined,
    accounts
      ? `${accounts.length === 1 ? 'account' : 'accounts'} ${accounts.join(', ')}${manifest.accountLists ? ' (with the account lists of every account)' : ''}`
      : undefined,
  ].filter(Boolean);
  return `the package covers ${manifest.period.from} to ${manifest.period.to}, ${
    parts.length ? `filtered by pull to ${parts.join(' and ')}` : 'unfiltered (every object of the period)'
  }`;
}

async function verifyPackage(
  root: string,
  anchor: TrustAnchor,
  scope: VerifyScope | undefined,
  out: (line: string) => void,
): Promise<number> {
  const tree = await walkPackage(root);
  const manifestBody = await readTopFile(root, tree, MANIFEST_FILE);
  const manifest = parseManifest(manifestBody.toString('utf8'));
  // The scope first: a package of another period or narrower filters is not the one asked for, whatever
  // its files prove, so that is said alone and nothing else is read.
  const outOfScope = scope ? scopeProblems(manifest, scope) : [];
  if (outOfScope.length > 0) {
    for (const line of outOfScope) out(line);
    out(filterLine(manifest));
    out(
      `NOT VERIFIED: ${outOfScope.length} integrity problem(s): the package is not the period and filters you asked for, so nothing in it was checked, in ${root}`,
    );
    return EXIT_INTEGRITY;
  }
  const sumsBody = await readTopFile(root, tree, SUMS_FILE);
  const sums = sumsBody.toString('utf8');
  const problems = new Problems();
  for (const [path, kind] of tree.special)
    problems.integrity(`${path}: is ${kind}; verify never follows or opens it`);
  const ctx = new VerifyContext(root, tree, manifest, anchor, problems);
  ctx.bodies.set(MANIFEST_FILE, manifestBody);
  ctx.bodies.set(SUMS_FILE, sumsBody);

  const chain = await checkChain(ctx);
  const runs = await checkObjects(ctx, chain);
  const recomputed = recompute(manifest, runs);
  const { notes, periodReport } = await checkViews(ctx, recomputed);
  await checkKeyFiles(ctx);
  checkSums(ctx, sums, ctx.missing);

  for (const line of problems.all) out(line);
  for (const s of recomputed.sections)
    for (const g of s.gaps) out(`gap ${g.collector} account ${s.account} ${g.date}: ${g.status}`);
  for (const m of recomputed.accountLists?.missing ?? []) out(accountListGapLine(m));
  for (const note of notes) out(`note: ${note}`);
  out(filterLine(manifest));
  if (scope && scope.from === undefined) out(PERIOD_NOT_CHECKED);
  out(`signatures were judged against the trust anchor: ${anchor.source}`);
  out(
    `period report: remediation SLA ${slaText(manifest.periodReport.sla)} (${scope?.sla ? 'as you passed with --sla' : 'chosen when the package was pulled; pass --sla to check it'}); ${periodReport ? exceptionBreakdown(periodReport) : `${exceptionBreakdown(manifest.periodReport)} as ${MANIFEST_FILE} states (not recomputed)`}`,
  );
  if (anchor.unbound.length > 0) out(UNBOUND_LINE);
  const integrity = problems.count('integrity');
  const other = problems.count('gap');
  const digests = [...chain.digests.values()].filter((d) => d.proven).length;
  const counts = `${integrity} integrity problem(s), ${other} unsealed day(s) or late object(s), ${recomputed.gaps} gap(s)`;
  if (integrity > 0) {
    out(`NOT VERIFIED: ${counts} in ${root}`);
    return EXIT_INTEGRITY;
  }
  if (other > 0 || recomputed.gaps > 0) {
    out(
      `verified with gaps: ${counts}; ${runs.length} runs proven by ${digests} digest(s) and their signatures in ${root}`,
    );
    return EXIT_GAPS;
  }
  out(
    `verified: ${runs.length} runs proven by ${digests} digest(s), every file accounted for, every signature and view holds, no gap in ${root}`,
  );
  return 0;
}

/**
 * Re-checks a pulled package offline, trusting nothing it cannot prove: the daily digests (signed by the
 * pinned sealer key, chained, one per day and account) say what the period holds; every file must be
 * accounted for by them and every object they list present with their SHA-256 and its producer's
 * signature; coverage and gaps are recomputed from the envelopes that passed every check, and
 * manifest.json, coverage.csv and index.html must agree with that recomputation. The package's period and
 * filters must be the ones the auditor asked for (`options.scope`), checked before anything else. Prints one
 * line per problem, then the gaps, then a summary; returns 4 on any integrity problem, else 3 on any gap or
 * unsealed day, else 0.
 */
export async function verify(
  dir: string,
  options: VerifyOptions,
  out: (line: string) => void,
): Promise<number> {
  // The arguments in order, each mistake named as itself: the directory, the period, then the trust anchor.
  const root = checkInputDir('verify', dir, PACKAGE_FORM);
  if (![MANIFEST_FILE, SUMS_FILE].some((f) => existsSync(join(root, f))))
    throw new CliError(
      `verify ${dir} is not an evidence package: it has no ${MANIFEST_FILE} or ${SUMS_FILE}; expected the package directory written by pull`,
    );
  if (options.scope) checkScopeArguments(options.scope);
  const anchor = loadTrustAnchor('verify', options);
  try {
    return await verifyPackage(root, anchor, options.scope, out);
  } catch (err) {
    if (!(err instanceof MalformedPackage)) throw err;
    out(`${dir}: ${err.message}`);
    return EXIT_INTEGRITY;
  }
}

/** The `verify` command. */
export function registerVerify(program: Command, out: (line: string) => void): void {
  program
    .command('verify')
    .description(
      'Re-check a pulled package offline against the digest chain and your trust anchor: every file accounted for, every signature, coverage recomputed. ' +
        'The package must hold the period and filters you asked for (--from/--to, --collector, --account): its manifest is written by whoever hands it over. ' +
        'Exit 4 on an integrity problem (a period or filter other than asked for is one), 3 on a gap.',
    )
    .argument('<dir>', 'the package directory written by pull')
    .option(
      '--from <date>',
      'first UTC day you asked for, YYYY-MM-DD: the package must cover exactly --from to --to (without them the period is not checked)',
      isoDay,
    )
    .option('--to <date>', 'last UTC day you asked for, YYYY-MM-DD', isoDay)
    .option(
      '--collector <id>',
      'a collector you asked for (repeat for more): a package filtered by collector is accepted only with exactly its collectors',
      collectorIds,
    )
    .option(
      '--account <id>',
      'the 12-digit account you asked for, or several comma-separated, or all (the default): a package filtered by account is accepted only with exactly these',
      accountIds,
    )
    .option(
      '--sla <days>',
      'the remediation SLA you expect the period report to judge by, e.g. critical=7,high=30,medium=90: a package pulled with another --sla is refused (without it the SLA is printed, not checked)',
      slaPolicy,
    )
    .option('--trust <file>', "the producers' signing keys you pinned with 'soc2-evidence pin'")
    .option(
      '--public-key <file>',
      "a PEM public key from 'aws kms get-public-key', trusted for every producer, so signatures are not bound to producers (repeatable; alone, never beside --trust)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .action(
      async (
        dir: string,
        opts: TrustOptions & {
          from?: string;
          to?: string;
          collector?: string[];
          account?: string[];
          sla?: SlaPolicy;
        },
      ) => {
        const { from, to, collector, account, sla, trust, publicKey } = opts;
        process.exitCode = await verify(
          dir,
          {
            trust,
            publicKey,
            scope: { from, to, collector, ...accountFilterFields(account), ...(sla ? { sla } : {}) },
          },
          out,
        );
      },
    );
}
