/**
 * The period report's input from a package: the runs and acceptances that passed every check, and the
 * coverage calendar's expected days. pull and verify both call this with their own judgement of the
 * objects, so the report verify renders again is computed from exactly the evidence it proved.
 */
import { checkById, collectorById } from '../../lambdas/collectors/registry';
import { runOutcome, type Envelope } from '../../lambdas/evidence/envelope';
import {
  decisionOf,
  RISK_ACCEPTANCE_KIND,
  type AcceptanceRecord,
} from '../../lambdas/evidence/risk-acceptance';
import type { AccountCoverage } from '../package/index-html';
import { provesRun, type ManifestObject } from '../package/manifest';
import type { PeriodInput, SlaPolicy, VerifiedRun } from './model';

/** An object that proves what it says: it proves a run, passed every check, and its day is sealed. */
function proven(o: ManifestObject): boolean {
  return provesRun(o) && o.problems.length === 0 && o.checks.custody === 'sealed';
}

/**
 * A revocation counts when its bytes are proven (sealed on time by its day's digest, its producer's
 * signature, canonical under its own key), even if what S3 said of it at pull time failed a check (Object
 * Lock, metadata or checksum headers): whoever runs pull answers those, and dropping a revocation must
 * never be easier than dropping an acceptance. Fail-safe: it can only end an acceptance.
 */
function provenRevocation(o: ManifestObject): boolean {
  return (
    provesRun(o) &&
    o.checks.custody === 'sealed' &&
    o.checks.signature === 'valid' &&
    o.checks.envelope === 'ok' &&
    o.checks.digest === 'ok'
  );
}

function runOf(o: ManifestObject, envelope: Envelope): VerifiedRun {
  const outcome = runOutcome(envelope.summary ?? {});
  const findings = Array.isArray(envelope.findings) ? envelope.findings : [];
  const errors = Array.isArray(envelope.errors) ? envelope.errors : [];
  return {
    key: o.key,
    sha256: o.sha256,
    account: o.account ?? envelope.account,
    collector: o.collector!,
    date: o.date!,
    collectedAt: String(envelope.collectedAt),
    region: String(envelope.region),
    status: outcome.status,
    complete: outcome.complete,
    erroredRegions: [...new Set(errors.map((e) => String(e.region)))].sort(),
    findings: findings.map((f) => ({
      check: String(f.check),
      resource: String(f.resource),
      status: f.status,
    })),
  };
}

function acceptanceOf(o: ManifestObject, envelope: Envelope): AcceptanceRecord | undefined {
  const decision = decisionOf(envelope.policy);
  if (!decision) return undefined;
  return {
    ...decision,
    key: o.key,
    sha256: o.sha256,
    account: o.account ?? envelope.account,
    recordedAt: String(envelope.collectedAt),
  };
}

export interface PackageEvidence {
  readonly from: string;
  readonly to: string;
  readonly objects: readonly ManifestObject[];
  /** Each envelope's parsed body, by key (undefined when it did not parse). */
  readonly parsed: ReadonlyMap<string, Envelope | undefined>;
  readonly reports: readonly AccountCoverage[];
  readonly sla: SlaPolicy;
  /** `--collector`, when the package was filtered. */
  readonly collectors?: readonly string[];
}

/**
 * Verified runs of scheduled collectors and verified risk decisions, with the calendar's expected days.
 * Event-driven kinds (the watchdog's coverage, the tamper watch, review emails and attestations) judge no
 * resource over time and are left out.
 */
export function periodInputOf(evidence: PackageEvidence): PeriodInput {
  const runs: VerifiedRun[] = [];
  const acceptances: AcceptanceRecord[] = [];
  for (const o of evidence.objects) {
    if (o.kind !== 'envelope') continue;
    const envelope = evidence.parsed.get(o.key);
    if (!envelope) continue;
    if (o.collector === RISK_ACCEPTANCE_KIND) {
      const record = acceptanceOf(o, envelope);
      if (record && (proven(o) || (record.action === 'revoke' && provenRevocation(o))))
        acceptances.push(record);
    } else if (proven(o) && collectorById(o.collector!)) runs.push(runOf(o, envelope));
  }
  const expected = new Set<string>();
  const accounts: string[] = [];
  const collectors = new Set<string>(evidence.collectors ?? []);
  for (const { account, report } of evidence.reports) {
    if (account !== '*') accounts.push(account);
    for (const c of report.cells) {
      if (!collectorById(c.collector)) continue;
      if (!evidence.collectors?.length) collectors.add(c.collector);
      if (c.expected) expected.add(`${account}\n${c.collector}\n${c.date}`);
    }
  }
  return {
    from: evidence.from,
    to: evidence.to,
    runs,
    expected: (account, collector, date) => expected.has(`${account}\n${collector}\n${date}`),
    accounts,
    collectors: [...collectors].sort(),
    acceptances,
    sla: evidence.sla,
    checkSpec: (check) => checkById(check)?.spec,
  };
}
