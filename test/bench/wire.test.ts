import { type Answer, type Answers, OfflineClientFactory } from '../../cli/demo/offline-clients';
import { readAwsError } from '../../lambdas/aws/aws-error';
import { COLLECTOR_IDS, collectorById } from '../../lambdas/collectors/registry';
import { runCollector } from '../../lambdas/run-collector';
import { collectorSettings, parseConfig } from '../../lib/config';
import { naiveIamEvidence } from '../../bench/naive-iam';
import { ACCOUNT_ID, DEFAULT_SIZES, SyntheticAccount } from '../../bench/synthetic-account';
import { WireClientFactory } from '../../bench/wire/client-factory';
import { startWireServer, type WireServer } from '../../bench/wire/server';
import { sdkClasses } from '../../bench/wire/services';

/**
 * The wire is trustworthy only if the SDK, parsing what the server wrote, gets back exactly what the
 * synthetic account answered. Every API the account answers is called over loopback with inputs the
 * collectors (and the naive IAM baseline) really send, recorded from a run on the injecting transport, and
 * its parsed output compared with the answer itself; thrown errors must arrive with the same code.
 */

const NOW = new Date('2026-03-02T12:00:00.000Z');
// Small, but past LookupEvents' page of 50 in the home region, so one sample carries a NextToken.
const SIZES = {
  ...DEFAULT_SIZES,
  users: 30,
  buckets: 12,
  databases: 12,
  auroraClusters: 3,
  loadBalancers: 6,
  backupJobs: 40,
  regions: 2,
  securityGroups: 30,
  signinEvents: 80,
};

/** Inputs for APIs no collector calls on this account. */
const EXTRA_INPUTS: Readonly<Record<string, Record<string, unknown>[]>> = {
  'STS:GetCallerIdentity': [{}],
  'S3:GetBucketLocation': [{ Bucket: 'example-bucket-00000' }, { Bucket: 'example-bucket-00001' }],
  'S3:GetBucketTagging': [{ Bucket: 'example-bucket-00000' }, { Bucket: 'example-bucket-00003' }],
};

interface Sample {
  readonly input: Record<string, unknown>;
  readonly region: string;
}

/** Plain data for comparison: no $metadata or undefined keys, Dates as ISO strings, bytes as base64. */
function plain(value: unknown): unknown {
  if (value instanceof Date) return { date: value.toISOString() };
  if (value instanceof Uint8Array) return { bytes: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined && k !== '$metadata') out[k] = plain(v);
    return out;
  }
  return value;
}

/** A deep copy in this realm (structuredClone's Dates are Node's own, which the SDK, loaded by Jest, does
 * not take for Dates). */
function clone<T>(value: T): T {
  if (Object.prototype.toString.call(value) === '[object Date]')
    return new Date((value as Date).getTime()) as T;
  if (value instanceof Uint8Array) return Uint8Array.from(value) as T;
  if (Array.isArray(value)) return value.map(clone) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)])) as T;
  return value;
}

type Outcome = { ok: unknown } | { code: string };

async function direct(answer: Answer, s: Sample): Promise<Outcome> {
  try {
    return { ok: plain(await answer(clone(s.input), s.region)) };
  } catch (err) {
    return { code: readAwsError(err).code };
  }
}

async function overWire(clients: WireClientFactory, api: string, s: Sample): Promise<Outcome> {
  const { Client, Command } = sdkClasses(api);
  try {
    const client = clients.get(Client, s.region) as InstanceType<typeof Client>;
    return { ok: plain(await client.send(new Command(clone(s.input)))) };
  } catch (err) {
    if (process.env.WIRE_DEBUG) console.log(api, err);
    return { code: readAwsError(err).code };
  }
}

