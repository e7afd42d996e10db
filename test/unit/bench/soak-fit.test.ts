import { describe, expect, it } from 'vitest';
import { judgeGrowth, type MemorySample } from '../../../bench/soak-fit.js';

const bounds = { heapMiBPerHour: 64, rssMiBPerHour: 256 };

/** Samples every 5 s for 10 minutes, with heap and RSS growing at the given MiB per hour and a saw-tooth of ±2 MiB on the heap. */
function samples(heapMiBPerHour: number, rssMiBPerHour: number): MemorySample[] {
  return Array.from({ length: 121 }, (_, i) => ({
    atSeconds: i * 5,
    heapUsedMiB: 40 + (heapMiBPerHour * i * 5) / 3600 + (i % 2 === 0 ? 2 : -2),
    rssMiB: 200 + (rssMiBPerHour * i * 5) / 3600,
  }));
}

describe('judgeGrowth', () => {
  it.each([
    { case: 'flat memory passes', heap: 0, rss: 0, failures: 0 },
    { case: 'heap growth under the bound passes', heap: 32, rss: 0, failures: 0 },
    { case: 'heap growth over the bound fails', heap: 128, rss: 0, failures: 1 },
    { case: 'RSS growth over the bound fails', heap: 0, rss: 512, failures: 1 },
    { case: 'both over their bounds fail twice', heap: 128, rss: 512, failures: 2 },
  ])('$case', ({ heap, rss, failures }) => {
    const verdict = judgeGrowth(samples(heap, rss), bounds);

    expect(verdict.heapMiBPerHour).toBeCloseTo(heap, 0);
    expect(verdict.rssMiBPerHour).toBeCloseTo(rss, 0);
    expect(verdict.failures).toHaveLength(failures);
  });

  it('rejects fewer than 3 samples', () => {
    expect(() => judgeGrowth(samples(0, 0).slice(0, 2), bounds)).toThrow('a slope needs at least 3 memory samples, got 2: run the soak for longer');
  });
});
