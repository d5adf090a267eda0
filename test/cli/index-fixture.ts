import { computeCoverage, type CoverageReport } from '../../lambdas/evidence/coverage';
import type { RunStatus } from '../../lambdas/evidence/envelope';
import type { Manifest, ManifestObject } from '../../cli/package/manifest';

export const INDEX_ACCOUNT = '123456789012';

/** One iam-mfa envelope of 2026-01-0<day>, every check passed; `extra` overrides fields. */
export function dayEnvelope(
  day: string,
  status: RunStatus,
  extra: Partial<ManifestObject> = {},
): ManifestObject {
  const account = extra.account ?? INDEX_ACCOUNT;
  return {
    key: `evidence/2026/01/0${day}/iam-mfa/${account}/global/060003Z-run-${day}.json`,
    bytes: 10,
    sha256: 'a'.repeat(64),
    objectLock: { mode: 'COMPLIANCE', retainUntil: '2027-01-01T00:00:00Z' },
    kind: 'envelope',
    collector: 'iam-mfa',
    account,
    region: 'global',
    date: `2026-01-0${day}`,
    status,
    controls: ['CC6.1'],
    checks: {
      digest: 'ok',
      s3Checksum: 'ok',
      metadataSha256: 'ok',
      signature: 'valid',
      envelope: 'ok',
      retention: 'ok',
    },
    problems: [],
    warnings: [],
    ...extra,
  };
}

/** A manifest's period report that found no exception (the fixtures' packages judge no exception). */
export const NO_EXCEPTIONS: Manifest['periodReport'] = {
  sla: {},
  exceptions: 0,
  slaBreaches: 0,
  accepted: 0,
  remediatedWithinSla: 0,
  remediatedWithoutSla: 0,
  open: 0,
};

/**
 * A package of 2026-01-01 to 2026-01-06 holding `objects`, and its coverage with iam-mfa due on weekdays
 * (so 2026-01-05 and -06, with no envelope, are gaps).
 */
export function weekPackage(
  objects: readonly ManifestObject[],
  integrityProblems = 0,
): { manifest: Manifest; report: CoverageReport } {
  const manifest: Manifest = {
    schemaVersion: 1,
    producer: { name: 'soc2-evidence', version: '0.1.0' },
    generatedAt: '2026-01-07T00:00:00Z',
    bucket: 'evidence-bucket-example',
    period: { from: '2026-01-01', to: '2026-01-06' },
    filters: {},
    trust: { source: 'test', producers: {}, unbound: 0 },
    objects: [...objects],
    coverage: [],
    periodReport: NO_EXCEPTIONS,
    summary: { objects: objects.length, integrityProblems, gaps: 2 },
  };
  const report = computeCoverage({
    from: '2026-01-01',
    to: '2026-01-06',
    schedules: { 'iam-mfa': { expression: 'cron(0 6 ? * MON-FRI *)', timeZone: 'UTC' } },
    envelopes: objects.map((o) => ({ collector: 'iam-mfa', date: o.date!, status: o.status! })),
  });
  return { manifest, report };
}
