import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { AcceptanceRecord } from '../../../lambdas/evidence/risk-acceptance';
import type { ControlResult, ExceptionInterval, PeriodReport, VerifiedRun } from '../../../cli/period/model';
import { DEFAULT_SLA } from '../../../cli/period/model';
import { oscalAssessmentResults, oscalControlId, OSCAL_NS } from '../../../cli/period/oscal';
import { uuidV5 } from '../../../cli/period/uuid';

// The official schema, unmodified. ajv compiles it in strict mode, with its default unicodeRegExp (the
// schema's patterns use \p{L}) and ajv-formats for date-time, uri, uri-reference and email.
const schema: unknown = JSON.parse(
  readFileSync(join(__dirname, '../../../schema/oscal/oscal_assessment-results_schema.json'), 'utf8'),
);
const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(schema as object);

function schemaErrors(doc: unknown): string {
  return validate(doc) ? '' : ajv.errorsText(validate.errors, { separator: '\n' });
}

// --- A view of the parts of the document the assertions read --------------------------------------
interface Prop {
  name: string;
  ns?: string;
  value: string;
}
interface Observation {
  uuid: string;
  methods: string[];
  collected: string;
  'relevant-evidence': { href: string; description: string; props?: Prop[] }[];
}
interface Risk {
  uuid: string;
  title: string;
  status: string;
  deadline?: string;
  props?: Prop[];
  'risk-log'?: {
    entries: {
      title?: string;
      start: string;
      links?: { href: string }[];
      props?: Prop[];
      'logged-by'?: { 'party-uuid': string; 'role-id'?: string }[];
      'status-change'?: string;
    }[];
  };
}
interface Finding {
  uuid: string;
  description: string;
  target: { type: string; 'target-id': string; status: { state: string } };
  'related-observations'?: { 'observation-uuid': string }[];
  'related-risks'?: { 'risk-uuid': string }[];
}
interface Party {
  uuid: string;
  type: string;
  name?: string;
  'email-addresses'?: string[];
}
interface Document {
  'assessment-results': {
    uuid: string;
    metadata: {
      title: string;
      'last-modified': string;
      version: string;
      'oscal-version': string;
      parties?: Party[];
    };
    'import-ap': { href: string };
    results: {
      start: string;
      end?: string;
      'reviewed-controls': { 'control-selections': { 'include-controls'?: { 'control-id': string }[] }[] };
      observations?: Observation[];
      risks?: Risk[];
      findings?: Finding[];
    }[];
    'back-matter'?: {
      resources: {
        uuid: string;
        rlinks?: { href: string; hashes?: { algorithm: string; value: string }[] }[];
      }[];
    };
  };
}

const propValue = (props: Prop[] | undefined, name: string): string | undefined =>
  props?.find((p) => p.name === name && p.ns === OSCAL_NS)?.value;

// --- A realistic period report, built by hand -------------------------------------------------------
const ACCOUNT = '123456789012';
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

function run(
  collector: string,
  date: string,
  region: string,
  findings: VerifiedRun['findings'],
  status: VerifiedRun['status'] = findings.some((f) => f.status === 'FAIL') ? 'FAIL' : 'PASS',
  complete = true,
): VerifiedRun {
  const key = `evidence/${date.replace(/-/g, '/')}/${collector}/${ACCOUNT}/${region}/060000Z-run${date.slice(8)}.json`;
  return {
    key,
    sha256: sha(key),
    account: ACCOUNT,
    collector,
    date,
    collectedAt: `${date}T06:00:00.125Z`,
    region,
    status,
    complete,
    erroredRegions: complete ? [] : ['eu-west-1'],
    findings,
  };
}

const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
const BOB = `arn:aws:iam::${ACCOUNT}:user/bob`;
const DB = `arn:aws:rds:us-east-1:${ACCOUNT}:db:reports`;
const fail = (check: string, resource: string) => ({ check, resource, status: 'FAIL' as const });
const pass = (check: string, resource: string) => ({ check, resource, status: 'PASS' as const });

