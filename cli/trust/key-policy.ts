/**
 * Whether a signing key's policy lets the audited company's administrators forge evidence. The stack's
 * policy (lib/signing-keys.ts) gives the account root only reads and housekeeping, kms:Sign to one producer
 * role, administration to an optional break-glass role, and denies changing the key to everyone but the
 * break-glass role. What matters to an auditor is what would let someone else sign:
 * - an Allow of kms:Sign, kms:PutKeyPolicy or kms:CreateGrant (directly or through a wildcard such as kms:*)
 *   to the account root, because then any IAM policy in the account can grant it (or to everyone, `*`);
 * - an Allow of kms:CreateGrant to any principal at all: a grant gives kms:Sign to whoever its holder names,
 *   outside the key policy, and the producers need none;
 * - more than one principal that may change the policy (kms:PutKeyPolicy): one break-glass role at most;
 * - a principal that may change the policy and also sign: a break-glass role that signs is a second signer,
 *   with nothing in the policy's history to show it;
 * - more than one principal that may sign.
 * Conditions are not weighed: an Allow that holds under some condition is an Allow.
 */

/** The actions that let their holder sign, or give signing to someone else. */
const FORGING_ACTIONS = ['kms:Sign', 'kms:PutKeyPolicy', 'kms:CreateGrant'] as const;

interface Statement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
}

export interface KeyPolicyJudgement {
  /** Why an administrator could use the key to forge; empty when the policy is locked. */
  readonly unlocked: readonly string[];
  /** Weaknesses that do not let anyone forge today (e.g. no explicit Deny of policy changes). */
  readonly notes: readonly string[];
}

const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

function globMatches(pattern: string, action: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(action);
}

/** The patterns of `st` that grant `action` (for NotAction: the statement itself, when it does not exclude it). */
function grantingPatterns(st: Statement, action: string): string[] {
  if (st.NotAction !== undefined) {
    const excluded = list(st.NotAction).some((p) => globMatches(p, action));
    return excluded ? [] : [`NotAction ${JSON.stringify(st.NotAction)}`];
  }
  return list(st.Action).filter((p) => globMatches(p, action));
}

/** The principals a statement names: `*` for everyone (and for NotPrincipal, everyone but some). */
function principalsOf(st: Statement): string[] {
  if (st.NotPrincipal !== undefined) return ['*'];
  const p = st.Principal;
  if (p === '*') return ['*'];
  if (!p || typeof p !== 'object') return [];
  return Object.entries(p as Record<string, string | string[]>).flatMap(([type, v]) =>
    list(v).map((id) => (type === 'AWS' ? id : `${type}:${id}`)),
  );
}

function isAccountRoot(principal: string): boolean {
  return (
    principal === '*' || /^\d{12}$/.test(principal) || /^arn:aws[a-z-]*:iam::\d{12}:root$/.test(principal)
  );
}

/** How the patterns of `st` that grant `action` are said: `kms:*`, or `kms:CreateGrant through kms:*`. */
function through(st: Statement, action: string): string {
  const patterns = grantingPatterns(st, action);
  return patterns.length === 1 && patterns[0] === action
    ? action
    : `${action} (through ${patterns.join(', ')})`;
}

const who = (principal: string) =>
  principal === '*' ? 'everyone (Principal "*")' : `the account root (${principal})`;
const named = (st: Statement) => (st.Sid ? ` (statement "${st.Sid}")` : '');

export function judgeKeyPolicy(policyText: string): KeyPolicyJudgement {
  let statements: Statement[];
  try {
    const doc = JSON.parse(policyText) as { Statement?: Statement | Statement[] };
    statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  } catch {
    return { unlocked: ['the key policy is not JSON, so it cannot be judged'], notes: [] };
  }
  const unlocked: string[] = [];
  const changers = new Set<string>();
  const signers = new Set<string>();
  for (const st of statements) {
    if (st.Effect !== 'Allow') continue;
    for (const principal of principalsOf(st)) {
      const granted = FORGING_ACTIONS.filter((a) => grantingPatterns(st, a).length > 0);
      if (granted.length === 0) continue;
      if (isAccountRoot(principal)) {
        const patterns = [...new Set(granted.flatMap((a) => grantingPatterns(st, a)))];
        unlocked.push(
          `the key policy allows ${patterns.join(', ')} to ${who(principal)}${named(st)}, so ${
            principal === '*' ? 'anyone' : "any IAM policy in the account (an administrator's)"
          } can have ${granted.join(', ')}`,
        );
        continue;
      }
      if (granted.includes('kms:CreateGrant'))
        unlocked.push(
          `the key policy allows ${through(st, 'kms:CreateGrant')} to ${principal}${named(st)}, so it can give kms:Sign to anyone with a grant; the stack allows kms:CreateGrant to nobody`,
        );
      if (granted.includes('kms:PutKeyPolicy')) changers.add(principal);
      if (granted.includes('kms:Sign')) signers.add(principal);
    }
  }
  if (changers.size > 1)
    unlocked.push(
      `${changers.size} principals may change the key policy (kms:PutKeyPolicy): ${[...changers].join(', ')}; one break-glass role at most`,
    );
  const signingChangers = [...changers].filter((c) => signers.has(c));
  for (const c of signingChangers)
    unlocked.push(
      `${c} may both change the key policy (kms:PutKeyPolicy) and sign (kms:Sign): a break-glass role that can sign is a second signer; give it administration without kms:Sign`,
    );
  // A changer that signs is said above; the others must be one producer role.
  const producers = [...signers].filter((s) => !signingChangers.includes(s));
  if (producers.length > 1)
    unlocked.push(
      `${producers.length} principals may sign (kms:Sign): ${producers.join(', ')}; one producer role at most`,
    );
  const denied = statements.some(
    (st) =>
      st.Effect === 'Deny' &&
      principalsOf(st).includes('*') &&
      grantingPatterns(st, 'kms:PutKeyPolicy').length > 0,
  );
  const notes = denied
    ? []
    : ['no explicit Deny of kms:PutKeyPolicy to every principal but the break-glass role'];
  return { unlocked, notes };
}
