import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import { dirname, join, resolve, sep } from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import { GetObjectCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { InvalidArgumentError, type Command } from 'commander';
import { ClientFactory } from '../lambdas/aws/client-factory';
import { mapWithConcurrency } from '../lambdas/aws/concurrency';
import { collectorById, COLLECTOR_IDS } from '../lambdas/collectors/registry';
import { sha256Hex } from '../lambdas/evidence/canonical-json';
import { computeCoverage, daysBetween, type FoundEnvelope } from '../lambdas/evidence/coverage';
import type { ScheduleRef } from '../lambdas/evidence/envelope';
import { dayPrefix, parseEvidenceKey } from '../lambdas/evidence/keys';
import {
  fetchKmsPublicKey,
  publicKeyFrom,
  SIGNATURE_METADATA,
  SIGNING_KEY_METADATA,
} from '../lambdas/evidence/signer';
import { PRODUCER } from '../lambdas/producer';
import { DEFAULT_CRON } from '../lib/config';
import { CliError } from './cli-error';
import { assessObject, checkEnvelope, type EnvelopeCheck } from './package/checks';
import type { AccountCoverage } from './package/index-html';
import { renderIndexHtml } from './package/index-html';
import {
  COVERAGE_FILE,
  EXIT_GAPS,
  EXIT_INTEGRITY,
  INDEX_FILE,
  MANIFEST_FILE,
  PROGRESS_FILE,
  renderSums,
  SUMS_FILE,
  type CoverageSection,
  type FetchedObject,
  type ListedVersion,
  type Manifest,
  type ManifestObject,
} from './package/manifest';
import { progressFor, silentProgress, type Progress } from './package/progress';
import { ATTESTATION_COLLECTOR } from '../lambdas/collectors/access-review/attestation';
import { EMAIL_COLLECTOR } from '../lambdas/collectors/access-review/review';
import { COVERAGE_COLLECTOR } from '../lambdas/watchdog/watchdog';

export interface PullOptions {
  readonly bucket: string;
  readonly from: string;
  readonly to: string;
  readonly out: string;
  readonly collector?: readonly string[];
  readonly account?: string;
  readonly publicKey?: string;
}

export interface PullDeps {
  readonly s3: S3Client;
  /** Used to fetch the signing key's public half when `--public-key` is not given. */
  readonly kms?: KMSClient;
  readonly out: (line: string) => void;
  readonly progress?: Progress;
  /** Downloads in flight. @default 8 */
  readonly concurrency?: number;
  readonly now?: () => Date;
}

interface Listed {
  readonly key: string;
  readonly size: number;
  readonly etag?: string;
  /** The version downloaded: the current one, or the newest real version behind a delete marker. */
  readonly versionId?: string;
  readonly otherVersions: readonly ListedVersion[];
}

interface VersionEntry extends ListedVersion {
  readonly size: number;
  readonly etag?: string;
}

/**
 * Every version and delete marker under one day's prefix. ListObjectsV2 would show only current versions,
 * hiding an overwrite (the old version behind the new one) or a deletion (a delete marker).
 */
async function listDay(s3: S3Client, bucket: string, date: string): Promise<Listed[]> {
  const byKey = new Map<string, VersionEntry[]>();
  const add = (key: string, entry: VersionEntry) => {
    const list = byKey.get(key);
    if (list) list.push(entry);
    else byKey.set(key, [entry]);
  };
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        Prefix: dayPrefix(date),
        ...(keyMarker ? { KeyMarker: keyMarker } : {}),
        ...(versionIdMarker ? { VersionIdMarker: versionIdMarker } : {}),
      }),
    );
    for (const v of page.Versions ?? []) {
      if (!v.Key) continue;
      add(v.Key, {
        versionId: v.VersionId ?? 'null',
        deleteMarker: false,
        isLatest: v.IsLatest === true,
        ...(v.LastModified ? { lastModified: v.LastModified.toISOString() } : {}),
        size: v.Size ?? 0,
        ...(v.ETag ? { etag: v.ETag } : {}),
      });
    }
    for (const d of page.DeleteMarkers ?? []) {
      if (!d.Key) continue;
      add(d.Key, {
        versionId: d.VersionId ?? 'null',
        deleteMarker: true,
        isLatest: d.IsLatest === true,
        ...(d.LastModified ? { lastModified: d.LastModified.toISOString() } : {}),
        size: 0,
      });
    }
    if (page.IsTruncated && !page.NextKeyMarker)
      throw new Error(`the listing of ${dayPrefix(date)} is truncated but gives no NextKeyMarker`);
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker);

  const listed: Listed[] = [];
  for (const [key, entries] of byKey) {
    const real = entries.filter((e) => !e.deleteMarker);
    const newest = (list: readonly VersionEntry[]) =>
      list.find((e) => e.isLatest) ??
      [...list].sort((a, b) => (b.lastModified ?? '').localeCompare(a.lastModified ?? ''))[0];
    const chosen = newest(real);
    const strip = ({ size: _size, etag: _etag, ...v }: VersionEntry): ListedVersion => v;
    listed.push({
      key,
      size: chosen?.size ?? 0,
      ...(chosen?.etag ? { etag: chosen.etag } : {}),
      ...(chosen ? { versionId: chosen.versionId } : {}),
      otherVersions: entries.filter((e) => e !== chosen).map(strip),
    });
  }
  return listed;
}