const RUNS: VerifiedRun[] = [
  run('iam-mfa', '2026-01-02', 'global', [fail('console-mfa', ALICE), fail('console-mfa', BOB)]),
  run('iam-mfa', '2026-01-03', 'global', [fail('console-mfa', ALICE), fail('console-mfa', BOB)]),
  run('iam-mfa', '2026-01-05', 'global', [pass('console-mfa', ALICE), fail('console-mfa', BOB)]),
  run('encryption', '2026-01-02', 'multi-region', [pass('rds-storage-encrypted', DB)], 'PARTIAL', false),
  run('backups', '2026-01-03', 'us-east-1', [fail('automated-backups', DB)]),
  run('backups', '2026-01-04', 'us-east-1', [fail('automated-backups', DB)]),
  run('tls', '2026-01-02', 'multi-region', []),
  run('network-exposure', '2026-01-02', 'multi-region', []),
];
const at = (collector: string, date: string) => {
  const r = RUNS.find((x) => x.collector === collector && x.date === date);
  if (r === undefined) throw new Error(`fixture has no ${collector} run on ${date}`);
  return { date, key: r.key, sha256: r.sha256 };
};

const ACCEPTANCE: AcceptanceRecord = {
  action: 'accept',
  check: 'automated-backups',
  resource: DB,
  owner: 'owner@example.com',
  reason: 'Reporting replica, rebuilt from the primary;\nbackups planned for Q2.',
  expires: '2026-03-31',
  recordedBy: {
    arn: `arn:aws:iam::${ACCOUNT}:user/security-lead`,
    account: ACCOUNT,
    proof: 'sts-get-caller-identity',
  },
  key: `evidence/2026/01/03/risk-acceptance/${ACCOUNT}/global/090000Z-accept1.json`,
  sha256: sha('acceptance'),
  account: ACCOUNT,
  recordedAt: '2026-01-03T09:00:00Z',
};

const REMEDIATED: ExceptionInterval = {
  id: 'a1b2c3d4e5f60718',
  account: ACCOUNT,
  collector: 'iam-mfa',
  check: 'console-mfa',
  resource: ALICE,
  severity: 'critical',
  criteria: ['CC6.1', 'CC6.6'],
  firstFail: at('iam-mfa', '2026-01-02'),
  startedBeforeObserved: true,
  lastFail: at('iam-mfa', '2026-01-03'),
  resolved: { ...at('iam-mfa', '2026-01-05'), how: 'passed' },
  openAtEnd: false,
  failingDays: 2,
  unknownDays: ['2026-01-04'],
  durationDays: 3,
  sla: { days: 7, due: '2026-01-09', verdict: 'within' },
  state: 'remediated',
};
const BREACHED: ExceptionInterval = {
  ...REMEDIATED,
  id: 'b1b2c3d4e5f60718',
  resource: BOB,
  lastFail: at('iam-mfa', '2026-01-05'),
  resolved: undefined,
  openAtEnd: true,
  failingDays: 3,
  durationDays: 30,
  sla: { days: 7, due: '2026-01-09', verdict: 'breached' },
  state: 'open',
};
const ACCEPTED: ExceptionInterval = {
  id: 'c1b2c3d4e5f60718',
  account: ACCOUNT,
  collector: 'backups',
  check: 'automated-backups',
  resource: DB,
  severity: 'medium',
  criteria: ['A1.2'],
  firstFail: at('backups', '2026-01-03'),
  startedBeforeObserved: true,
  lastFail: at('backups', '2026-01-04'),
  openAtEnd: true,
  failingDays: 2,
  unknownDays: [],
  durationDays: 29,
  sla: { days: 90, due: '2026-04-03', verdict: 'accepted' },
  acceptance: {
    key: ACCEPTANCE.key,
    owner: ACCEPTANCE.owner,
    reason: ACCEPTANCE.reason,
    from: '2026-01-03',
    expires: '2026-03-31',
    recordedBy: ACCEPTANCE.recordedBy.arn,
    inForceAtEnd: true,
  },
  state: 'accepted',
};

function control(c: string, collectors: string[], over: Partial<ControlResult> = {}): ControlResult {
  return {
    control: c,
    collectors,
    days: 31,
    daysCovered: 31,
    uncoveredDays: [],
    incompleteDays: [],
    daysWithFailure: 0,
    exceptions: 0,
    remediatedWithinSla: 0,
    breached: 0,
    accepted: 0,
    open: 0,
    statement: `${c}: covered 31 of 31 days, no failure.`,
    ...over,
  };
}

const CONTROLS: ControlResult[] = [
  control('CC6.1', ['iam-mfa', 'encryption', 'network-exposure'], {
    daysWithFailure: 3,
    exceptions: 2,
    remediatedWithinSla: 1,
    breached: 1,
    open: 1,
    statement:
      'CC6.1: covered 31 of 31 days; failures on 3 days; 2 exceptions, 1 remediated within SLA, 1 past it.',
  }),
  control('CC6.6', ['iam-mfa', 'network-exposure'], {
    daysWithFailure: 3,
    exceptions: 2,
    breached: 1,
    open: 1,
  }),
  control('A1.2', ['backups'], { daysWithFailure: 2, exceptions: 1, accepted: 1 }),
  control('CC6.7', ['tls'], { daysCovered: 30, uncoveredDays: ['2026-01-20'] }),
  control('C1.1', ['encryption']),
];

