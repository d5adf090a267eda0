import { accountWanted, collectorWanted } from '../pull/list';
import { accountFilterOf } from '../pull/options';
import { ACCOUNTS_KIND } from '../../lambdas/organization/contract';
import { sha256Hex } from '../../lambdas/evidence/canonical-json';
import { daysBetween } from '../../lambdas/evidence/coverage';
import {
  DIGEST_PREFIX,
  digestKey,
  parseDigestKey,
  SEAL_DELAY_MS,
  type Digest,
  type DigestEntry,
} from '../../lambdas/evidence/digest';
import { parseEvidenceKey } from '../../lambdas/evidence/keys';
import { addDays } from '../../lambdas/sealer/day-digest';
import { RISK_ACCEPTANCE_KIND } from '../../lambdas/evidence/risk-acceptance';
import { checkDigest } from '../../lambdas/evidence/digest-check';
import { SEALER_PRODUCER } from '../../lambdas/evidence/producers';
import { judgeSignature } from '../../lambdas/evidence/signature-check';
import { signatureProblem } from '../package/checks';
import { MANIFEST_FILE } from '../package/manifest';
import type { VerifyContext } from './context';

const DAY_MS = 86_400_000;

/** The newest day the sealer could have sealed by `at` (a day is sealed SEAL_DELAY_MS after it ends). */
function lastSealedDay(at: Date): string {
  const t = at.getTime() - SEAL_DELAY_MS;
  return addDays(new Date(t - (t % DAY_MS)).toISOString().slice(0, 10), -1);
}

/** One digest file of the package that parsed as a digest. */
export interface ChainDigest {
  readonly key: string;
  readonly digest: Digest;
  readonly sha256: string;
  /** Signed by the pinned sealer key, canonical and bound to its key. */
  readonly proven: boolean;
}

/** An object a digest of the period lists, within the pull's filters. */
export interface Listed {
  readonly entry: DigestEntry;
  readonly digestKey: string;
  /** Whether the listing digest is proven: only then can the object prove a run. */
  readonly proven: boolean;
}

export interface ChainResult {
  readonly digests: ReadonlyMap<string, ChainDigest>;
  /** Object key → the digest entry that lists it. */
  readonly listed: ReadonlyMap<string, Listed>;
  /** Days of the period not sealed when the package was pulled, each with the accounts lacking a digest. */
  readonly unsealed: ReadonlyMap<string, readonly string[]>;
  readonly accounts: readonly string[];
}

/** Whether `key` is within the pull's filters (the rule pull lists by: `collectorWanted`). */
export function withinFilters(key: string, filters: VerifyContext['manifest']['filters']): boolean {
  const parsed = parseEvidenceKey(key);
  const accounts = accountFilterOf(filters);
  if (!parsed) return !filters.collectors?.length && !accounts;
  if (!collectorWanted(parsed.collector, filters.collectors)) return false;
  return accountWanted(parsed.collector, parsed.account, accounts);
}

/**
 * The hubs of an account-filtered package: accounts whose digests of the period list account lists (or that
 * manifest.json says wrote them: a claim that can only add digests to require). Their chains must be whole,
 * since their account lists say which accounts were expected.
 */
function hubsOf(ctx: VerifyContext, digests: ReadonlyMap<string, ChainDigest>): string[] {
  const { period, accountLists } = ctx.manifest;
  const hubs = new Set(accountLists?.hubs ?? []);
  for (const d of digests.values()) {
    if (d.digest.date < period.from || d.digest.date > period.to) continue;
    if (d.digest.objects.some((e) => parseEvidenceKey(e.key)?.collector === ACCOUNTS_KIND))
      hubs.add(d.digest.account);
  }
  return [...hubs];
}

