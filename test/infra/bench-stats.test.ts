import { describe, expect, it } from 'vitest';
import { bootstrapMedian, median } from '../../bench/stats';

/** The benchmark's cold-start ratios are reported as a median with a 90% bootstrap interval. */
describe('bootstrapMedian', () => {
  it('gives the sample median, inside an interval drawn from the sample itself', () => {
    const ratios = [1.02, 1.1, 1.31, 0.97, 1.18, 1.05, 1.4, 1.12, 1.08];
    const found = bootstrapMedian(ratios);
    expect(found.median).toBe(1.1);
    expect(found.low).toBeLessThanOrEqual(found.median);
    expect(found.high).toBeGreaterThanOrEqual(found.median);
    // A median of resampled values is always one of them here (an odd count).
    expect(ratios).toContain(found.low);
    expect(ratios).toContain(found.high);
    expect(found).toMatchObject({ n: 9, confidence: 0.9, resamples: 2_000 });
  });

  it('is the same for the same sample: the report does not move by chance', () => {
    const ratios = [1.3, 1.1, 1.2, 1.25, 1.15, 1.4, 1.05];
    expect(bootstrapMedian(ratios)).toEqual(bootstrapMedian(ratios));
  });

  it('narrows as the sample grows, and collapses to the value for a constant sample', () => {
    const spread = (n: number) => {
      const sample = Array.from({ length: n }, (_, i) => 1 + ((i * 37) % 11) / 20);
      const { low, high } = bootstrapMedian(sample);
      return high - low;
    };
    expect(spread(101)).toBeLessThan(spread(7));
    expect(bootstrapMedian([1.2, 1.2, 1.2])).toMatchObject({ median: 1.2, low: 1.2, high: 1.2 });
  });

  it('refuses an empty sample, and takes the mean of the middle two for an even count', () => {
    expect(() => bootstrapMedian([])).toThrow(/empty/);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
