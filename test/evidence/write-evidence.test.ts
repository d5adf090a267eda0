import { sha256Hex } from '../../lambdas/evidence/canonical-json';
import { draftEnvelope } from '../../lambdas/evidence/draft';
import { deferredSource, writeEvidence } from '../../lambdas/evidence/write-evidence';
import { MemoryStore } from './memory-store';

const draft = draftEnvelope({
  collector: 'access-review',
  controls: ['CC6.2'],
  account: '123456789012',
  region: 'global',
  collectedAt: new Date('2026-11-23T06:00:03.120Z'),
  policy: {},
  findings: [],
  errors: [],
  runId: 'run-1',
});

describe('deferredSource', () => {
  it('is rendered once by writeEvidence, which records the digest and size of exactly what it wrote', async () => {
    let renders = 0;
    const source = deferredSource(
      { name: 'population.json', api: 'iam:X', contentType: 'application/json' },
      () => {
        renders++;
        return Buffer.from(`{"render":${renders}}`, 'utf8');
      },
    );
    const store = new MemoryStore();
    const { envelope } = await writeEvidence(store, draft, [source], 'run-1');
    expect(renders).toBe(1);
    const written = store.objects[0]!;
    expect(Buffer.from(written.body).toString('utf8')).toBe('{"render":1}');
    expect(envelope.sources[0]).toMatchObject({
      name: 'population.json',
      sha256: sha256Hex(written.body),
      bytes: written.body.byteLength,
    });
  });

  it('keeps no bytes: each read of body renders them again', () => {
    let renders = 0;
    const source = deferredSource({ name: 'a.csv', api: 'iam:X', contentType: 'text/csv' }, () => {
      renders++;
      return Buffer.from('a');
    });
    expect(source).toMatchObject({ name: 'a.csv', api: 'iam:X', contentType: 'text/csv' });
    expect(renders).toBe(0);
    void source.body;
    void source.body;
    expect(renders).toBe(2);
  });
});
