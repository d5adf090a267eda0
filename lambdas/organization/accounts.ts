/**
 * The signed in-scope account list of one organization run (the state machine's ListAccounts step): which
 * accounts of the configured roots and OUs the collector is fanned out to, which it is not and why.
 *
 *   readOrganization (AWS, the hub's own credentials, exactly ORGANIZATIONS_IAM_ACTIONS)
 *     ──> judgeAccounts (pure) ──> envelope + accounts.json (the tree as read, reduced) ──> the hub's bucket
 *
 * Paths: an account's `ouPath` starts at the configured unit it was reached from ("Root" for a root, the
 * OU's own name otherwise: no ListParents is granted, so the OUs above a configured OU are not named).
 * When configured units nest (a root and an OU below it), an account is listed once, under the longest
 * path, the one from the highest configured unit; each parent is read once however often it is reached.
 */
import {
  DescribeOrganizationalUnitCommand,
  DescribeOrganizationCommand,
  OrganizationsClient,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  type Account,
} from '@aws-sdk/client-organizations';
import { errorEntry, resourceError } from '../aws/aws-error';
import type { ClientFactory } from '../aws/client-factory';
import { draftEnvelope } from '../evidence/draft';
import type { ErrorEntry, Finding } from '../evidence/envelope';
import type { EvidenceStore } from '../evidence/store';
import { jsonSource, writeEvidence, type WrittenEvidence } from '../evidence/write-evidence';
import { newRunId } from '../run-collector';
import { ACCOUNT_LIST_CONTROLS, type AccountListCheck } from './checks';
import {
  ACCOUNT_IN_SCOPE_CHECK,
  ACCOUNT_OUT_OF_SCOPE_CHECK,
  ACCOUNTS_KIND,
  LIST_ACCOUNTS_SOURCE,
  type AccountListDetail,
  type AccountListPolicy,
  type ListAccountsEvent,
  type ListAccountsResult,
  type OrganizationSettings,
  type OutOfScopeReason,
} from './contract';

/** The raw source kept beside the envelope: the organization, the units walked and the accounts met. */
export const ACCOUNTS_SOURCE_NAME = 'accounts.json';
const REGION = 'global';
/** The most Organizations returns per page of either list. */
const PAGE_SIZE = 20;

export interface UnitRead {
  readonly id: string;
  readonly name: string;
  /** Names from the configured unit it was reached from down to this unit. */
  readonly path: string;
}

export interface AccountRead {
  readonly id: string;
  readonly name: string;
  /** `State` (ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED, PENDING_ACTIVATION); the legacy `Status` when absent. */
  readonly state: string;
  /** Which field `state` was read from. */
  readonly stateFrom: 'State' | 'Status' | 'none';
  readonly parent: string;
  readonly ouPath: string;
  readonly joinedAt?: string;
  readonly joinedMethod?: string;
}

export interface OrganizationRead {
  /** DescribeOrganization's answer, when it could be read. */
  readonly organization?: {
    readonly id: string;
    readonly arn?: string;
    readonly managementAccountId?: string;
  };
  /** False when the organization could not be read or is not the configured one: nothing was listed. */
  readonly listed: boolean;
  readonly units: readonly UnitRead[];
  readonly accounts: readonly AccountRead[];
  readonly errors: readonly ErrorEntry[];
}

const isRoot = (id: string) => id.startsWith('r-');
const depth = (path: string) => path.split('/').length;

interface ParentRead {
  readonly units: readonly { readonly id: string; readonly name: string }[];
  readonly accounts: readonly Account[];
}

/**
 * Reads the configured units of the organization, breadth first, every page of both lists of every parent.
 * A failure under one parent is recorded and the rest is still read; only an unreadable or different
 * organization stops the read (`listed: false`).
 */
