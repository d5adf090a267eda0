import { createHash } from 'node:crypto';
import type { CheckSpec, Severity } from '../../../lambdas/collectors/check-catalogue';
import type { FindingStatus, RunStatus } from '../../../lambdas/evidence/envelope';
import type { AcceptanceRecord } from '../../../lambdas/evidence/risk-acceptance';
import { addDays } from '../../../cli/period/days';
import { DEFAULT_SLA, type PeriodInput, type VerifiedRun } from '../../../cli/period/model';
import type { ChecksOf } from '../../../cli/period/report';

/**
 * Hand-built verified runs for the period report tests: one character per day of a sequence, a catalogue
 * the tests control (so severities and criteria are theirs), and acceptance records.
 */

export const ACCOUNT = '123456789012';
export const OTHER_ACCOUNT = '210987654321';
export const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
export const BOB = `arn:aws:iam::${ACCOUNT}:user/bob`;
export const FROM = '2026-11-01';
export const TO = '2026-11-14';

const spec = (severity: Severity, criteria: string[]): CheckSpec => ({
  title: `a ${severity} check`,
  description: 'test',
  criteria,
  severity,
  remediation: 'fix it',
});

/** The tests' catalogue: check id → severity and criteria. */
export const CATALOGUE: Record<string, CheckSpec> = {
  mfa: spec('critical', ['CC6.1']),
  keys: spec('high', ['CC6.1', 'CC6.2']),
  backup: spec('medium', ['A1.2']),
  tags: spec('low', ['CC6.1']),
  'open-port': spec('high', ['CC6.6']),
};
export const checkSpec = (check: string): CheckSpec | undefined => CATALOGUE[check];

/** The tests' collectors and the checks each declares. */
export const COLLECTOR_CHECKS: Record<string, string[]> = {
  'iam-mfa': ['mfa', 'keys', 'tags'],
  backups: ['backup'],
  network: ['open-port'],
  weekly: ['mfa'],
};
export const checksOf: ChecksOf = (c) => COLLECTOR_CHECKS[c] ?? [];

export interface RunSpec {
  readonly date: string;
  readonly collector?: string;
  readonly account?: string;
  readonly region?: string;
  /** HHmmss */
  readonly time?: string;
  readonly status?: RunStatus;
  readonly complete?: boolean;
  readonly findings?: readonly (readonly [check: string, resource: string, status: FindingStatus])[];
}

let serial = 0;

/** One verified run; its status is FAIL when a finding failed, else PASS, unless given. */
export function run(s: RunSpec): VerifiedRun {
  const collector = s.collector ?? 'iam-mfa';
  const account = s.account ?? ACCOUNT;
  const region = s.region ?? 'global';
  const findings = (s.findings ?? []).map(([check, resource, status]) => ({ check, resource, status }));
  const status = s.status ?? (findings.some((f) => f.status === 'FAIL') ? 'FAIL' : 'PASS');
  const time = s.time ?? '060000';
  const key = `evidence/${s.date.replace(/-/g, '/')}/${collector}/${account}/${region}/${time}Z-run-${++serial}.json`;
  return {
    key,
    sha256: createHash('sha256').update(key).digest('hex'),
    account,
    collector,
    date: s.date,
    collectedAt: `${s.date}T${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4, 6)}Z`,
    region,
    status,
    complete: s.complete ?? (status === 'PASS' || status === 'FAIL'),
    erroredRegions: status === 'ERROR' || s.complete === false ? [region] : [],
    findings,
  };
}

/**
 * One run per character from `from`, about `resource` and `check` (runs of one collector, account, region
 * and day are one scope: of several, only the latest counts, so give each sequence its own region):
 * F fails it, P passes it, W warns about it, G a complete run that no longer lists it (another resource
 * passes), E an ERROR run (nothing judged), I an incomplete run that does not list it, `.` no run.
 */
export function sequence(
  pattern: string,
  o: {
    check?: string;
    resource?: string;
    collector?: string;
    account?: string;
    region?: string;
    from?: string;
  } = {},
): VerifiedRun[] {
  const check = o.check ?? 'mfa';
  const resource = o.resource ?? ALICE;
  const base = {
    collector: o.collector ?? 'iam-mfa',
    account: o.account ?? ACCOUNT,
    region: o.region ?? 'global',
  };
  return [...pattern].flatMap((c, i): VerifiedRun[] => {
    const date = addDays(o.from ?? FROM, i);
    switch (c) {
      case 'F':
      case 'P':
      case 'W':
        return [
          run({
            ...base,
            date,
            findings: [[check, resource, c === 'F' ? 'FAIL' : c === 'P' ? 'PASS' : 'WARN']],
          }),
        ];
      case 'G':
        return [run({ ...base, date, findings: [[check, BOB, 'PASS']] })];
      case 'E':
        return [run({ ...base, date, status: 'ERROR', complete: false })];
      case 'I':
        return [run({ ...base, date, status: 'PARTIAL', complete: false, findings: [[check, BOB, 'PASS']] })];
      case '.':
        return [];
      default:
        throw new Error(`sequence: unknown day character ${JSON.stringify(c)}`);
    }
  });
}

export const daily = () => true;

export function input(over: Partial<PeriodInput> = {}): PeriodInput {
  return {
    from: FROM,
    to: TO,
    runs: [],
    expected: daily,
    accounts: [ACCOUNT],
    collectors: ['iam-mfa'],
    acceptances: [],
    sla: DEFAULT_SLA,
    checkSpec,
    ...over,
  };
}

/** An acceptance (or revocation) recorded on `day` at `time`. */
export function decision(
  o: {
    action?: 'accept' | 'revoke';
    day: string;
    time?: string;
    check?: string;
    resource?: string;
    account?: string;
    expires?: string;
    owner?: string;
    reason?: string;
  },
  id = ++serial,
): AcceptanceRecord {
  const time = o.time ?? '100000';
  const account = o.account ?? ACCOUNT;
  const action = o.action ?? 'accept';
  const key = `evidence/${o.day.replace(/-/g, '/')}/risk-acceptance/${account}/global/${time}Z-risk-${id}.json`;
  return {
    action,
    check: o.check ?? 'mfa',
    resource: o.resource ?? ALICE,
    owner: o.owner ?? 'security-lead@example.com',
    reason: o.reason ?? 'compensating control: hardware key on the break-glass account',
    ...(action === 'accept' ? { expires: o.expires ?? '2026-12-31' } : {}),
    recordedBy: { arn: `arn:aws:iam::${ACCOUNT}:user/security-lead`, proof: 'sts-get-caller-identity' },
    key,
    sha256: createHash('sha256').update(key).digest('hex'),
    account,
    recordedAt: `${o.day}T${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4, 6)}Z`,
  };
}
