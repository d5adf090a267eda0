import { daysBetween } from '../../lambdas/evidence/coverage';
import { messageOf } from '../../lambdas/aws/aws-error';
import { MANIFEST_FILE, type Manifest } from '../package/manifest';

/** A package verify cannot read as one: said in one line, exit 4. */
export class MalformedPackage extends Error {}

function kindOfValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const HEX64 = /^[0-9a-f]{64}$/;

function need(ok: boolean, what: string, found: unknown): void {
  if (!ok) throw new MalformedPackage(`${MANIFEST_FILE}: ${what}, found ${kindOfValue(found)}`);
}

function optionalString(o: Record<string, unknown>, field: string, where: string): void {
  const v = o[field];
  need(v === undefined || typeof v === 'string', `${where}.${field} must be a string when present`, v);
}

/**
 * The manifest's text as a Manifest, or a MalformedPackage naming the first thing that is wrong. Only the
 * shape is checked here (what verify and the page renderer read); what the manifest claims is checked
 * against the digest chain elsewhere.
 */
export function parseManifest(text: string): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new MalformedPackage(`${MANIFEST_FILE} is not valid JSON: ${messageOf(err)}`);
  }
  if (!isObject(value))
    throw new MalformedPackage(`${MANIFEST_FILE} must be a JSON object, found ${kindOfValue(value)}`);
  const m = value;
  need(Array.isArray(m.objects), 'objects must be an array', m.objects);
  need(m.schemaVersion === 1, 'schemaVersion must be 1', m.schemaVersion);
  const period = m.period;
  need(isObject(period), 'period must be an object { from, to }', period);
  const { from, to } = period as Record<string, unknown>;
  need(typeof from === 'string' && typeof to === 'string', 'period.from and period.to must be dates', from);
  try {
    daysBetween(from as string, to as string);
  } catch (err) {
    throw new MalformedPackage(`${MANIFEST_FILE}: period: ${messageOf(err)}`);
  }
  need(
    typeof m.generatedAt === 'string' && !Number.isNaN(Date.parse(m.generatedAt)),
    'generatedAt must be an ISO 8601 time',
    m.generatedAt,
  );
  need(typeof m.bucket === 'string', 'bucket must be a string', m.bucket);
  need(
    isObject(m.producer) && typeof m.producer.name === 'string' && typeof m.producer.version === 'string',
    'producer must be { name, version }',
    m.producer,
  );
  const filters = m.filters;
  need(isObject(filters), 'filters must be an object (empty when the pull had none)', filters);
  const f = filters as Record<string, unknown>;
  need(
    f.collectors === undefined ||
      (Array.isArray(f.collectors) && f.collectors.every((c) => typeof c === 'string')),
    'filters.collectors must be an array of collector ids when present',
    f.collectors,
  );
  optionalString(f, 'account', 'filters');
  need(
    f.accounts === undefined ||
      (Array.isArray(f.accounts) && f.accounts.every((a) => typeof a === 'string' && /^\d{12}$/.test(a))),
    'filters.accounts must be an array of 12-digit account ids when present',
    f.accounts,
  );
  const lists = m.accountLists;
  need(
    lists === undefined ||
      (isObject(lists) &&
        Array.isArray(lists.hubs) &&
        typeof lists.lists === 'number' &&
        Array.isArray(lists.missing) &&
        lists.missing.every(
          (x) =>
            isObject(x) &&
            typeof x.collector === 'string' &&
            typeof x.date === 'string' &&
            (x.status === undefined || x.status === 'ERROR' || x.status === 'PARTIAL'),
        )),
    "accountLists must be { hubs, lists, missing: [{ collector, date, status?: 'ERROR' | 'PARTIAL' }] } when present",
    lists,
  );
  need(Array.isArray(m.coverage), 'coverage must be an array', m.coverage);
  need(
    isObject(m.summary) &&
      ['objects', 'integrityProblems', 'gaps'].every(
        (k) => typeof (m.summary as Record<string, unknown>)[k] === 'number',
      ),
    'summary must be { objects, integrityProblems, gaps } (numbers)',
    m.summary,
  );
  const report = m.periodReport;
  need(
    isObject(report) &&
      isObject(report.sla) &&
      Object.entries(report.sla).every(
        ([k, v]) =>
          ['critical', 'high', 'medium', 'low'].includes(k) &&
          typeof v === 'number' &&
          Number.isSafeInteger(v) &&
          v >= 1,
      ),
    'periodReport must be { sla: { <severity>: days }, … } (a package pulled by a release before the period report: pull it again)',
    report,
  );
  (m.objects as unknown[]).forEach((o, i) => {
    const where = `objects[${i}]`;
    need(isObject(o), `${where} must be an object`, o);
    const r = o as Record<string, unknown>;
    need(typeof r.key === 'string' && r.key !== '', `${where}.key must be a string`, r.key);
    need(
      typeof r.sha256 === 'string' && (HEX64.test(r.sha256) || typeof r.downloadError === 'string'),
      `${where}.sha256 must be a hex SHA-256`,
      r.sha256,
    );
    need(
      typeof r.bytes === 'number' && Number.isSafeInteger(r.bytes) && r.bytes >= 0,
      `${where}.bytes must be a size in bytes`,
      r.bytes,
    );
    need(typeof r.kind === 'string', `${where}.kind must be a string`, r.kind);
    for (const field of ['signature', 'downloadError', 'versionId', 'lastModified', 'status'])
      optionalString(r, field, where);
    need(isObject(r.objectLock), `${where}.objectLock must be an object`, r.objectLock);
    need(isObject(r.checks), `${where}.checks must be an object`, r.checks);
    need(
      Array.isArray(r.problems) && r.problems.every((p) => typeof p === 'string'),
      `${where}.problems must be an array of strings`,
      r.problems,
    );
    need(
      r.otherVersions === undefined || Array.isArray(r.otherVersions),
      `${where}.otherVersions must be an array when present`,
      r.otherVersions,
    );
  });
  const keys = new Set<string>();
  for (const o of m.objects as { key: string }[]) {
    if (keys.has(o.key)) throw new MalformedPackage(`${MANIFEST_FILE}: objects lists ${o.key} twice`);
    keys.add(o.key);
  }
  return m as unknown as Manifest;
}
