import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientFactory } from '../lambdas/aws/client-factory';
import { readRegions } from '../lambdas/readers/regions';
import type { Collector } from '../lambdas/collectors/collector';
import { DirectoryStore } from '../lambdas/evidence/directory-store';
import type { Envelope, ErrorEntry } from '../lambdas/evidence/envelope';
import { runCollector, SOFT_DEADLINE_MARGIN_MS } from '../lambdas/run-collector';
import { DEFAULT_SETTINGS } from '../lambdas/settings';
import { expectValidEnvelope } from './helpers/envelope-schema';

type Facts = { regions: string[] };

function collector(
  gather: Collector<Facts>['gather'],
  assess?: Collector<Facts>['assess'],
): Collector<Facts> {
  return {
    id: 'test-collector',
    title: 'test',
    controls: ['CC6.1'],
    scope: 'regional',
    frequency: 'daily',
    iamActions: [],
    checks: {
      'region-read': {
        title: 'A region was read',
        description: 'A test check: one finding per region the gather read.',
        criteria: ['CC6.1'],
        severity: 'info',
        remediation: 'None.',
      },
    },
    policy: () => ({}),
    gather,
    assess:
      assess ??
      ((facts) => ({
        findings: facts.regions.map((r) => ({
          resource: r,
          check: 'region-read',
          status: 'PASS' as const,
          detail: { region: r },
        })),
        figures: {},
      })),
  };
}

async function run(c: Collector<Facts>, deadline?: number, unavailable?: ErrorEntry) {
  const dir = mkdtempSync(join(tmpdir(), 'soc2-run-'));
  const result = await runCollector(c, {
    clients: new ClientFactory(),
    store: new DirectoryStore(dir),
    account: '123456789012',
    settings: { ...DEFAULT_SETTINGS, regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'] },
    ...(deadline === undefined ? {} : { deadline }),
    ...(unavailable ? { unavailable } : {}),
  });
  const written = JSON.parse(readFileSync(result.envelopeObject.location, 'utf8')) as Envelope;
  expectValidEnvelope(written);
  return written;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('runCollector', () => {
  it('writes an ERROR envelope, not nothing, when gather throws', async () => {
    const written = await run(
      collector(async () => {
        throw Object.assign(new Error('boom'), { name: 'TypeError' });
      }),
    );
    expect(written.summary.status).toBe('ERROR');
    expect(written.errors).toEqual([
      { region: 'all', api: 'soc2-evidence:gather', code: 'TypeError', message: 'boom' },
    ]);
    expect(written.region).toBe('multi-region');
    expect(written.regions).toEqual(['us-east-1', 'eu-west-1', 'ap-southeast-2']);
  });

  it('keeps the raw sources when assess cannot read them', async () => {
    const written = await run(
      collector(
        async () => ({
          facts: { regions: [] },
          sources: [
            {
              name: 'raw.json',
              api: 'ec2:DescribeThings',
              contentType: 'application/json',
              body: Buffer.from('{}'),
            },
          ],
          errors: [],
        }),
        () => {
          throw new Error('unexpected shape');
        },
      ),
    );
    expect(written.summary.status).toBe('ERROR');
    expect(written.sources.map((s) => s.name)).toEqual(['raw.json']);
    expect(written.errors[0]).toMatchObject({ api: 'soc2-evidence:assess', message: 'unexpected shape' });
  });

  it('skips regions not started before the soft deadline and writes the rest as PARTIAL', async () => {
    const deadline = Date.now() + SOFT_DEADLINE_MARGIN_MS + 150;
    const written = await run(
      collector(async (ctx) => {
        const { results, errors } = await readRegions(
          ctx.settings.regions,
          'ec2:DescribeThings',
          async (region) => {
            await sleep(100);
            return region;
          },
          1,
        );
        return {
          facts: { regions: results.flatMap((r) => (r.value ? [r.value] : [])) },
          sources: [],
          errors,
        };
      }),
      deadline,
    );
    expect(written.summary.status).toBe('PARTIAL');
    expect(written.findings.map((f) => f.resource)).toEqual(['us-east-1', 'eu-west-1']);
    expect(written.errors).toEqual([
      {
        region: 'ap-southeast-2',
        api: 'ec2:DescribeThings',
        code: 'DeadlineExceeded',
        message: 'ap-southeast-2 was not read: the run stopped before the Lambda time limit',
      },
    ]);
  });

  it('abandons a gather still running at the hard deadline and records it', async () => {
    const written = await run(
      collector(async () => {
        await sleep(5_000);
        return { facts: { regions: [] }, sources: [], errors: [] };
      }),
      Date.now() + 100,
    );
    expect(written.summary.status).toBe('ERROR');
    expect(written.errors[0]).toMatchObject({
      code: 'DeadlineExceeded',
      message: 'gathering was abandoned: the run stopped before the Lambda time limit',
    });
  });

  it('writes an ERROR envelope with the given entry, gathering and assessing nothing, when the account is unavailable', async () => {
    const gather = jest.fn(async () => ({ facts: { regions: ['us-east-1'] }, sources: [], errors: [] }));
    const assess = jest.fn(() => ({ findings: [], figures: {} }));
    const unavailable: ErrorEntry = {
      region: 'global',
      api: 'sts:AssumeRole',
      code: 'AccessDenied',
      message: 'not authorized to perform sts:AssumeRole',
    };
    const written = await run(collector(gather, assess), undefined, unavailable);
    expect(gather).not.toHaveBeenCalled();
    expect(assess).not.toHaveBeenCalled();
    expect(written.summary.status).toBe('ERROR');
    expect(written.findings).toEqual([]);
    expect(written.errors).toEqual([unavailable]);
    expect(written.sources).toEqual([]);
  });
});
