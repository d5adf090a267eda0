import { RISK_ACCEPTANCE_KIND } from '../evidence/risk-acceptance';
import { registerDecision } from '../risk-register/record';
import { newRunId } from '../run-collector';
import { evidenceHandler } from '../runtime/lambda-runtime';

/**
 * The risk register: invoked by `soc2-evidence exception accept|revoke --stack` with a decision and the
 * caller's SigV4-signed STS GetCallerIdentity request bound to it. It replays that request to learn who
 * asked, then writes one signed `risk-acceptance` envelope naming them. Calls: s3:PutObject and kms:Sign
 * (its own key) only; the replay to STS needs no permission. A refusal throws: the caller sees its one-line
 * message as the Lambda FunctionError, nothing is written, and the errors alarm fires.
 */
export const handler = evidenceHandler(RISK_ACCEPTANCE_KIND, async (w, logger, event: unknown) => {
  const result = await registerDecision({
    store: w.store,
    account: w.account,
    payload: event,
    now: new Date(),
    runId: newRunId(),
    invocationId: w.invocationId,
  });
  logger.info('risk decision recorded', {
    key: result.key,
    action: result.action,
    recordedBy: result.recordedBy.arn,
  });
  return result;
});
