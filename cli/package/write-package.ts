import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { sha256Hex } from '../../lambdas/evidence/canonical-json';
import type { PackageFindings } from './findings';
import { renderIndexHtml, type AccountCoverage } from './index-html';
import {
  COVERAGE_FILE,
  EXCEPTIONS_FILE,
  INDEX_FILE,
  MANIFEST_FILE,
  OSCAL_FILE,
  renderSums,
  SUMS_FILE,
  type Manifest,
} from './manifest';
import type { PeriodReport } from '../period/model';
import { exceptionsCsv } from '../period/exceptions-csv';
import { oscalAssessmentResults } from '../period/oscal';

/** Written beside and renamed into place, so a package never holds half a file. */
export async function writeAtomic(path: string, body: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.partial`;
  await writeFile(tmp, body);
  await rename(tmp, path);
}

/** One row per account, collector and day of the period: what the calendar in index.html shows. */
export function coverageCsv(reports: readonly AccountCoverage[]): string {
  const lines = ['account,collector,date,expected,status,runs'];
  for (const { account, report } of reports) {
    for (const c of report.cells)
      lines.push([account, c.collector, c.date, c.expected, c.status, c.runs].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** The OSCAL document of a package: its metadata from the manifest, so verify renders the same bytes. */
export function packageOscal(manifest: Manifest, period: PeriodReport): string {
  return oscalAssessmentResults(period, {
    generatedAt: manifest.generatedAt,
    bucket: manifest.bucket,
    toolVersion: manifest.producer.version,
  });
}

/**
 * Writes the package's own files beside the downloaded objects: `extraFiles` (the public keys),
 * coverage.csv, the period report (exceptions.csv and its OSCAL document), index.html (the only file that shows `findings`), manifest.json, and last SHA256SUMS,
 * which lists every one of them and every downloaded object, so `sha256sum -c` alone proves the package
 * intact.
 */
export async function writePackage(
  root: string,
  manifest: Manifest,
  reports: readonly AccountCoverage[],
  extraFiles: ReadonlyMap<string, string>,
  findings: PackageFindings,
  period: PeriodReport,
): Promise<void> {
  const generated = new Map<string, string>([
    ...extraFiles,
    [COVERAGE_FILE, coverageCsv(reports)],
    [EXCEPTIONS_FILE, exceptionsCsv(period)],
    [OSCAL_FILE, packageOscal(manifest, period)],
    [INDEX_FILE, renderIndexHtml(manifest, reports, findings, period)],
    [MANIFEST_FILE, `${JSON.stringify(manifest, null, 2)}\n`],
  ]);
  for (const [name, text] of generated) await writeAtomic(join(root, name), text);
  const sums = [
    ...manifest.objects.filter((o) => !o.downloadError).map((o) => ({ path: o.key, sha256: o.sha256 })),
    ...[...generated].map(([path, text]) => ({ path, sha256: sha256Hex(text) })),
  ];
  await writeAtomic(join(root, SUMS_FILE), renderSums(sums));
}
