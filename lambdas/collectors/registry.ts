import { COVERAGE_CHECK_CATALOGUE } from '../watchdog/checks';
import { COVERAGE_COLLECTOR, COVERAGE_CONTROLS, WATCHDOG_CRON } from '../watchdog/kind';
import { ATTESTATION_COLLECTOR } from './access-review/attestation';
import {
  ACCESS_REVIEW_ATTESTATION_CHECKS,
  ACCESS_REVIEW_EMAIL_CHECKS,
  ORGANIZATION_REVIEW_CHECKS,
} from './access-review/checks';
import { ORGANIZATION_COLLECTOR } from './access-review/organization';
import { accessReview } from './access-review/collector';
import { EMAIL_COLLECTOR } from './access-review/review';
import { backups } from './backups/collector';
import { checkIds, type CheckCatalogue, type CheckSpec } from './check-catalogue';
import type { AnyCollector } from './collector';
import { consoleSignins } from './console-signins/collector';
import { encryption } from './encryption/collector';
import { iamMfa } from './iam-mfa/collector';
import { inactiveUsers } from './inactive-users/collector';
import { networkExposure } from './network-exposure/collector';
import { tls } from './tls/collector';
import { iamPrivilege } from './iam-privilege/collector';
import { passwordPolicy } from './password-policy/collector';
import { keyRotation } from './key-rotation/collector';
import { publicAccess } from './public-access/collector';
import { threatDetection } from './threat-detection/collector';
import { auditLogging } from './audit-logging/collector';
import { vulnerabilities } from './vulnerabilities/collector';
import { resilience } from './resilience/collector';
import { parseDigestKey } from '../evidence/digest';
import { parseEvidenceKey } from '../evidence/keys';
import {
  SEALER_PRODUCER,
  TAMPER_WATCH_KIND,
  TAMPER_WATCH_PRODUCER,
  WATCHDOG_PRODUCER,
} from '../evidence/producers';
import {
  RISK_ACCEPTANCE_CONTROLS,
  RISK_ACCEPTANCE_KIND,
  RISK_REGISTER_PRODUCER,
} from '../evidence/risk-acceptance';
import { PERSON_ONLY, type ExpectedSigner } from '../evidence/signature-check';
import { RISK_REGISTER_CHECKS } from '../risk-register/checks';
import { TAMPER_WATCH_CHECKS, TAMPER_WATCH_CONTROLS } from '../tamper-watch/checks';
import { ACCOUNT_LIST_CHECKS, ACCOUNT_LIST_CONTROLS } from '../organization/checks';
import { ACCOUNTS_KIND, ACCOUNTS_PRODUCER } from '../organization/contract';

/**
 * One kind of evidence: what the `<collector>` segment of an evidence key names. Scheduled collectors are
 * kinds; so are the access review's email and the reviewer's attestation (written beside the review by
 * other paths) and the coverage watchdog's daily judgement.
 */
export interface EvidenceKind {
  /** The `<collector>` key segment. A contract: it appears in keys, config and the auditor's package. */
  readonly id: string;
  readonly title: string;
  /** Trust Services Criteria the evidence supports. */
  readonly controls: readonly string[];
  readonly checks: CheckCatalogue;
  /** The source folder whose code writes this evidence: every check id leads here. */
  readonly home: string;
  /** What writes it, in words (the function, or the CLI command). */
  readonly writtenBy: string;
  /** The scheduled collector, for kinds that are one: the stack deploys a function per collector. */
  readonly collector?: AnyCollector;
  /** Evidence written as part of another kind's process (the review email beside the population). */
  readonly partOf?: string;
  /** A fixed schedule (the watchdog's), for kinds whose schedule is not configured per collector. */
  readonly fixedSchedule?: string;
  /** For event-driven kinds (the tamper watch), what invokes the function, in a few words: no schedule. */
  readonly trigger?: string;
  /** The CLI command that writes this kind with a person's own credentials, which cannot sign. */
  readonly writtenUnsignedBy?: string;
  /**
   * The deployed function whose signing key signs this kind (lambdas/evidence/producers.ts); `undefined`
   * for evidence only a person writes (the reviewer's attestation), which is never signed.
   */
  readonly producer?: string;
  /**
   * Written only in organization mode (the account list): a single-account stack deploys no function, and so
   * no signing key, for it.
   */
  readonly organizationOnly?: boolean;
}

function collectorKind(collector: AnyCollector, writtenBy?: string): EvidenceKind {
  return {
    writtenUnsignedBy:
      '`collect --bucket --unsigned` (someone ran the collector with their own AWS credentials)',
    id: collector.id,
    title: collector.title,
    controls: collector.controls,
    checks: collector.checks,
    home: `lambdas/collectors/${collector.id}`,
    writtenBy: writtenBy ?? `the ${collector.id} function, on its schedule`,
    collector,
    producer: collector.id,
  };
}

