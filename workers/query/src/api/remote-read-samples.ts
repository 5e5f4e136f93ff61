import { decodeHistogramChunks, decodeSelectedSeries, withStaleMarkers } from "@edgeprom/querier";
import { ChunkEncoding, type SelectedSeries } from "@edgeprom/tsdb";
import type { RemoteHistogram, RemoteTimeSeries } from "@edgeprom/wire";

/**
 * One series of a SAMPLES response: its float samples in [mint, maxt] (stale markers included, bit for bit) and its
 * native histograms in the same range, integer histograms kept integer. Duplicate timestamps where chunks overlap
 * keep the first sample, as the query path does. Returns null for a series with nothing in the range.
 */
export function samplesOfSeries(selected: SelectedSeries, mint: number, maxt: number): RemoteTimeSeries | null {
  const floats = decodeSelectedSeries(
    { labels: selected.labels, chunks: selected.chunks.filter((c) => c.encoding === ChunkEncoding.XOR) },
    mint,
    maxt,
  ).floats;
  const decoded = decodeHistogramChunks(selected, mint, maxt);
  const histograms: RemoteHistogram[] = decoded.samples.map(({ t, isFloat, h }) => ({
    timestamp: t,
    isFloat,
    counterResetHint: h.counterResetHint,
    schema: h.schema,
    zeroThreshold: h.zeroThreshold,
    zeroCount: h.zeroCount,
    count: h.count,
    sum: h.sum,
    positiveSpans: h.positiveSpans,
    positiveBuckets: h.positiveBuckets,
    negativeSpans: h.negativeSpans,
    negativeBuckets: h.negativeBuckets,
    customValues: h.customValues ?? [],
  }));
  // A stale marker in a histogram chunk joins the float samples: remote read has no histogram form for it.
  const samples = decoded.staleT.length === 0 ? floats : withStaleMarkers(floats, decoded.staleT);
  if (samples.t.length === 0 && histograms.length === 0) return null;
  return { labels: [...selected.labels], samples, histograms };
}
