import { COLLECTOR_MEMORY_MB, DEFAULT_COLLECTOR_MEMORY_MB } from '../../lib/collector-sizing';
import { BASE_CONFIG, synth } from './stack-fixture';

const { stack, template } = synth(BASE_CONFIG);
const resources = template.toJSON().Resources as Record<string, { Properties: Record<string, unknown> }>;

function memoryOf(collectorId: string): unknown {
  const collector = stack.collectors[collectorId];
  if (!collector) throw new Error(`the stack has no collector ${collectorId}`);
  const id = stack.getLogicalId(collector.function.node.defaultChild as never);
  return resources[id]?.Properties.MemorySize;
}

describe('collector functions are deployed with their measured memory (docs/PERFORMANCE.md)', () => {
  // The sizes issue 18's measurements chose, written out: a change to lib/collector-sizing.ts must change this too.
  it.each([
    ['public-access', 1024],
    ['encryption', 512],
    ['tls', 512],
    ['resilience', 512],
  ])('%s: %i MB', (collectorId, mb) => {
    expect(memoryOf(collectorId)).toBe(mb);
    expect(COLLECTOR_MEMORY_MB[collectorId]).toBe(mb);
  });

  it('every other collector keeps the default', () => {
    const others = Object.keys(stack.collectors).filter((id) => !(id in COLLECTOR_MEMORY_MB));
    expect(others.length).toBeGreaterThan(5);
    for (const id of others) expect([id, memoryOf(id)]).toEqual([id, DEFAULT_COLLECTOR_MEMORY_MB]);
  });
});
