/**
 * The period report as a NIST OSCAL Assessment Results document (OSCAL 1.0.6, JSON), valid against the
 * official schema vendored at schema/oscal/oscal_assessment-results_schema.json:
 *
 * - one observation per verified run, its envelope's key and SHA-256 as the relevant evidence;
 * - one finding per control, `satisfied` or `not-satisfied` by the rule of `controlSatisfied`;
 * - one risk per exception, with its proving envelopes in a risk log, and an accepted risk's owner (a party
 *   with an email address), reason and expiry (the risk's deadline).
 *
 * Deterministic: no clock and no random UUID. Every uuid is a name-based (version 5) UUID of a stable name
 * in a namespace of the bucket, and the only time that is not evidence is `meta.generatedAt`, so `verify`
 * can render the document again from the evidence it proved and compare the bytes.
 */
import type { AcceptanceRecord } from '../../lambdas/evidence/risk-acceptance';
import type { Boundary, ControlResult, ExceptionInterval, PeriodReport, VerifiedRun } from './model';
import { uuidV5 } from './uuid';

export const OSCAL_VERSION = '1.0.6';

/**
 * The namespace of this project's own OSCAL property names. A URN because the project has no web address
 * of its own to point at; it is a name, not a resource to fetch.
 */
export const OSCAL_NS = 'urn:soc2-evidence:oscal';

/** The framework the control ids name. */
export const FRAMEWORK = 'AICPA Trust Services Criteria (2017, points of focus revised 2022)';

/** RFC 4122 appendix C: the URL namespace. */
const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
/** The root of every uuid of the export: the version-5 UUID of the project's namespace name. */
const ROOT_NAMESPACE = uuidV5(URL_NAMESPACE, OSCAL_NS);

const RISK_OWNER_ROLE = 'risk-owner';

export interface OscalMeta {
  /** The package's generation time (ISO 8601 with a time zone): the document's last-modified. */
  readonly generatedAt: string;
  /** The evidence bucket: scopes every uuid, so two buckets never share one. */
  readonly bucket: string;
  readonly title?: string;
  /** The soc2-evidence version that rendered the document. */
  readonly toolVersion: string;
}

/** A JSON value as the document holds it; undefined members are left out by JSON.stringify. */
type Json = string | number | boolean | readonly Json[] | { readonly [k: string]: Json | undefined };
type Obj = { readonly [k: string]: Json | undefined };

// The schema's datatypes, compiled here to fail with a clear message instead of an invalid document.
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The schema's DateTimeWithTimezoneDatatype pattern, verbatim. */
const DATE_TIME =
  /^(((2000|2400|2800|(19|2[0-9](0[48]|[2468][048]|[13579][26])))-02-29)|(((19|2[0-9])[0-9]{2})-02-(0[1-9]|1[0-9]|2[0-8]))|(((19|2[0-9])[0-9]{2})-(0[13578]|10|12)-(0[1-9]|[12][0-9]|3[01]))|(((19|2[0-9])[0-9]{2})-(0[469]|11)-(0[1-9]|[12][0-9]|30)))T(2[0-3]|[01][0-9]):([0-5][0-9]):([0-5][0-9])(\.[0-9]+)?(Z|(-((0[0-9]|1[0-2]):00|0[39]:30)|\+((0[0-9]|1[0-4]):00|(0[34569]|10):30|(0[58]|12):45)))$/;
const TOKEN = /^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$/u;
/**
 * ajv-formats' `email` format in its full (stricter) mode: an owner that does not pass it is still a party,
 * named, but without an email address, so the document stays valid under either mode.
 */
const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

