import { canonicalJson, sha256Hex } from '../../lambdas/evidence/canonical-json';
import { publicKeyFrom } from '../../lambdas/evidence/signer';
import { renderIndexHtml, type AccountCoverage } from '../package/index-html';
import {
  COVERAGE_FILE,
  EXCEPTIONS_FILE,
  INDEX_FILE,
  MANIFEST_FILE,
  OSCAL_FILE,
  parseSums,
  periodReportSummary,
  type PeriodReportSummary,
  exceptionBreakdown,
  SUMS_FILE,
  type AccountListCoverage,
  type CoverageSection,
  type FetchedObject,
  type Manifest,
  type ManifestObject,
} from '../package/manifest';
import { coverageCsv, packageOscal } from '../package/write-package';
import { periodInputOf } from '../period/from-package';
import { exceptionsCsv } from '../period/exceptions-csv';
import { buildPeriodReport } from '../period/report';
import { assessAll, type Assessed } from '../pull/assess';
import { accountListsOf, coverageFor } from '../pull/coverage';
import { accountFilterFields, accountFilterOf } from '../pull/options';
import type { VerifyContext } from './context';
import { KEY_FILE, type ProvenRun } from './objects';

/** What verify recomputed from the runs it proved. */
export interface Recomputed {
  readonly sections: readonly CoverageSection[];
  readonly reports: readonly AccountCoverage[];
  /** Organization mode: the proven account lists and the scheduled days left without one. */
  readonly accountLists?: AccountListCoverage;
  readonly gaps: number;
}

/**
 * Coverage from the proven runs alone, by pull's own `coverageFor`. In organization mode the account lists
 * are read from the envelopes verify proved (signed, sealed, under their own key): an account a proven list
 * had in scope without a proven envelope of the day is a gap, and a scheduled day without a proven list is
 * one too (a list withheld from the package is also an integrity problem when its day's digest lists it).
 */
export function recompute(manifest: Manifest, runs: readonly ProvenRun[]): Recomputed {
  const options = {
    from: manifest.period.from,
    to: manifest.period.to,
    ...(manifest.filters.collectors ? { collector: manifest.filters.collectors } : {}),
    ...accountFilterFields(accountFilterOf(manifest.filters)),
  };
  const envelopes = new Map(runs.flatMap((r) => (r.listEnvelope ? [[r.key, r.listEnvelope] as const] : [])));
  const lists = accountListsOf(options, runs, (key) => envelopes.get(key));
  const { sections, reports, accountLists, gaps } = coverageFor(options, runs, lists);
  return { sections, reports, ...(accountLists ? { accountLists } : {}), gaps };
}

/** The fields of a manifest object that pull judged (everything else is what S3 returned). */
const JUDGED = new Set([
  'kind',
  'collector',
  'account',
  'region',
  'date',
  'status',
  'complete',
  'controls',
  'schedule',
]);
const JUDGED_TOO = new Set(['checks', 'problems', 'warnings']);

function fetchedOf(o: ManifestObject): FetchedObject {
  return Object.fromEntries(
    Object.entries(o).filter(([k]) => !JUDGED.has(k) && !JUDGED_TOO.has(k)),
  ) as unknown as FetchedObject;
}

/**
 * pull's judgement of every object the manifest records, made again from the bytes verify read and the
 * auditor's anchor, by pull's own `assessAll`, given those bytes in memory: it never opens a file of the
 * package itself. Undefined when a listed object's bytes could not be read (that is already a problem).
 */
async function reassess(ctx: VerifyContext): Promise<Assessed | undefined> {
  const fetched = ctx.manifest.objects.map(fetchedOf);
  for (const f of fetched) {
    if (f.downloadError) continue;
    if (!ctx.bodies.has(f.key)) await ctx.read(f.key, f.bytes, MANIFEST_FILE);
    if (!ctx.bodies.has(f.key)) return undefined;
  }
  return assessAll(ctx.bodies, fetched, ctx.anchor);
}

const gapNames = (sections: readonly CoverageSection[]) =>
  sections.flatMap((s) => s.gaps.map((g) => `${g.collector} account ${s.account} ${g.date} ${g.status}`));

function listed(names: readonly string[]): string {
  if (names.length === 0) return 'none';
  return names.length > 4
    ? `${names.slice(0, 4).join('; ')}; and ${names.length - 4} more`
    : names.join('; ');
}

function listsText(lists: AccountListCoverage | undefined): string {
  if (!lists) return 'none: single-account mode';
  const missing = lists.missing.map((m) => `${m.collector} ${m.date}${m.status ? ` ${m.status}` : ''}`);
  return `${lists.lists} list(s) of hub ${lists.hubs.join(', ')}, missing: ${listed(missing)}`;
}

