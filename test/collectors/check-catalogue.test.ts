import { SEVERITIES, checkIds, type CheckCatalogue } from '../../lambdas/collectors/check-catalogue';
import {
  ACCESS_REVIEW_ATTESTATION_CHECKS,
  ACCESS_REVIEW_CHECKS,
  ACCESS_REVIEW_EMAIL_CHECKS,
} from '../../lambdas/collectors/access-review/checks';
import { accessReview } from '../../lambdas/collectors/access-review/collector';
import { BACKUPS_CHECKS } from '../../lambdas/collectors/backups/checks';
import { backups } from '../../lambdas/collectors/backups/collector';
import { CONSOLE_SIGNINS_CHECKS } from '../../lambdas/collectors/console-signins/checks';
import { consoleSignins } from '../../lambdas/collectors/console-signins/collector';
import { ENCRYPTION_CHECKS } from '../../lambdas/collectors/encryption/checks';
import { encryption } from '../../lambdas/collectors/encryption/collector';
import { IAM_MFA_CHECKS } from '../../lambdas/collectors/iam-mfa/checks';
import { iamMfa } from '../../lambdas/collectors/iam-mfa/collector';
import { INACTIVE_USERS_CHECKS } from '../../lambdas/collectors/inactive-users/checks';
import { inactiveUsers } from '../../lambdas/collectors/inactive-users/collector';
import { NETWORK_EXPOSURE_CHECKS } from '../../lambdas/collectors/network-exposure/checks';
import { networkExposure } from '../../lambdas/collectors/network-exposure/collector';
import { TLS_CHECKS } from '../../lambdas/collectors/tls/checks';
import { tls } from '../../lambdas/collectors/tls/collector';
import { COVERAGE_CHECK_CATALOGUE } from '../../lambdas/watchdog/checks';
import { COVERAGE_CHECKS, COVERAGE_CONTROLS } from '../../lambdas/watchdog/watchdog';

/** Every catalogue, with the check ids its producer lists (in order) and the controls it evidences. */
const PRODUCERS: {
  name: string;
  catalogue: CheckCatalogue;
  checks: readonly string[];
  controls: readonly string[];
}[] = [
  { name: 'iam-mfa', catalogue: IAM_MFA_CHECKS, checks: iamMfa.checks, controls: iamMfa.controls },
  {
    name: 'inactive-users',
    catalogue: INACTIVE_USERS_CHECKS,
    checks: inactiveUsers.checks,
    controls: inactiveUsers.controls,
  },
  {
    name: 'access-review',
    catalogue: ACCESS_REVIEW_CHECKS,
    checks: accessReview.checks,
    controls: accessReview.controls,
  },
  {
    name: 'access-review-email',
    catalogue: ACCESS_REVIEW_EMAIL_CHECKS,
    checks: ['review-email-sent', 'review-email-sending'],
    controls: accessReview.controls,
  },
  {
    name: 'access-review-attestation',
    catalogue: ACCESS_REVIEW_ATTESTATION_CHECKS,
    checks: ['access-decision'],
    controls: accessReview.controls,
  },
  {
    name: 'network-exposure',
    catalogue: NETWORK_EXPOSURE_CHECKS,
    checks: networkExposure.checks,
    controls: networkExposure.controls,
  },
  {
    name: 'console-signins',
    catalogue: CONSOLE_SIGNINS_CHECKS,
    checks: consoleSignins.checks,
    controls: consoleSignins.controls,
  },
  { name: 'backups', catalogue: BACKUPS_CHECKS, checks: backups.checks, controls: backups.controls },
  {
    name: 'encryption',
    catalogue: ENCRYPTION_CHECKS,
    checks: encryption.checks,
    controls: encryption.controls,
  },
  { name: 'tls', catalogue: TLS_CHECKS, checks: tls.checks, controls: tls.controls },
  {
    name: 'coverage',
    catalogue: COVERAGE_CHECK_CATALOGUE,
    checks: COVERAGE_CHECKS,
    controls: COVERAGE_CONTROLS,
  },
];

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
  });

  it.each(PRODUCERS.map((p) => [p.name, p] as const))(
    '%s declares exactly the checks its producer lists, in the same order',
    (_name, p) => {
      expect(checkIds(p.catalogue)).toEqual([...p.checks]);
    },
  );

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