function wanted(key: string, options: PullOptions): boolean {
  const parsed = parseEvidenceKey(key);
  // Anything else under the day prefixes is pulled too (an auditor wants all of it), unless filtered.
  if (!parsed) return !options.collector?.length && !options.account;
  if (options.collector?.length && !options.collector.includes(parsed.collector)) return false;
  return !options.account || parsed.account === options.account;
}

function localPath(root: string, key: string): string | undefined {
  const path = resolve(root, ...key.split('/'));
  return path.startsWith(root + sep) ? path : undefined;
}

async function writeAtomic(path: string, body: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.partial`;
  await writeFile(tmp, body);
  await rename(tmp, path);
}

/** Records of a previous (possibly interrupted) pull into the same directory, by key. */
async function previousRecords(root: string): Promise<Map<string, FetchedObject>> {
  const records = new Map<string, FetchedObject>();
  const manifestPath = join(root, MANIFEST_FILE);
  if (existsSync(manifestPath)) {
    try {
      const m = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
      for (const o of m.objects ?? []) records.set(o.key, o);
    } catch {
      // An unreadable manifest just means everything is downloaded again.
    }
  }
  const progressPath = join(root, PROGRESS_FILE);
  if (existsSync(progressPath)) {
    for (const line of (await readFile(progressPath, 'utf8')).split('\n')) {
      try {
        if (line) {
          const o = JSON.parse(line) as FetchedObject;
          records.set(o.key, o);
        }
      } catch {
        // A line cut short by an interruption.
      }
    }
  }
  return records;
}

async function reusable(root: string, listed: Listed, prev: FetchedObject | undefined): Promise<boolean> {
  if (!prev || prev.downloadError || prev.bytes !== listed.size) return false;
  if (listed.etag && prev.etag && listed.etag !== prev.etag) return false;
  if (listed.versionId && prev.versionId !== listed.versionId) return false;
  const path = localPath(root, listed.key);
  if (!path || !existsSync(path)) return false;
  return sha256Hex(await readFile(path)) === prev.sha256;
}

async function download(
  s3: S3Client,
  bucket: string,
  root: string,
  key: string,
  versionId: string | undefined,
): Promise<FetchedObject> {
  const path = localPath(root, key);
  if (!path)
    return {
      key,
      bytes: 0,
      sha256: '',
      objectLock: {},
      downloadError: 'the key leaves the output directory',
    };
  try {
    // By version id: what was listed is what is checked, even if the key changes meanwhile.
    const res = await s3.send(
      new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ...(versionId ? { VersionId: versionId } : {}),
        ChecksumMode: 'ENABLED',
      }),
    );
    if (!res.Body) throw new Error('GetObject returned no body');
    const body = await res.Body.transformToByteArray();
    await writeAtomic(path, body);
    const meta = res.Metadata ?? {};
    return {
      key,
      bytes: body.byteLength,
      sha256: sha256Hex(body),
      ...(res.ETag ? { etag: res.ETag } : {}),
      ...(res.VersionId ? { versionId: res.VersionId } : {}),
      ...(res.LastModified ? { lastModified: res.LastModified.toISOString() } : {}),
      ...(res.ChecksumSHA256 ? { s3ChecksumSha256: res.ChecksumSHA256 } : {}),
      ...(meta.sha256 ? { metadataSha256: meta.sha256 } : {}),
      ...(meta[SIGNATURE_METADATA] ? { signature: meta[SIGNATURE_METADATA] } : {}),
      ...(meta[SIGNING_KEY_METADATA] ? { signingKey: meta[SIGNING_KEY_METADATA] } : {}),
      objectLock: {
        ...(res.ObjectLockMode ? { mode: res.ObjectLockMode } : {}),
        ...(res.ObjectLockRetainUntilDate
          ? { retainUntil: res.ObjectLockRetainUntilDate.toISOString() }
          : {}),
        ...(res.ObjectLockLegalHoldStatus ? { legalHold: res.ObjectLockLegalHoldStatus } : {}),
      },
    };
  } catch (err) {
    const e = err as { name?: string; message?: string };
    return { key, bytes: 0, sha256: '', objectLock: {}, downloadError: `${e.name ?? 'Error'}: ${e.message}` };
  }
}

function pemFileName(keyId: string): string {
  const tail = keyId.split(/[/:]/).pop() || 'key';
  return `signing-key-${tail.replace(/[^A-Za-z0-9._-]/g, '_')}.pem`;
}

/**
 * Each registry collector's schedule as its latest envelope recorded it, else the configuration's default.
 * Only registry collectors run on a schedule; callers must pass no other id.
 */
function schedulesFor(
  collectors: readonly string[],
  envelopes: readonly ManifestObject[],
): Record<string, ScheduleRef & { source: 'envelope' | 'default' }> {
  const out: Record<string, ScheduleRef & { source: 'envelope' | 'default' }> = {};
  for (const id of collectors) {
    const latest = envelopes.filter((e) => e.collector === id && e.schedule).pop();
    if (latest?.schedule) out[id] = { ...latest.schedule, source: 'envelope' };
    else {
      const frequency = collectorById(id)?.frequency ?? 'daily';
      out[id] = { expression: DEFAULT_CRON[frequency], timeZone: 'UTC', source: 'default' };
    }
  }
  return out;
}

function coverageFor(
  options: PullOptions,
  objects: readonly ManifestObject[],
): { sections: CoverageSection[]; reports: AccountCoverage[] } {
  // An envelope that is not the one its key names (e.g. an old one copied under another day) proves no run.
  const envelopes = objects.filter(
    (o) => o.kind === 'envelope' && o.collector && o.date && o.checks.envelope !== 'key-mismatch',
  );
  const accounts = options.account
    ? [options.account]
    : [...new Set(envelopes.map((e) => e.account!))].sort();
  if (accounts.length === 0) accounts.push('*');
  const sections: CoverageSection[] = [];
  const reports: AccountCoverage[] = [];
  for (const account of accounts) {
    const mine = envelopes.filter((e) => account === '*' || e.account === account);
    const collectors = options.collector?.length
      ? [...options.collector]
      : [...new Set([...mine.map((e) => e.collector!), ...COLLECTOR_IDS])].sort();
    // Event-driven evidence (attestations, review emails, the coverage watchdog's own) has no promised day.
    const unscheduled = collectors.filter((id) => !collectorById(id));
    const schedules = schedulesFor(
      collectors.filter((id) => collectorById(id)),
      mine,
    );
    const found: FoundEnvelope[] = mine.map((e) => ({
      collector: e.collector!,
      date: e.date!,
      // An envelope whose status cannot be read (unparseable) proves nothing about the run.
      status: e.status ?? 'ERROR',
    }));
    const report = computeCoverage({
      from: options.from,
      to: options.to,
      schedules,
      unscheduled,
      envelopes: found,
    });
    reports.push({ account, report });
    sections.push({
      account,
      schedules,
      gaps: report.gaps.map((g) => ({ collector: g.collector, date: g.date, status: g.status })),
      partial: report.cells
        .filter((c) => c.status === 'partial')
        .map((c) => ({ collector: c.collector, date: c.date })),
      ...(unscheduled.length ? { unscheduled } : {}),
      problems: report.problems.map((p) => `${p.collector}: ${p.message}`),
    });
  }
  return { sections, reports };
}

function coverageCsv(reports: readonly AccountCoverage[]): string {
  const lines = ['account,collector,date,expected,status,runs'];
  for (const { account, report } of reports) {
    for (const c of report.cells)
      lines.push([account, c.collector, c.date, c.expected, c.status, c.runs].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Pulls a period of evidence into a self-checking package. Returns the exit code: 0 when everything holds,
 * 3 when an expected run left no evidence (or only an ERROR envelope), 4 when any object failed an
 * integrity check (this wins over 3).
 */
export async function pull(options: PullOptions, deps: PullDeps): Promise<number> {
  let days: string[];
  try {
    days = daysBetween(options.from, options.to);
  } catch (err) {
    throw new CliError(`--from/--to: ${(err as Error).message}`);
  }
  const root = resolve(options.out);
  await mkdir(root, { recursive: true });
  const limit = deps.concurrency ?? 8;

  let listed: Listed[];
  try {
    listed = (await mapWithConcurrency(days, limit, (d) => listDay(deps.s3, options.bucket, d))).flat();
  } catch (err) {
    const e = err as { name?: string; message?: string };
    throw new CliError(`cannot list s3://${options.bucket}/evidence/: ${e.name ?? 'Error'}: ${e.message}`);
  }
  listed = listed.filter((l) => wanted(l.key, options));

  const previous = await previousRecords(root);
  const progress = deps.progress ?? silentProgress;
  progress.start(listed.length);
  let reused = 0;
  const progressPath = join(root, PROGRESS_FILE);
  const fetched = await mapWithConcurrency(listed, limit, async (l) => {
    const prev = previous.get(l.key);
    let record: FetchedObject;
    if (await reusable(root, l, prev)) {
      reused++;
      record = prev!;
    } else {
      record = await download(deps.s3, options.bucket, root, l.key, l.versionId);
      await appendFile(progressPath, `${JSON.stringify(record)}\n`);
    }
    progress.tick(record.bytes);
    // Versions come from this listing, never from a previous pull's record.
    const { otherVersions: _previous, ...current } = record;
    return l.otherVersions.length > 0 ? { ...current, otherVersions: l.otherVersions } : current;
  });
  progress.done();

  // Public keys: the auditor's own file wins; otherwise ask KMS for each signing key seen.
  const keys = new Map<string, KeyObject>();
  const publicKeys: Record<string, string> = {};
  const extraFiles = new Map<string, string>();
  const signingKeys = [...new Set(fetched.flatMap((f) => (f.signingKey ? [f.signingKey] : [])))].sort();
  const notes: string[] = [];
  if (options.publicKey) {
    let key: KeyObject;
    try {
      key = publicKeyFrom(await readFile(options.publicKey));
    } catch (err) {
      throw new CliError(`--public-key ${options.publicKey}: ${(err as Error).message}`);
    }
    for (const id of signingKeys) keys.set(id, key);
    const pem = key.export({ type: 'spki', format: 'pem' }).toString();
    extraFiles.set('signing-key.pem', pem);
    for (const id of signingKeys) publicKeys[id] = 'signing-key.pem';
  } else {
    for (const id of signingKeys) {
      if (!deps.kms) break;
      try {
        const key = await fetchKmsPublicKey(deps.kms, id);
        keys.set(id, key);
        const file = pemFileName(id);
        extraFiles.set(file, key.export({ type: 'spki', format: 'pem' }).toString());
        publicKeys[id] = file;
      } catch (err) {
        notes.push(`cannot fetch the public key of ${id} (kms:GetPublicKey): ${(err as Error).message}`);
      }
    }
  }

  const byKey = new Map(fetched.map((f) => [f.key, f]));
  const bodyOf = async (f: FetchedObject) => {
    const path = localPath(root, f.key);
    return f.downloadError || !path ? undefined : await readFile(path);
  };
  const envelopeChecks = new Map<string, EnvelopeCheck>();
  const sourceRefs = new Map<string, string>();
  for (const f of fetched) {
    const parsed = parseEvidenceKey(f.key);
    if (!parsed || parsed.source !== undefined) continue;
    const body = await bodyOf(f);
    if (!body) continue;
    const check = checkEnvelope(f.key, body, byKey);
    envelopeChecks.set(f.key, check);
    for (const [k, sha] of check.sourceRefs) sourceRefs.set(k, sha);
  }
  const objects: ManifestObject[] = [];
  for (const f of fetched) {
    objects.push(
      assessObject(
        f,
        await bodyOf(f),
        (id) => keys.get(id),
        sourceRefs.get(f.key),
        envelopeChecks.get(f.key),
      ),
    );
  }
  objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  const { sections, reports } = coverageFor(options, objects);
  const gapCount = sections.reduce((n, s) => n + s.gaps.length, 0);
  const problemObjects = objects.filter((o) => o.problems.length > 0);
  const manifest: Manifest = {
    schemaVersion: 1,
    producer: { name: PRODUCER.name, version: PRODUCER.version },
    generatedAt: (deps.now ?? (() => new Date()))().toISOString(),
    bucket: options.bucket,
    period: { from: options.from, to: options.to },
    filters: {
      ...(options.collector?.length ? { collectors: [...options.collector] } : {}),
      ...(options.account ? { account: options.account } : {}),
    },
    publicKeys,
    objects,
    coverage: sections,
    summary: { objects: objects.length, integrityProblems: problemObjects.length, gaps: gapCount },
  };

  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  const generated = new Map<string, string>([
    ...extraFiles,
    [COVERAGE_FILE, coverageCsv(reports)],
    [INDEX_FILE, renderIndexHtml(manifest, reports)],
    [MANIFEST_FILE, manifestText],
  ]);
  for (const [name, text] of generated) await writeAtomic(join(root, name), text);
  const sums = [
    ...objects.filter((o) => !o.downloadError).map((o) => ({ path: o.key, sha256: o.sha256 })),
    ...[...generated].map(([path, text]) => ({ path, sha256: sha256Hex(text) })),
  ];
  await writeAtomic(join(root, SUMS_FILE), renderSums(sums));
  await rm(progressPath, { force: true });

  for (const note of notes) deps.out(`note: ${note}`);
  for (const o of problemObjects) for (const p of o.problems) deps.out(`problem ${o.key}: ${p}`);
  const warned = new Map<string, number>();
  for (const o of objects) for (const w of o.warnings ?? []) warned.set(w, (warned.get(w) ?? 0) + 1);
  for (const [w, n] of warned) deps.out(`warning: ${n} object(s): ${w}`);
  for (const s of sections) {
    for (const p of s.problems) deps.out(`schedule ${p}`);
    for (const g of s.gaps) deps.out(`gap ${g.collector} account ${s.account} ${g.date}: ${g.status}`);
    for (const p of s.partial) deps.out(`partial ${p.collector} account ${s.account} ${p.date}`);
  }
  deps.out(
    `pulled ${objects.length} objects (${objects.length - reused} downloaded, ${reused} already present) into ${root}: ` +
      `${problemObjects.length} with integrity problems, ${gapCount} gaps`,
  );
  if (problemObjects.length > 0) return EXIT_INTEGRITY;
  return gapCount > 0 ? EXIT_GAPS : 0;
}

