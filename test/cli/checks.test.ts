import { checkEnvelope } from '../../cli/package/checks';
import { LocalSigner } from '../../lambdas/evidence/signer';
import { KEY_ARN, memoryBucket, writeDay } from './evidence-bucket-fixture';

describe('checkEnvelope: an envelope is tied to its key', () => {
  let key: string;
  let body: Buffer;
  let objects: Map<string, { sha256: string; bytes: number }>;

  beforeAll(async () => {
    const bucket = memoryBucket(LocalSigner.generate(KEY_ARN));
    await writeDay(bucket, '2026-01-05');
    key = [...bucket.objects.keys()].find((k) => k.endsWith('.json'))!;
    body = bucket.objects.get(key)!.body;
    objects = new Map([...bucket.objects].map(([k, o]) => [k, { sha256: o.sha256, bytes: o.body.length }]));
  });

  it('accepts the envelope under the key it was written to', () => {
    expect(key).toBe('evidence/2026/01/05/iam-mfa/123456789012/global/060003Z-run-2026-01-05.json');
    expect(checkEnvelope(key, body, objects)).toMatchObject({ result: 'ok', problems: [] });
  });

  it.each([
    [
      'another time of day',
      '/060003Z-',
      '/060004Z-',
      /collected at 2026-01-05T06:00:03.120Z but its key says 2026-01-05 060004Z/,
    ],
    [
      'another region',
      '/global/',
      '/us-east-1/',
      /the envelope's region is "global" but its key says us-east-1/,
    ],
    [
      'another account',
      '/123456789012/',
      '/210987654321/',
      /account is "123456789012" but its key says 210987654321/,
    ],
    [
      'another collector',
      '/iam-mfa/',
      '/inactive-users/',
      /collector is "iam-mfa" but its key says inactive-users/,
    ],
    [
      'another run id',
      '-run-2026-01-05.json',
      '-run-forged.json',
      /producer.runId is "run-2026-01-05" but its key says run-forged/,
    ],
  ])('reports it stored under %s', (_what, from, to, message) => {
    const moved = key.replace(from, to);
    const check = checkEnvelope(moved, body, objects);
    expect(check.result).toBe('key-mismatch');
    expect(check.problems).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
    // Its sources still sit beside the original key, not the one it is stored under.
    expect(check.problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/does not share the envelope's key stem/)]),
    );
  });
});