/** Reads and judges every digest file of the package; returns those that parsed as digests. */
async function readDigests(ctx: VerifyContext): Promise<Map<string, ChainDigest>> {
  const out = new Map<string, ChainDigest>();
  for (const [path] of ctx.tree.files) {
    if (!path.startsWith(DIGEST_PREFIX) || !parseDigestKey(path)) continue;
    const recorded = ctx.byKey.get(path);
    if (!recorded) {
      ctx.problems.integrity(
        `${path}: not listed in ${MANIFEST_FILE}, so it carries no signature to check: the digest proves nothing`,
      );
      continue;
    }
    const body = await ctx.read(path, recorded.bytes, MANIFEST_FILE);
    if (!body) continue;
    const sha256 = sha256Hex(body);
    let proven = true;
    const issue = signatureProblem(
      path,
      judgeSignature(body, recorded.signature, SEALER_PRODUCER, ctx.anchor),
      SEALER_PRODUCER,
    );
    if (issue) {
      ctx.problems.integrity(`${path}: ${issue}`);
      proven = false;
    }
    const read = checkDigest(path, body);
    for (const p of read.problems) ctx.problems.integrity(`${path}: ${p}`);
    if (read.problems.length > 0) proven = false;
    if (read.digest) out.set(path, { key: path, digest: read.digest, sha256, proven });
  }
  return out;
}

/** Each digest's `previous` against the digest of the day before, where the package holds it. */
function checkLinks(ctx: VerifyContext, digests: ReadonlyMap<string, ChainDigest>, from: string): void {
  for (const d of digests.values()) {
    const { account, date, previous } = d.digest;
    const dayBefore = addDays(date, -1);
    const before = digests.get(digestKey(dayBefore, account));
    const present = ctx.tree.files.has(digestKey(dayBefore, account));
    if (previous === null) {
      if (before)
        ctx.problems.integrity(
          `${d.key}: starts a new chain (previous is null), but ${before.key} precedes it: the chain is broken`,
        );
      continue;
    }
    if (before) {
      if (previous.key !== before.key || previous.sha256 !== before.sha256)
        ctx.problems.integrity(
          `${d.key}: links to ${previous.key} with SHA-256 ${previous.sha256}, but the package's ${before.key} has SHA-256 ${before.sha256}: the chain is broken`,
        );
      continue;
    }
    if (present) continue; // the day before is present but unreadable: said where it was read
    if (dayBefore >= from) continue; // a day of the period: said as a missing digest
    if (date !== from) continue; // before the period: its predecessor is not part of the package
    const linked = digests.get(previous.key);
    if (!ctx.tree.files.has(previous.key))
      ctx.problems.integrity(
        `${previous.key}: missing: ${d.key} links to it as the digest before the period, so the chain cannot be checked from its start`,
      );
    else if (linked && (linked.sha256 !== previous.sha256 || previous.date !== dayBefore))
      ctx.problems.integrity(
        `${d.key}: links to ${previous.key} (${previous.date}) with SHA-256 ${previous.sha256}, but the package's copy has SHA-256 ${linked.sha256}: the chain is broken`,
      );
  }
}

/**
 * The days before the period a package holds digests of (pull's look-back for risk acceptances in force):
 * from the earliest it holds to the day before the period, every day's digest must be there, so a
 * revocation cannot be dropped with its day's digest (the links of consecutive digests are checked by
 * checkLinks). Dropping the earliest days drops every acceptance recorded on them too, never a revocation
 * alone, since an acceptance is revoked after it was recorded.
 */
function checkLookback(
  ctx: VerifyContext,
  digests: ReadonlyMap<string, ChainDigest>,
  from: string,
  accounts: readonly string[],
): void {
  for (const account of accounts) {
    const held = [...digests.values()]
      .filter((d) => d.digest.account === account && d.digest.date < from)
      .map((d) => d.digest.date)
      .sort();
    const earliest = held[0];
    if (earliest === undefined || held.length < 2) continue;
    const have = new Set(held);
    for (let day = earliest; day < from; day = addDays(day, 1)) {
      if (have.has(day) || ctx.tree.files.has(digestKey(day, account))) continue;
      ctx.problems.integrity(
        `${digestKey(day, account)}: missing: the package holds the digests of account ${account} from ${earliest}, before the period, so it must hold every day's to the period's first (a missing day could hide a revocation)`,
      );
    }
  }
}

