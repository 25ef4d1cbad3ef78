// Small statistics for the benchmark: medians and spreads of repeated runs,
// percentiles of request latencies (nearest rank, no interpolation).

export interface Spread {
  n: number;
  median: number;
  min: number;
  max: number;
}

export interface Percentiles {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

export function median(values: number[]): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function spread(values: number[], digits = 0): Spread | undefined {
  const v = values.filter((x) => Number.isFinite(x));
  if (!v.length) return undefined;
  return { n: v.length, median: round(median(v), digits), min: round(Math.min(...v), digits), max: round(Math.max(...v), digits) };
}

/** Nearest-rank percentile of sorted values. */
function rank(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function percentiles(values: number[], digits = 3): Percentiles | undefined {
  if (!values.length) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return {
    n: s.length,
    p50: round(rank(s, 50), digits),
    p90: round(rank(s, 90), digits),
    p99: round(rank(s, 99), digits),
    min: round(s[0], digits),
    max: round(s[s.length - 1], digits),
    mean: round(mean, digits),
  };
}

/** a / b of two medians, undefined when either is missing. */
export function ratio(a: Spread | undefined, b: Spread | undefined, digits = 2): number | undefined {
  if (!a || !b || !b.median) return undefined;
  return round(a.median / b.median, digits);
}
