import { IAMClient, paginateListVirtualMFADevices } from '@aws-sdk/client-iam';
import { errorEntry } from '../../aws/aws-error';
import type { Finding } from '../../evidence/envelope';
import type { Collector } from '../collector';
import { isDate, type CredentialUser, type ReportTime } from '../../readers/credential-report/parse';
import {
  gatherCredentialReport,
  reportAgeMinutes,
  type CredentialReportFacts,
} from '../../readers/credential-report/source';
import { rootAccessKeysFinding } from './root-access-keys';
import { IAM_MAX_PAGE } from '../../aws/iam-pages';
import { IAM_MFA_IDENTITY, type IamMfaCheck } from './checks';

export interface IamMfaFacts extends CredentialReportFacts {
  /** Whether root's MFA device is a virtual one; `unknown` when the device list could not be read. */
  readonly rootVirtualMfa: boolean | 'unknown';
}

export function reportTime(t: ReportTime): string {
  return isDate(t) ? t.toISOString() : t;
}

function rootDevice(root: CredentialUser, rootVirtualMfa: IamMfaFacts['rootVirtualMfa']): string {
  if (!root.mfaActive) return 'none';
  if (rootVirtualMfa === 'unknown') return 'unknown';
  // ListVirtualMFADevices lists only virtual (TOTP app) devices; an active MFA not among them is a hardware
  // TOTP token or a FIDO security key.
  return rootVirtualMfa ? 'virtual' : 'hardware';
}

export function assessIamMfa(
  facts: IamMfaFacts,
  now: Date,
): { findings: Finding<IamMfaCheck>[]; figures: Record<string, number> } {
  const report = facts.report;
  if (!report) return { findings: [], figures: {} };
  const findings: Finding<IamMfaCheck>[] = [];
  const consoleUsers = report.users.filter((u) => u.passwordEnabled === true);
  for (const u of consoleUsers) {
    findings.push({
      resource: u.arn,
      check: 'console-mfa',
      status: u.mfaActive ? 'PASS' : 'FAIL',
      detail: { user: u.user, mfaActive: u.mfaActive, passwordLastUsed: reportTime(u.passwordLastUsed) },
    });
  }
  const root = report.root;
  if (root) {
    findings.push({
      resource: root.arn,
      check: 'root-mfa',
      status: root.mfaActive ? 'PASS' : 'FAIL',
      detail: { mfaActive: root.mfaActive, device: rootDevice(root, facts.rootVirtualMfa) },
    });
    findings.push(rootAccessKeysFinding(root));
  }
  const withMfa = consoleUsers.filter((u) => u.mfaActive).length;
  const figures: Record<string, number> = {
    iamUsers: report.users.length,
    usersWithMfa: report.users.filter((u) => u.mfaActive).length,
    consoleUsers: consoleUsers.length,
    consoleUsersWithMfa: withMfa,
    consoleUsersWithoutMfa: consoleUsers.length - withMfa,
  };
  if (consoleUsers.length > 0) {
    figures.consoleMfaAdoptionPercent = Math.round((withMfa / consoleUsers.length) * 1000) / 10;
  }
  const age = reportAgeMinutes(facts.generatedAt, now);
  if (age !== undefined) figures.reportAgeMinutes = age;
  return { findings, figures };
}

export const iamMfa: Collector<IamMfaFacts, IamMfaCheck> = {
  ...IAM_MFA_IDENTITY,
  iamActions: ['iam:GenerateCredentialReport', 'iam:GetCredentialReport', 'iam:ListVirtualMFADevices'],
  policy: () => ({ consoleUsersRequireMfa: true, rootRequiresMfa: true, rootAccessKeysAllowed: false }),

  async gather(ctx) {
    const report = await gatherCredentialReport(ctx);
    const errors = [...report.errors];
    let rootVirtualMfa: IamMfaFacts['rootVirtualMfa'] = 'unknown';
    if (report.facts.report?.root?.mfaActive) {
      try {
        rootVirtualMfa = false;
        const pages = paginateListVirtualMFADevices(
          { client: ctx.clients.get(IAMClient), pageSize: IAM_MAX_PAGE },
          { AssignmentStatus: 'Assigned' },
        );
        for await (const page of pages) {
          if ((page.VirtualMFADevices ?? []).some((d) => d.User?.Arn?.endsWith(':root')))
            rootVirtualMfa = true;
        }
      } catch (err) {
        rootVirtualMfa = 'unknown';
        errors.push(errorEntry(err, 'global', 'iam:ListVirtualMFADevices'));
      }
    }
    return { facts: { ...report.facts, rootVirtualMfa }, sources: report.sources, errors };
  },

  assess: (facts, _settings, now) => assessIamMfa(facts, now),
};
