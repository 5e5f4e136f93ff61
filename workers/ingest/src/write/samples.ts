import type { AppendBatch, SeriesAppend } from "@edgeprom/tsdb";
import type { WriteSeries } from "../remotewrite/batch";

/** The float columns every ingest decoder produces (remote write, OTLP, exposition): series plus shared columns. */
export interface DecodedSeriesColumns {
  series: readonly WriteSeries[];
  timestamps: Float64Array;
  values: Float64Array;
}

/** Turns decoded columns into a storage append batch: float samples and native histogram samples. */
export function toAppendBatch(columns: DecodedSeriesColumns): AppendBatch {
  const batch: SeriesAppend[] = [];
  for (const s of columns.series) {
    if (s.sampleCount === 0 && s.histograms.length === 0) continue;
    const samples = new Array<{ t: number; v: number }>(s.sampleCount);
    for (let i = 0; i < s.sampleCount; i++) {
      const j = s.sampleStart + i;
      samples[i] = { t: columns.timestamps[j]!, v: columns.values[j]! };
    }
    const histograms = s.histograms.map((h) => ({ t: h.timestamp, h: h.histogram }));
    batch.push({ labels: s.labels, samples, histograms });
  }
  return batch;
}
