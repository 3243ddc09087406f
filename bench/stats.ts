/** Order statistics of a sample; every figure the benchmark reports goes through here. */
export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
  p50: number;
  p99: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

export const summarize = (sample: number[]): Summary => {
  const sorted = [...sample].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    n: sorted.length,
    median: round(percentile(sorted, 50)),
    min: round(sorted[0] ?? NaN),
    max: round(sorted.at(-1) ?? NaN),
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
  };
};

export const ratio = (value: number, floor: number) => Math.round((value / floor) * 100) / 100;

/** A median with its bootstrap confidence interval. */
export interface MedianWithInterval {
  n: number;
  median: number;
  low: number;
  high: number;
  /** e.g. 0.9 for a 90% interval. */
  confidence: number;
  resamples: number;
}

/**
 * A small seeded generator (mulberry32): the same sample always gives the same interval, so a
 * regenerated report does not move by chance alone, and the test can name exact figures.
 */
const seededRandom = (seed: number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

/** The middle value; the mean of the two middle ones for an even count. */
export const median = (sample: number[]): number => {
  const sorted = [...sample].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * The median of the sample and a percentile-bootstrap interval for it: `resamples` samples of the
 * same size drawn with replacement, the interval between their medians' (1 - confidence) / 2 and
 * (1 + confidence) / 2 quantiles. With few values it is coarse (the median can only land on them),
 * which is the honest answer for few cold starts.
 */
export const bootstrapMedian = (
  sample: number[],
  options: { resamples?: number; confidence?: number; seed?: number } = {},
): MedianWithInterval => {
  const { resamples = 2_000, confidence = 0.9, seed = 18 } = options;
  if (sample.length === 0) throw new Error('bootstrapMedian: an empty sample has no median');
  const random = seededRandom(seed);
  const medians: number[] = [];
  const draw = new Array<number>(sample.length);
  for (let r = 0; r < resamples; r += 1) {
    for (let i = 0; i < sample.length; i += 1) draw[i] = sample[Math.floor(random() * sample.length)]!;
    medians.push(median(draw));
  }
  medians.sort((a, b) => a - b);
  const at = (q: number) => medians[Math.min(resamples - 1, Math.max(0, Math.floor(q * resamples)))]!;
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return {
    n: sample.length,
    median: round(median(sample)),
    low: round(at((1 - confidence) / 2)),
    high: round(at((1 + confidence) / 2)),
    confidence,
    resamples,
  };
};
