/**
 * Accepted risks: a person's decision that a failing check on a resource is accepted until a date, recorded
 * as its own signed evidence object. Acceptance never changes a finding: the envelopes keep saying FAIL, the
 * period report shows the exception as accepted while a decision is in force, and the auditor sees both.
 *
 * Contracts (issue 17): the kind id, the producer id, the decision's shape in the envelope's `policy`, and
 * the check ids of its one INFO finding. The risk-register function (lambdas/risk-register/) writes and
 * signs these, invoked by `soc2-evidence exception accept|revoke`; it records who asked, proven by AWS STS.
 */

/** The evidence kind: the `<collector>` key segment of every acceptance and revocation. */
export const RISK_ACCEPTANCE_KIND = 'risk-acceptance';
/** The producer whose signing key signs them (alias `alias/<stack>/signing/risk-register`). */
export const RISK_REGISTER_PRODUCER = 'risk-register';
/**
 * The risk register's function name in a stack: fixed, so `exception accept --stack` finds it. Here, not in
 * lib/, because the CLI needs it and the installed CLI has no CDK.
 */
export function riskRegisterFunctionName(stackName: string): string {
  return `${stackName}-${RISK_REGISTER_PRODUCER}`;
}

/** The criteria an acceptance supports: risk analysis (CC3.2) and risk mitigation (CC9.1). */
export const RISK_ACCEPTANCE_CONTROLS: readonly string[] = ['CC3.2', 'CC9.1'];

/** Check ids of the acceptance envelope's single INFO finding. */
export const RISK_ACCEPTED_CHECK = 'risk-accepted';
export const RISK_REVOKED_CHECK = 'risk-acceptance-revoked';

/** Who asked for the decision to be recorded. */
export interface RecordedBy {
  /** The caller's ARN as AWS STS GetCallerIdentity answered it (or `local:<login>` for `--dir`). */
  readonly arn: string;
  readonly account?: string;
  /** STS's UserId (an assumed role's is `<role id>:<session name>`). */
  readonly userId?: string;
  /**
   * The access key id the caller signed with: temporary credentials name their session, which CloudTrail's
   * AssumeRole (or Identity Center sign-in) event ties to who obtained them, whatever session name was chosen.
   */
  readonly accessKeyId?: string;
  /**
   * `sts-get-caller-identity`: the function replayed the caller's own SigV4-signed GetCallerIdentity
   * request, bound to this decision's SHA-256, and AWS answered with `arn`. `none`: written locally
   * (`--dir`), so nothing proves who ran the command.
   */
  readonly proof: 'sts-get-caller-identity' | 'none';
}

/** The decision, as stored in the envelope's `policy` (and echoed in the finding's detail). */
export interface RiskDecision {
  readonly action: 'accept' | 'revoke';
  /** A check id of the catalogue. */
  readonly check: string;
  /**
   * The resource as findings name it, exactly, or a pattern where `*` matches any run of characters and
   * `?` one character (nothing else is special).
   */
  readonly resource: string;
  /** Who owns the risk: an email address. */
  readonly owner: string;
  readonly reason: string;
  /** Accept only: the last UTC day (YYYY-MM-DD) the acceptance is in force, inclusive. */
  readonly expires?: string;
  readonly recordedBy: RecordedBy;
}

/** A verified acceptance or revocation, as the period report reads it from the package. */
export interface AcceptanceRecord extends RiskDecision {
  /** The evidence key of the envelope that records it (its day is the first day it is in force). */
  readonly key: string;
  readonly sha256: string;
  readonly account: string;
  /** The envelope's collectedAt. */
  readonly recordedAt: string;
}

/**
 * Whether `resource` matches `pattern` (`*` any run of characters, `?` one character), in at most
 * (pattern length × resource length) steps whatever the pattern (greedy star with one backtrack point, as
 * shells match globs): a stored pattern is signed and locked for years, so a pattern crafted to backtrack
 * must not be able to stall every pull and verify of its period, as a RegExp's exponential backtracking
 * would.
 */
export function resourceMatches(pattern: string, resource: string): boolean {
  let p = 0;
  let r = 0;
  let star = -1;
  let resume = 0;
  while (r < resource.length) {
    // A `*` of the pattern is a wildcard even where the resource holds a `*`: test it first.
    if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = r;
    } else if (p < pattern.length && (pattern[p] === '?' || pattern[p] === resource[r])) {
      p++;
      r++;
    } else if (star >= 0) {
      p = star + 1;
      r = ++resume;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/**
 * The decision an acceptance envelope records, read defensively (the envelope is data): undefined when
 * its policy is not a well-formed decision.
 */
export function decisionOf(policy: unknown): RiskDecision | undefined {
  if (typeof policy !== 'object' || policy === null) return undefined;
  const p = policy as Record<string, unknown>;
  const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
  if (p.action !== 'accept' && p.action !== 'revoke') return undefined;
  if (!str(p.check) || !str(p.resource) || !str(p.owner) || !str(p.reason)) return undefined;
  if (p.action === 'accept' && !(str(p.expires) && /^\d{4}-\d{2}-\d{2}$/.test(p.expires))) return undefined;
  const by = p.recordedBy as Record<string, unknown> | undefined;
  if (typeof by !== 'object' || by === null || !str(by.arn)) return undefined;
  if (by.proof !== 'sts-get-caller-identity' && by.proof !== 'none') return undefined;
  return {
    action: p.action,
    check: p.check,
    resource: p.resource,
    owner: p.owner,
    reason: p.reason,
    ...(p.action === 'accept' ? { expires: p.expires as string } : {}),
    recordedBy: {
      arn: by.arn,
      ...(str(by.account) ? { account: by.account } : {}),
      ...(str(by.userId) ? { userId: by.userId } : {}),
      ...(str(by.accessKeyId) ? { accessKeyId: by.accessKeyId } : {}),
      proof: by.proof,
    },
  };
}