function date(value: string): string {
  const t = Date.parse(`${value}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
    Number.isNaN(t) ||
    new Date(t).toISOString().slice(0, 10) !== value
  ) {
    throw new InvalidArgumentError(`expected a date YYYY-MM-DD, got "${value}"`);
  }
  return value;
}

function account(value: string): string {
  if (!/^\d{12}$/.test(value))
    throw new InvalidArgumentError(`expected a 12-digit account id, got "${value}"`);
  return value;
}

/** Every kind of evidence a bucket can hold: the scheduled collectors and the event-driven objects. */
const EVIDENCE_KINDS: readonly string[] = [
  ...COLLECTOR_IDS,
  EMAIL_COLLECTOR,
  ATTESTATION_COLLECTOR,
  COVERAGE_COLLECTOR,
];

function collectorIds(value: string, previous: string[] = []): string[] {
  const ids = value.split(',').filter(Boolean);
  const unknown = ids.filter((id) => !EVIDENCE_KINDS.includes(id));
  if (unknown.length > 0) {
    throw new InvalidArgumentError(
      `unknown collector ${unknown.map((id) => JSON.stringify(id)).join(', ')}; known: ${EVIDENCE_KINDS.join(', ')}`,
    );
  }
  return [...previous, ...ids];
}

/** The `pull` command; `out` receives the report lines, progress goes to stderr. */
export function registerPull(program: Command, out: (line: string) => void): void {
  program
    .command('pull')
    .description(
      'Download a period of evidence into the --out directory, check every object (SHA-256, signature, Object Lock) and every ' +
        'expected run. Exit 3: expected runs missing; exit 4: integrity problems.',
    )
    .requiredOption('--bucket <name>', 'the evidence bucket')
    .requiredOption('--from <date>', 'first UTC day, YYYY-MM-DD', date)
    .requiredOption('--to <date>', 'last UTC day, YYYY-MM-DD', date)
    .requiredOption('--out <dir>', 'package directory (an existing one is resumed)')
    .option('--collector <id>', 'only this collector (repeat for more)', collectorIds)
    .option('--account <id>', 'only this account', account)
    .option(
      '--public-key <file>',
      'PEM public key of the signing key (default: fetched with kms:GetPublicKey)',
    )
    .action(
      async (opts: {
        bucket: string;
        from: string;
        to: string;
        out: string;
        collector?: string[];
        account?: string;
        publicKey?: string;
      }) => {
        const clients = new ClientFactory();
        process.exitCode = await pull(opts, {
          s3: clients.get(S3Client),
          kms: clients.get(KMSClient),
          out,
          progress: progressFor(process.stderr),
        });
      },
    );
}
