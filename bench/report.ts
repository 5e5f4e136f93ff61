/** One benchmark figure, printed as one JSON line by `npm run bench`. */
export interface BenchResult {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  /** The same figure for the thing we compare with (Prometheus, a target), or null. */
  baseline: number | null;
  /** value / baseline, or null without a baseline. */
  ratio: number | null;
}

/** A benchmark module's default export: it measures and reports each figure through `report`. */
export type Benchmark = (report: (result: Omit<BenchResult, "ratio">, note?: string) => void) => Promise<void>;

export function withRatio(result: Omit<BenchResult, "ratio">): BenchResult {
  const ratio = result.baseline === null || result.baseline === 0 ? null : round(result.value / result.baseline);
  return { ...result, ratio };
}

function round(n: number): number {
  return Number(n.toPrecision(4));
}