/** Every kind of evidence this release writes, in the order the controls matrix and the demo show them. */
export const EVIDENCE_KINDS: readonly EvidenceKind[] = [
  collectorKind(iamMfa),
  collectorKind(inactiveUsers),
  {
    ...collectorKind(
      accessReview,
      'the access-review function each quarter (population frozen before the email), or `soc2-evidence review send`',
    ),
    writtenUnsignedBy:
      '`review send --bucket` or `collect --bucket --unsigned` (with a person’s own AWS credentials)',
  },
  {
    id: EMAIL_COLLECTOR,
    title: 'Quarterly access review email, as sent',
    controls: accessReview.controls,
    checks: ACCESS_REVIEW_EMAIL_CHECKS,
    home: 'lambdas/collectors/access-review',
    writtenBy: 'the access-review function, or `soc2-evidence review send`',
    partOf: accessReview.id,
    writtenUnsignedBy: '`review send --bucket` (with a person’s own AWS credentials)',
    producer: accessReview.id,
  },
  {
    id: ORGANIZATION_COLLECTOR,
    title: 'Quarterly organization access review: IAM Identity Center and every in-scope account',
    controls: accessReview.controls,
    checks: ORGANIZATION_REVIEW_CHECKS,
    home: 'lambdas/collectors/access-review',
    writtenBy:
      'the access-review function in organization mode, after every account’s population is frozen (population frozen before the email)',
    partOf: accessReview.id,
    producer: accessReview.id,
    organizationOnly: true,
  },
  {
    id: ATTESTATION_COLLECTOR,
    title: "Reviewer's recorded access decisions",
    controls: accessReview.controls,
    checks: ACCESS_REVIEW_ATTESTATION_CHECKS,
    home: 'lambdas/collectors/access-review',
    writtenBy: '`soc2-evidence review record`',
    partOf: accessReview.id,
    writtenUnsignedBy: '`review record` (the reviewer records decisions with their own AWS credentials)',
  },
  collectorKind(networkExposure),
  collectorKind(consoleSignins),
  collectorKind(backups),
  collectorKind(encryption),
  collectorKind(tls),
  collectorKind(iamPrivilege),
  collectorKind(passwordPolicy),
  collectorKind(keyRotation),
  collectorKind(publicAccess),
  collectorKind(threatDetection),
  collectorKind(auditLogging),
  collectorKind(vulnerabilities),
  collectorKind(resilience),
  {
    id: COVERAGE_COLLECTOR,
    title: 'Evidence coverage watchdog: every scheduled run left evidence',
    controls: COVERAGE_CONTROLS,
    checks: COVERAGE_CHECK_CATALOGUE,
    home: 'lambdas/watchdog',
    writtenBy: 'the coverage watchdog function, daily',
    fixedSchedule: WATCHDOG_CRON,
    producer: WATCHDOG_PRODUCER,
  },
  {
    id: TAMPER_WATCH_KIND,
    title: 'Tamper watch: changes to the resources that keep the evidence trustworthy',
    controls: TAMPER_WATCH_CONTROLS,
    checks: TAMPER_WATCH_CHECKS,
    home: 'lambdas/tamper-watch',
    writtenBy: 'the tamper-watch function, on each CloudTrail event of a change to a protected resource',
    trigger: 'EventBridge: AWS API Call via CloudTrail',
    producer: TAMPER_WATCH_PRODUCER,
  },
  {
    id: RISK_ACCEPTANCE_KIND,
    title: 'Accepted risks: who accepted a failing check on a resource, why, and until when',
    controls: RISK_ACCEPTANCE_CONTROLS,
    checks: RISK_REGISTER_CHECKS,
    home: 'lambdas/risk-register',
    writtenBy:
      'the risk-register function, invoked by `soc2-evidence exception accept|revoke --stack` (the caller proven by AWS STS)',
    trigger: 'Lambda Invoke: exception accept, revoke',
    producer: RISK_REGISTER_PRODUCER,
  },
  {
    id: ACCOUNTS_KIND,
    title:
      'Organization account list: the accounts each organization run covers, and why others are left out',
    controls: ACCOUNT_LIST_CONTROLS,
    checks: ACCOUNT_LIST_CHECKS,
    home: 'lambdas/organization',
    writtenBy: 'the organization-accounts function, at the start of every organization run',
    // No schedule of its own: each collector's state machine invokes it first (organization mode only).
    trigger: 'Step Functions: ListAccounts',
    producer: ACCOUNTS_PRODUCER,
    organizationOnly: true,
  },
];

