import {
  appendFloatHistogramSample,
  appendHistogramSample,
  decodeXorChunk,
  FloatHistogramIterator,
  HistogramIterator,
  MIN_SAMPLES_PER_HISTOGRAM_CHUNK,
  newXorChunk,
  TARGET_BYTES_PER_HISTOGRAM_CHUNK,
  type FloatHistogram,
  type Histogram,
} from "../chunk";
import { ChunkEncoding, type BlockChunk } from "./chunk";
import type { ChunkRewriter } from "./chunk-rewriter";
import { BlockError } from "./errors";
import type { Interval } from "./tombstones";

/** The rewriter met a chunk encoding it cannot decode yet. */
export class UnsupportedChunkEncodingError extends BlockError {
  override readonly name: string = "UnsupportedChunkEncodingError";
}

/** Prometheus re-encodes merged series into chunks of this many samples. */
export const SAMPLES_PER_REWRITTEN_CHUNK = 120;

/**
 * The ChunkRewriter backed by edgeprom's chunk codec (`src/chunk`): the adapter that lets the block layer, which
 * otherwise only moves chunk bytes, merge overlapping chunks and drop deleted samples. Float chunks are re-encoded
 * in chunks of `samplesPerChunk` with values copied as float64 bits (stale markers stay stale markers); histogram
 * and float histogram chunks are re-encoded with Prometheus's histogram cut rule (a new chunk at a layout change, or
 * past 1 KiB with at least 10 samples). A series' overlapping chunks must share one encoding.
 */
export function codecChunkRewriter(samplesPerChunk = SAMPLES_PER_REWRITTEN_CHUNK): ChunkRewriter {
  return (chunks, deleted) => {
    if (chunks.length === 0) return [];
    const encoding = chunks[0].encoding;
    if (chunks.some((c) => c.encoding !== encoding)) {
      throw new UnsupportedChunkEncodingError("cannot merge overlapping chunks of different encodings");
    }
    switch (encoding) {
      case ChunkEncoding.XOR:
        return rewriteFloats(chunks, deleted, samplesPerChunk);
      case ChunkEncoding.Histogram:
        return rewriteHistograms(chunks, deleted, false);
      case ChunkEncoding.FloatHistogram:
        return rewriteHistograms(chunks, deleted, true);
      default:
        throw new UnsupportedChunkEncodingError(`cannot rewrite chunks of encoding ${encoding}`);
    }
  };
}

function rewriteFloats(
  chunks: readonly BlockChunk[],
  deleted: readonly Interval[],
  samplesPerChunk: number,
): BlockChunk[] {
  const decoded = chunks.map((c) => decodeXorChunk(c.data));
  // Every sample as (chunk, position), ordered by time; on equal times the later chunk's sample wins.
  const order: [number, number][] = [];
  decoded.forEach((d, k) => {
    for (let i = 0; i < d.timestamps.length; i++) order.push([k, i]);
  });
  order.sort((a, b) => decoded[a[0]].timestamps[a[1]] - decoded[b[0]].timestamps[b[1]] || a[0] - b[0]);
  const kept: [number, number][] = [];
  for (const sample of order) {
    const t = decoded[sample[0]].timestamps[sample[1]];
    if (isDeleted(deleted, t)) continue;
    const last = kept[kept.length - 1];
    if (last !== undefined && decoded[last[0]].timestamps[last[1]] === t) kept[kept.length - 1] = sample;
    else kept.push(sample);
  }
  const out: BlockChunk[] = [];
  for (let start = 0; start < kept.length; start += samplesPerChunk) {
    const { chunk, appender } = newXorChunk();
    const part = kept.slice(start, start + samplesPerChunk);
    for (const [k, i] of part) appender.append(decoded[k].timestamps[i], decoded[k].values[i]);
    out.push({
      mint: decoded[part[0][0]].timestamps[part[0][1]],
      maxt: decoded[part[part.length - 1][0]].timestamps[part[part.length - 1][1]],
      encoding: ChunkEncoding.XOR,
      data: chunk.bytes().slice(),
    });
  }
  return out;
}

interface HistogramSample {
  readonly t: number;
  readonly source: number;
  readonly h: Histogram | FloatHistogram;
}

function rewriteHistograms(chunks: readonly BlockChunk[], deleted: readonly Interval[], float: boolean): BlockChunk[] {
  const samples: HistogramSample[] = [];
  chunks.forEach((c, source) => {
    if (float) {
      const it = new FloatHistogramIterator();
      it.reset(c.data);
      while (it.next()) samples.push({ t: it.t, source, h: it.atFloatHistogram() });
      const error = it.err();
      if (error) throw error;
    } else {
      const it = new HistogramIterator();
      it.reset(c.data);
      while (it.next()) samples.push({ t: it.t, source, h: it.atHistogram() });
      const error = it.err();
      if (error) throw error;
    }
  });
  samples.sort((a, b) => a.t - b.t || a.source - b.source);
  const kept: HistogramSample[] = [];
  for (const s of samples) {
    if (isDeleted(deleted, s.t)) continue;
    if (kept.length > 0 && kept[kept.length - 1].t === s.t) kept[kept.length - 1] = s;
    else kept.push(s);
  }

  return float
    ? encodeHistograms<FloatHistogram, FloatHistogramOpen>(
        kept,
        ChunkEncoding.FloatHistogram,
        appendFloatHistogramSample,
      )
    : encodeHistograms<Histogram, HistogramOpen>(kept, ChunkEncoding.Histogram, appendHistogramSample);
}

type HistogramOpen = Omit<ReturnType<typeof appendHistogramSample>, "cut">;
type FloatHistogramOpen = Omit<ReturnType<typeof appendFloatHistogramSample>, "cut">;

interface OpenHistogramChunk {
  readonly chunk: { bytes(): Uint8Array; numSamples(): number };
}

/** Appends samples in order, cutting where the codec must (layout change) or where Prometheus's size rule says. */
function encodeHistograms<H, O extends OpenHistogramChunk>(
  samples: readonly HistogramSample[],
  encoding: number,
  append: (open: O | null, t: number, h: H) => O & { cut: boolean },
): BlockChunk[] {
  const out: BlockChunk[] = [];
  let open: O | null = null;
  let mint = 0;
  let maxt = 0;
  const close = (): void => {
    if (open !== null) out.push({ mint, maxt, encoding, data: open.chunk.bytes().slice() });
    open = null;
  };
  for (const s of samples) {
    const current: O | null = open;
    if (
      current !== null &&
      current.chunk.numSamples() >= MIN_SAMPLES_PER_HISTOGRAM_CHUNK &&
      current.chunk.bytes().length >= TARGET_BYTES_PER_HISTOGRAM_CHUNK
    ) {
      close();
    }
    const next = append(open, s.t, s.h as H);
    if (next.cut) {
      close();
      mint = s.t;
    }
    open = next;
    maxt = s.t;
  }
  close();
  return out;
}

function isDeleted(deleted: readonly Interval[], t: number): boolean {
  for (const d of deleted) if (d.mint <= t && t <= d.maxt) return true;
  return false;
}
