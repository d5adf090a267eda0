import { mapWithConcurrency } from '../../lambdas/aws/concurrency';
import { DIGEST_PREFIX, parseDigestKey } from '../../lambdas/evidence/digest';
import { dayPrefix, parseEvidenceKey } from '../../lambdas/evidence/keys';
import type { BucketReader, KeyVersions, ObjectVersion } from '../../lambdas/evidence/read-store';
import { addDays, chooseOriginal } from '../../lambdas/sealer/day-digest';
import { daysBetween } from '../../lambdas/evidence/coverage';
import type { ListedVersion } from '../package/manifest';
import { accountFilterOf, type PullOptions } from './options';
import { RISK_ACCEPTANCE_KIND } from '../../lambdas/evidence/risk-acceptance';
import { ACCOUNTS_KIND } from '../../lambdas/organization/contract';

/** One key of the period and the version pull downloads. */
export interface Listed {
  readonly key: string;
  readonly size: number;
  readonly etag?: string;
  /**
   * The version downloaded: the original (the oldest that is not a delete marker, as the sealer chooses it),
   * since evidence is written once and a later version is an overwrite. Absent: only delete markers.
   */
  readonly versionId?: string;
  /** Every other version and delete marker of the key, each reported once with the key. */
  readonly otherVersions: readonly ListedVersion[];
}

const strip = ({ size: _size, etag: _etag, ...v }: ObjectVersion): ListedVersion => v;

function chooseVersion(key: string, versions: readonly ObjectVersion[]): Listed {
  const { original, others } = chooseOriginal(versions);
  return {
    key,
    size: original?.size ?? 0,
    ...(original?.etag ? { etag: original.etag } : {}),
    ...(original ? { versionId: original.versionId } : {}),
    otherVersions: others.map(strip),
  };
}

/**
 * Whether evidence of `collector` is in a package filtered to `collectors` (none: every kind). Risk
 * decisions always are: the period report shows acceptances beside the exceptions they cover, and an
 * auditor must see every one, revocations included. So are organization mode's account lists: they say
 * which accounts owed evidence. pull lists by this rule and verify requires it.
 */
export function collectorWanted(collector: string, collectors: readonly string[] | undefined): boolean {
  return (
    !collectors?.length ||
    collectors.includes(collector) ||
    collector === RISK_ACCEPTANCE_KIND ||
    collector === ACCOUNTS_KIND
  );
}

/**
 * Whether evidence of `account` is in a package filtered to `accounts` (none: every account). The hub's
 * account lists always are, whatever account wrote them: they prove which accounts were expected.
 */
export function accountWanted(
  collector: string,
  account: string,
  accounts: readonly string[] | undefined,
): boolean {
  return !accounts?.length || accounts.includes(account) || collector === ACCOUNTS_KIND;
}

/** `hubs`: accounts that wrote account lists in the period, whose digests seal them. */
function wanted(key: string, options: PullOptions, hubs: ReadonlySet<string>): boolean {
  const accounts = accountFilterOf(options);
  const digest = parseDigestKey(key);
  // A digest covers every collector of its account: it is pulled whatever --collector says.
  if (digest) return !accounts || accounts.includes(digest.account) || hubs.has(digest.account);
  const parsed = parseEvidenceKey(key);
  // Anything else under the day prefixes is pulled too (an auditor wants all of it), unless filtered.
  if (!parsed) return !options.collector?.length && !accounts;
  if (!collectorWanted(parsed.collector, options.collector)) return false;
  return accountWanted(parsed.collector, parsed.account, accounts);
}

/** The accounts whose keys in `keys` are account lists: the hubs. */
export function hubsOf(keys: Iterable<string>): Set<string> {
  const hubs = new Set<string>();
  for (const key of keys) {
    const parsed = parseEvidenceKey(key);
    if (parsed?.collector === ACCOUNTS_KIND) hubs.add(parsed.account);
  }
  return hubs;
}

/** `digests/YYYY/MM/DD/`: the prefix of one day's digests. */
function digestDayPrefix(date: string): string {
  return `${DIGEST_PREFIX}${date.replace(/-/g, '/')}/`;
}

/** Merges listings by key (a key listed twice is one object), keeping the first listing's order. */
function byKey(listings: readonly KeyVersions[]): KeyVersions[] {
  const merged = new Map<string, ObjectVersion[]>();
  for (const k of listings) {
    const seen = merged.get(k.key);
    if (!seen) merged.set(k.key, [...k.versions]);
    else for (const v of k.versions) if (!seen.some((s) => s.versionId === v.versionId)) seen.push(v);
  }
  return [...merged].map(([key, versions]) => ({ key, versions }));
}

