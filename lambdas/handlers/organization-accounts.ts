import type { ListAccountsResult } from '../organization/contract';
import { ACCOUNTS_KIND, ORGANIZATION_ENV } from '../organization/contract';
import { listAccounts, parseListAccountsEvent } from '../organization/accounts';
import { parseOrganizationSettings } from '../organization/contract';
import { newRunId } from '../run-collector';
import { evidenceHandler } from '../runtime/lambda-runtime';

/**
 * The ListAccounts step of every organization run: reads the configured roots and OUs with the hub's own
 * credentials, writes the signed account list (envelope and accounts.json) to the hub's bucket and returns
 * the in-scope account ids for the Distributed Map. Calls: exactly ORGANIZATIONS_IAM_ACTIONS, s3:PutObject
 * and kms:Sign (its own key). A list that could not be read at all is written ERROR, then the invocation
 * fails, so the execution fails and alarms instead of fanning out to nobody.
 */
export const handler = evidenceHandler(
  ACCOUNTS_KIND,
  async (w, logger, event): Promise<ListAccountsResult> => {
    const request = parseListAccountsEvent(event);
    const settings = parseOrganizationSettings(w.required(ORGANIZATION_ENV), ORGANIZATION_ENV);
    const listed = await listAccounts({
      clients: w.clients,
      store: w.store,
      hubAccount: w.account,
      settings,
      event: request,
      now: new Date(),
      runId: newRunId(),
      invocationId: w.invocationId,
    });
    const { summary, errors } = listed.written.envelope;
    for (const e of errors)
      logger.warn('account list error', { api: e.api, code: e.code, message: e.message });
    logger.info('account list written', {
      key: listed.listKey,
      status: summary.status,
      forCollector: request.collector,
      execution: request.execution,
      ...summary.figures,
    });
    return { accounts: listed.accounts, listKey: listed.listKey };
  },
);
