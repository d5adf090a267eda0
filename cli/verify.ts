import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Command } from 'commander';
import { messageOf } from '../lambdas/aws/aws-error';
import { sha256Hex } from '../lambdas/evidence/canonical-json';
import { parseEvidenceKey } from '../lambdas/evidence/keys';
import { checkInputDir } from './arguments';
import { CliError } from './cli-error';
import { checkEnvelope, producerOfKey, signatureProblem } from './package/checks';
import { judgeSignature } from '../lambdas/evidence/signature-check';
import { loadTrustAnchor, type TrustOptions } from './trust/load';
import { EXIT_INTEGRITY, MANIFEST_FILE, parseSums, SUMS_FILE, type Manifest } from './package/manifest';

/** What `verify <dir>` expects. */
const PACKAGE_FORM = `the package directory written by pull (with ${MANIFEST_FILE} and ${SUMS_FILE})`;

export type VerifyOptions = TrustOptions;

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() || e.isSymbolicLink())
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

/**
 * Re-checks a pulled package offline. Every file listed in SHA256SUMS must be present with its digest,
 * nothing else may be there, the manifest must agree with SHA256SUMS, every signature must verify and
 * every envelope must still be its canonical self with matching sources. Prints one line per problem,
 * naming the file; returns 0 only when there is none (4 otherwise).
 */
export async function verify(
  dir: string,
  options: VerifyOptions,
  out: (line: string) => void,
): Promise<number> {
  const root = checkInputDir('verify', dir, PACKAGE_FORM);
  const lacking = [MANIFEST_FILE, SUMS_FILE].filter((f) => !existsSync(join(root, f)));
  if (lacking.length > 0)
    throw new CliError(
      `verify ${dir} is not an evidence package: it has no ${lacking.join(' or ')}; expected the package directory written by pull`,
    );
  const problems: string[] = [];
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(root, MANIFEST_FILE), 'utf8')) as Manifest;
  } catch (err) {
    throw new CliError(`${MANIFEST_FILE} is not valid JSON: ${messageOf(err)}`);
  }
  const sums = parseSums(await readFile(join(root, SUMS_FILE), 'utf8'));
  problems.push(...sums.problems);

  const present = new Set(await filesUnder(root));
  const actual = new Map<string, string>();
  for (const [path, expected] of sums.entries) {
    if (!present.has(path)) {
      problems.push(`${path}: missing (listed in ${SUMS_FILE})`);
      continue;
    }
    const digest = sha256Hex(await readFile(join(root, ...path.split('/'))));
    actual.set(path, digest);
    if (digest !== expected)
      problems.push(`${path}: SHA-256 ${digest} differs from ${SUMS_FILE} (${expected})`);
  }
  for (const path of present) {
    if (path !== SUMS_FILE && !sums.entries.has(path))
      problems.push(`${path}: extra file, not in ${SUMS_FILE}`);
  }

  const anchor = loadTrustAnchor('verify', options);

  const listedObjects = manifest.objects ?? [];
  // What pull could not download or already found wrong stays a problem: a package is never cleaner than
  // the pull that made it.
  for (const o of listedObjects) {
    if (o.downloadError) problems.push(`${o.key}: not downloaded by pull: ${o.downloadError}`);
    for (const p of o.problems ?? []) {
      if (o.downloadError && p.startsWith('download failed')) continue;
      problems.push(`${o.key}: pull found: ${p}`);
    }
  }
  const recorded = listedObjects.filter((o) => (o.problems ?? []).length > 0 || o.downloadError).length;
  if (manifest.summary && manifest.summary.integrityProblems !== recorded)
    problems.push(
      `${MANIFEST_FILE}: summary counts ${manifest.summary.integrityProblems} objects with problems, its objects record ${recorded}`,
    );
  const objects = listedObjects.filter((o) => !o.downloadError);
  const bodies = new Map<string, { sha256: string; bytes: number }>();
  for (const o of objects) {
    const sum = sums.entries.get(o.key);
    if (sum === undefined) {
      if (present.has(o.key)) problems.push(`${o.key}: in ${MANIFEST_FILE} but not in ${SUMS_FILE}`);
      else problems.push(`${o.key}: missing (listed in ${MANIFEST_FILE})`);
      continue;
    }
    if (sum !== o.sha256)
      problems.push(`${o.key}: ${SUMS_FILE} says ${sum}, ${MANIFEST_FILE} says ${o.sha256}`);
    const got = actual.get(o.key);
    if (got !== undefined) bodies.set(o.key, { sha256: got, bytes: o.bytes });
  }
  for (const o of objects) {
    if (!actual.has(o.key)) continue;
    const body = await readFile(join(root, ...o.key.split('/')));
    const parsed = parseEvidenceKey(o.key);
    const producer = producerOfKey(o.key);
    const issue = signatureProblem(o.key, judgeSignature(body, o.signature, producer, anchor), producer);
    if (issue) problems.push(`${o.key}: ${issue}`);
    if (o.kind === 'envelope' || (parsed && parsed.source === undefined)) {
      for (const p of checkEnvelope(o.key, body, bodies).problems) problems.push(`${o.key}: ${p}`);
    }
  }

  for (const line of problems) out(line);
  out(`signatures were judged against the trust anchor: ${anchor.source}`);
  out(
    problems.length === 0
      ? `verified ${objects.length} objects in ${root}: every digest and signature holds, no file missing or added`
      : `${problems.length} problem(s) in ${root}`,
  );
  return problems.length === 0 ? 0 : EXIT_INTEGRITY;
}

/** The `verify` command. */
export function registerVerify(program: Command, out: (line: string) => void): void {
  program
    .command('verify')
    .description(
      'Re-check a pulled package offline: digests, signatures, no file missing or added. Exit 4 on any problem.',
    )
    .argument('<dir>', 'the package directory written by pull')
    .option('--trust <file>', "the producers' signing keys you pinned with 'soc2-evidence pin'")
    .option(
      '--public-key <file>',
      "a PEM public key from 'aws kms get-public-key', trusted for every producer (repeatable)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .action(async (dir: string, opts: TrustOptions) => {
      process.exitCode = await verify(dir, opts, out);
    });
}