export async function readOrganization(
  clients: ClientFactory,
  settings: OrganizationSettings,
): Promise<OrganizationRead> {
  const client = clients.get(OrganizationsClient);
  const errors: ErrorEntry[] = [];
  let organization: OrganizationRead['organization'];
  try {
    const org = (await client.send(new DescribeOrganizationCommand({}))).Organization;
    if (!org?.Id)
      throw Object.assign(new Error('DescribeOrganization returned no organization id'), {
        name: 'NoOrganization',
      });
    organization = {
      id: org.Id,
      ...(org.Arn ? { arn: org.Arn } : {}),
      ...(org.MasterAccountId ? { managementAccountId: org.MasterAccountId } : {}),
    };
  } catch (err) {
    errors.push(errorEntry(err, REGION, 'organizations:DescribeOrganization'));
    return { listed: false, units: [], accounts: [], errors };
  }
  if (organization.id !== settings.id) {
    errors.push({
      region: REGION,
      api: 'organizations:DescribeOrganization',
      code: 'OrganizationMismatch',
      message: `the hub belongs to organization ${organization.id}, but organization.id is configured as ${settings.id}: no account of another organization is listed (fix organization.id in cdk.json, or deploy the hub in an account of ${settings.id})`,
    });
    return { organization, listed: false, units: [], accounts: [], errors };
  }

  const reads = new Map<string, Promise<ParentRead>>();
  const readParent = (parent: string): Promise<ParentRead> => {
    let read = reads.get(parent);
    if (!read) reads.set(parent, (read = listChildren(client, parent, errors)));
    return read;
  };
  const units = new Map<string, UnitRead>();
  const accounts = new Map<string, AccountRead>();
  for (const configured of settings.organizationalUnits) {
    const name = isRoot(configured) ? 'Root' : await unitName(client, configured, errors);
    const queue: UnitRead[] = [{ id: configured, name, path: name }];
    for (let unit = queue.shift(); unit; unit = queue.shift()) {
      const known = units.get(unit.id);
      if (known && depth(known.path) >= depth(unit.path)) continue;
      units.set(unit.id, unit);
      const children = await readParent(unit.id);
      for (const a of children.accounts) {
        const read = accountRead(a, unit);
        const seen = read && accounts.get(read.id);
        if (read && (!seen || depth(seen.ouPath) < depth(read.ouPath))) accounts.set(read.id, read);
      }
      for (const child of children.units)
        queue.push({ id: child.id, name: child.name, path: `${unit.path}/${child.name}` });
    }
  }
  return {
    organization,
    listed: true,
    units: [...units.values()],
    accounts: [...accounts.values()].sort((a, b) => a.id.localeCompare(b.id)),
    errors,
  };
}

async function unitName(client: OrganizationsClient, id: string, errors: ErrorEntry[]): Promise<string> {
  try {
    const name = (await client.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: id })))
      .OrganizationalUnit?.Name;
    if (name) return name;
  } catch (err) {
    errors.push(resourceError(err, REGION, 'organizations:DescribeOrganizationalUnit', id));
  }
  // Walked anyway: the lists below may still answer, and their accounts are kept under the id.
  return id;
}

/** Both lists of one parent; a list that fails is recorded, and what it returned before failing is kept. */
async function listChildren(
  client: OrganizationsClient,
  parent: string,
  errors: ErrorEntry[],
): Promise<ParentRead> {
  const units: { id: string; name: string }[] = [];
  const accounts: Account[] = [];
  try {
    for await (const page of paginateListOrganizationalUnitsForParent(
      { client, pageSize: PAGE_SIZE },
      { ParentId: parent },
    ))
      for (const ou of page.OrganizationalUnits ?? [])
        if (ou.Id) units.push({ id: ou.Id, name: ou.Name ?? ou.Id });
  } catch (err) {
    errors.push(resourceError(err, REGION, 'organizations:ListOrganizationalUnitsForParent', parent));
  }
  try {
    for await (const page of paginateListAccountsForParent(
      { client, pageSize: PAGE_SIZE },
      { ParentId: parent },
    ))
      accounts.push(...(page.Accounts ?? []));
  } catch (err) {
    errors.push(resourceError(err, REGION, 'organizations:ListAccountsForParent', parent));
  }
  return { units, accounts };
}

function accountRead(a: Account, parent: UnitRead): AccountRead | undefined {
  if (!a.Id) return undefined;
  const state = a.State ?? a.Status;
  return {
    id: a.Id,
    name: a.Name ?? '',
    state: state ?? 'UNKNOWN',
    stateFrom: a.State ? 'State' : a.Status ? 'Status' : 'none',
    parent: parent.id,
    ouPath: parent.path,
    ...(a.JoinedTimestamp ? { joinedAt: a.JoinedTimestamp.toISOString() } : {}),
    ...(a.JoinedMethod ? { joinedMethod: a.JoinedMethod } : {}),
  };
}

const REASON_OF_STATE: Readonly<Record<string, OutOfScopeReason>> = {
  SUSPENDED: 'suspended',
  PENDING_CLOSURE: 'pending-closure',
  CLOSED: 'closed',
  PENDING_ACTIVATION: 'pending-activation',
};

export interface AccountJudgement {
  readonly findings: readonly Finding<AccountListCheck>[];
  /** In-scope account ids, sorted. */
  readonly inScope: readonly string[];
  readonly figures: { readonly inScope: number; readonly outOfScope: number };
  /** An account in a state this release does not know: out of scope, and recorded as an error. */
  readonly errors: readonly ErrorEntry[];
}

/**
 * In scope: ACTIVE and not excluded. Out of scope, with the reason: excluded (checked first: the
 * configuration's decision), else the account's state. A state this release does not know keeps the account
 * out of scope, with no reason and an error entry, so nobody reads its absence as judged.
 */
