import type { Labels } from "../labels/label";
import type { NativeHistogram } from "./histogram-wire";

/** One float sample. `v` may be the stale marker NaN (bits 0x7ff0000000000002); its bits are kept. */
export interface FloatSample {
  t: number;
  v: number;
}

/** A native histogram sample (integer or float counts, absolute buckets). */
export interface HistogramSample {
  t: number;
  h: NativeHistogram;
}

/** The samples of one series in an append batch, oldest first. */
export interface SeriesAppend {
  labels: Labels;
  samples?: readonly FloatSample[];
  histograms?: readonly HistogramSample[];
}

/** What a shard's `append` takes: plain data, or the same encoded with `encodeAppendBatch` (cheaper over RPC). */
export type AppendBatch = readonly SeriesAppend[];