function checkDate(field: string, value: string): string {
  if (!DATE.test(value) || !DATE_TIME.test(`${value}T00:00:00Z`))
    throw new Error(`${field} must be a day YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return value;
}

function checkDateTime(field: string, value: string): string {
  if (!DATE_TIME.test(value) || Number.isNaN(Date.parse(value)))
    throw new Error(
      `${field} must be an ISO 8601 date-time with a time zone (e.g. 2026-01-31T12:00:00Z), got ${JSON.stringify(value)}`,
    );
  return value;
}

/** A control id in OSCAL's token form: `CC6.1` → `cc6.1`. */
export function oscalControlId(control: string): string {
  const id = control.toLowerCase();
  if (!TOKEN.test(id))
    throw new Error(
      `control ${JSON.stringify(control)} has no OSCAL token form (a letter, then letters, digits, . - _)`,
    );
  return id;
}

/** A one-line, trimmed value for the schema's StringDatatype (no leading or trailing space, no newline). */
function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/** A property in the project's namespace, or undefined when the value is empty. */
function prop(name: string, value: string | number | boolean): Obj | undefined {
  const v = oneLine(String(value));
  return v === '' ? undefined : { name, ns: OSCAL_NS, value: v };
}

/** An array for a member the schema wants non-empty when present: undefined when there is nothing. */
function some<T extends Json | undefined>(items: readonly T[]): Json[] | undefined {
  const kept = items.filter((i): i is Exclude<T, undefined> => i !== undefined);
  return kept.length > 0 ? kept : undefined;
}

/** A package key as a relative URI reference (keys of the evidence layout are already safe). */
function keyHref(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

function evidenceLink(key: string): Obj {
  return { href: keyHref(key), rel: 'evidence', 'media-type': 'application/json' };
}

function endOfDay(date: string): string {
  return `${date}T23:59:59Z`;
}

/**
 * The finding rule: a control is `not-satisfied` when, in the period, any of its exceptions (an exception
 * whose check supports it) was not accepted at its end (or was accepted only after its SLA had passed), any
 * of its days was judged incompletely (a failure there may be unseen), or any of its days was not covered (a missing or
 * ERROR-only expected run); `satisfied` otherwise. A remediated exception counts: the control did not
 * operate effectively on the days it failed.
 */
export function controlSatisfied(control: ControlResult, exceptions: readonly ExceptionInterval[]): boolean {
  return (
    control.uncoveredDays.length === 0 &&
    control.incompleteDays.length === 0 &&
    exceptions.every((e) => e.sla.verdict === 'accepted')
  );
}

const RULE =
  'A finding is not-satisfied when, in the period, any exception of a check supporting the control was not ' +
  'accepted at its end, or an expected run of one of its collectors was missing or ERROR-only on any day ' +
  '(an uncovered day); it is satisfied otherwise. A remediated exception still makes it not-satisfied.';

/** Risk status: an accepted exception is a deviation approved, a remediated one closed, the rest open. */
function riskStatus(e: ExceptionInterval): 'open' | 'closed' | 'deviation-approved' {
  if (e.state === 'accepted') return 'deviation-approved';
  return e.state === 'remediated' ? 'closed' : 'open';
}

function days(n: number): string {
  return `${n} day${n === 1 ? '' : 's'}`;
}

/** Renders the OSCAL Assessment Results document: JSON, 2-space indent, trailing newline. */
export function oscalAssessmentResults(report: PeriodReport, meta: OscalMeta): string {
  const from = checkDate('report.from', report.from);
  const to = checkDate('report.to', report.to);
  const generatedAt = checkDateTime('generatedAt', meta.generatedAt);
  const bucket = oneLine(meta.bucket);
  if (bucket === '') throw new Error('bucket must be the evidence bucket name, got an empty string');
  const toolVersion = oneLine(meta.toolVersion);
  if (toolVersion === '')
    throw new Error('toolVersion must be the soc2-evidence version, got an empty string');

  const namespace = uuidV5(ROOT_NAMESPACE, `s3://${bucket}`);
  const uuid = (name: string): string => uuidV5(namespace, name);
  // Runs once each, by key: the observations' order does not depend on the report's.
  const runs = [...new Map(report.runs.map((r) => [r.key, r])).values()].sort((a, b) =>
    a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
  const ctx: Ctx = {
    from,
    to,
    uuid,
    runs,
    runByKey: new Map(runs.map((r) => [r.key, r])),
    acceptanceByKey: new Map(report.acceptances.map((a) => [a.key, a])),
    observationUuid: (key) => uuid(`observation:${key}`),
    riskUuid: (e) => uuid(`risk:${e.id}`),
    resourceUuid: (key) => uuid(`resource:${key}`),
    partyUuid: (owner) => uuid(`party:${oneLine(owner)}`),
  };

  const owners = [
    ...new Set(
      report.exceptions.flatMap((e) => (e.acceptance !== undefined ? [oneLine(e.acceptance.owner)] : [])),
    ),
  ]
    .filter((o) => o !== '')
    .sort();
  // The acceptance and revocation records, each with its SHA-256 where OSCAL carries hashes (rlinks).
  const resources = some(
    [...ctx.acceptanceByKey.values()].map((r) => acceptanceResource(r, ctx.resourceUuid(r.key))),
  );
  const controlIds = report.controls.map((c) => ({ 'control-id': oscalControlId(c.control) }));

  const document = {
    'assessment-results': {
      uuid: uuid(`assessment-results:${from}/${to}`),
      metadata: {
        title:
          meta.title !== undefined && meta.title.trim() !== ''
            ? meta.title
            : `SOC 2 evidence: period ${from} to ${to}`,
        'last-modified': generatedAt,
        version: toolVersion,
        'oscal-version': OSCAL_VERSION,
        props: some([prop('evidence-bucket', bucket)]),
        // Owners of the accepted risks are parties, so a risk log entry names its owner by uuid.
        roles: owners.length > 0 ? [{ id: RISK_OWNER_ROLE, title: 'Risk owner' }] : undefined,
        parties: some(
          owners.map((owner) => ({
            uuid: ctx.partyUuid(owner),
            type: 'person',
            name: owner,
            'email-addresses': EMAIL.test(owner) ? [owner] : undefined,
            remarks: 'Owner of an accepted risk, as the signed acceptance record names them.',
          })),
        ),
        'responsible-parties':
          owners.length > 0
            ? [{ 'role-id': RISK_OWNER_ROLE, 'party-uuids': owners.map(ctx.partyUuid) }]
            : undefined,
        remarks:
          `Rendered by soc2-evidence ${toolVersion} (the version above) from the verified evidence of bucket ${bucket}. ` +
          'Every uuid is a name-based (version 5) UUID, so the same evidence always gives the same document.',
      },
      'import-ap': {
        href: 'manifest.json',
        remarks:
          'There is no OSCAL assessment plan: the evidence is collected on a schedule, not by a plan. The reference ' +
          "points to the auditor package's manifest.json, which lists every evidence object this document refers to with its SHA-256.",
      },
      results: [
        {
          uuid: uuid(`result:${from}/${to}`),
          title: `SOC 2 operating effectiveness, ${from} to ${to}`,
          description: resultDescription(report, runs.length, bucket),
          start: `${from}T00:00:00Z`,
          end: endOfDay(to),
          props: some([prop('framework', FRAMEWORK)]),
          'reviewed-controls': {
            'control-selections': [
              controlIds.length > 0
                ? { 'include-controls': controlIds }
                : { remarks: 'The report has no control in scope.' },
            ],
            remarks: `Control ids are the ${FRAMEWORK} in OSCAL token form (lowercase: CC6.1 is cc6.1).`,
          },
          observations: some(runs.map((run) => observationOf(run, ctx))),
          risks: some(report.exceptions.map((e) => riskOf(e, ctx))),
          findings: some(
            report.controls.map((c) =>
              findingOf(
                c,
                report.exceptions.filter((e) => e.criteria.includes(c.control)),
                ctx,
              ),
            ),
          ),
          remarks: RULE,
        },
      ],
      'back-matter': resources !== undefined ? { resources } : undefined,
    },
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** What the parts of the document share: the period, the runs and the uuid of every named thing. */
interface Ctx {
  readonly from: string;
  readonly to: string;
  readonly uuid: (name: string) => string;
  /** Verified runs, once each, sorted by key. */
  readonly runs: readonly VerifiedRun[];
  readonly runByKey: ReadonlyMap<string, VerifiedRun>;
  readonly acceptanceByKey: ReadonlyMap<string, AcceptanceRecord>;
  readonly observationUuid: (key: string) => string;
  readonly riskUuid: (e: ExceptionInterval) => string;
  readonly resourceUuid: (key: string) => string;
  readonly partyUuid: (owner: string) => string;
}

function resultDescription(report: PeriodReport, runs: number, bucket: string): string {
  const count = (state: ExceptionInterval['state']): number =>
    report.exceptions.filter((e) => e.state === state).length;
  const breached = report.exceptions.filter((e) => e.sla.verdict === 'breached').length;
  return (
    `What the verified evidence of bucket ${bucket} says about each control from ${report.from} to ${report.to} ` +
    `(inclusive, UTC): ${runs} verified run(s), ${report.controls.length} control(s), ` +
    `${report.exceptions.length} exception(s) (${count('remediated')} remediated, ${count('open')} open, ` +
    `${count('accepted')} accepted; ${breached} past their remediation SLA).`
  );
}

/** When a boundary's run happened: its collectedAt, or the start of its day if the run is not listed. */
function atRun(b: Boundary, ctx: Ctx): string {
  const at = ctx.runByKey.get(b.key)?.collectedAt;
  return at !== undefined && DATE_TIME.test(at) ? at : `${checkDate('boundary date', b.date)}T00:00:00Z`;
}

function riskOf(e: ExceptionInterval, ctx: Ctx): Obj {
  const a = e.acceptance;
  const accepted = e.state === 'accepted' && a !== undefined;
  return {
    uuid: ctx.riskUuid(e),
    title: `${e.check} on ${e.resource}`,
    description: riskDescription(e),
    statement: riskStatement(e),
    props: some([
      prop('exception-id', e.id),
      prop('account', e.account),
      prop('collector', e.collector),
      prop('check', e.check),
      prop('resource', e.resource),
      prop('severity', e.severity),
      prop('exception-state', e.state),
      prop('failing-days', e.failingDays),
      prop('unknown-days', e.unknownDays.length),
      prop('duration-days', e.durationDays),
      e.sla.days !== undefined ? prop('sla-days', e.sla.days) : undefined,
      e.sla.due !== undefined ? prop('sla-due', e.sla.due) : undefined,
      prop('sla-verdict', e.sla.verdict),
      a !== undefined ? prop('risk-owner', a.owner) : undefined,
      a !== undefined ? prop('acceptance-expires', a.expires) : undefined,
      a !== undefined ? prop('acceptance-in-force-at-end', a.inForceAtEnd) : undefined,
    ]),
    links:
      a !== undefined && ctx.acceptanceByKey.has(a.key)
        ? [{ href: `#${ctx.resourceUuid(a.key)}`, rel: 'reference' }]
        : undefined,
    status: riskStatus(e),
    // An accepted risk is due when its acceptance expires; any other when its remediation SLA ends.
    deadline: accepted ? endOfDay(checkDate('acceptance.expires', a.expires)) : slaDeadline(e),
    'risk-log': { entries: riskLog(e, ctx) },
    'related-observations': some(
      [e.firstFail.key, e.lastFail.key, e.resolved?.key]
        .filter((k): k is string => k !== undefined && ctx.runByKey.has(k))
        .filter((k, i, all) => all.indexOf(k) === i)
        .map((k) => ({ 'observation-uuid': ctx.observationUuid(k) })),
    ),
  };
}

/** The exception's history, each step with the evidence that proves it. */
function riskLog(e: ExceptionInterval, ctx: Ctx): Obj[] {
  const id = (step: string): string => ctx.uuid(`risk:${e.id}:${step}`);
  const log: Obj[] = [
    boundaryEntry(id('first-failure'), 'First failing run', e.firstFail, atRun(e.firstFail, ctx), {
      status: 'open',
      remarks: e.startedBeforeObserved
        ? "The period's first judgement of the resource: it may have failed before the period."
        : undefined,
    }),
  ];
  if (e.lastFail.key !== e.firstFail.key)
    log.push(boundaryEntry(id('last-failure'), 'Last failing run', e.lastFail, atRun(e.lastFail, ctx)));
  const a = e.acceptance;
  if (a !== undefined) {
    const record = ctx.acceptanceByKey.get(a.key);
    log.push({
      uuid: id(`acceptance:${a.key}`),
      title: 'Risk accepted',
      start:
        record !== undefined && DATE_TIME.test(record.recordedAt)
          ? record.recordedAt
          : `${checkDate('acceptance.from', a.from)}T00:00:00Z`,
      end:
        a.revokedOn !== undefined
          ? `${checkDate('acceptance.revokedOn', a.revokedOn)}T00:00:00Z`
          : endOfDay(checkDate('acceptance.expires', a.expires)),
      props: some([prop('sha256', record?.sha256 ?? '')]),
      links: [evidenceLink(a.key)],
      'logged-by': [{ 'party-uuid': ctx.partyUuid(a.owner), 'role-id': RISK_OWNER_ROLE }],
      'status-change': 'deviation-approved',
      remarks: `Accepted by ${a.owner} from ${a.from} until ${a.expires} (inclusive), recorded by ${a.recordedBy}. Reason: ${a.reason}`,
    });
    if (a.revokedOn !== undefined)
      log.push({
        uuid: id(`revocation:${a.key}`),
        title: 'Risk acceptance revoked',
        start: `${a.revokedOn}T00:00:00Z`,
        'status-change': 'open',
        remarks: `Revoked from ${a.revokedOn}${a.revokedBy !== undefined ? ` by ${a.revokedBy}` : ''}.`,
      });
  }
  const r = e.resolved;
  if (r !== undefined)
    log.push(
      boundaryEntry(
        id('resolved'),
        r.how === 'passed' ? 'First passing run' : 'Resource gone',
        r,
        atRun(r, ctx),
        {
          status: 'closed',
          remarks:
            r.how === 'passed'
              ? 'The first later run that judged the resource passing.'
              : 'The first later complete run that showed the resource no longer exists.',
        },
      ),
    );
  return log;
}

/** The finding of one control, from its result and its exceptions (those of checks supporting it). */
function findingOf(c: ControlResult, exceptions: readonly ExceptionInterval[], ctx: Ctx): Obj {
  const satisfied = controlSatisfied(c, exceptions);
  const notAccepted = exceptions.filter((e) => e.sla.verdict !== 'accepted').length;
  const why = satisfied
    ? `No exception left unaccepted and every day covered (${c.daysCovered} of ${c.days}).`
    : [
        notAccepted > 0 ? `${notAccepted} exception(s) not accepted by their SLA due day` : '',
        c.uncoveredDays.length > 0 ? `${days(c.uncoveredDays.length)} not covered` : '',
        c.incompleteDays.length > 0 ? `${days(c.incompleteDays.length)} judged incompletely` : '',
      ]
        .filter((s) => s !== '')
        .join('; ') + '.';
  const collectors = new Set(c.collectors);
  return {
    uuid: ctx.uuid(`finding:${ctx.from}/${ctx.to}:${c.control}`),
    title: `${c.control}, ${ctx.from} to ${ctx.to}`,
    description: c.statement,
    props: some([
      { name: 'label', value: oneLine(c.control) },
      prop('days', c.days),
      prop('days-covered', c.daysCovered),
      prop('days-with-failure', c.daysWithFailure),
      prop('exceptions', c.exceptions),
      prop('remediated-within-sla', c.remediatedWithinSla),
      prop('breached', c.breached),
      prop('accepted', c.accepted),
      prop('open', c.open),
      c.uncoveredDays.length > 0 ? prop('uncovered-days', c.uncoveredDays.join(' ')) : undefined,
    ]),
    target: {
      type: 'objective-id',
      'target-id': `${oscalControlId(c.control)}_obj`,
      status: {
        state: satisfied ? 'satisfied' : 'not-satisfied',
        reason: satisfied ? 'pass' : 'fail',
        remarks: why,
      },
      remarks: `No OSCAL catalogue of the criteria is imported: the target names the objective of ${c.control} by NIST's convention <control>_obj.`,
    },
    'related-observations': some(
      ctx.runs
        .filter((r) => collectors.has(r.collector))
        .map((r) => ({ 'observation-uuid': ctx.observationUuid(r.key) })),
    ),
    'related-risks': some(exceptions.map((e) => ({ 'risk-uuid': ctx.riskUuid(e) }))),
    remarks: RULE,
  };
}

function observationOf(run: VerifiedRun, ctx: Ctx): Obj {
  const failed = run.findings.filter((f) => f.status === 'FAIL').length;
  const status = `${run.status}${run.complete ? '' : ', incomplete'}`;
  return {
    uuid: ctx.observationUuid(run.key),
    title: `${run.collector}, account ${run.account}, ${run.date}`,
    description:
      `Verified run of collector ${run.collector} for account ${run.account} (${run.region}) on ${run.date}: ${status}; ` +
      `${run.findings.length} finding(s), ${failed} FAIL.` +
      (run.erroredRegions.length > 0 ? ` Could not read: ${run.erroredRegions.join(', ')}.` : ''),
    props: some([
      prop('collector', run.collector),
      prop('account', run.account),
      prop('run-status', run.status),
      prop('complete', run.complete),
    ]),
    methods: ['TEST'],
    types: ['finding'],
    'relevant-evidence': [
      {
        href: keyHref(run.key),
        description: `${run.collector} run for account ${run.account}, ${status}`,
        props: some([prop('sha256', run.sha256)]),
      },
    ],
    collected: checkDateTime(`collectedAt of ${run.key}`, run.collectedAt),
  };
}

function boundaryEntry(
  uuid: string,
  title: string,
  b: Boundary,
  start: string,
  extra: { status?: string; remarks?: string | undefined } = {},
): Obj {
  return {
    uuid,
    title,
    start,
    props: some([prop('sha256', b.sha256)]),
    links: [evidenceLink(b.key)],
    'status-change': extra.status,
    remarks: extra.remarks,
  };
}

/** The SLA due day as the end of that day (remediated on the due day is within the SLA). */
function slaDeadline(e: ExceptionInterval): string | undefined {
  return e.sla.due !== undefined ? endOfDay(checkDate('sla.due', e.sla.due)) : undefined;
}

function riskDescription(e: ExceptionInterval): string {
  const start = e.startedBeforeObserved
    ? `from ${e.firstFail.date} (the period's first judgement of it: it may have failed before)`
    : `from ${e.firstFail.date}`;
  const end =
    e.resolved !== undefined
      ? e.resolved.how === 'passed'
        ? `, last failing ${e.lastFail.date}, passing again ${e.resolved.date}`
        : `, last failing ${e.lastFail.date}, gone ${e.resolved.date}`
      : `, still failing at the period's end (last failing run ${e.lastFail.date})`;
  const unknown =
    e.unknownDays.length > 0 ? ` Unknown days (no run could judge it): ${e.unknownDays.join(', ')}.` : '';
  return (
    `Check ${e.check} (severity ${e.severity}, collector ${e.collector}) failed on ${e.resource} in account ${e.account} ` +
    `${start}${end}: ${days(e.failingDays)} with a verified FAIL, ${days(e.durationDays)} in all.${unknown}`
  );
}

function riskStatement(e: ExceptionInterval): string {
  const criteria = e.criteria.length > 0 ? `Criteria ${e.criteria.join(', ')}. ` : '';
  const sla =
    e.sla.days === undefined
      ? `No remediation SLA for severity ${e.severity}.`
      : `Remediation SLA ${days(e.sla.days)}, due ${e.sla.due ?? 'unknown'}: ${e.sla.verdict}.`;
  const a = e.acceptance;
  const acceptance =
    a === undefined
      ? ''
      : ` Accepted by ${a.owner} until ${a.expires}${a.revokedOn !== undefined ? `, revoked ${a.revokedOn}` : ''}` +
        `${a.inForceAtEnd ? ', in force at the end of the exception' : ', not in force at the end of the exception'}: ${a.reason}`;
  return `${criteria}${sla}${acceptance}`;
}

function acceptanceResource(r: AcceptanceRecord, uuid: string): Obj {
  const accept = r.action === 'accept';
  return {
    uuid,
    title: `${accept ? 'Risk acceptance' : 'Risk acceptance revoked'}: ${r.check} on ${r.resource}`,
    props: some([
      prop('action', r.action),
      prop('account', r.account),
      prop('check', r.check),
      prop('resource', r.resource),
      prop('risk-owner', r.owner),
      r.expires !== undefined ? prop('acceptance-expires', r.expires) : undefined,
      prop('recorded-at', r.recordedAt),
      prop('recorded-by', r.recordedBy.arn),
      prop('recorded-by-proof', r.recordedBy.proof),
    ]),
    rlinks: [
      {
        href: keyHref(r.key),
        'media-type': 'application/json',
        hashes: [{ algorithm: 'SHA-256', value: r.sha256 }],
      },
    ],
    remarks: `Reason: ${r.reason}`,
  };
}