/** A view file against the text verify renders: sizes first, so a file is never read past that length. */
async function compareView(ctx: VerifyContext, path: string, expected: string, what: string): Promise<void> {
  const size = ctx.tree.files.get(path);
  if (size === undefined) {
    if (!ctx.tree.special.has(path)) ctx.problems.integrity(`${path}: missing (the package's ${what})`);
    return;
  }
  const want = Buffer.from(expected, 'utf8');
  const differs = `${path}: differs from the ${what} rendered from the verified evidence`;
  if (size !== want.length) {
    ctx.problems.integrity(`${differs} (${size} bytes, the rendering has ${want.length})`);
    return;
  }
  const body = await ctx.read(path, size, 'its rendering');
  if (!body || body.equals(want)) return;
  const got = body.toString('utf8').split('\n');
  const line = expected.split('\n').findIndex((l, i) => l !== got[i]);
  ctx.problems.integrity(`${differs} (first at line ${line + 1})`);
}

/** The manifest's records, coverage and summary against the recomputation. */
function compareManifest(
  ctx: VerifyContext,
  recomputed: Recomputed,
  objects: readonly ManifestObject[] | undefined,
): Manifest['summary'] | undefined {
  const { manifest, problems } = ctx;
  if (canonicalJson(manifest.coverage) !== canonicalJson(recomputed.sections)) {
    const claimed = gapNames(manifest.coverage);
    const found = gapNames(recomputed.sections);
    problems.integrity(
      canonicalJson(claimed) !== canonicalJson(found)
        ? `${MANIFEST_FILE}: its coverage lists gaps: ${listed(claimed)}; the verified envelopes leave: ${listed(found)}`
        : `${MANIFEST_FILE}: its coverage (schedules, partial days or rows) differs from the one recomputed from the verified envelopes`,
    );
  }
  if (canonicalJson(manifest.accountLists ?? null) !== canonicalJson(recomputed.accountLists ?? null))
    problems.integrity(
      `${MANIFEST_FILE}: its account lists (${listsText(manifest.accountLists)}) differ from those the verified envelopes give (${listsText(recomputed.accountLists)})`,
    );
  if (!objects) {
    if (manifest.summary.gaps !== recomputed.gaps)
      problems.integrity(
        `${MANIFEST_FILE}: its summary counts ${manifest.summary.gaps} gap(s), the verified envelopes leave ${recomputed.gaps}`,
      );
    return undefined;
  }
  const again = new Map(objects.map((o) => [o.key, o]));
  for (const o of manifest.objects) {
    const fresh = again.get(o.key);
    // An object whose own problem is already said: its stale record is that problem, not another.
    if (!fresh || problems.mentions(o.key)) continue;
    const fields = [...new Set([...Object.keys(o), ...Object.keys(fresh)])].filter(
      (k) =>
        canonicalJson((o as unknown as Record<string, unknown>)[k] ?? null) !==
        canonicalJson((fresh as unknown as Record<string, unknown>)[k] ?? null),
    );
    if (fields.length > 0)
      problems.integrity(
        `${MANIFEST_FILE}: its record of ${o.key} differs from pull's judgement made again from the bytes (${fields.sort().join(', ')})`,
      );
  }
  const summary = {
    objects: objects.length,
    integrityProblems: objects.filter((o) => o.problems.length > 0).length,
    gaps: recomputed.gaps,
  };
  const s = manifest.summary;
  if (
    s.objects !== summary.objects ||
    s.integrityProblems !== summary.integrityProblems ||
    s.gaps !== summary.gaps
  )
    problems.integrity(
      `${MANIFEST_FILE}: its summary counts ${s.objects} objects, ${s.integrityProblems} with problems and ${s.gaps} gap(s); recomputed: ${summary.objects}, ${summary.integrityProblems} and ${summary.gaps}`,
    );
  return summary;
}

/**
 * manifest.json, coverage.csv and index.html are views: each must agree with what verify recomputed from the
 * evidence it proved. Returns notes on what could not be compared.
 */
