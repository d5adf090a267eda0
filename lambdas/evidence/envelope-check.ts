import { messageOf } from '../aws/aws-error';
import { canonicalJson } from './canonical-json';
import type { Envelope } from './envelope';
import { parseEvidenceKey, type ParsedEvidenceKey } from './keys';

/**
 * Whether an envelope is well formed where it is stored: its own canonical JSON, its key agreeing with its
 * content, and every source it names present with the recorded digest. `pull`, `verify` and the coverage
 * watchdog judge envelopes with this one function.
 */
export type EnvelopeVerdict = 'ok' | 'invalid-json' | 'not-canonical' | 'sources-mismatch' | 'key-mismatch';

/** What is known of a source object: its digest and size, or that it could not be read. */
export interface SourceFacts {
  readonly sha256: string;
  readonly bytes: number;
  readonly downloadError?: string;
}

export interface EnvelopeCheck {
  readonly result: EnvelopeVerdict;
  readonly envelope?: Envelope;
  readonly problems: string[];
  /** Source key → the digest the envelope records for it. */
  readonly sourceRefs: ReadonlyMap<string, string>;
}

/**
 * An envelope must be its own canonical JSON (so its digest can be recomputed by anyone who parses it),
 * must agree with its key, and every source it names must be present with the recorded digest and size.
 */
export function checkEnvelope(
  key: string,
  body: Uint8Array,
  objects: ReadonlyMap<string, SourceFacts>,
): EnvelopeCheck {
  const text = Buffer.from(body).toString('utf8');
  let envelope: Envelope;
  try {
    envelope = JSON.parse(text) as Envelope;
  } catch (err) {
    return {
      result: 'invalid-json',
      problems: [`not valid JSON: ${messageOf(err)}`],
      sourceRefs: new Map(),
    };
  }
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) {
    return { result: 'invalid-json', problems: ['not a JSON object'], sourceRefs: new Map() };
  }
  const problems: string[] = [];
  let result: EnvelopeCheck['result'] = 'ok';
  if (canonicalJson(envelope) !== text) {
    result = 'not-canonical';
    problems.push('the envelope is not its own canonical JSON: it was re-serialised or edited');
  }
  const parsed = parseEvidenceKey(key);
  const unbound = parsed ? keyBindingProblems(key, parsed, envelope) : [];
  // A signed envelope copied under another key still verifies: only its content ties it to its key.
  if (unbound.length > 0) {
    result = 'key-mismatch';
    problems.push(...unbound);
  }
  const sourceRefs = new Map<string, string>();
  for (const ref of Array.isArray(envelope.sources) ? envelope.sources : []) {
    if (typeof ref?.key !== 'string') continue;
    sourceRefs.set(ref.key, ref.sha256);
    const found = objects.get(ref.key);
    if (!found || found.downloadError) {
      problems.push(`source ${ref.key} named by the envelope is missing`);
    } else if (found.sha256 !== ref.sha256 || found.bytes !== ref.bytes) {
      problems.push(
        `source ${ref.key} has SHA-256 ${found.sha256} (${found.bytes} bytes), the envelope records ${ref.sha256} (${ref.bytes} bytes)`,
      );
    } else continue;
    if (result === 'ok') result = 'sources-mismatch';
  }
  return { result, envelope, problems, sourceRefs };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * What the key says (day, HHmmss, collector, account, region, run id, source stem) against what the signed
 * envelope says; each disagreement is one problem.
 */
function keyBindingProblems(key: string, parsed: ParsedEvidenceKey, envelope: Envelope): string[] {
  const problems: string[] = [];
  const at = typeof envelope.collectedAt === 'string' ? new Date(envelope.collectedAt) : new Date(NaN);
  if (Number.isNaN(at.getTime())) {
    problems.push(`collectedAt ${JSON.stringify(envelope.collectedAt)} is not a date`);
  } else {
    const date = at.toISOString().slice(0, 10);
    const time = `${pad2(at.getUTCHours())}${pad2(at.getUTCMinutes())}${pad2(at.getUTCSeconds())}`;
    if (date !== parsed.date || time !== parsed.time)
      problems.push(
        `the envelope was collected at ${envelope.collectedAt} but its key says ${parsed.date} ${parsed.time}Z: it is stored under another run's key`,
      );
  }
  const fields = [
    ['collector', envelope.collector, parsed.collector],
    ['account', envelope.account, parsed.account],
    ['region', envelope.region, parsed.region],
    ['producer.runId', envelope.producer?.runId, parsed.runId],
  ] as const;
  for (const [name, inEnvelope, inKey] of fields) {
    if (inEnvelope !== inKey)
      problems.push(`the envelope's ${name} is ${JSON.stringify(inEnvelope)} but its key says ${inKey}`);
  }
  const stem = key.replace(/\.json$/, '');
  for (const ref of Array.isArray(envelope.sources) ? envelope.sources : []) {
    const expected = `${stem}--${String(ref?.name)}`;
    if (ref?.key !== expected)
      problems.push(
        `source ${String(ref?.key)} does not share the envelope's key stem (expected ${expected})`,
      );
  }
  return problems;
}
