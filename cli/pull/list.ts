import { mapWithConcurrency } from '../../lambdas/aws/concurrency';
import { dayPrefix, parseEvidenceKey } from '../../lambdas/evidence/keys';
import type { BucketReader, ObjectVersion } from '../../lambdas/evidence/read-store';
import type { ListedVersion } from '../package/manifest';
import type { PullOptions } from './options';

/** One key of the period and the version pull downloads. */
export interface Listed {
  readonly key: string;
  readonly size: number;
  readonly etag?: string;
  /** The version downloaded: the current one, or the newest real version behind a delete marker. */
  readonly versionId?: string;
  readonly otherVersions: readonly ListedVersion[];
}

function newest(versions: readonly ObjectVersion[]): ObjectVersion | undefined {
  return (
    versions.find((v) => v.isLatest) ??
    [...versions].sort((a, b) => (b.lastModified ?? '').localeCompare(a.lastModified ?? ''))[0]
  );
}

function chooseVersion(key: string, versions: readonly ObjectVersion[]): Listed {
  const chosen = newest(versions.filter((v) => !v.deleteMarker));
  const strip = ({ size: _size, etag: _etag, ...v }: ObjectVersion): ListedVersion => v;
  return {
    key,
    size: chosen?.size ?? 0,
    ...(chosen?.etag ? { etag: chosen.etag } : {}),
    ...(chosen ? { versionId: chosen.versionId } : {}),
    otherVersions: versions.filter((v) => v !== chosen).map(strip),
  };
}

function wanted(key: string, options: PullOptions): boolean {
  const parsed = parseEvidenceKey(key);
  // Anything else under the day prefixes is pulled too (an auditor wants all of it), unless filtered.
  if (!parsed) return !options.collector?.length && !options.account;
  if (options.collector?.length && !options.collector.includes(parsed.collector)) return false;
  return !options.account || parsed.account === options.account;
}

/**
 * Every wanted key of the period with all its versions: each day's prefix is listed with versions, so an
 * overwrite or a delete marker is seen and reported rather than hidden.
 */
export async function listPeriod(
  reader: BucketReader,
  days: readonly string[],
  options: PullOptions,
  limit: number,
): Promise<Listed[]> {
  const perDay = await mapWithConcurrency(days, limit, (d) => reader.listVersions(dayPrefix(d)));
  return perDay
    .flat()
    .map((k) => chooseVersion(k.key, k.versions))
    .filter((l) => wanted(l.key, options));
}
