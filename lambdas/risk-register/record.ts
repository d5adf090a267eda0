/**
 * The risk register's core: a validated decision becomes one envelope of kind `risk-acceptance` with one INFO
 * finding, written (and, in the deployed function, signed) like every other evidence. `recordDecision` takes
 * who recorded it as given (the demo and `exception --dir` say `proof: 'none'`); `registerDecision` is what
 * the function runs: it proves who asked with STS before recording.
 */
import { draftEnvelope } from '../evidence/draft';
import type { Finding } from '../evidence/envelope';
import {
  RISK_ACCEPTANCE_CONTROLS,
  RISK_ACCEPTANCE_KIND,
  RISK_ACCEPTED_CHECK,
  RISK_REVOKED_CHECK,
  type RecordedBy,
  type RiskDecision,
} from '../evidence/risk-acceptance';
import type { EvidenceStore } from '../evidence/store';
import { writeEvidence, type WrittenEvidence } from '../evidence/write-evidence';
import type { RiskRegisterCheck } from './checks';
import { DecisionError, decisionDigest, validateDecision, type DecisionRequest } from './decision';
import { proveCaller, type ForwardedIdentity } from './identity';

export { DecisionError };

export interface RecordDecisionInput {
  readonly store: EvidenceStore;
  /** The account the register belongs to: the key's and the envelope's account. */
  readonly account: string;
  readonly decision: RiskDecision;
  readonly now: Date;
  readonly runId: string;
  readonly invocationId?: string;
}

function checkRecordedBy(by: unknown): RecordedBy {
  const b = by as Partial<Record<keyof RecordedBy, unknown>> | null;
  if (typeof b !== 'object' || b === null || typeof b.arn !== 'string' || b.arn === '')
    throw new DecisionError('recordedBy.arn is required: who recorded the decision');
  if (b.proof !== 'sts-get-caller-identity' && b.proof !== 'none')
    throw new DecisionError(
      `recordedBy.proof must be "sts-get-caller-identity" or "none", got ${JSON.stringify(b.proof)}`,
    );
  if (b.account !== undefined && (typeof b.account !== 'string' || !/^\d{12}$/.test(b.account)))
    throw new DecisionError(
      `recordedBy.account must be a 12-digit account id, got ${JSON.stringify(b.account)}`,
    );
  const optional = (name: 'userId' | 'accessKeyId', form: RegExp): Partial<RecordedBy> => {
    const v = b[name];
    if (v === undefined) return {};
    if (typeof v !== 'string' || !form.test(v))
      throw new DecisionError(`recordedBy.${name} must match ${form.source}, got ${JSON.stringify(v)}`);
    return { [name]: v };
  };
  return {
    arn: b.arn,
    ...(b.account ? { account: b.account } : {}),
    ...optional('userId', /^[\w+=,.@:-]{1,256}$/),
    ...optional('accessKeyId', /^[A-Z0-9]{16,128}$/),
    proof: b.proof,
  };
}

/**
 * Validates `decision` as of `now` (DecisionError, one line naming the field, when it cannot be recorded)
 * and writes its envelope: policy = the decision with recordedBy, one INFO finding on the decision's
 * resource whose check says accepted or revoked.
 */
export async function recordDecision(input: RecordDecisionInput): Promise<WrittenEvidence> {
  const { recordedBy: by, ...request } = input.decision;
  const decision: DecisionRequest = validateDecision(request, input.now);
  const recordedBy = checkRecordedBy(by);
  const policy: RiskDecision = { ...decision, recordedBy };
  const finding: Finding<RiskRegisterCheck> = {
    resource: decision.resource,
    check: decision.action === 'accept' ? RISK_ACCEPTED_CHECK : RISK_REVOKED_CHECK,
    status: 'INFO',
    detail: {
      owner: decision.owner,
      reason: decision.reason,
      ...(decision.expires ? { expires: decision.expires } : {}),
      recordedBy: recordedBy.arn,
    },
  };
  const draft = draftEnvelope({
    collector: RISK_ACCEPTANCE_KIND,
    controls: RISK_ACCEPTANCE_CONTROLS,
    account: input.account,
    region: 'global',
    collectedAt: input.now,
    policy: { ...policy },
    findings: [finding],
    errors: [],
    runId: input.runId,
    ...(input.invocationId ? { invocationId: input.invocationId } : {}),
  });
  return writeEvidence(input.store, draft, [], input.runId);
}

/** The function's Invoke payload, as `soc2-evidence exception accept|revoke --stack` sends it. */
export interface RegisterRequest {
  /** The decision without recordedBy: only the function may say who asked. */
  readonly decision: DecisionRequest;
  readonly identity: ForwardedIdentity;
}

/** What the function answers. */
export interface RegisterResult {
  readonly key: string;
  readonly sha256: string;
  readonly action: RiskDecision['action'];
  readonly recordedBy: RecordedBy;
}

export interface RegisterInput {
  readonly store: EvidenceStore;
  /** The function's own account: the caller must belong to it. */
  readonly account: string;
  readonly payload: unknown;
  readonly now: Date;
  readonly runId: string;
  readonly invocationId?: string;
  /** The replay to STS (tests give a stand-in). */
  readonly fetch?: typeof fetch;
}

/**
 * One invocation of the risk register: the decision is validated, the caller's forwarded STS request is
 * checked to be bound to exactly this decision and replayed, and the decision is recorded in the name STS
 * answered with. Any refusal throws a DecisionError (the CLI shows its one line) and writes nothing.
 */
export async function registerDecision(input: RegisterInput): Promise<RegisterResult> {
  const p = input.payload as Partial<Record<keyof RegisterRequest, unknown>> | null;
  if (typeof p !== 'object' || p === null || Array.isArray(p))
    throw new DecisionError('the request must be a JSON object {decision, identity}');
  const decision = validateDecision(p.decision, input.now);
  const caller = await proveCaller(p.identity, decisionDigest(decision), {
    account: input.account,
    ...(input.fetch ? { fetch: input.fetch } : {}),
  });
  const recordedBy: RecordedBy = {
    arn: caller.arn,
    account: caller.account,
    ...(caller.userId ? { userId: caller.userId } : {}),
    ...(caller.accessKeyId ? { accessKeyId: caller.accessKeyId } : {}),
    proof: 'sts-get-caller-identity',
  };
  const written = await recordDecision({
    store: input.store,
    account: input.account,
    decision: { ...decision, recordedBy },
    now: input.now,
    runId: input.runId,
    ...(input.invocationId ? { invocationId: input.invocationId } : {}),
  });
  return {
    key: written.envelopeObject.key,
    sha256: written.envelopeObject.sha256,
    action: decision.action,
    recordedBy,
  };
}
