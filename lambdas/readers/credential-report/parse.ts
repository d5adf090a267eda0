import { parseCsv } from './csv';

/**
 * The IAM credential report, parsed by header name (AWS adds columns over time). Values keep AWS's
 * sentinels instead of guessing: `N/A` (no password, no key, or a key never used), `no_information`
 * (never used, or not since tracking began in October 2014), `not_supported` (root's password fields).
 * A sentinel is never a date, and "never used" is never "recently used".
 */
export type Sentinel = 'N/A' | 'no_information' | 'not_supported';
export type ReportTime = Date | Sentinel;

export interface AccessKeySlot {
  readonly slot: 1 | 2;
  readonly active: boolean;
  readonly lastRotated: ReportTime;
  readonly lastUsed: ReportTime;
  readonly lastUsedRegion: string | null;
  readonly lastUsedService: string | null;
}

export interface CredentialUser {
  readonly user: string;
  readonly arn: string;
  readonly isRoot: boolean;
  readonly userCreationTime: ReportTime;
  /** `not_supported` for root, whose password the report cannot describe. */
  readonly passwordEnabled: boolean | 'not_supported';
  readonly passwordLastUsed: ReportTime;
  readonly passwordLastChanged: ReportTime;
  readonly mfaActive: boolean;
  readonly accessKeys: readonly AccessKeySlot[];
}

export interface CredentialReport {
  readonly users: readonly CredentialUser[];
  readonly root?: CredentialUser;
  /** Rows or cells that did not have the expected form; each becomes an error entry, never a crash. */
  readonly problems: readonly string[];
}

export const ROOT_USER = '<root_account>';

const REQUIRED_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
] as const;

export class CredentialReportFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialReportFormatError';
  }
}

const SENTINELS: ReadonlySet<string> = new Set(['N/A', 'no_information', 'not_supported']);

function time(value: string, column: string): ReportTime {
  if (SENTINELS.has(value)) return value as Sentinel;
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(d.getTime())) {
    throw new CredentialReportFormatError(
      `${column} is neither a date nor a known sentinel: ${JSON.stringify(value)}`,
    );
  }
  return d;
}

function bool(value: string, column: string): boolean {
  const v = value.toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new CredentialReportFormatError(`${column} must be true or false, got ${JSON.stringify(value)}`);
}

function optional(value: string | undefined): string | null {
  return value === undefined || value === 'N/A' || value === '' ? null : value;
}

export function parseCredentialReport(csv: string): CredentialReport {
  const [header, ...rows] = parseCsv(csv);
  if (!header) throw new CredentialReportFormatError('the credential report is empty');
  const index = new Map(header.map((name, i) => [name.trim(), i]));
  const missing = REQUIRED_COLUMNS.filter((c) => !index.has(c));
  if (missing.length > 0) {
    throw new CredentialReportFormatError(`the credential report has no column ${missing.join(', ')}`);
  }
  const users: CredentialUser[] = [];
  const problems: string[] = [];
  let root: CredentialUser | undefined;
  rows.forEach((cells, n) => {
    const cell = (column: string): string => cells[index.get(column) ?? -1] ?? '';
    const name = cell('user') || `row ${n + 2}`;
    try {
      const isRoot = cell('user') === ROOT_USER;
      const keys = ([1, 2] as const).map((slot): AccessKeySlot => ({
        slot,
        active: bool(cell(`access_key_${slot}_active`), `access_key_${slot}_active`),
        lastRotated: time(cell(`access_key_${slot}_last_rotated`), `access_key_${slot}_last_rotated`),
        lastUsed: time(cell(`access_key_${slot}_last_used_date`), `access_key_${slot}_last_used_date`),
        lastUsedRegion: optional(cell(`access_key_${slot}_last_used_region`)),
        lastUsedService: optional(cell(`access_key_${slot}_last_used_service`)),
      }));
      const passwordEnabledRaw = cell('password_enabled');
      const user: CredentialUser = {
        user: cell('user'),
        arn: cell('arn'),
        isRoot,
        userCreationTime: time(cell('user_creation_time'), 'user_creation_time'),
        passwordEnabled:
          passwordEnabledRaw === 'not_supported'
            ? 'not_supported'
            : bool(passwordEnabledRaw, 'password_enabled'),
        passwordLastUsed: time(cell('password_last_used'), 'password_last_used'),
        passwordLastChanged: time(cell('password_last_changed'), 'password_last_changed'),
        mfaActive: bool(cell('mfa_active'), 'mfa_active'),
        accessKeys: keys,
      };
      if (!user.arn.startsWith('arn:'))
        throw new CredentialReportFormatError(`arn is not an ARN: ${JSON.stringify(user.arn)}`);
      if (isRoot) root = user;
      else users.push(user);
    } catch (err) {
      if (!(err instanceof CredentialReportFormatError)) throw err;
      problems.push(`credential report row ${n + 2} (${name}): ${err.message}`);
    }
  });
  return { users, ...(root ? { root } : {}), problems };
}

export function isDate(t: ReportTime): t is Date {
  return t instanceof Date;
}

/** Whether a key slot holds a key: an active key, or an inactive one that keeps its issue date (`N/A` there
 * means the slot is empty). */
export function holdsKey(k: AccessKeySlot): boolean {
  return k.active || isDate(k.lastRotated);
}
