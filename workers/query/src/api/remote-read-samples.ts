import { decodeSelectedSeries } from "@edgeprom/querier";
import { ChunkEncoding, FloatHistogramChunk, HistogramChunk, isStaleNaN, type SelectedSeries } from "@edgeprom/tsdb";
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
  const histograms: RemoteHistogram[] = [];
  const staleT: number[] = [];
  const seen = new Set<number>();
  for (const chunk of selected.chunks) {
    if (chunk.encoding !== ChunkEncoding.Histogram && chunk.encoding !== ChunkEncoding.FloatHistogram) continue;
    const isFloat = chunk.encoding === ChunkEncoding.FloatHistogram;
    const it = isFloat ? new FloatHistogramChunk(chunk.data).iterator() : new HistogramChunk(chunk.data).iterator();
    while (it.next()) {
      const t = it.t;
      if (t < mint || t > maxt || seen.has(t)) continue;
      seen.add(t);
      const h = it.atFloatHistogram();
      if (isStaleNaN(h.sum)) {
        staleT.push(t);
        continue;
      }
      histograms.push({
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
      });
    }
    const error = it.err();
    if (error) throw error;
  }
  histograms.sort((a, b) => a.timestamp - b.timestamp);
  const samples = staleT.length === 0 ? floats : mergeStaleMarkers(floats, staleT);
  if (samples.t.length === 0 && histograms.length === 0) return null;
  return { labels: [...selected.labels], samples, histograms };
}

const STALE_NAN_WORDS = [0x00000002, 0x7ff00000] as const;

/**
 * A stale marker in a histogram chunk ends the series like a float stale marker; remote read has no histogram
 * form for it, so it joins the float samples (as Prometheus's own querier reports it).
 */
function mergeStaleMarkers(
  floats: { t: Float64Array; v: Float64Array },
  staleT: number[],
): { t: Float64Array; v: Float64Array } {
  staleT.sort((a, b) => a - b);
  const n = floats.t.length + staleT.length;
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  const out = new Uint32Array(v.buffer);
  const source = new Uint32Array(floats.v.buffer, floats.v.byteOffset, floats.v.length * 2);
  let i = 0;
  let j = 0;
  for (let k = 0; k < n; k++) {
    if (j < staleT.length && (i >= floats.t.length || staleT[j]! < floats.t[i]!)) {
      t[k] = staleT[j++]!;
      out[2 * k] = STALE_NAN_WORDS[0];
      out[2 * k + 1] = STALE_NAN_WORDS[1];
    } else {
      t[k] = floats.t[i]!;
      out[2 * k] = source[2 * i]!;
      out[2 * k + 1] = source[2 * i + 1]!;
      i++;
    }
  }
  return { t, v };
}
