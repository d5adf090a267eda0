/**
 * `pull`: a period of evidence into a self-checking package. The steps, one module each: list every
 * version of each day's evidence and digests, and the digest before the period (list.ts), download what an
 * earlier pull did not already fetch and re-read the facts of what it did (download.ts, resume.ts), check
 * every object against the trust anchor (assess.ts) and its day's digest (custody.ts), judge coverage
 * (coverage.ts), write the package (../package/write-package.ts) and print (report.ts).
 */
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { mapWithConcurrency } from '../../lambdas/aws/concurrency';
import { messageOf, readAwsError } from '../../lambdas/aws/aws-error';
import { daysBetween } from '../../lambdas/evidence/coverage';
import { s3Reader } from '../../lambdas/evidence/read-store';
import { PRODUCER } from '../../lambdas/producer';
import { CliError } from '../cli-error';
import {
  EXIT_GAPS,
  EXIT_INTEGRITY,
  periodReportSummary,
  type FetchedObject,
  type Manifest,
} from '../package/manifest';
import { periodInputOf } from '../period/from-package';
import { DEFAULT_SLA, type PeriodReport } from '../period/model';
import { buildPeriodReport } from '../period/report';
import { silentProgress } from '../package/progress';
import { writePackage } from '../package/write-package';
import { assessAll } from './assess';
import { accountListsOf, coverageFor } from './coverage';
import { download } from './download';
import { hubsOf, listAcceptancesBefore, listDigestsBefore, listPeriod, type Listed } from './list';
import { MAX_ACCEPTANCE_DAYS } from '../../lambdas/risk-register/decision';

import { parseDigestKey } from '../../lambdas/evidence/digest';
import { parseEvidenceKey } from '../../lambdas/evidence/keys';
import { accountFilterFields, accountFilterOf, type PullDeps, type PullOptions } from './options';
import { loadTrustAnchor } from '../trust/load';
import { trustedKeyFiles, trustSummary } from '../trust/trust-file';
import { reportLines } from './report';
import { ResumeLog } from './resume';

/** How far back pull looks for acceptances still in force: the longest one may run. */
export const ACCEPTANCE_LOOKBACK_DAYS = MAX_ACCEPTANCE_DAYS;

function periodDays(options: PullOptions): string[] {
  try {
    return daysBetween(options.from, options.to);
  } catch (err) {
    throw new CliError(`--from/--to: ${messageOf(err)}`);
  }
}

/**
 * The accounts of the listed keys (`--account`'s, and the hubs whose account lists the package holds, when
 * given): whose digest chains the package holds.
 */
function accountsOf(listed: readonly Listed[], options: PullOptions): Set<string> {
  const filter = accountFilterOf(options);
  if (filter) return new Set([...filter, ...hubsOf(listed.map((l) => l.key))]);
  const accounts = new Set<string>();
  for (const { key } of listed) {
    const account = parseDigestKey(key)?.account ?? parseEvidenceKey(key)?.account;
    if (account) accounts.add(account);
  }
  return accounts;
}

async function listOrExplain(options: PullOptions, deps: PullDeps, days: string[]): Promise<Listed[]> {
  const reader = s3Reader(deps.s3, options.bucket);
  let what = 'evidence/ and digests/';
  try {
    const listed = await listPeriod(reader, days, options, deps.concurrency ?? 8);
    what = 'digests/ before --from';
    const accounts = accountsOf(listed, options);
    const linked = await listDigestsBefore(reader, options.from, accounts);
    what = `risk acceptances and digests of the ${ACCEPTANCE_LOOKBACK_DAYS} days before --from`;
    const earlier = await listAcceptancesBefore(
      reader,
      options.from,
      ACCEPTANCE_LOOKBACK_DAYS,
      accounts,
      options,
      deps.concurrency ?? 8,
    );
    // A key listed twice (the digest before --from may also seal an acceptance) is one object.
    const seen = new Set<string>();
    return [...linked, ...earlier, ...listed].filter((l) => !seen.has(l.key) && seen.add(l.key));
  } catch (err) {
    const e = readAwsError(err);
    throw new CliError(`cannot list s3://${options.bucket}/ (${what}): ${e.code}: ${e.message}`);
  }
}

/**
 * A note per day of the period that an account's chain does not seal: after the account's latest digest it
 * is not sealed yet (its runs count once it is: pull again); before it, the digest is missing, since the
 * sealer seals days in order. Either way the day's objects prove no run (custody.ts, coverage.ts).
 */