/**
 * Every wanted key of the period with all its versions: each day's evidence prefix and digest prefix is
 * listed with versions, so an overwrite or a delete marker is seen and reported rather than hidden.
 */
export async function listPeriod(
  reader: BucketReader,
  days: readonly string[],
  options: PullOptions,
  limit: number,
): Promise<Listed[]> {
  const prefixes = [...days.map(dayPrefix), ...days.map(digestDayPrefix)];
  const listed = byKey((await mapWithConcurrency(prefixes, limit, (p) => reader.listVersions(p))).flat());
  const hubs = hubsOf(listed.map((k) => k.key));
  return listed.filter((k) => wanted(k.key, options, hubs)).map((k) => chooseVersion(k.key, k.versions));
}

const segment = (folder: string) => folder.slice(0, -1).split('/').at(-1) ?? '';

/**
 * The latest digest before `from` of each of `accounts` that has one, so the first digest of the period
 * can be checked against the one it links to. Walks `digests/YYYY/` and `MM/` back from `from`'s month, one
 * listing per month, and stops as soon as every account is found.
 */
export async function listDigestsBefore(
  reader: BucketReader,
  from: string,
  accounts: ReadonlySet<string>,
): Promise<Listed[]> {
  const missing = new Set(accounts);
  const found: Listed[] = [];
  if (missing.size === 0) return found;
  const years = (await reader.listFolders(DIGEST_PREFIX)).filter((y) => segment(y) <= from.slice(0, 4));
  for (const year of years.reverse()) {
    const months = (await reader.listFolders(year)).filter(
      (m) => `${segment(year)}-${segment(m)}` <= from.slice(0, 7),
    );
    for (const month of months.reverse()) {
      const latest = new Map<string, { date: string; versions: KeyVersions }>();
      for (const k of await reader.listVersions(month)) {
        const parsed = parseDigestKey(k.key);
        if (!parsed || parsed.date >= from || !missing.has(parsed.account)) continue;
        if (!k.versions.some((v) => !v.deleteMarker)) continue;
        const seen = latest.get(parsed.account);
        if (!seen || seen.date < parsed.date) latest.set(parsed.account, { date: parsed.date, versions: k });
      }
      for (const [account, { versions }] of latest) {
        found.push(chooseVersion(versions.key, versions.versions));
        missing.delete(account);
      }
      if (missing.size === 0) return found;
    }
  }
  return found;
}

/**
 * The look-back for risk acceptances still in force during the period: every acceptance and revocation
 * recorded in the `days` days before `from` (the longest an acceptance may run), and every digest of those
 * days of `accounts`, so their custody is judged as every object's is, and verify can require the digests
 * to run unbroken to the period (a revocation cannot be dropped with its day). One listing of
 * `evidence/YYYY/MM/DD/risk-acceptance/` per day, one of `digests/YYYY/MM/` per month.
 */
export async function listAcceptancesBefore(
  reader: BucketReader,
  from: string,
  days: number,
  accounts: ReadonlySet<string>,
  options: PullOptions,
  limit: number,
): Promise<Listed[]> {
  if (days <= 0) return [];
  const first = addDays(from, -days);
  const before = addDays(from, -1);
  const dates = daysBetween(first, before);
  const months = [...new Set(dates.map((d) => d.slice(0, 7)))];
  const [acceptances, digests] = await Promise.all([
    mapWithConcurrency(dates, limit, async (date) =>
      // Risk acceptances of the accounts whose digests are pulled, and nothing else (verify lists only
      // those from a digest before the period: anything else planted there would fail every package).
      (await reader.listVersions(`${dayPrefix(date)}${RISK_ACCEPTANCE_KIND}/`)).filter((k) => {
        const parsed = parseEvidenceKey(k.key);
        return (
          parsed?.collector === RISK_ACCEPTANCE_KIND &&
          accounts.has(parsed.account) &&
          wanted(k.key, options, new Set())
        );
      }),
    ),
    mapWithConcurrency(months, limit, async (month) =>
      (await reader.listVersions(`${DIGEST_PREFIX}${month.replace('-', '/')}/`)).filter((k) => {
        const parsed = parseDigestKey(k.key);
        return !!parsed && parsed.date >= first && parsed.date <= before && accounts.has(parsed.account);
      }),
    ),
  ]);
  return byKey([...acceptances.flat(), ...digests.flat()]).map((k) => chooseVersion(k.key, k.versions));
}