const REPORT: PeriodReport = {
  from: '2026-01-01',
  to: '2026-01-31',
  sla: DEFAULT_SLA,
  controls: CONTROLS,
  exceptions: [REMEDIATED, BREACHED, ACCEPTED],
  acceptances: [ACCEPTANCE],
  runs: RUNS,
};
const META = {
  generatedAt: '2026-02-01T08:30:00.000Z',
  bucket: 'soc2-evidence-123456789012',
  toolVersion: '0.1.0',
};

const render = (report: PeriodReport = REPORT) => oscalAssessmentResults(report, META);
const parse = (text: string) => JSON.parse(text) as Document;

describe('uuidV5', () => {
  it('matches known version-5 vectors (Python uuid.uuid5)', () => {
    // uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org'), the example of Python's documentation.
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org')).toBe(
      '886313e1-3b8a-5372-9b90-0c9aee199e5d',
    );
    // Computed with Python's uuid.uuid5: a non-ASCII name (hashed as UTF-8) and an empty name.
    expect(uuidV5('6ba7b811-9dad-11d1-80b4-00c04fd430c8', 'https://example.com/é')).toBe(
      '20ecd233-a9e7-5067-a96f-fd6600ca3fda',
    );
    expect(uuidV5('6ba7b811-9dad-11d1-80b4-00c04fd430c8', '')).toBe('1b4db7eb-4057-5ddf-91e0-36dec72071f5');
  });

  it('rejects a namespace that is not a UUID', () => {
    expect(() => uuidV5('python.org', 'x')).toThrow('uuidV5: namespace must be a UUID');
  });
});