function unsealedNotes(
  days: readonly string[],
  keys: readonly string[],
  only?: ReadonlySet<string>,
): string[] {
  const sealed = new Map<string, string[]>();
  for (const key of keys) {
    const account = parseDigestKey(key)?.account ?? parseEvidenceKey(key)?.account;
    if (account && (!only || only.has(account)) && !sealed.has(account)) sealed.set(account, []);
    const digest = parseDigestKey(key);
    if (digest && sealed.has(digest.account)) sealed.get(digest.account)!.push(digest.date);
  }
  for (const account of only ?? []) if (!sealed.has(account)) sealed.set(account, []);
  const notYet = new Map<string, string[]>();
  const notes: string[] = [];
  for (const [account, dates] of [...sealed].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const chained = new Set(dates);
    const first = [...dates].sort()[0];
    const latest = [...dates].sort().at(-1);
    for (const day of days) {
      if (chained.has(day) || (first !== undefined && day < first)) continue;
      if (latest !== undefined && day < latest)
        notes.push(
          `${day}: no digest seals account ${account}, yet ${latest} is sealed and the sealer seals days in order: nothing of that day is proven`,
        );
      else notYet.set(day, [...(notYet.get(day) ?? []), account]);
    }
  }
  for (const [day, accounts] of [...notYet].sort(([a], [b]) => (a < b ? -1 : 1)))
    notes.push(
      `${day}: not sealed yet: pull again after 00:30 UTC the day after (no digest for account ${accounts.join(', ')}; its objects prove no run until then)`,
    );
  return notes;
}

/** Downloads what the resume log cannot vouch for; returns the records and how many were reused. */
async function fetchAll(
  options: PullOptions,
  deps: PullDeps,
  root: string,
  listed: readonly Listed[],
  log: ResumeLog,
): Promise<{ fetched: FetchedObject[]; reused: number }> {
  const reader = s3Reader(deps.s3, options.bucket);
  const progress = deps.progress ?? silentProgress;
  progress.start(listed.length);
  let reused = 0;
  const fetched = await mapWithConcurrency(listed, deps.concurrency ?? 8, async (l) => {
    let record = await log.reusable(reader, l);
    if (record) reused++;
    else {
      record = await download(reader, root, l);
      await log.record(record);
    }
    progress.tick(record.bytes);
    // Versions come from this listing, never from a previous pull's record.
    const { otherVersions: _previous, ...current } = record;
    return l.otherVersions.length > 0 ? { ...current, otherVersions: l.otherVersions } : current;
  });
  progress.done();
  return { fetched, reused };
}

/**
 * Pulls a period of evidence into a self-checking package. Returns the exit code: 0 when everything holds,
 * 3 when an expected run left no evidence (or only an ERROR envelope), 4 when any object failed an
 * integrity check (this wins over 3).
 */
export async function pull(options: PullOptions, deps: PullDeps): Promise<number> {
  return (await pullPackage(options, deps)).exitCode;
}

/** What `pullPackage` wrote: its manifest, its period report and the exit code `pull` returns. */
export interface PulledPackage {
  readonly root: string;
  readonly manifest: Manifest;
  readonly period: PeriodReport;
  readonly exitCode: number;
}

/** `pull`, returning what it wrote as well (the `report` command prints the period report from it). */
export async function pullPackage(options: PullOptions, deps: PullDeps): Promise<PulledPackage> {
  const days = periodDays(options);
  const anchor = loadTrustAnchor('pull', options);
  const root = resolve(options.out);
  await mkdir(root, { recursive: true });
  const listed = await listOrExplain(options, deps, days);
  const log = await ResumeLog.open(root);
  const { fetched, reused } = await fetchAll(options, deps, root, listed, log);

  const { objects, findings, parsed } = await assessAll(root, fetched, anchor);
  const lists = accountListsOf(options, objects, (key) => parsed.get(key));
  const { sections, reports, accountLists, gaps } = coverageFor(options, objects, lists);
  const period = buildPeriodReport(
    periodInputOf({
      from: options.from,
      to: options.to,
      objects,
      parsed,
      reports,
      sla: options.sla ?? DEFAULT_SLA,
      ...(options.collector?.length ? { collectors: options.collector } : {}),
    }),
  );
  const manifest: Manifest = {
    schemaVersion: 1,
    producer: { name: PRODUCER.name, version: PRODUCER.version },
    generatedAt: (deps.now ?? (() => new Date()))().toISOString(),
    bucket: options.bucket,
    period: { from: options.from, to: options.to },
    filters: {
      ...(options.collector?.length ? { collectors: [...options.collector] } : {}),
      ...accountFilterFields(accountFilterOf(options)),
    },
    trust: trustSummary(anchor),
    objects,
    coverage: sections,
    ...(accountLists ? { accountLists } : {}),
    periodReport: periodReportSummary(period),
    summary: {
      objects: objects.length,
      integrityProblems: objects.filter((o) => o.problems.length > 0).length,
      gaps,
    },
  };
  await writePackage(root, manifest, reports, trustedKeyFiles(anchor), findings, period);
  await log.close();

  const filter = accountFilterOf(options);
  const notes = unsealedNotes(
    days,
    objects.map((o) => o.key),
    filter ? new Set([...filter, ...(accountLists?.hubs ?? [])]) : undefined,
  );
  for (const line of reportLines(manifest, notes, root, reused)) deps.out(line);
  const exitCode =
    manifest.summary.integrityProblems > 0 ? EXIT_INTEGRITY : manifest.summary.gaps > 0 ? EXIT_GAPS : 0;
  return { root, manifest, period, exitCode };
}
