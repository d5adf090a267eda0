/**
 * The organization-accounts function's real handler, with every SDK client's `send` answered in-process
 * (as test/least-privilege.test.ts does for the stack's functions): the Organizations actions it sends are
 * exactly ORGANIZATIONS_IAM_ACTIONS, beside the evidence write (s3:PutObject) and its signature (kms:Sign).
 */
import { S3Client } from '@aws-sdk/client-s3';
import { handler } from '../../lambdas/handlers/organization-accounts';
import type { Envelope } from '../../lambdas/evidence/envelope';
import {
  LIST_ACCOUNTS_SOURCE,
  ORGANIZATION_ENV,
  ORGANIZATIONS_IAM_ACTIONS,
  type OrganizationSettings,
} from '../../lambdas/organization/contract';
import { expectValidEnvelope } from '../helpers/envelope-schema';
import { ORG_ID, PRODUCTION, ROOT, SANDBOX, TREE, WORKLOADS } from '../organization/org-fixture';
import { lambdaContext } from './producer-lambda';

const HUB = '123456789012';
const SIGNING_KEY = `arn:aws:kms:us-east-1:${HUB}:key/organization-accounts-signing`;
const context = lambdaContext(
  HUB,
  'Soc2Evidence-organization-accounts',
  'aaaaaaaa-2222-3333-4444-555555555555',
  300_000,
);
const EVENT = {
  source: LIST_ACCOUNTS_SOURCE,
  collector: 'backups',
  execution: `arn:aws:states:us-east-1:${HUB}:execution:Soc2Evidence-backups:run-7`,
};
const SETTINGS: OrganizationSettings = {
  id: ORG_ID,
  // Nested on purpose: the root and an OU below it.
  organizationalUnits: [ROOT, PRODUCTION],
  excludeAccounts: ['666666666666'],
  memberRoleName: 'soc2-evidence-member',
};

/** IAM action of each `Service:Operation` this function may send; anything else fails the test. */
const ACTIONS: Record<string, string> = {
  'Organizations:DescribeOrganization': 'organizations:DescribeOrganization',
  'Organizations:DescribeOrganizationalUnit': 'organizations:DescribeOrganizationalUnit',
  'Organizations:ListOrganizationalUnitsForParent': 'organizations:ListOrganizationalUnitsForParent',
  'Organizations:ListAccountsForParent': 'organizations:ListAccountsForParent',
  'S3:PutObject': 's3:PutObject',
  'KMS:Sign': 'kms:Sign',
};

type Answer = (input: Record<string, unknown>) => unknown;
/** Two pages per list (the first empty, with a token), so pagination is part of what is measured. */
const paged =
  (items: (parent: string) => unknown[], field: string): Answer =>
  (input) =>
    input.NextToken === 'next'
      ? { [field]: items(String(input.ParentId)) }
      : { [field]: [], NextToken: 'next' };

function interceptSdk(answers: Record<string, Answer>) {
  const sent: string[] = [];
  const written: { key: string; body: Uint8Array }[] = [];
  const base = Object.getPrototypeOf(S3Client.prototype) as { send: (command: unknown) => Promise<unknown> };
  jest.spyOn(base, 'send').mockImplementation(async function (
    this: { constructor: { name: string } },
    command: unknown,
  ) {
    const c = command as { constructor: { name: string }; input: Record<string, unknown> };
    const api = `${this.constructor.name.replace(/Client$/, '')}:${c.constructor.name.replace(/Command$/, '')}`;
    sent.push(api);
    if (api === 'S3:PutObject') written.push({ key: String(c.input.Key), body: c.input.Body as Uint8Array });
    const answer = answers[api];
    if (!answer) throw new Error(`no answer for ${api}`);
    return { $metadata: { httpStatusCode: 200 }, ...(answer(c.input) as object) };
  } as never);
  return { sent, written };
}