describe('oscalAssessmentResults', () => {
  const text = render();
  const doc = parse(text);
  const ar = doc['assessment-results'];
  const result = ar.results[0]!;

  it('validates against the official OSCAL 1.0.6 Assessment Results schema', () => {
    expect(schemaErrors(doc)).toBe('');
    expect(ar.metadata['oscal-version']).toBe('1.0.6');
    expect(ar.metadata['last-modified']).toBe(META.generatedAt);
    expect(ar.metadata.version).toBe('0.1.0');
    expect(ar.metadata.title).toBe('SOC 2 evidence: period 2026-01-01 to 2026-01-31');
    expect(ar['import-ap'].href).toBe('manifest.json');
    expect(result.start).toBe('2026-01-01T00:00:00Z');
    expect(result.end).toBe('2026-01-31T23:59:59Z');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "assessment-results": {\n    "uuid"');
  });

  it('is deterministic: the same bytes twice, and whatever the order of the runs', () => {
    expect(render()).toBe(text);
    expect(render({ ...REPORT, runs: [...RUNS].reverse() })).toBe(text);
    // Another bucket is another namespace: no uuid in common.
    const other = oscalAssessmentResults(REPORT, { ...META, bucket: 'another-bucket' });
    const uuids = (t: string) =>
      new Set(t.match(/[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g));
    const mine = uuids(text);
    expect(mine.size).toBeGreaterThan(20);
    expect([...uuids(other)].filter((u) => mine.has(u))).toEqual([]);
  });

  it('has one observation per run, its evidence the run key and SHA-256', () => {
    const observations = result.observations ?? [];
    expect(observations).toHaveLength(RUNS.length);
    for (const r of RUNS) {
      const matching = observations.filter((o) => o['relevant-evidence'].some((e) => e.href === r.key));
      expect(matching).toHaveLength(1);
      const o = matching[0]!;
      expect(o['relevant-evidence']).toHaveLength(1);
      expect(propValue(o['relevant-evidence'][0]!.props, 'sha256')).toBe(r.sha256);
      expect(o.collected).toBe(r.collectedAt);
      expect(o.methods).toEqual(['TEST']);
    }
    const partial = observations.find((o) => o['relevant-evidence'][0]!.href.includes('/encryption/'));
    expect(partial?.['relevant-evidence'][0]!.description).toBe(
      `encryption run for account ${ACCOUNT}, PARTIAL, incomplete`,
    );
  });

  it('has a finding per control with the stated status, its risks and its collectors’ observations', () => {
    const findings = result.findings ?? [];
    expect(result['reviewed-controls']['control-selections'][0]!['include-controls']).toEqual(
      ['cc6.1', 'cc6.6', 'a1.2', 'cc6.7', 'c1.1'].map((id) => ({ 'control-id': id })),
    );
    const byTarget = new Map(findings.map((f) => [f.target['target-id'], f]));
    expect(findings).toHaveLength(CONTROLS.length);
    // The rule: not-satisfied on any exception not accepted, or any uncovered day.
    expect(
      Object.fromEntries(
        ['cc6.1', 'cc6.6', 'a1.2', 'cc6.7', 'c1.1'].map((id) => [
          id,
          byTarget.get(`${id}_obj`)?.target.status.state,
        ]),
      ),
    ).toEqual({
      'cc6.1': 'not-satisfied', // a remediated and a breached exception
      'cc6.6': 'not-satisfied',
      'a1.2': 'satisfied', // its only exception is accepted
      'cc6.7': 'not-satisfied', // an uncovered day
      'c1.1': 'satisfied',
    });
    const risks = result.risks ?? [];
    const riskUuid = (title: string) => risks.find((r) => r.title === title)?.uuid;
    const cc61 = byTarget.get('cc6.1_obj')!;
    expect(cc61.description).toBe(CONTROLS[0]!.statement);
    expect(cc61.target.type).toBe('objective-id');
    expect(cc61['related-risks']).toEqual([
      { 'risk-uuid': riskUuid(`console-mfa on ${ALICE}`) },
      { 'risk-uuid': riskUuid(`console-mfa on ${BOB}`) },
    ]);
    // CC6.1's collectors ran 5 times (iam-mfa 3, encryption 1, network-exposure 1).
    const observationHref = new Map(
      (result.observations ?? []).map((o) => [o.uuid, o['relevant-evidence'][0]!.href]),
    );
    const related = (cc61['related-observations'] ?? []).map((o) =>
      observationHref.get(o['observation-uuid']),
    );
    expect(related.sort()).toEqual(
      RUNS.filter((r) => ['iam-mfa', 'encryption', 'network-exposure'].includes(r.collector))
        .map((r) => r.key)
        .sort(),
    );
    expect(byTarget.get('c1.1_obj')!['related-risks']).toBeUndefined();
  });

  it('has a risk per exception: status, SLA deadline and the proving envelopes in its log', () => {
    const risks = result.risks ?? [];
    expect(risks.map((r) => [r.title, r.status, r.deadline])).toEqual([
      [`console-mfa on ${ALICE}`, 'closed', '2026-01-09T23:59:59Z'],
      [`console-mfa on ${BOB}`, 'open', '2026-01-09T23:59:59Z'],
      [`automated-backups on ${DB}`, 'deviation-approved', '2026-03-31T23:59:59Z'],
    ]);
    const remediated = risks[0]!;
    expect(propValue(remediated.props, 'sla-verdict')).toBe('within');
    expect(propValue(risks[1]!.props, 'sla-verdict')).toBe('breached');
    const log = remediated['risk-log']!.entries;
    expect(log.map((e) => [e.links?.[0]?.href, propValue(e.props, 'sha256'), e['status-change']])).toEqual([
      [REMEDIATED.firstFail.key, REMEDIATED.firstFail.sha256, 'open'],
      [REMEDIATED.lastFail.key, REMEDIATED.lastFail.sha256, undefined],
      [REMEDIATED.resolved!.key, REMEDIATED.resolved!.sha256, 'closed'],
    ]);
    expect(log[0]!.start).toBe('2026-01-02T06:00:00.125Z');
  });

  it('carries an accepted risk’s owner (a party with their email), reason and expiry', () => {
    const risk = (result.risks ?? []).find((r) => r.status === 'deviation-approved')!;
    expect(risk.deadline).toBe('2026-03-31T23:59:59Z');
    expect(propValue(risk.props, 'risk-owner')).toBe('owner@example.com');
    expect(propValue(risk.props, 'acceptance-expires')).toBe('2026-03-31');
    const accepted = risk['risk-log']!.entries.find((e) => e['status-change'] === 'deviation-approved')!;
    expect(accepted.links?.[0]?.href).toBe(ACCEPTANCE.key);
    expect(accepted.start).toBe(ACCEPTANCE.recordedAt);
    const owner = accepted['logged-by']?.[0];
    expect(owner?.['role-id']).toBe('risk-owner');
    const party = ar.metadata.parties?.find((p) => p.uuid === owner?.['party-uuid']);
    expect(party).toMatchObject({
      type: 'person',
      name: 'owner@example.com',
      'email-addresses': ['owner@example.com'],
    });
    expect(text).toContain('backups planned for Q2.'); // the reason, newline and all, in the remarks
    // The acceptance record, with its SHA-256 where OSCAL carries hashes.
    const resource = ar['back-matter']?.resources.find((r) => r.rlinks?.[0]?.href === ACCEPTANCE.key);
    expect(resource?.rlinks?.[0]?.hashes).toEqual([{ algorithm: 'SHA-256', value: ACCEPTANCE.sha256 }]);
  });

  it('is valid for a period with no run and no exception, with or without controls', () => {
    const empty: PeriodReport = { ...REPORT, exceptions: [], acceptances: [], runs: [] };
    const uncovered = parse(
      render({
        ...empty,
        controls: [control('CC6.1', ['iam-mfa'], { daysCovered: 0, uncoveredDays: ['2026-01-01'] })],
      }),
    );
    expect(schemaErrors(uncovered)).toBe('');
    const r = uncovered['assessment-results'].results[0]!;
    expect(r.observations).toBeUndefined();
    expect(r.risks).toBeUndefined();
    expect(r.findings?.map((f) => f.target.status.state)).toEqual(['not-satisfied']);
    expect(uncovered['assessment-results']['back-matter']).toBeUndefined();
    const nothing = parse(render({ ...empty, controls: [] }));
    expect(schemaErrors(nothing)).toBe('');
    expect(nothing['assessment-results'].results[0]!.findings).toBeUndefined();
  });

  it('shows a revoked acceptance in the risk log, and names an owner that is no email address without one', () => {
    const revoked: ExceptionInterval = {
      ...ACCEPTED,
      sla: { days: 90, due: '2026-04-03', verdict: 'open-within' },
      acceptance: {
        ...ACCEPTED.acceptance!,
        owner: 'Backup team',
        revokedOn: '2026-01-20',
        revokedBy: `arn:aws:iam::${ACCOUNT}:user/security-lead`,
        inForceAtEnd: false,
      },
      state: 'open',
    };
    const d = parse(render({ ...REPORT, exceptions: [revoked] }));
    expect(schemaErrors(d)).toBe('');
    const risk = d['assessment-results'].results[0]!.risks![0]!;
    expect([risk.status, risk.deadline]).toEqual(['open', '2026-04-03T23:59:59Z']);
    expect(risk['risk-log']!.entries.map((e) => [e.title, e['status-change']])).toEqual([
      ['First failing run', 'open'],
      ['Last failing run', undefined],
      ['Risk accepted', 'deviation-approved'],
      ['Risk acceptance revoked', 'open'],
    ]);
    expect(d['assessment-results'].metadata.parties).toEqual([
      expect.objectContaining({ type: 'person', name: 'Backup team' }),
    ]);
    expect(d['assessment-results'].metadata.parties![0]!['email-addresses']).toBeUndefined();
  });

  it('is checked by a validator that rejects a bad uuid, a missing required field and a bad email', () => {
    const broken = (edit: (d: Document) => void): string => {
      const d = parse(text);
      edit(d);
      return schemaErrors(d);
    };
    expect(
      broken((d) => (d['assessment-results'].results[0]!.observations![0]!.uuid = 'not-a-uuid')),
    ).toMatch(/uuid must match pattern/);
    expect(
      broken(
        (d) => delete (d['assessment-results'].metadata as { 'oscal-version'?: string })['oscal-version'],
      ),
    ).toMatch(/must have required property 'oscal-version'/);
    expect(
      broken(
        (d) => (d['assessment-results'].metadata.parties![0]!['email-addresses'] = ['owner at example.com']),
      ),
    ).toMatch(/must match format "email"/);
  });

  it('refuses what it cannot write as valid OSCAL, naming the field', () => {
    expect(() => oscalAssessmentResults(REPORT, { ...META, generatedAt: '2026-02-01 08:30' })).toThrow(
      /^generatedAt must be an ISO 8601 date-time with a time zone/,
    );
    expect(() => oscalControlId('6.1')).toThrow('control "6.1" has no OSCAL token form');
    expect(() =>
      oscalAssessmentResults(REPORT, { ...META, generatedAt: '2026-02-01T08:30:00+01:30' }),
    ).toThrow(/^generatedAt must be/); // the schema allows +01:00 and +05:30, not +01:30
    expect(() => oscalAssessmentResults({ ...REPORT, to: '2026-02-30' }, META)).toThrow(
      'report.to must be a day YYYY-MM-DD, got "2026-02-30"',
    );
    expect(() => oscalAssessmentResults({ ...REPORT, to: '31/01/2026' }, META)).toThrow(
      'report.to must be a day YYYY-MM-DD, got "31/01/2026"',
    );
  });
});
