import type { Finding } from '../../evidence/envelope';
import type { CollectorSettings } from '../../settings';
import type { Collector } from '../collector';
import { isDate, type CredentialUser, type ReportTime } from '../../readers/credential-report/parse';
import {
  gatherCredentialReport,
  reportAgeMinutes,
  type CredentialReportFacts,
} from '../../readers/credential-report/source';
import { rootAccessKeysFinding } from '../iam-mfa/root-access-keys';
import { iso } from '../../evidence/iso-date';
import { INACTIVE_USERS_IDENTITY, type InactiveUsersCheck } from './checks';

const DAY_MS = 86_400_000;

export type CredentialKind = 'password' | 'access_key_1' | 'access_key_2';

/** One usable credential (an enabled console password or an Active access key) and how stale it is. */
export interface CredentialActivity {
  readonly kind: CredentialKind;
  /** When it was last used; null when never used (AWS says `N/A` or `no_information`). */
  readonly lastUsed: Date | null;
  /** When it was issued, the date a never-used credential ages from; null when the report gives none. */
  readonly issued: Date | null;
  /** Whole days since last use, or since issue when never used; null when neither date is known. */
  readonly idleDays: number | null;
  readonly inactive: boolean;
}

export interface UserActivity {
  readonly user: string;
  readonly arn: string;
  /** The latest use of any active credential (the password counts only while enabled). */
  readonly lastActivity: Date | null;
  readonly credentials: readonly CredentialActivity[];
  readonly hasCredentials: boolean;
  /** True when the user holds at least one credential and none was used (or, if never used, issued)
   * within the threshold. A user without credentials cannot sign in, so is not called inactive. */
  readonly inactive: boolean;
}

function date(t: ReportTime): Date | null {
  return isDate(t) ? t : null;
}

function latest(dates: readonly (Date | null)[]): Date | null {
  let best: Date | null = null;
  for (const d of dates) if (d && (!best || d.getTime() > best.getTime())) best = d;
  return best;
}

function credential(
  kind: CredentialKind,
  lastUsed: ReportTime,
  issued: Date | null,
  now: Date,
  inactiveAfterDays: number,
): CredentialActivity {
  const used = date(lastUsed);
  // "Never used" ages from issue: a never-used credential is not a recently used one (Prowler gets this wrong).
  const since = used ?? issued;
  const idleMs = since ? now.getTime() - since.getTime() : null;
  return {
    kind,
    lastUsed: used,
    issued,
    idleDays: idleMs === null ? null : Math.floor(idleMs / DAY_MS),
    // Unknown issue date and never used: nothing shows it is in use, so it counts as inactive.
    inactive: idleMs === null ? true : idleMs > inactiveAfterDays * DAY_MS,
  };
}

/**
 * Pure: how recently one credential-report user used any credential. The password counts only when
 * `password_enabled` is true; access keys only when Active (an Inactive key cannot sign anything).
 * Shared with the access review, so both say the same thing about the same user.
 */
export function userActivity(user: CredentialUser, now: Date, inactiveAfterDays: number): UserActivity {
  const credentials: CredentialActivity[] = [];
  if (user.passwordEnabled === true) {
    const issued = date(user.passwordLastChanged) ?? date(user.userCreationTime);
    credentials.push(credential('password', user.passwordLastUsed, issued, now, inactiveAfterDays));
  }
  for (const key of user.accessKeys) {
    if (!key.active) continue;
    const issued = date(key.lastRotated) ?? date(user.userCreationTime);
    credentials.push(credential(`access_key_${key.slot}`, key.lastUsed, issued, now, inactiveAfterDays));
  }
  return {
    user: user.user,
    arn: user.arn,
    lastActivity: latest(credentials.map((c) => c.lastUsed)),
    credentials,
    hasCredentials: credentials.length > 0,
    inactive: credentials.length > 0 && credentials.every((c) => c.inactive),
  };
}

