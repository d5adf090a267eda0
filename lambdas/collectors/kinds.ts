/**
 * Every kind of evidence this release writes, as data: ids, titles, criteria, checks, and which producer's
 * key signs each. Nothing here imports an AWS client, so the functions that only need to know the kinds (the
 * sealer, the watchdog, the risk register) bundle none of the collectors' SDK clients: importing registry.ts
 * instead put all of them into those bundles (1.3 MB each; docs/PERFORMANCE.md). registry.ts adds the
 * collectors themselves and re-exports what is here.
 */
import { COVERAGE_CHECK_CATALOGUE } from '../watchdog/checks';
import { COVERAGE_COLLECTOR, COVERAGE_CONTROLS, WATCHDOG_CRON } from '../watchdog/kind';
import {
  ACCESS_REVIEW_ATTESTATION_CHECKS,
  ACCESS_REVIEW_EMAIL_CHECKS,
  ORGANIZATION_REVIEW_CHECKS,
} from './access-review/checks';
import {
  ACCESS_REVIEW_IDENTITY,
  ATTESTATION_COLLECTOR,
  EMAIL_COLLECTOR,
  ORGANIZATION_COLLECTOR,
} from './access-review/checks';
import { BACKUPS_IDENTITY } from './backups/checks';
import { checkIds, type CheckCatalogue, type CheckSpec } from './check-catalogue';
import type { CollectorIdentity } from './collector';
import { CONSOLE_SIGNINS_IDENTITY } from './console-signins/checks';
import { ENCRYPTION_IDENTITY } from './encryption/checks';
import { IAM_MFA_IDENTITY } from './iam-mfa/checks';
import { INACTIVE_USERS_IDENTITY } from './inactive-users/checks';
import { NETWORK_EXPOSURE_IDENTITY } from './network-exposure/checks';
import { TLS_IDENTITY } from './tls/checks';
import { IAM_PRIVILEGE_IDENTITY } from './iam-privilege/checks';
import { PASSWORD_POLICY_IDENTITY } from './password-policy/checks';
import { KEY_ROTATION_IDENTITY } from './key-rotation/checks';
import { PUBLIC_ACCESS_IDENTITY } from './public-access/checks';
import { THREAT_DETECTION_IDENTITY } from './threat-detection/checks';
import { AUDIT_LOGGING_IDENTITY } from './audit-logging/checks';
import { VULNERABILITIES_IDENTITY } from './vulnerabilities/checks';
import { RESILIENCE_IDENTITY } from './resilience/checks';
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
export interface KindInfo {
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
  /**
   * The scheduled collector, for kinds that are one (the stack deploys a function per collector): here its
   * identity; registry.ts's KindInfo carries the collector itself.
   */
  readonly collector?: CollectorIdentity;
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

function collectorKind(collector: CollectorIdentity, writtenBy?: string): KindInfo {
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
export const KIND_INFO: readonly KindInfo[] = [
  collectorKind(IAM_MFA_IDENTITY),
  collectorKind(INACTIVE_USERS_IDENTITY),
  {
    ...collectorKind(
      ACCESS_REVIEW_IDENTITY,
      'the access-review function each quarter (population frozen before the email), or `soc2-evidence review send`',
    ),
    writtenUnsignedBy:
      '`review send --bucket` or `collect --bucket --unsigned` (with a person’s own AWS credentials)',
  },
  {
    id: EMAIL_COLLECTOR,
    title: 'Quarterly access review email, as sent',
    controls: ACCESS_REVIEW_IDENTITY.controls,
    checks: ACCESS_REVIEW_EMAIL_CHECKS,
    home: 'lambdas/collectors/access-review',
    writtenBy: 'the access-review function, or `soc2-evidence review send`',
    partOf: ACCESS_REVIEW_IDENTITY.id,
    writtenUnsignedBy: '`review send --bucket` (with a person’s own AWS credentials)',
    producer: ACCESS_REVIEW_IDENTITY.id,
  },
  {
    id: ORGANIZATION_COLLECTOR,
    title: 'Quarterly organization access review: IAM Identity Center and every in-scope account',
    controls: ACCESS_REVIEW_IDENTITY.controls,
    checks: ORGANIZATION_REVIEW_CHECKS,
    home: 'lambdas/collectors/access-review',
    writtenBy:
      'the access-review function in organization mode, after every account’s population is frozen (population frozen before the email)',
    partOf: ACCESS_REVIEW_IDENTITY.id,
    producer: ACCESS_REVIEW_IDENTITY.id,
    organizationOnly: true,
  },
  {
    id: ATTESTATION_COLLECTOR,
    title: "Reviewer's recorded access decisions",
    controls: ACCESS_REVIEW_IDENTITY.controls,
    checks: ACCESS_REVIEW_ATTESTATION_CHECKS,
    home: 'lambdas/collectors/access-review',
    writtenBy: '`soc2-evidence review record`',
    partOf: ACCESS_REVIEW_IDENTITY.id,
    writtenUnsignedBy: '`review record` (the reviewer records decisions with their own AWS credentials)',
  },
  collectorKind(NETWORK_EXPOSURE_IDENTITY),
  collectorKind(CONSOLE_SIGNINS_IDENTITY),
  collectorKind(BACKUPS_IDENTITY),
  collectorKind(ENCRYPTION_IDENTITY),
  collectorKind(TLS_IDENTITY),
  collectorKind(IAM_PRIVILEGE_IDENTITY),
  collectorKind(PASSWORD_POLICY_IDENTITY),
  collectorKind(KEY_ROTATION_IDENTITY),
  collectorKind(PUBLIC_ACCESS_IDENTITY),
  collectorKind(THREAT_DETECTION_IDENTITY),
  collectorKind(AUDIT_LOGGING_IDENTITY),
  collectorKind(VULNERABILITIES_IDENTITY),
  collectorKind(RESILIENCE_IDENTITY),
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

export const EVIDENCE_KIND_IDS: readonly string[] = KIND_INFO.map((k) => k.id);

/**
 * Every producer that signs: each kind's producer, then the sealer (which writes digests, not a kind).
 * The stack creates one signing key per entry; an auditor's trust file pins one public key per entry.
 */
export const PRODUCER_IDS: readonly string[] = [
  ...new Set([...KIND_INFO.flatMap((k) => (k.producer ? [k.producer] : [])), SEALER_PRODUCER]),
];

/** The producers a single-account stack deploys (and keys): every producer but those of organization mode only. */
export const SINGLE_ACCOUNT_PRODUCER_IDS: readonly string[] = PRODUCER_IDS.filter((p) => {
  const kinds = KIND_INFO.filter((k) => k.producer === p);
  return kinds.length === 0 || kinds.some((k) => !k.organizationOnly);
});

/** The producer whose key must sign evidence of `kindId` (undefined: unknown kind, or person-written). */
export function producerOfKind(kindId: string | undefined): string | undefined {
  return kindId ? kindInfo(kindId)?.producer : undefined;
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
  return kind !== undefined && kindInfo(kind) ? PERSON_ONLY : undefined;
}

export function kindInfo(id: string): KindInfo | undefined {
  return KIND_INFO.find((k) => k.id === id);
}

/** A check's declaration and the kinds that emit it (`root-access-keys`: iam-mfa and inactive-users). */
export function checkById(
  check: string,
): { readonly spec: CheckSpec; readonly kinds: readonly KindInfo[] } | undefined {
  const kinds = KIND_INFO.filter((k) => check in k.checks);
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
export function declaredChecks(kinds: readonly KindInfo[] = KIND_INFO): DeclaredCheck[] {
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
  return declaredChecks(KIND_INFO.filter((k) => present.has(k.id)));
}

/**
 * Why an object of this kind can carry no signature, for `pull` and `verify` to say next to the integrity
 * problem: only a person's own credentials write evidence unsigned, and the bucket's server access log names
 * who did.
 */
export function unsignedExplanation(kindId: string | undefined): string {
  const who = kindId ? kindInfo(kindId)?.writtenUnsignedBy : undefined;
  const by = who ? `written by ${who}, which cannot sign` : 'not written by a deployed function';
  return `the object carries no signature (x-amz-meta-signature): ${by}; the bucket's server access log (and CloudTrail's PutObject data event, where data events are logged) names who wrote it`;
}