export async function checkViews(
  ctx: VerifyContext,
  recomputed: Recomputed,
): Promise<{ notes: string[]; periodReport?: PeriodReportSummary }> {
  const notes: string[] = [];
  await compareView(ctx, COVERAGE_FILE, coverageCsv(recomputed.reports), 'coverage');
  const again = await reassess(ctx);
  const summary = compareManifest(ctx, recomputed, again?.objects);
  if (!again || !summary) {
    notes.push(
      `${INDEX_FILE}, ${EXCEPTIONS_FILE} and ${OSCAL_FILE} were not compared: objects ${MANIFEST_FILE} lists could not be read, so they cannot be rendered again`,
    );
    return { notes };
  }
  // The period report, computed again from the evidence verify proved, by the SLA the package states.
  const period = buildPeriodReport(
    periodInputOf({
      from: ctx.manifest.period.from,
      to: ctx.manifest.period.to,
      objects: again.objects,
      parsed: again.parsed,
      reports: recomputed.reports,
      sla: ctx.manifest.periodReport.sla,
      ...(ctx.manifest.filters.collectors ? { collectors: ctx.manifest.filters.collectors } : {}),
    }),
  );
  const periodSummary = periodReportSummary(period);
  if (canonicalJson(ctx.manifest.periodReport) !== canonicalJson(periodSummary)) {
    ctx.problems.integrity(
      `${MANIFEST_FILE}: its period report counts ${exceptionBreakdown(ctx.manifest.periodReport)}; the verified evidence gives ${exceptionBreakdown(periodSummary)}`,
    );
  }
  const { accountLists: _claimed, ...claimed } = ctx.manifest;
  const manifest = {
    ...claimed,
    ...(recomputed.accountLists ? { accountLists: recomputed.accountLists } : {}),
    objects: again.objects,
    coverage: recomputed.sections,
    periodReport: periodSummary,
    summary,
  };
  await compareView(ctx, EXCEPTIONS_FILE, exceptionsCsv(period), 'period report (exceptions)');
  let oscal: string | undefined;
  try {
    oscal = packageOscal(manifest, period);
  } catch (err) {
    // Only the manifest's own fields (generatedAt, bucket, version) can make it throw: a tampered manifest.
    ctx.problems.integrity(
      `${OSCAL_FILE}: cannot be rendered again from ${MANIFEST_FILE} (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  if (oscal !== undefined) await compareView(ctx, OSCAL_FILE, oscal, 'OSCAL assessment results');
  let html: string;
  try {
    html = renderIndexHtml(manifest, recomputed.reports, again.findings, period);
  } catch {
    notes.push(`${INDEX_FILE} was not compared: the page cannot be rendered from ${MANIFEST_FILE}`);
    return { notes };
  }
  await compareView(ctx, INDEX_FILE, html, 'page');
  return { notes, periodReport: periodSummary };
}

/** Every line of SHA256SUMS must match; a file it leaves out is not what decides (the digest chain does). */
export function checkSums(ctx: VerifyContext, sumsText: string, missing: ReadonlySet<string>): void {
  const sums = parseSums(sumsText);
  for (const p of sums.problems) ctx.problems.integrity(p);
  for (const [path, expected] of sums.entries) {
    if (ctx.tree.special.has(path) || missing.has(path)) continue;
    if (!ctx.tree.files.has(path)) {
      ctx.problems.integrity(`${SUMS_FILE}: lists ${path}, which is not in the package`);
      continue;
    }
    const got = ctx.sha256Of(path);
    if (got !== undefined && got !== expected)
      ctx.problems.integrity(`${path}: SHA-256 ${got} differs from ${SUMS_FILE} (${expected})`);
  }
}

const MAX_KEY_FILE = 64 * 1024;

/** keys/*.pem are copies for checking by hand: each must be a key the auditor's anchor trusts for its name. */
export async function checkKeyFiles(ctx: VerifyContext): Promise<void> {
  const der = (k: { export(o: { type: 'spki'; format: 'der' }): Buffer }) =>
    k.export({ type: 'spki', format: 'der' }).toString('hex');
  for (const [path, size] of ctx.tree.files) {
    if (!KEY_FILE.test(path)) continue;
    const name = path.slice('keys/'.length, -'.pem'.length);
    const pinned = ctx.anchor.producers.get(name);
    const trusted = pinned
      ? [der(pinned.key)]
      : [...ctx.anchor.unbound, ...[...ctx.anchor.producers.values()].map((p) => p.key)].map(der);
    const whose = pinned ? `the key the trust anchor pins for ${name}` : 'a key of the trust anchor';
    if (size > MAX_KEY_FILE) {
      ctx.problems.integrity(`${path}: ${size} bytes, too large for a public key: not read`);
      continue;
    }
    const body = await ctx.read(path, size, 'the walk');
    if (!body) continue;
    let key: string | undefined;
    try {
      key = der(publicKeyFrom(body));
    } catch {
      key = undefined;
    }
    if (!key || !trusted.includes(key))
      ctx.problems.integrity(
        `${path}: not ${whose} (${ctx.anchor.source}): a check by hand with it proves nothing (SHA-256 ${sha256Hex(body)})`,
      );
  }
}
