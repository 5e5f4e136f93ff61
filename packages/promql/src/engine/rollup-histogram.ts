import type { RollupFn } from "./rollup";

/** Range-vector functions over native histograms, by name; filled in as they are implemented. */
export const HISTOGRAM_ROLLUPS: Record<string, RollupFn> = {};