export function judgeAccounts(
  accounts: readonly AccountRead[],
  settings: OrganizationSettings,
): AccountJudgement {
  const excluded = new Set(settings.excludeAccounts);
  const findings: Finding<AccountListCheck>[] = [];
  const errors: ErrorEntry[] = [];
  const inScope: string[] = [];
  for (const a of [...accounts].sort((x, y) => x.id.localeCompare(y.id))) {
    const reason: OutOfScopeReason | undefined = excluded.has(a.id) ? 'excluded' : REASON_OF_STATE[a.state];
    const detail: AccountListDetail = {
      name: a.name,
      ouPath: a.ouPath,
      parent: a.parent,
      state: a.state,
      ...(a.joinedAt ? { joinedAt: a.joinedAt } : {}),
      ...(reason ? { reason } : {}),
    };
    const active = a.state === 'ACTIVE' && !reason;
    if (active) inScope.push(a.id);
    else if (!reason)
      errors.push({
        region: REGION,
        api: 'organizations:ListAccountsForParent',
        code: 'UnknownAccountState',
        message: `account ${a.id} (${a.ouPath}) has state ${a.state}, which this release does not know: left out of scope`,
      });
    findings.push({
      resource: a.id,
      check: active ? ACCOUNT_IN_SCOPE_CHECK : ACCOUNT_OUT_OF_SCOPE_CHECK,
      status: 'INFO',
      detail: { ...detail },
    });
  }
  return {
    findings,
    inScope,
    figures: { inScope: inScope.length, outOfScope: findings.length - inScope.length },
    errors,
  };
}

export interface ListAccountsInput {
  /** The hub's own clients: the organization is read with the hub's credentials. */
  readonly clients: ClientFactory;
  readonly store: EvidenceStore;
  /** The hub's account: the envelope's account segment. */
  readonly hubAccount: string;
  readonly settings: OrganizationSettings;
  readonly event: ListAccountsEvent;
  readonly now?: Date;
  readonly runId?: string;
  readonly invocationId?: string;
}

export interface ListedAccounts extends ListAccountsResult {
  readonly written: WrittenEvidence;
}

/** Thrown after the ERROR envelope is written, when no account could be listed: the execution fails and alarms. */
export class AccountListError extends Error {
  constructor(
    readonly listKey: string,
    readonly errors: readonly ErrorEntry[],
  ) {
    super(
      `the account list could not be read (evidence ${listKey}): ${errors.map((e) => `${e.api} ${e.code}: ${e.message}`).join('; ')}`.slice(
        0,
        2000,
      ),
    );
    this.name = 'AccountListError';
  }
}

/**
 * Reads, judges and writes the account list. A list read in part (one OU refused) is written PARTIAL and
 * its accounts returned; a list not read at all is written ERROR, then AccountListError is thrown.
 */
export async function listAccounts(input: ListAccountsInput): Promise<ListedAccounts> {
  const now = input.now ?? new Date();
  const runId = input.runId ?? newRunId();
  const read = await readOrganization(input.clients, input.settings);
  const judged = judgeAccounts(read.accounts, input.settings);
  const errors = [...read.errors, ...judged.errors];
  const policy: AccountListPolicy = {
    collector: input.event.collector,
    execution: input.event.execution,
    organizationId: input.settings.id,
    organizationalUnits: input.settings.organizationalUnits,
    excludeAccounts: input.settings.excludeAccounts,
    memberRoleName: input.settings.memberRoleName,
  };
  const draft = draftEnvelope({
    collector: ACCOUNTS_KIND,
    controls: ACCOUNT_LIST_CONTROLS,
    account: input.hubAccount,
    region: REGION,
    collectedAt: now,
    policy: { ...policy },
    findings: judged.findings,
    errors,
    figures: { ...judged.figures },
    runId,
    ...(input.invocationId ? { invocationId: input.invocationId } : {}),
  });
  const sources = read.organization
    ? [
        jsonSource(
          ACCOUNTS_SOURCE_NAME,
          'organizations:ListAccountsForParent',
          { organization: read.organization, units: read.units, accounts: read.accounts },
          now,
        ),
      ]
    : [];
  const written = await writeEvidence(input.store, draft, sources, runId);
  const listKey = written.envelopeObject.key;
  // Nothing listed, or errors and no account met: nothing was judged, and the execution must not fan out to none.
  if (!read.listed || written.envelope.summary.status === 'ERROR')
    throw new AccountListError(listKey, errors);
  return { accounts: judged.inScope, listKey, written };
}

const COLLECTOR_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Throws a one-line error naming the field and the expected form. */
export function parseListAccountsEvent(event: unknown): ListAccountsEvent {
  const e = (event ?? {}) as Record<string, unknown>;
  const field = (name: string, ok: boolean, form: string) => {
    if (!ok)
      throw new Error(
        `account list event: ${name} must be ${form}, got ${JSON.stringify(e[name]) ?? 'nothing'}`,
      );
  };
  field('source', e.source === LIST_ACCOUNTS_SOURCE, `"${LIST_ACCOUNTS_SOURCE}"`);
  field(
    'collector',
    typeof e.collector === 'string' && COLLECTOR_ID.test(e.collector),
    'a collector id such as "iam-mfa"',
  );
  field(
    'execution',
    typeof e.execution === 'string' && e.execution.length > 0,
    'a Step Functions execution id',
  );
  return { source: LIST_ACCOUNTS_SOURCE, collector: e.collector as string, execution: e.execution as string };
}