/**
 * The digest chain, the root of truth: every digest signed by the pinned sealer key and canonical, each
 * linked to the one before it, a digest for every day of the period and every account in scope, and from
 * them the objects the period must hold. A day without a digest is gap-class ("not sealed yet") only when it
 * comes after the account's latest digest in the package and after the last day the sealer could have
 * sealed by `generatedAt`; its objects then prove no run (manifest.json, which says they exist, is written
 * by whoever hands the package over). Any other missing digest is an integrity problem.
 */
export async function checkChain(ctx: VerifyContext): Promise<ChainResult> {
  const { period, filters } = ctx.manifest;
  const days = daysBetween(period.from, period.to);
  const pulledAt = new Date(ctx.manifest.generatedAt);
  if (pulledAt.getTime() > Date.now() + 5 * 60_000)
    ctx.problems.integrity(`${MANIFEST_FILE}: generatedAt ${ctx.manifest.generatedAt} is in the future`);
  const sealedThrough = lastSealedDay(pulledAt);

  const digests = await readDigests(ctx);
  checkLinks(ctx, digests, period.from);

  const filtered = accountFilterOf(filters);
  const accounts = filtered
    ? [...new Set([...filtered, ...hubsOf(ctx, digests)])].sort()
    : [
        ...new Set(
          [...digests.values()].filter((d) => d.digest.date <= period.to).map((d) => d.digest.account),
        ),
      ].sort();
  if (accounts.length === 0 && days[0]! <= sealedThrough)
    ctx.problems.integrity(
      `${DIGEST_PREFIX}: the package holds no digest for the period: nothing in it is proven by the digest chain`,
    );

  const unsealed = new Map<string, string[]>();
  for (const account of accounts) {
    const mine = [...digests.values()].filter((d) => d.digest.account === account);
    // A chain that starts within the period (previous null) owes no digest for the days before it.
    const start = mine
      .filter((d) => d.digest.previous === null)
      .map((d) => d.digest.date)
      .sort()[0];
    const latest = mine
      .map((d) => d.digest.date)
      .sort()
      .at(-1);
    for (const day of days) {
      if (start !== undefined && day < start) continue;
      const key = digestKey(day, account);
      if (ctx.tree.files.has(key)) continue;
      // The sealer seals days in order: a day before a sealed one was sealed too, whatever generatedAt says.
      if (day > sealedThrough && (latest === undefined || day > latest))
        unsealed.set(day, [...(unsealed.get(day) ?? []), account]);
      else {
        ctx.missing.add(key);
        ctx.problems.integrity(
          day > sealedThrough
            ? `${key}: missing: the chain of account ${account} has no digest for ${day}, yet it holds the digest of ${latest} and the sealer seals days in order, so nothing of that day is proven`
            : `${key}: missing: the chain of account ${account} has no digest for ${day}, so nothing of that day is proven`,
        );
      }
    }
  }
  for (const [day, missing] of unsealed)
    ctx.problems.gap(
      `${day}: not sealed yet when the package was pulled (${ctx.manifest.generatedAt}): no digest for account ${missing.join(', ')}; its objects prove no run, so its expected runs are gaps (pull again after 00:30 UTC the day after)`,
    );

  checkLookback(ctx, digests, period.from, accounts);
  const listed = new Map<string, Listed>();
  for (const d of digests.values()) {
    const { date, account } = d.digest;
    if (date > period.to || !accounts.includes(account)) continue;
    // Before the period, only risk acceptances are the package's (pull looks back for those in force).
    const earlier = date < period.from;
    const wanted = (key: string) =>
      withinFilters(key, filters) && (!earlier || parseEvidenceKey(key)?.collector === RISK_ACCEPTANCE_KIND);
    for (const entry of d.digest.objects) {
      if (!wanted(entry.key)) continue;
      listed.set(entry.key, { entry, digestKey: d.key, proven: d.proven });
    }
    for (const v of d.digest.otherVersions) {
      if (!wanted(v.key)) continue;
      ctx.problems.integrity(
        `${v.key}: ${d.key} records another version ${v.versionId}${v.deleteMarker ? ' (a delete marker)' : ''}: evidence is written once, so it was overwritten or deleted`,
      );
    }
  }
  return { digests, listed, unsealed, accounts };
}