const ANSWERS: Record<string, Answer> = {
  'Organizations:DescribeOrganization': () => ({ Organization: { Id: ORG_ID, MasterAccountId: HUB } }),
  'Organizations:DescribeOrganizationalUnit': (input) => ({
    OrganizationalUnit: { Id: input.OrganizationalUnitId, Name: 'Production' },
  }),
  'Organizations:ListOrganizationalUnitsForParent': paged((p) => TREE[p]?.units ?? [], 'OrganizationalUnits'),
  'Organizations:ListAccountsForParent': paged((p) => (TREE[p]?.accounts ?? []).flat(), 'Accounts'),
  'S3:PutObject': (input) => ({ ChecksumSHA256: input.ChecksumSHA256, VersionId: 'v1' }),
  'KMS:Sign': (input) => ({ Signature: new Uint8Array(70).fill(1), KeyId: input.KeyId }),
};

beforeEach(() => {
  process.env.EVIDENCE_BUCKET = 'evidence-bucket';
  process.env.SIGNING_KEY_ARN = SIGNING_KEY;
  process.env[ORGANIZATION_ENV] = JSON.stringify(SETTINGS);
  delete process.env.SCHEDULE_EXPRESSION;
  delete process.env.SCHEDULE_TIME_ZONE;
});
afterEach(() => {
  jest.restoreAllMocks();
  delete process.env.SIGNING_KEY_ARN;
  delete process.env[ORGANIZATION_ENV];
});

describe('organization-accounts handler', () => {
  it('sends exactly ORGANIZATIONS_IAM_ACTIONS (plus its signed write) and returns the in-scope accounts', async () => {
    const { sent, written } = interceptSdk(ANSWERS);
    const result = await handler(EVENT, context);

    const actions = new Set(
      sent.map((api) => {
        const action = ACTIONS[api];
        if (!action) throw new Error(`the function sent ${api}, which no action of its own covers`);
        return action;
      }),
    );
    expect([...actions].filter((a) => a.startsWith('organizations:')).sort()).toEqual(
      [...ORGANIZATIONS_IAM_ACTIONS].sort(),
    );
    expect([...actions].filter((a) => !a.startsWith('organizations:')).sort()).toEqual([
      'kms:Sign',
      's3:PutObject',
    ]);
    // Every parent's lists are read once per page (two pages each), never twice for the nested OU.
    const lists = sent.filter((api) => api === 'Organizations:ListAccountsForParent');
    expect(lists).toHaveLength(2 * [ROOT, WORKLOADS, SANDBOX, PRODUCTION].length);

    expect(result).toEqual({
      accounts: ['111111111111', '123456789012', '222222222222', '444444444444'],
      listKey: expect.stringMatching(
        /^evidence\/\d{4}\/\d{2}\/\d{2}\/organization-accounts\/123456789012\/global\//,
      ),
    });
    expect(written.map((w) => w.key)).toEqual([expect.stringMatching(/--accounts\.json$/), result.listKey]);
    const envelope = JSON.parse(Buffer.from(written[1]!.body).toString()) as Envelope;
    expectValidEnvelope(envelope);
    expect(envelope.policy).toMatchObject({ collector: 'backups', execution: EVENT.execution });
    expect(envelope.producer.invocationId).toBe(context.awsRequestId);
    expect(sent.filter((api) => api === 'KMS:Sign')).toHaveLength(2);
  });

  it('writes the ERROR list, then fails the invocation, when the organization cannot be read', async () => {
    const { written } = interceptSdk({
      ...ANSWERS,
      'Organizations:DescribeOrganization': () => {
        throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
      },
    });
    await expect(handler(EVENT, context)).rejects.toThrow(
      /the account list could not be read .*AccessDeniedException: denied/,
    );
    expect(written).toHaveLength(1);
    const envelope = JSON.parse(Buffer.from(written[0]!.body).toString()) as Envelope;
    expect(envelope.summary.status).toBe('ERROR');
  });

  it('refuses a malformed event and missing settings with a clear error, before any call', async () => {
    const { sent } = interceptSdk(ANSWERS);
    await expect(handler({ ...EVENT, execution: '' }, context)).rejects.toThrow(
      'account list event: execution must be a Step Functions execution id, got ""',
    );
    delete process.env[ORGANIZATION_ENV];
    await expect(handler(EVENT, context)).rejects.toThrow(
      `environment variable ${ORGANIZATION_ENV} is not set`,
    );
    expect(sent).toEqual([]);
  });
});
