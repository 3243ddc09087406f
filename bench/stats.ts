/** Order statistics of a sample; every figure the benchmark reports goes through here. */
export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
  p50: number;
  p99: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

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
