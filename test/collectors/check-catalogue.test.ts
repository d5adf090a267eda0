import { IAM_PRIVILEGE_CHECKS } from '../../lambdas/collectors/iam-privilege/checks';
import { PASSWORD_POLICY_CHECKS } from '../../lambdas/collectors/password-policy/checks';
import { KEY_ROTATION_CHECKS } from '../../lambdas/collectors/key-rotation/checks';
import { PUBLIC_ACCESS_CHECKS } from '../../lambdas/collectors/public-access/checks';
import { THREAT_DETECTION_CHECKS } from '../../lambdas/collectors/threat-detection/checks';
import { AUDIT_LOGGING_CHECKS } from '../../lambdas/collectors/audit-logging/checks';
import { VULNERABILITIES_CHECKS } from '../../lambdas/collectors/vulnerabilities/checks';
import { RESILIENCE_CHECKS } from '../../lambdas/collectors/resilience/checks';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SEVERITIES } from '../../lambdas/collectors/check-catalogue';
import { EVIDENCE_KINDS } from '../../lambdas/collectors/registry';
import {
  ACCESS_REVIEW_ATTESTATION_CHECKS,
  ACCESS_REVIEW_CHECKS,
  ACCESS_REVIEW_EMAIL_CHECKS,
  ORGANIZATION_REVIEW_CHECKS,
} from '../../lambdas/collectors/access-review/checks';
import { BACKUPS_CHECKS } from '../../lambdas/collectors/backups/checks';
import { CONSOLE_SIGNINS_CHECKS } from '../../lambdas/collectors/console-signins/checks';
import { ENCRYPTION_CHECKS } from '../../lambdas/collectors/encryption/checks';
import { IAM_MFA_CHECKS } from '../../lambdas/collectors/iam-mfa/checks';
import { INACTIVE_USERS_CHECKS } from '../../lambdas/collectors/inactive-users/checks';
import { NETWORK_EXPOSURE_CHECKS } from '../../lambdas/collectors/network-exposure/checks';
import { TLS_CHECKS } from '../../lambdas/collectors/tls/checks';
import { RISK_REGISTER_CHECKS } from '../../lambdas/risk-register/checks';
import { TAMPER_WATCH_CHECKS } from '../../lambdas/tamper-watch/checks';
import { ACCOUNT_LIST_CHECKS } from '../../lambdas/organization/checks';
import { COVERAGE_CHECK_CATALOGUE } from '../../lambdas/watchdog/checks';

const ROOT = join(__dirname, '..', '..');

/** Every kind of evidence in the registry, with its catalogue and the controls it evidences. */
const PRODUCERS = EVIDENCE_KINDS.map((k) => ({ name: k.id, catalogue: k.checks, controls: k.controls }));

/** The one check declared once and shared by two collectors, so its criteria span both. */
const SHARED = 'root-access-keys';

const entries = PRODUCERS.flatMap((p) =>
  Object.entries(p.catalogue).map(([id, spec]) => [p.name, id, spec] as const),
);

describe('check catalogues', () => {
  it.each(entries)('%s %s is fully described', (_producer, _id, spec) => {
    expect(spec.title.trim()).not.toBe('');
    expect(spec.description.trim().length).toBeGreaterThanOrEqual(80);
    expect(SEVERITIES).toContain(spec.severity);
    expect(spec.criteria.length).toBeGreaterThan(0);
    for (const c of spec.criteria) expect(c).toMatch(/^(CC|A|C|PI|P)\d+\.\d+$/);
    expect(new Set(spec.criteria).size).toBe(spec.criteria.length);
    expect(spec.remediation.trim()).not.toBe('');
    expect(`${spec.title} ${spec.description} ${spec.remediation}`).not.toMatch(/SCAFFOLD/);
  });

  it('registers every catalogue: each kind is in the registry with the catalogue beside its code', () => {
    expect(PRODUCERS.map((p) => [p.name, p.catalogue])).toEqual([
      ['iam-mfa', IAM_MFA_CHECKS],
      ['inactive-users', INACTIVE_USERS_CHECKS],
      ['access-review', ACCESS_REVIEW_CHECKS],
      ['access-review-email', ACCESS_REVIEW_EMAIL_CHECKS],
      ['access-review-organization', ORGANIZATION_REVIEW_CHECKS],
      ['access-review-attestation', ACCESS_REVIEW_ATTESTATION_CHECKS],
      ['network-exposure', NETWORK_EXPOSURE_CHECKS],
      ['console-signins', CONSOLE_SIGNINS_CHECKS],
      ['backups', BACKUPS_CHECKS],
      ['encryption', ENCRYPTION_CHECKS],
      ['tls', TLS_CHECKS],
      ['iam-privilege', IAM_PRIVILEGE_CHECKS],
      ['password-policy', PASSWORD_POLICY_CHECKS],
      ['key-rotation', KEY_ROTATION_CHECKS],
      ['public-access', PUBLIC_ACCESS_CHECKS],
      ['threat-detection', THREAT_DETECTION_CHECKS],
      ['audit-logging', AUDIT_LOGGING_CHECKS],
      ['vulnerabilities', VULNERABILITIES_CHECKS],
      ['resilience', RESILIENCE_CHECKS],
      ['coverage', COVERAGE_CHECK_CATALOGUE],
      ['tamper-watch', TAMPER_WATCH_CHECKS],
      ['risk-acceptance', RISK_REGISTER_CHECKS],
      ['organization-accounts', ACCOUNT_LIST_CHECKS],
    ]);
    for (const k of EVIDENCE_KINDS) expect(existsSync(join(ROOT, k.home, 'checks.ts'))).toBe(true);
  });

  it.each(PRODUCERS.map((p) => [p.name, p] as const))(
    "%s draws each check's criteria from its controls and covers every control",
    (_name, p) => {
      const sharers = PRODUCERS.filter((q) => SHARED in q.catalogue);
      const sharedControls = new Set(sharers.flatMap((q) => q.controls));
      for (const [id, spec] of Object.entries(p.catalogue)) {
        const allowed = id === SHARED ? sharedControls : new Set(p.controls);
        expect({ id, outside: spec.criteria.filter((c) => !allowed.has(c)) }).toEqual({ id, outside: [] });
      }
      const covered = new Set(Object.values(p.catalogue).flatMap((s) => s.criteria));
      expect(p.controls.filter((c) => !covered.has(c))).toEqual([]);
    },
  );

  it('declares no id twice with different specs', () => {
    const byId = new Map<string, { producer: string; spec: object }>();
    for (const [producer, id, spec] of entries) {
      const first = byId.get(id);
      if (!first) byId.set(id, { producer, spec });
      else
        expect({ id, producers: [first.producer, producer], same: first.spec === spec }).toEqual({
          id,
          producers: [first.producer, producer],
          same: true,
        });
    }
  });

  it('shares one root-access-keys declaration between iam-mfa and inactive-users', () => {
    expect(INACTIVE_USERS_CHECKS[SHARED]).toBe(IAM_MFA_CHECKS[SHARED]);
  });
});