export const EVIDENCE_KIND_IDS: readonly string[] = EVIDENCE_KINDS.map((k) => k.id);

/** Every scheduled collector this release ships, by id. Ids are a contract: they appear in keys and config. */
export const COLLECTORS: readonly AnyCollector[] = EVIDENCE_KINDS.flatMap((k) =>
  k.collector ? [k.collector] : [],
);

export const COLLECTOR_IDS: readonly string[] = COLLECTORS.map((c) => c.id);

/**
 * Every producer that signs: each kind's producer, then the sealer (which writes digests, not a kind).
 * The stack creates one signing key per entry; an auditor's trust file pins one public key per entry.
 */
export const PRODUCER_IDS: readonly string[] = [
  ...new Set([...EVIDENCE_KINDS.flatMap((k) => (k.producer ? [k.producer] : [])), SEALER_PRODUCER]),
];

/** The producers a single-account stack deploys (and keys): every producer but those of organization mode only. */
export const SINGLE_ACCOUNT_PRODUCER_IDS: readonly string[] = PRODUCER_IDS.filter((p) => {
  const kinds = EVIDENCE_KINDS.filter((k) => k.producer === p);
  return kinds.length === 0 || kinds.some((k) => !k.organizationOnly);
});

/** The producer whose key must sign evidence of `kindId` (undefined: unknown kind, or person-written). */
export function producerOfKind(kindId: string | undefined): string | undefined {
  return kindId ? evidenceKind(kindId)?.producer : undefined;
}

/**
 * Who must have signed the object at `key`: the kind's producer, the sealer for digests, PERSON_ONLY for a
 * known kind that only a person writes (no function's key may sign it), undefined outside the layout.
 */
export function producerOfKey(key: string): ExpectedSigner {
  if (parseDigestKey(key)) return SEALER_PRODUCER;
  const kind = parseEvidenceKey(key)?.collector;
  const producer = producerOfKind(kind);
  if (producer) return producer;
  return kind !== undefined && evidenceKind(kind) ? PERSON_ONLY : undefined;
}

export function collectorById(id: string): AnyCollector | undefined {
  return COLLECTORS.find((c) => c.id === id);
}

export function evidenceKind(id: string): EvidenceKind | undefined {
  return EVIDENCE_KINDS.find((k) => k.id === id);
}

/** A check's declaration and the kinds that emit it (`root-access-keys`: iam-mfa and inactive-users). */
export function checkById(
  check: string,
): { readonly spec: CheckSpec; readonly kinds: readonly EvidenceKind[] } | undefined {
  const kinds = EVIDENCE_KINDS.filter((k) => check in k.checks);
  const spec = kinds[0]?.checks[check];
  return spec ? { spec, kinds } : undefined;
}

export interface DeclaredCheck {
  readonly id: string;
  /** The kinds that emit it, in registry order. */
  readonly kinds: readonly string[];
  /** The folder of the first kind that declares it. */
  readonly home: string;
  readonly spec: CheckSpec;
}

/** Every check of the given kinds once, in registry order (a check two kinds share is listed once). */
export function declaredChecks(kinds: readonly EvidenceKind[] = EVIDENCE_KINDS): DeclaredCheck[] {
  const rows = new Map<string, { id: string; kinds: string[]; home: string; spec: CheckSpec }>();
  for (const k of kinds)
    for (const id of checkIds(k.checks)) {
      const seen = rows.get(id);
      if (seen) seen.kinds.push(k.id);
      else rows.set(id, { id, kinds: [k.id], home: k.home, spec: k.checks[id]! });
    }
  return [...rows.values()];
}

/** The checks of the kinds named (e.g. the collectors present in a package), in registry order. */
export function checksOfKinds(ids: Iterable<string | undefined>): DeclaredCheck[] {
  const present = new Set(ids);
  return declaredChecks(EVIDENCE_KINDS.filter((k) => present.has(k.id)));
}

/**
 * Why an object of this kind can carry no signature, for `pull` and `verify` to say next to the integrity
 * problem: only a person's own credentials write evidence unsigned, and the bucket's server access log names
 * who did.
 */
export function unsignedExplanation(kindId: string | undefined): string {
  const who = kindId ? evidenceKind(kindId)?.writtenUnsignedBy : undefined;
  const by = who ? `written by ${who}, which cannot sign` : 'not written by a deployed function';
  return `the object carries no signature (x-amz-meta-signature): ${by}; the bucket's server access log (and CloudTrail's PutObject data event, where data events are logged) names who wrote it`;
}