function credentialFinding(
  u: UserActivity,
  c: CredentialActivity,
  inactiveAfterDays: number,
): Finding<InactiveUsersCheck> {
  return {
    resource: u.arn,
    check: c.kind === 'password' ? 'console-password-inactive' : 'access-key-inactive',
    status: c.inactive ? 'FAIL' : 'PASS',
    detail: {
      user: u.user,
      ...(c.kind === 'password' ? {} : { accessKey: c.kind }),
      lastUsed: iso(c.lastUsed),
      neverUsed: c.lastUsed === null,
      issued: iso(c.issued),
      idleDays: c.idleDays,
      inactiveAfterDays,
    },
  };
}

function rootFindings(
  root: CredentialUser,
  now: Date,
  inactiveAfterDays: number,
): Finding<InactiveUsersCheck>[] {
  const activeKeys = root.accessKeys.filter((k) => k.active);
  const lastUsed = latest([date(root.passwordLastUsed), ...activeKeys.map((k) => date(k.lastUsed))]);
  const recent = lastUsed !== null && now.getTime() - lastUsed.getTime() <= inactiveAfterDays * DAY_MS;
  return [
    {
      resource: root.arn,
      check: 'root-recently-used',
      // Root should sit unused; a recent use is worth a look but may be a legitimate root-only task.
      status: recent ? 'WARN' : 'PASS',
      detail: {
        lastUsed: iso(lastUsed),
        daysSinceLastUse: lastUsed ? Math.floor((now.getTime() - lastUsed.getTime()) / DAY_MS) : null,
        withinDays: inactiveAfterDays,
      },
    },
    rootAccessKeysFinding(root),
  ];
}

export function assessInactiveUsers(
  facts: CredentialReportFacts,
  settings: Pick<CollectorSettings, 'inactiveAfterDays'>,
  now: Date,
): { findings: Finding<InactiveUsersCheck>[]; figures: Record<string, number> } {
  const report = facts.report;
  if (!report) return { findings: [], figures: {} };
  const days = settings.inactiveAfterDays;
  const findings: Finding<InactiveUsersCheck>[] = [];
  const activities = report.users.map((u) => userActivity(u, now, days));
  for (const u of activities) {
    if (!u.hasCredentials) {
      findings.push({
        resource: u.arn,
        check: 'no-credentials',
        status: 'INFO',
        detail: { user: u.user, note: 'no enabled password and no active access key' },
      });
      continue;
    }
    for (const c of u.credentials) findings.push(credentialFinding(u, c, days));
  }
  if (report.root) findings.push(...rootFindings(report.root, now, days));
  const all = activities.flatMap((u) => u.credentials);
  const figures: Record<string, number> = {
    iamUsers: activities.length,
    usersWithCredentials: activities.filter((u) => u.hasCredentials).length,
    usersWithoutCredentials: activities.filter((u) => !u.hasCredentials).length,
    inactiveUsers: activities.filter((u) => u.inactive).length,
    inactiveConsolePasswords: all.filter((c) => c.kind === 'password' && c.inactive).length,
    inactiveAccessKeys: all.filter((c) => c.kind !== 'password' && c.inactive).length,
  };
  const age = reportAgeMinutes(facts.generatedAt, now);
  if (age !== undefined) figures.reportAgeMinutes = age;
  return { findings, figures };
}

export const inactiveUsers: Collector<CredentialReportFacts, InactiveUsersCheck> = {
  ...INACTIVE_USERS_IDENTITY,
  iamActions: ['iam:GenerateCredentialReport', 'iam:GetCredentialReport'],
  policy: (settings) => ({
    inactiveAfterDays: settings.inactiveAfterDays,
    neverUsedAgesFrom: 'password_last_changed (else user_creation_time); access_key_N_last_rotated',
    activeCredentials: 'password_enabled=true passwords; access keys with access_key_N_active=true',
  }),

  async gather(ctx) {
    const report = await gatherCredentialReport(ctx);
    return { facts: report.facts, sources: report.sources, errors: report.errors };
  },

  assess: (facts, settings, now) => assessInactiveUsers(facts, settings, now),
};
