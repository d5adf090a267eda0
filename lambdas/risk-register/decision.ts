/**
 * The risk register's decision, validated: one pure module shared by the function (which must refuse what
 * it cannot record) and the CLI (which fails fast, before any AWS call, with the same one-line errors). A
 * valid decision is returned exactly as given, never trimmed or rewritten, so the SHA-256 the CLI binds into
 * its signed STS request is the SHA-256 of what the function records.
 */
import { checkById } from '../collectors/kinds';
import { canonicalJson, sha256Hex } from '../evidence/canonical-json';
import { RISK_ACCEPTANCE_KIND, type RiskDecision } from '../evidence/risk-acceptance';

/** A decision as the CLI sends it: everything but who recorded it, which only the function may say. */
export type DecisionRequest = Omit<RiskDecision, 'recordedBy'>;

/** A decision that cannot be recorded; the message is one line naming the option and the form it expects. */
export class DecisionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecisionError';
  }
}

export const MAX_RESOURCE_CHARS = 1024;
export const MAX_REASON_CHARS = 1000;
/**
 * The longest an acceptance may run, in days after the day it is recorded: a year at most, so a risk is
 * decided again at least yearly (a Type II period is usually twelve months), and so that `pull`, which
 * looks back this many days before a period for acceptances and revocations (ACCEPTANCE_LOOKBACK_DAYS),
 * finds every acceptance still in force during it.
 */
export const MAX_ACCEPTANCE_DAYS = 365;

const FIELDS = ['action', 'check', 'resource', 'owner', 'reason', 'expires'] as const;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const EMAIL = /^[^\s@<>()[\]",;:\\]+@[^\s@<>()[\]",;:\\]+\.[^\s@<>()[\]",;:\\]+$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

const shown = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));

/** The UTC day of `date`, YYYY-MM-DD. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** `day` plus `days` (UTC), YYYY-MM-DD. */
export function addUtcDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return utcDay(d);
}

/** A real calendar day in YYYY-MM-DD form. */
function isDay(value: string): boolean {
  const m = DAY.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return utcDay(d) === value;
}

function text(
  fields: Record<string, unknown>,
  name: 'check' | 'resource' | 'owner' | 'reason',
  what: string,
): string {
  const v = fields[name];
  if (v === undefined || v === null || v === '') throw new DecisionError(`--${name} is required: ${what}`);
  if (typeof v !== 'string') throw new DecisionError(`--${name} must be text: ${what}, got ${shown(v)}`);
  return v;
}

/**
 * The decision in `input` (an accept or a revoke), checked as of `now`: the check is a check id of the
 * catalogue, the resource a name or `*`/`?` pattern of at most MAX_RESOURCE_CHARS, the owner an email
 * address, the reason non-empty and at most MAX_REASON_CHARS, and for an acceptance `expires` a day after
 * today (UTC) and at most MAX_ACCEPTANCE_DAYS ahead; a revocation takes no `expires`. Throws a DecisionError
 * naming the first field that is wrong.
 */
export function validateDecision(input: unknown, now: Date): DecisionRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new DecisionError('the decision must be a JSON object with action, check, resource, owner, reason');
  const fields = input as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((k) => !(FIELDS as readonly string[]).includes(k));
  if (unknown.length > 0)
    throw new DecisionError(
      `the decision has unknown fields (${unknown.join(', ')}); expected ${FIELDS.join(', ')}`,
    );
  const action = fields.action;
  if (action !== 'accept' && action !== 'revoke')
    throw new DecisionError(`the decision's action must be "accept" or "revoke", got ${shown(action)}`);

  const check = text(fields, 'check', 'a check id of the catalogue (soc2-evidence controls lists them)');
  const declared = checkById(check);
  if (!declared)
    throw new DecisionError(
      `--check ${JSON.stringify(check)} is not a check id of the catalogue (soc2-evidence controls lists them)`,
    );
  if (declared.kinds.some((k) => k.id === RISK_ACCEPTANCE_KIND))
    throw new DecisionError(
      `--check ${check} is the risk register's own check; give the check whose failures are accepted`,
    );

  const resourceForm = `the resource as findings name it, or a pattern where * and ? match (1 to ${MAX_RESOURCE_CHARS} characters)`;
  const resource = text(fields, 'resource', resourceForm);
  if (resource.length > MAX_RESOURCE_CHARS || CONTROL.test(resource))
    throw new DecisionError(
      `--resource must be ${resourceForm}, on one line; got ${resource.length} characters`,
    );

  const owner = text(fields, 'owner', 'an email address such as security-lead@example.com');
  if (owner.length > 254 || !EMAIL.test(owner))
    throw new DecisionError(
      `--owner must be an email address such as security-lead@example.com, got ${JSON.stringify(owner)}`,
    );

  const reasonForm = `why, in 1 to ${MAX_REASON_CHARS} characters`;
  const reason = text(fields, 'reason', reasonForm);
  if (reason.trim() === '' || reason.length > MAX_REASON_CHARS)
    throw new DecisionError(`--reason must say ${reasonForm}; got ${reason.length} characters`);

  const expires = fields.expires;
  const today = utcDay(now);
  const latest = addUtcDays(today, MAX_ACCEPTANCE_DAYS);
  if (action === 'revoke') {
    if (expires !== undefined)
      throw new DecisionError(
        '--expires is not taken by revoke: a revocation is in force from the day it is recorded',
      );
    return { action, check, resource, owner, reason };
  }
  const expiresForm = `the last day the acceptance is in force, YYYY-MM-DD, after today (${today} UTC) and at most ${MAX_ACCEPTANCE_DAYS} days ahead (${latest})`;
  if (expires === undefined || expires === null || expires === '')
    throw new DecisionError(`--expires is required with accept: ${expiresForm}`);
  if (typeof expires !== 'string' || !isDay(expires))
    throw new DecisionError(`--expires ${shown(expires)} is not a date; expected ${expiresForm}`);
  if (expires <= today)
    throw new DecisionError(
      `--expires ${expires} is not after today (${today} UTC); expected ${expiresForm}`,
    );
  if (expires > latest)
    throw new DecisionError(
      `--expires ${expires} is more than ${MAX_ACCEPTANCE_DAYS} days ahead; the latest is ${latest} (record a new acceptance then)`,
    );
  return { action, check, resource, owner, reason, expires };
}

/**
 * The hex SHA-256 of the decision's canonical JSON (without recordedBy): what the CLI puts in the signed
 * `x-soc2-evidence-decision` header of its STS request, and what the function recomputes, so a signed
 * request proves who asked for this decision and no other.
 */
export function decisionDigest(decision: DecisionRequest): string {
  return sha256Hex(canonicalJson(decision));
}
