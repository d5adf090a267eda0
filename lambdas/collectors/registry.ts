/**
 * The collectors this release ships, and the kinds of evidence (kinds.ts) with each scheduled kind's collector
 * attached. Code that needs only the kinds (not gather code and its SDK clients) imports kinds.ts.
 */
import type { AnyCollector } from './collector';
import { accessReview } from './access-review/collector';
import { auditLogging } from './audit-logging/collector';
import { backups } from './backups/collector';
import { consoleSignins } from './console-signins/collector';
import { encryption } from './encryption/collector';
import { iamMfa } from './iam-mfa/collector';
import { iamPrivilege } from './iam-privilege/collector';
import { inactiveUsers } from './inactive-users/collector';
import { keyRotation } from './key-rotation/collector';
import { networkExposure } from './network-exposure/collector';
import { passwordPolicy } from './password-policy/collector';
import { publicAccess } from './public-access/collector';
import { resilience } from './resilience/collector';
import { threatDetection } from './threat-detection/collector';
import { tls } from './tls/collector';
import { vulnerabilities } from './vulnerabilities/collector';
import type { CheckSpec } from './check-catalogue';
import { checkById as checkInKinds, KIND_INFO, type KindInfo } from './kinds';

export {
  checksOfKinds,
  declaredChecks,
  EVIDENCE_KIND_IDS,
  PRODUCER_IDS,
  producerOfKey,
  producerOfKind,
  SINGLE_ACCOUNT_PRODUCER_IDS,
  unsignedExplanation,
  type DeclaredCheck,
} from './kinds';

/** One kind of evidence (kinds.ts), with its collector when the kind is a scheduled collector's. */
export interface EvidenceKind extends Omit<KindInfo, 'collector'> {
  readonly collector?: AnyCollector;
}

const SHIPPED: readonly AnyCollector[] = [
  iamMfa,
  inactiveUsers,
  accessReview,
  networkExposure,
  consoleSignins,
  backups,
  encryption,
  tls,
  iamPrivilege,
  passwordPolicy,
  keyRotation,
  publicAccess,
  threatDetection,
  auditLogging,
  vulnerabilities,
  resilience,
];

/** Every kind of evidence this release writes, in the order the controls matrix and the demo show them. */
export const EVIDENCE_KINDS: readonly EvidenceKind[] = KIND_INFO.map((kind): EvidenceKind => {
  const { collector: identity, ...info } = kind;
  if (!identity) return info;
  const collector = SHIPPED.find((c) => c.id === identity.id);
  if (!collector) throw new Error(`kinds.ts names collector ${identity.id}, which registry.ts does not ship`);
  return { ...info, collector };
});

/** Every scheduled collector this release ships, by id. Ids are a contract: they appear in keys and config. */
export const COLLECTORS: readonly AnyCollector[] = EVIDENCE_KINDS.flatMap((k) =>
  k.collector ? [k.collector] : [],
);
if (COLLECTORS.length !== SHIPPED.length)
  throw new Error('registry.ts ships a collector that kinds.ts does not declare as a kind of evidence');

export const COLLECTOR_IDS: readonly string[] = COLLECTORS.map((c) => c.id);

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
  const found = checkInKinds(check);
  return found && { spec: found.spec, kinds: found.kinds.map((k) => evidenceKind(k.id)!) };
}
