import { sha256Hex } from '../../lambdas/evidence/canonical-json';
import { DIGEST_PREFIX, isLate, parseDigestKey } from '../../lambdas/evidence/digest';
import { checkEnvelope, type SourceFacts } from '../../lambdas/evidence/envelope-check';
import { EVIDENCE_PREFIX, parseEvidenceKey } from '../../lambdas/evidence/keys';
import { judgeSignature } from '../../lambdas/evidence/signature-check';
import { producerOfKey, signatureProblem } from '../package/checks';
import {
  COVERAGE_FILE,
  EXCEPTIONS_FILE,
  INDEX_FILE,
  MANIFEST_FILE,
  OSCAL_FILE,
  recordedOutcome,
  SUMS_FILE,
  type RunRecord,
} from '../package/manifest';
import { withinFilters, type ChainResult } from './chain';
import type { Envelope } from '../../lambdas/evidence/envelope';
import { ACCOUNTS_KIND } from '../../lambdas/organization/contract';
import type { VerifyContext } from './context';

/** The package's own files: views of the evidence, each checked against what verify recomputes. */
const VIEW_FILES: ReadonlySet<string> = new Set([
  MANIFEST_FILE,
  SUMS_FILE,
  COVERAGE_FILE,
  INDEX_FILE,
  EXCEPTIONS_FILE,
  OSCAL_FILE,
]);
export const KEY_FILE = /^keys\/[^/]+\.pem$/;

const NOT_ACCOUNTED = 'not accounted for by the digest chain';

/** A run an envelope proves: what coverage reads, and the key it came from (coverage takes the latest). */
export interface ProvenRun extends RunRecord {
  readonly key: string;
  /** Account lists only (organization mode): the proven envelope, which coverage reads the accounts of. */
  readonly listEnvelope?: Envelope;
}

