import { draftEnvelope } from '../../lambdas/evidence/draft';
import {
  runOutcome,
  summarise,
  type ErrorEntry,
  type Finding,
  type FindingStatus,
} from '../../lambdas/evidence/envelope';
import { expectValidEnvelope } from '../helpers/envelope-schema';

const finding = (status: FindingStatus, resource = `arn:aws:iam::123456789012:user/${status}`): Finding => ({
  resource,
  check: 'user-mfa-enabled',
  status,
  detail: {},
});
const denied: ErrorEntry = {
  region: 'eu-west-1',
  api: 'iam:ListMFADevices',
  code: 'AccessDenied',
  message: 'not authorised',
};

describe('summarise', () => {
  it.each([
    ['no errors, nothing failed', [finding('PASS'), finding('WARN')], [], 'PASS', true],
    ['no errors, a failed check', [finding('PASS'), finding('FAIL')], [], 'FAIL', true],
    [
      'errors, a failed check: never less than FAIL',
      [finding('FAIL'), finding('PASS')],
      [denied],
      'FAIL',
      false,
    ],
    ['errors, nothing failed', [finding('PASS'), finding('WARN')], [denied], 'PARTIAL', false],
    ['errors, only INFO findings', [finding('INFO')], [denied], 'PARTIAL', false],
    ['errors and no findings', [], [denied], 'ERROR', false],
    ['no findings and no errors', [], [], 'PASS', true],
  ] as const)('%s', (_name, findings, errors, status, complete) => {
    const summary = summarise(findings, errors);
    expect(summary).toMatchObject({ status, complete });
    // What a reader sees is what was written: the new envelope needs no reinterpretation.
    expect(runOutcome(summary)).toEqual({ status, complete });
  });

  it('counts every finding status and keeps the figures', () => {
    const summary = summarise(
      [finding('PASS', 'a'), finding('PASS', 'b'), finding('FAIL'), finding('WARN'), finding('INFO')],
      [denied],
      { consoleMfaAdoptionPercent: 50 },
    );
    expect(summary).toEqual({
      status: 'FAIL',
      complete: false,
      evaluated: 4,
      passed: 2,
      failed: 1,
      warnings: 1,
      info: 1,
      figures: { consoleMfaAdoptionPercent: 50 },
    });
  });
});

describe('runOutcome', () => {
  describe('envelopes written before summary.complete existed', () => {
    it.each([
      ['PARTIAL with failed checks is FAIL, incomplete', { status: 'PARTIAL', failed: 2 }, 'FAIL', false],
      [
        'PARTIAL without failed checks stays PARTIAL, incomplete',
        { status: 'PARTIAL', failed: 0 },
        'PARTIAL',
        false,
      ],
      ['ERROR is incomplete', { status: 'ERROR', failed: 0 }, 'ERROR', false],
      ['FAIL is complete', { status: 'FAIL', failed: 1 }, 'FAIL', true],
      ['PASS is complete', { status: 'PASS', failed: 0 }, 'PASS', true],
      ['an unknown status is ERROR', { status: 'MAYBE', failed: 3 }, 'ERROR', false],
      ['no status is ERROR', { failed: 0 }, 'ERROR', false],
      ['a non-numeric failed count is not a failure', { status: 'PARTIAL', failed: '2' }, 'PARTIAL', false],
    ] as const)('%s', (_name, summary, status, complete) => {
      expect(runOutcome(summary)).toEqual({ status, complete });
    });
  });

  describe('envelopes with summary.complete', () => {
    it.each([
      ['FAIL, incomplete', { status: 'FAIL', failed: 1, complete: false }, 'FAIL', false],
      ['FAIL, complete', { status: 'FAIL', failed: 1, complete: true }, 'FAIL', true],
      ['PASS, complete', { status: 'PASS', failed: 0, complete: true }, 'PASS', true],
      ['PARTIAL, incomplete', { status: 'PARTIAL', failed: 0, complete: false }, 'PARTIAL', false],
      [
        'ERROR claiming complete is still incomplete',
        { status: 'ERROR', failed: 0, complete: true },
        'ERROR',
        false,
      ],
      [
        'a PARTIAL hiding a failed check is read as FAIL',
        { status: 'PARTIAL', failed: 1, complete: false },
        'FAIL',
        false,
      ],
      ['an unknown status is ERROR', { status: 'OK', failed: 0, complete: true }, 'ERROR', false],
    ] as const)('%s', (_name, summary, status, complete) => {
      expect(runOutcome(summary)).toEqual({ status, complete });
    });
  });
});

describe('schema/evidence-envelope.v1.json and summary.complete', () => {
  const envelope = (errors: readonly ErrorEntry[]) =>
    ({
      ...draftEnvelope({
        collector: 'iam-mfa',
        controls: ['CC6.1'],
        account: '123456789012',
        region: 'global',
        collectedAt: new Date('2026-01-05T06:00:00Z'),
        policy: {},
        findings: [finding('FAIL')],
        errors,
        runId: 'run-1',
      }),
      sources: [],
    }) as const;

  it('accepts a new envelope, complete or not', () => {
    const complete = envelope([]);
    const incomplete = envelope([denied]);
    expect(complete.summary.complete).toBe(true);
    expect(incomplete.summary).toMatchObject({ status: 'FAIL', complete: false });
    expectValidEnvelope(complete);
    expectValidEnvelope(incomplete);
  });

  it('accepts an envelope written before the field existed (schema version 1 unchanged)', () => {
    const { complete: _complete, ...old } = envelope([denied]).summary;
    const written = { ...envelope([denied]), summary: { ...old, status: 'PARTIAL' } };
    expect(written.schemaVersion).toBe(1);
    expect('complete' in written.summary).toBe(false);
    expectValidEnvelope(written);
    expect(runOutcome(written.summary)).toEqual({ status: 'FAIL', complete: false });
  });

  it('refuses a complete that is not a boolean', () => {
    const e = envelope([]);
    expect(() => expectValidEnvelope({ ...e, summary: { ...e.summary, complete: 'yes' } })).toThrow(
      /complete/,
    );
  });
});
