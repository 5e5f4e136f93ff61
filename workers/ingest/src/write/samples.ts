import type { AppendBatch, SeriesAppend } from "@edgeprom/tsdb";
import type { WriteSeries } from "../remotewrite/batch";

/** The float columns every ingest decoder produces (remote write, OTLP, exposition): series plus shared columns. */
export interface DecodedSeriesColumns {
  series: readonly WriteSeries[];
  timestamps: Float64Array;
  values: Float64Array;
}

/**
 * Turns decoded columns into a storage append batch. Native histogram samples are counted, not appended: the
 * shards do not store native histograms yet, and saying so is better than dropping them silently.
 */
export function toAppendBatch(columns: DecodedSeriesColumns): { batch: AppendBatch; histogramsNotStored: number } {
  const batch: SeriesAppend[] = [];
  let histogramsNotStored = 0;
  for (const s of columns.series) {
    histogramsNotStored += s.histograms.length;
    if (s.sampleCount === 0) continue;
    const samples = new Array<{ t: number; v: number }>(s.sampleCount);
    for (let i = 0; i < s.sampleCount; i++) {
      const j = s.sampleStart + i;
      samples[i] = { t: columns.timestamps[j]!, v: columns.values[j]! };
    }
    batch.push({ labels: s.labels, samples });
  }
  return { batch, histogramsNotStored };
}
