import type { FloatHistogram, Series } from "@edgeprom/promql";
import {
  ChunkEncoding,
  decodeXor,
  FloatHistogramChunk,
  HistogramChunk,
  isStaleNaN,
  xorChunkNumSamples,
  type FloatHistogram as StoredFloatHistogram,
  type SelectedSeries,
} from "@edgeprom/tsdb";

const STALE_NAN_LO = 0x00000002;
const STALE_NAN_HI = 0x7ff00000;

/** A chunk encoding this querier cannot decode; the query fails rather than silently missing samples. */
export class UnsupportedChunkError extends Error {
  override readonly name = "UnsupportedChunkError";
  readonly errorType = "internal";
}

/**
 * Decodes a selected series' chunks into the engine's columns, trimmed to [mint, maxt]: XOR chunks into float
 * columns, histogram chunks into float histograms. A histogram whose sum is the stale marker is a stale marker, and
 * the engine takes stale markers as float samples. Where chunks overlap (a head chunk and a block chunk during
 * compaction) the later duplicate timestamps are dropped.
 */
export function decodeSelectedSeries(selected: SelectedSeries, mint: number, maxt: number): Series {
  return decodeSelectedSeriesList([selected], mint, maxt)[0]!;
}

/**
 * `decodeSelectedSeries` for a whole select result. Every series' float columns are views into one pair of arrays
 * sized from the chunk headers: allocating two typed arrays per series cost about as much as decoding the samples.
 */
export function decodeSelectedSeriesList(list: readonly SelectedSeries[], mint: number, maxt: number): Series[] {
  const floatTotals = new Array<number>(list.length);
  let total = 0;
  for (let k = 0; k < list.length; k++) {
    const n = floatSampleCount(list[k]!);
    floatTotals[k] = n;
    total += n;
  }
  const columns: FloatColumns = { t: new Float64Array(total), v: new Float64Array(total), offset: 0 };
  const out = new Array<Series>(list.length);
  for (let k = 0; k < list.length; k++) out[k] = decodeOne(list[k]!, floatTotals[k]!, columns, mint, maxt);
  return out;
}

/** Shared output columns; `offset` is where the next series' samples go. */
interface FloatColumns {
  t: Float64Array;
  v: Float64Array;
  offset: number;
}

/** Samples in the series' XOR chunks (from their headers); fails on an encoding the querier cannot read. */
function floatSampleCount(selected: SelectedSeries): number {
  let n = 0;
  for (const chunk of selected.chunks) {
    if (chunk.encoding === ChunkEncoding.XOR) n += xorChunkNumSamples(chunk.data);
    else if (chunk.encoding !== ChunkEncoding.Histogram && chunk.encoding !== ChunkEncoding.FloatHistogram)
      throw new UnsupportedChunkError(`chunk encoding ${chunk.encoding} cannot be read by the querier`);
  }
  return n;
}

function decodeOne(
  selected: SelectedSeries,
  floatTotal: number,
  columns: FloatColumns,
  mint: number,
  maxt: number,
): Series {
  let histogramChunks = 0;
  for (const chunk of selected.chunks) if (chunk.encoding !== ChunkEncoding.XOR) histogramChunks++;
  const floats = decodeFloats(selected, floatTotal, columns, mint, maxt);
  if (histogramChunks === 0) return { labels: selected.labels, floats };

  const { samples, staleT } = decodeHistogramChunks(selected, mint, maxt);
  return {
    labels: selected.labels,
    floats: staleT.length === 0 ? floats : withStaleMarkers(floats, staleT),
    histograms: { t: Float64Array.from(samples, (s) => s.t), h: samples.map((s) => toEngineHistogram(s.h)) },
  };
}

/** One native histogram sample as stored: `isFloat` says whether its chunk held float or integer counts. */
export interface StoredHistogramSample {
  t: number;
  isFloat: boolean;
  h: StoredFloatHistogram;
}

/**
 * The histogram chunks of a selected series in [mint, maxt], in time order, the first sample of each timestamp kept
 * where chunks overlap. A histogram whose sum is the stale marker is returned in `staleT` instead: it ends the series
 * like a float stale marker (the engine and remote read both take it as one).
 */
export function decodeHistogramChunks(
  selected: SelectedSeries,
  mint: number,
  maxt: number,
): { samples: StoredHistogramSample[]; staleT: number[] } {
  const samples: StoredHistogramSample[] = [];
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
      if (isStaleNaN(h.sum)) staleT.push(t);
      else samples.push({ t, isFloat, h });
    }
    const error = it.err();
    if (error) throw error;
  }
  samples.sort((a, b) => a.t - b.t);
  staleT.sort((a, b) => a - b);
  return { samples, staleT };
}

/** Decodes the XOR chunks into the next `total` slots of the shared columns and returns the [mint, maxt] views. */
function decodeFloats(
  selected: SelectedSeries,
  total: number,
  columns: FloatColumns,
  mint: number,
  maxt: number,
): Series["floats"] {
  const start = columns.offset;
  columns.offset += total;
  const t = columns.t.subarray(start, start + total);
  const v = columns.v.subarray(start, start + total);
  const words = new Uint32Array(v.buffer, v.byteOffset, 2 * total);
  let n = 0;
  let ordered = true;
  for (const chunk of selected.chunks) {
    if (chunk.encoding !== ChunkEncoding.XOR) continue;
    const before = n;
    n += decodeXor(chunk.data, t, words, n, null);
    if (before > 0 && n > before && t[before]! <= t[before - 1]!) ordered = false;
  }
  if (!ordered) n = dropOverlaps(t, words, n);
  let from = 0;
  while (from < n && t[from]! < mint) from++;
  let to = n;
  while (to > from && t[to - 1]! > maxt) to--;
  return { t: t.subarray(from, to), v: v.subarray(from, to) };
}

/** Adds stale markers (from histogram chunks, sorted) into float columns, in time order. */
export function withStaleMarkers(floats: Series["floats"], staleT: readonly number[]): Series["floats"] {
  const n = floats.t.length + staleT.length;
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  const words = new Uint32Array(v.buffer);
  const source = new Uint32Array(floats.v.buffer, floats.v.byteOffset, floats.v.length * 2);
  let i = 0;
  let j = 0;
  for (let k = 0; k < n; k++) {
    if (j < staleT.length && (i >= floats.t.length || staleT[j]! < floats.t[i]!)) {
      t[k] = staleT[j++]!;
      // The stale marker's bits, written as words: a NaN passed through a plain array may lose its payload.
      words[2 * k] = STALE_NAN_LO;
      words[2 * k + 1] = STALE_NAN_HI;
    } else {
      t[k] = floats.t[i]!;
      words[2 * k] = source[2 * i]!;
      words[2 * k + 1] = source[2 * i + 1]!;
      i++;
    }
  }
  return { t, v };
}

function toEngineHistogram(h: StoredFloatHistogram): FloatHistogram {
  return {
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
  };
}

/** Keeps the first sample of each timestamp in time order, moving value bits as words so NaN payloads survive. */
function dropOverlaps(t: Float64Array, words: Uint32Array, n: number): number {
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => t[a]! - t[b]! || a - b);
  const tCopy = t.slice(0, n);
  const wCopy = words.slice(0, 2 * n);
  let out = 0;
  for (const i of order) {
    if (out > 0 && t[out - 1] === tCopy[i]) continue;
    t[out] = tCopy[i]!;
    words[2 * out] = wCopy[2 * i]!;
    words[2 * out + 1] = wCopy[2 * i + 1]!;
    out++;
  }
  return out;
}