/** The day an evidence key's folder names, for any key under `evidence/YYYY/MM/DD/`. */
function dayOfPath(path: string): string | undefined {
  const m = /^evidence\/(\d{4})\/(\d{2})\/(\d{2})\//.exec(path);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

interface Candidate {
  readonly key: string;
  readonly sha256: string;
  readonly bytes: number;
  /** What vouches for the size and digest: a digest's key, or manifest.json on an unsealed day. */
  readonly source: string;
  /** Proven by a verified digest (false: an unsealed day, or a digest that did not verify). */
  readonly chained: boolean;
  /**
   * The signature the listing digest sealed with the object (`{}`: none, the object was unsigned when its
   * day was sealed); absent for an object of an unsealed day, whose only signature is the manifest's.
   */
  readonly sealed?: { readonly signature?: string };
  readonly late?: string;
}

/**
 * Every file of the package must be accounted for, and every object a digest lists must be present with the
 * digest's SHA-256, signed by its producer's pinned key; envelopes must be well formed. Returns the runs
 * that passed every check: the only input of the recomputed coverage.
 */
export async function checkObjects(ctx: VerifyContext, chain: ChainResult): Promise<ProvenRun[]> {
  const { problems, manifest } = ctx;
  const candidates = new Map<string, Candidate>();
  for (const [key, { entry, digestKey, proven }] of chain.listed) {
    const parsed = parseEvidenceKey(key);
    const late = entry.late || (parsed !== undefined && isLate(parsed.date, entry.lastModified));
    candidates.set(key, {
      key,
      sha256: entry.sha256,
      bytes: entry.bytes,
      source: digestKey,
      chained: proven,
      sealed: entry.signature !== undefined ? { signature: entry.signature } : {},
      ...(late ? { late: `written ${entry.lastModified}, after its day ${parsed?.date ?? ''}` } : {}),
    });
  }

  // Files the chain does not list: views, digests, an unsealed day's objects, or nothing it can account for.
  for (const [path] of ctx.tree.files) {
    if (candidates.has(path) || VIEW_FILES.has(path) || KEY_FILE.test(path)) continue;
    if (path.startsWith(DIGEST_PREFIX) && parseDigestKey(path)) continue;
    const day = dayOfPath(path);
    const account = parseEvidenceKey(path)?.account;
    const unsealed =
      day !== undefined && (chain.unsealed.get(day) ?? []).some((a) => !account || a === account);
    const recorded = ctx.byKey.get(path);
    if (unsealed && recorded && withinFilters(path, manifest.filters)) {
      const late = recorded.lastModified !== undefined && isLate(day, recorded.lastModified);
      candidates.set(path, {
        key: path,
        sha256: recorded.sha256,
        bytes: recorded.bytes,
        source: MANIFEST_FILE,
        chained: false,
        ...(late ? { late: `written ${recorded.lastModified}, after its day ${day}` } : {}),
      });
      continue;
    }
    const why = !path.startsWith(EVIDENCE_PREFIX)
      ? 'it is no evidence object, digest or file of the package'
      : unsealed
        ? `its day is not sealed and ${MANIFEST_FILE} does not list it`
        : 'no digest of the period lists it';
    problems.integrity(`${path}: ${NOT_ACCOUNTED} (${why})`);
  }

  // Present with the recorded size and SHA-256; the facts envelopes' sources are checked against.
  const facts = new Map<string, SourceFacts>();
  for (const c of candidates.values()) facts.set(c.key, { sha256: c.sha256, bytes: c.bytes });
  const verified = new Map<string, Buffer>();
  for (const c of candidates.values()) {
    const recorded = ctx.byKey.get(c.key);
    if (!ctx.tree.files.has(c.key)) {
      const pulled = recorded?.downloadError
        ? ` (pull could not download it: ${recorded.downloadError})`
        : '';
      problems.integrity(`${c.key}: missing: listed by ${c.source}${pulled}`);
      ctx.missing.add(c.key);
      continue;
    }
    const body = await ctx.read(c.key, c.bytes, c.source);
    if (!body) continue;
    const sha256 = sha256Hex(body);
    if (sha256 !== c.sha256) {
      problems.integrity(`${c.key}: SHA-256 ${sha256} differs from ${c.source} (${c.sha256})`);
      continue;
    }
    if (!recorded) {
      problems.integrity(
        `${c.key}: not listed in ${MANIFEST_FILE}, so it carries no signature to check (listed by ${c.source})`,
      );
      continue;
    }
    if (recorded.sha256 !== sha256)
      problems.integrity(
        `${MANIFEST_FILE}: records SHA-256 ${recorded.sha256} for ${c.key}; the file and ${c.source} have ${sha256}`,
      );
    verified.set(c.key, body);
  }

  const runs: ProvenRun[] = [];
  for (const [key, body] of verified) {
    const c = candidates.get(key)!;
    const producer = producerOfKey(key);
    const offered = ctx.byKey.get(key)!.signature;
    // The signature sealed with the object is the one judged; the manifest's is only a copy of it.
    const signature = c.sealed ? c.sealed.signature : offered;
    if (c.sealed && offered !== c.sealed.signature)
      problems.integrity(
        `${key}: ${MANIFEST_FILE} records a signature that ${c.source} did not seal (${
          c.sealed.signature === undefined ? 'it sealed none: the object was unsigned' : 'it sealed another'
        }): the sealed one is judged`,
      );
    const judgement = judgeSignature(body, signature, producer, ctx.anchor);
    const issue = signatureProblem(key, judgement, producer);
    if (issue) problems.integrity(`${key}: ${issue}`);
    const parsed = parseEvidenceKey(key);
    if (!parsed || parsed.source !== undefined) {
      if (c.late) problems.gap(`${key}: ${c.late} (${c.source} marks it late)`);
      continue;
    }
    const check = checkEnvelope(key, body, facts);
    for (const p of check.problems) problems.integrity(`${key}: ${p}`);
    if (c.late) problems.gap(`${key}: ${c.late}: a late envelope proves no run`);
    const envelope = check.envelope;
    // Only a verified digest proves a run: an unsealed day's envelope is accounted for, never counted.
    if (issue || check.result !== 'ok' || c.late || !envelope || !c.chained) continue;
    runs.push({
      key,
      kind: 'envelope',
      collector: parsed.collector,
      account: parsed.account,
      date: parsed.date,
      ...recordedOutcome(envelope.summary),
      ...(envelope.schedule ? { schedule: envelope.schedule } : {}),
      ...(parsed.collector === ACCOUNTS_KIND ? { listEnvelope: envelope } : {}),
      checks: { envelope: check.result, custody: 'sealed' },
    });
  }
  return runs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
