import { matchesIamPattern as matches } from '../../iam-policy/patterns';

/** What a bucket policy says about plain-HTTP access. */
export interface TlsOnlyAnalysis {
  readonly tlsOnly: boolean;
  /** The condition that makes it TLS-only. */
  readonly form?: 'aws:SecureTransport' | 's3:TlsVersion';
  /** For the s3:TlsVersion form, the lowest version still allowed. */
  readonly minimumTlsVersion?: number;
  /** Sid (or index) of the statement that does it. */
  readonly statement?: string;
  /** Statements that look like a TLS-only rule but are not, and why: what an auditor would ask about. */
  readonly nearMisses: readonly string[];
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
type Statement = Record<string, Json>;

function list(value: Json | undefined): Json[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function strings(value: Json | undefined): string[] {
  return list(value).filter((v): v is string => typeof v === 'string');
}

function everyone(principal: Json | undefined): boolean {
  if (principal === '*') return true;
  if (principal && typeof principal === 'object' && !Array.isArray(principal)) {
    const aws = strings(principal.AWS);
    return aws.length > 0 && aws.includes('*');
  }
  return false;
}

/** The deny must reach object reads and writes: those carry the data. */
const OBJECT_ACTIONS = ['s3:GetObject', 's3:PutObject'];

function conditionForm(
  condition: Json | undefined,
): { form: TlsOnlyAnalysis['form']; minimum?: number } | { problem: string } {
  if (!condition || typeof condition !== 'object' || Array.isArray(condition))
    return { problem: 'no condition' };
  const entries = Object.entries(condition).flatMap(([operator, keys]) =>
    keys && typeof keys === 'object' && !Array.isArray(keys)
      ? Object.entries(keys).map(([key, value]) => ({ operator, key: key.toLowerCase(), value }))
      : [],
  );
  // Every condition of a Deny must hold for it to apply: any extra one narrows it to some requests only.
  if (entries.length !== 1) return { problem: `${entries.length} condition keys (exactly one expected)` };
  const [c] = entries as [(typeof entries)[number]];
  const values = list(c.value).map((v) => String(v).toLowerCase());
  if (/^bool(ifexists)?$/i.test(c.operator) && c.key === 'aws:securetransport') {
    return values.length > 0 && values.every((v) => v === 'false')
      ? { form: 'aws:SecureTransport' }
      : { problem: 'aws:SecureTransport is not compared with false' };
  }
  if (/^numericlessthan(ifexists)?$/i.test(c.operator) && c.key === 's3:tlsversion') {
    const numbers = values.map(Number);
    const minimum = Math.min(...numbers);
    return numbers.length > 0 && numbers.every(Number.isFinite) && minimum >= 1.2
      ? { form: 's3:TlsVersion', minimum }
      : { problem: `s3:TlsVersion limit ${values.join(', ')} is below 1.2` };
  }
  return { problem: `condition ${c.operator} ${c.key} is not a TLS requirement` };
}

/**
 * Whether a bucket policy denies every non-TLS request to the bucket's objects: a Deny for Principal `*`
 * covering s3:GetObject and s3:PutObject on the bucket's objects, under `Bool aws:SecureTransport false` or
 * `NumericLessThan s3:TlsVersion` 1.2 or higher, and no other condition. A missing policy is not TLS-only.
 */
export function analyseBucketPolicy(policy: string | undefined, bucketArn: string): TlsOnlyAnalysis {
  if (!policy) return { tlsOnly: false, nearMisses: [] };
  let doc: Json;
  try {
    doc = JSON.parse(policy) as Json;
  } catch {
    return { tlsOnly: false, nearMisses: ['the policy is not valid JSON'] };
  }
  const statements =
    doc && typeof doc === 'object' && !Array.isArray(doc)
      ? list(doc.Statement).filter((s): s is Statement => !!s && typeof s === 'object' && !Array.isArray(s))
      : [];
  const nearMisses: string[] = [];
  const objectArn = `${bucketArn}/any-object`;
  for (const [i, s] of statements.entries()) {
    const name = typeof s.Sid === 'string' && s.Sid ? s.Sid : `#${i}`;
    const condition = conditionForm(s.Condition);
    if ('problem' in condition) {
      // A statement not about TLS at all is not worth reporting; one that nearly is, is.
      if (/securetransport|tlsversion/i.test(JSON.stringify(s.Condition ?? null)))
        nearMisses.push(`${name}: ${condition.problem}`);
      continue;
    }
    const problems: string[] = [];
    if (s.Effect !== 'Deny') problems.push(`Effect is ${JSON.stringify(s.Effect ?? null)}, not Deny`);
    if (s.NotPrincipal !== undefined) problems.push('uses NotPrincipal');
    else if (!everyone(s.Principal)) problems.push('Principal is not "*"');
    if (s.NotAction !== undefined) problems.push('uses NotAction');
    else {
      const actions = strings(s.Action);
      const missing = OBJECT_ACTIONS.filter((a) => !actions.some((p) => matches(p, a, true)));
      if (missing.length > 0) problems.push(`Action does not cover ${missing.join(', ')}`);
    }
    if (s.NotResource !== undefined) problems.push('uses NotResource');
    else if (!strings(s.Resource).some((r) => matches(r, objectArn, false)))
      problems.push("Resource does not cover the bucket's objects");
    if (problems.length > 0) {
      nearMisses.push(`${name}: ${problems.join('; ')}`);
      continue;
    }
    return {
      tlsOnly: true,
      form: condition.form,
      ...(condition.minimum !== undefined ? { minimumTlsVersion: condition.minimum } : {}),
      statement: name,
      nearMisses,
    };
  }
  return { tlsOnly: false, nearMisses };
}