/** Records, per API, the first input that succeeded, the first that threw and the first with a page token. */
async function recordInputs(answers: Answers, account: SyntheticAccount): Promise<Map<string, Sample[]>> {
  const samples = new Map<string, Sample[]>();
  const seen = new Map<string, Set<string>>();
  const recording: Record<string, Answer> = {};
  for (const [api, fn] of Object.entries(answers))
    recording[api] = async (input, region) => {
      const kinds = seen.get(api) ?? new Set<string>();
      seen.set(api, kinds);
      const paged = ['Marker', 'NextToken', 'nextToken', 'ContinuationToken', 'NextMarker'].some(
        (k) => input[k] !== undefined,
      );
      const keep = (kind: string) => {
        if (kinds.has(kind)) return;
        kinds.add(kind);
        const list = samples.get(api) ?? [];
        list.push({ input: clone(input), region });
        samples.set(api, list);
      };
      try {
        const out = await fn(input, region);
        keep(paged ? 'paged' : 'ok');
        return out;
      } catch (err) {
        keep(`error:${readAwsError(err).code}`);
        throw err;
      }
    };
  const clients = new OfflineClientFactory(recording);
  const settings = collectorSettings(parseConfig({ regions: [...account.regions] }));
  for (const id of COLLECTOR_IDS)
    await runCollector(collectorById(id)!, {
      clients,
      store: nullStore,
      account: ACCOUNT_ID,
      settings,
      now: () => NOW,
    });
  await naiveIamEvidence(clients, 8);
  return samples;
}

const nullStore = {
  description: 'null',
  put: async (o: { key: string; sha256: string }) => ({ key: o.key, sha256: o.sha256, location: 'null' }),
};

describe('the wire server', () => {
  const account = new SyntheticAccount(20260302, SIZES, NOW);
  const answers = account.answers();
  let server: WireServer;
  let clients: WireClientFactory;
  let samples: Map<string, Sample[]>;

  beforeAll(async () => {
    server = await startWireServer({ answers, rates: false });
    clients = new WireClientFactory(server.port);
    samples = await recordInputs(answers, account);
    for (const [api, inputs] of Object.entries(EXTRA_INPUTS))
      if (!samples.has(api))
        samples.set(
          api,
          inputs.map((input) => ({ input, region: 'us-east-1' })),
        );
  });
  afterAll(() => server?.close());

  it('has an input for every API the synthetic account answers', () => {
    expect(Object.keys(answers).filter((api) => !samples.has(api))).toEqual([]);
  });

  it('delivers every answer, parsed by the real SDK client, exactly as the account gave it', async () => {
    const mismatches: string[] = [];
    let compared = 0;
    let errors = 0;
    for (const [api, list] of samples)
      for (const s of list) {
        const want = await direct(answers[api]!, s);
        const got = await overWire(clients, api, s);
        compared++;
        if ('code' in want) errors++;
        try {
          expect(got).toEqual(want);
        } catch {
          mismatches.push(
            `${api} ${JSON.stringify(s.input)}\n  want ${JSON.stringify(want)}\n  got  ${JSON.stringify(got)}`,
          );
        }
      }
    expect(mismatches).toEqual([]);
    // Every API, and the error path of those that throw (GetBucketPolicy without a policy, for one).
    expect(compared).toBeGreaterThanOrEqual(Object.keys(answers).length);
    expect(errors).toBeGreaterThan(0);
  });

  it('catches an answer that changed on the way', async () => {
    const api = 'S3:GetBucketEncryption';
    const s = samples.get(api)![0]!;
    const altered = await startWireServer({
      answers: {
        [api]: async (input, region) => {
          const out = (await answers[api]!(input, region)) as {
            ServerSideEncryptionConfiguration: { Rules: { BucketKeyEnabled?: boolean }[] };
          };
          out.ServerSideEncryptionConfiguration.Rules[0]!.BucketKeyEnabled =
            !out.ServerSideEncryptionConfiguration.Rules[0]!.BucketKeyEnabled;
          return out;
        },
      },
      rates: false,
    });
    try {
      const got = await overWire(new WireClientFactory(altered.port), api, s);
      expect(got).not.toEqual(await direct(answers[api]!, s));
    } finally {
      await altered.close();
    }
  });

  it('counts every attempt and names its API to the server', async () => {
    const before = server.stats().requests;
    const s = samples.get('IAM:GetCredentialReport')![0]!;
    await overWire(clients, 'IAM:GetCredentialReport', s);
    expect(server.stats().requests).toBe(before + 1);
    expect(server.stats().byApi['IAM:GetCredentialReport']).toBeGreaterThan(0);
    expect(clients.stats.byApi.get('IAM:GetCredentialReport')).toBeGreaterThan(0);
  });
});
