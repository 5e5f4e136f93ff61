import type { Labels } from "../labels/label";

/** One float sample. `v` may be the stale marker NaN (bits 0x7ff0000000000002); its bits are kept. */
export interface FloatSample {
  t: number;
  v: number;
}

/** A native histogram sample; the histogram is encoded by the chunk package's histogram codec. */
export interface HistogramSample<H = unknown> {
  t: number;
  h: H;
}

/** The samples of one series in an append batch, oldest first. */
export interface SeriesAppend<H = unknown> {
  labels: Labels;
  samples?: readonly FloatSample[];
  histograms?: readonly HistogramSample<H>[];
}

/** What a shard's `append` takes: plain data, or the same encoded with `encodeAppendBatch` (cheaper over RPC). */
export type AppendBatch<H = unknown> = readonly SeriesAppend<H>[];
