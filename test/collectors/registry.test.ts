import {
  checkById,
  COLLECTOR_IDS,
  declaredChecks,
  EVIDENCE_KIND_IDS,
  evidenceKind,
  PRODUCER_IDS,
  SINGLE_ACCOUNT_PRODUCER_IDS,
  producerOfKind,
  unsignedExplanation,
} from '../../lambdas/collectors/registry';

describe('the registry of evidence kinds', () => {
  it('holds the scheduled collectors and the kinds written beside them, each id once', () => {
    expect(EVIDENCE_KIND_IDS).toEqual([
      'iam-mfa',
      'inactive-users',
      'access-review',
      'access-review-email',
      'access-review-organization',
      'access-review-attestation',
      'network-exposure',
      'console-signins',
      'backups',
      'encryption',
      'tls',
      'iam-privilege',
      'password-policy',
      'key-rotation',
      'public-access',
      'threat-detection',
      'audit-logging',
      'vulnerabilities',
      'resilience',
      'coverage',
      'tamper-watch',
      'risk-acceptance',
      'organization-accounts',
    ]);
    expect(COLLECTOR_IDS).toEqual(EVIDENCE_KIND_IDS.filter((id) => evidenceKind(id)!.collector));
    expect(evidenceKind('access-review-email')!.partOf).toBe('access-review');
    expect(evidenceKind('coverage')!.fixedSchedule).toMatch(/^cron\(/);
    // Event-driven: a trigger, no schedule, and its own producer's key.
    expect(evidenceKind('tamper-watch')).toMatchObject({
      trigger: expect.stringContaining('CloudTrail'),
      producer: 'tamper-watch',
      home: 'lambdas/tamper-watch',
    });
    expect(evidenceKind('tamper-watch')!.fixedSchedule).toBeUndefined();
    expect(PRODUCER_IDS).toContain('tamper-watch');
    expect(producerOfKind('tamper-watch')).toBe('tamper-watch');
    // Invoked by `exception accept|revoke`: signed by its own producer, the risk register.
    expect(evidenceKind('risk-acceptance')).toMatchObject({
      trigger: 'Lambda Invoke: exception accept, revoke',
      producer: 'risk-register',
      home: 'lambdas/risk-register',
      controls: ['CC3.2', 'CC9.1'],
    });
    expect(Object.keys(evidenceKind('risk-acceptance')!.checks)).toEqual([
      'risk-accepted',
      'risk-acceptance-revoked',
    ]);
    expect(PRODUCER_IDS).toContain('risk-register');
    expect(producerOfKind('risk-acceptance')).toBe('risk-register');
    // Organization mode: invoked by each run's state machine, no schedule of its own, its own producer's key.
    expect(evidenceKind('organization-accounts')).toMatchObject({
      trigger: expect.stringContaining('Step Functions'),
      producer: 'organization-accounts',
      home: 'lambdas/organization',
    });
    expect(evidenceKind('organization-accounts')!.fixedSchedule).toBeUndefined();
    expect(producerOfKind('organization-accounts')).toBe('organization-accounts');
    expect(PRODUCER_IDS).toContain('organization-accounts');
    expect(SINGLE_ACCOUNT_PRODUCER_IDS).toEqual(PRODUCER_IDS.filter((p) => p !== 'organization-accounts'));
  });

  it('leads from a check id to the kinds that emit it and the folder of its code', () => {
    expect(checkById('root-access-keys')!.kinds.map((k) => k.id)).toEqual(['iam-mfa', 'inactive-users']);
    expect(checkById('listener-tls-policy')!.kinds[0]!.home).toBe('lambdas/collectors/tls');
    expect(checkById('no-such-check')).toBeUndefined();
    const ids = declaredChecks().map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('explains an unsigned object by the command that writes its kind with a person’s credentials', () => {
    expect(unsignedExplanation('access-review-attestation')).toContain('written by `review record`');
    expect(unsignedExplanation('iam-mfa')).toContain('`collect --bucket --unsigned`');
    expect(unsignedExplanation('access-review')).toContain('`review send --bucket`');
    expect(unsignedExplanation('access-review-email')).toContain('`review send --bucket`');
    expect(unsignedExplanation(undefined)).toContain('not written by a deployed function');
    for (const e of [unsignedExplanation('tls'), unsignedExplanation('coverage')])
      expect(e).toContain("the bucket's server access log");
  });
});
