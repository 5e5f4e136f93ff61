/**
 * When the head cuts a new chunk for a series, after Prometheus's `memSeries.appendPreprocessor`:
 *
 * - a chunk never spans a chunk-range boundary (2 h, aligned to multiples of the range since the epoch);
 * - when the open chunk holds a quarter of `samplesPerChunk` (30 of 120), the end of the chunk is re-estimated from the
 *   sample rate so that the rest of the range splits into chunks of about `samplesPerChunk` samples;
 * - float (XOR) chunks are cut before exceeding 1 KiB (assuming the next sample takes the worst-case 19 bytes) and at
 *   twice `samplesPerChunk` whatever the estimate said;
 * - histogram chunks follow {@link decideHistogramChunkCut} (Prometheus 3's `histogramsAppendPreprocessor`).
 *
 * The head keeps one number per series, `nextAt`, between calls (histograms: also `endTimeComputed`).
 */
export interface ChunkCutOptions {
  samplesPerChunk: number;
  /** Chunk range in ms: no chunk crosses a multiple of it. Prometheus: the 2 h head block range. */
  chunkRange: number;
  /**
   * Byte limit of a float chunk (Prometheus 2.44+ and 3.x: 1024). `Infinity` reproduces older Prometheus (such as
   * Debian's promtool 2.42), which cut on sample count and time only.
   */
  maxBytesPerXorChunk: number;
}

export const DEFAULT_CHUNK_CUT_OPTIONS: Readonly<ChunkCutOptions> = {
  samplesPerChunk: 120,
  chunkRange: 2 * 60 * 60 * 1000,
  maxBytesPerXorChunk: 1024,
};

/** Prometheus's `chunkenc.MaxBytesPerXORChunk`. */
export const MAX_BYTES_PER_XOR_CHUNK = 1024;
/** The largest one XOR sample can be (68-bit dod + 77-bit value, rounded up), reserved before each append. */
export const MAX_XOR_SAMPLE_BYTES = 19;
/** Prometheus's `targetBytesPerHistogramChunk` and `minSamplesPerHistogramChunk`. */
export const TARGET_BYTES_PER_HISTOGRAM_CHUNK = 1024;
export const MIN_SAMPLES_PER_HISTOGRAM_CHUNK = 10;

/** What the head knows about a series' open chunk. */
export interface OpenChunkFacts {
  minTime: number;
  maxTime: number;
  numSamples: number;
  byteLength: number;
  kind: "float" | "histogram";
}

export interface CutDecision {
  /** Start a new chunk for this sample. */
  cut: boolean;
  /** The series' new `nextAt`. */
  nextAt: number;
}

/** End of the chunk range that holds `t` (Prometheus's `rangeForTimestamp`). */
export function chunkRangeEnd(t: number, chunkRange: number): number {
  return Math.floor(t / chunkRange) * chunkRange + chunkRange;
}

/**
 * Estimates where the open chunk should end so that the remaining range splits evenly (Prometheus's
 * `computeChunkEndTime`): `ratioToFull` is how full the chunk is now (4 = a quarter).
 */
export function computeChunkEndTime(start: number, cur: number, maxT: number, ratioToFull: number): number {
  const n = (maxT - start) / ((cur - start + 1) * ratioToFull);
  if (n <= 1) return maxT;
  return Math.trunc(start + (maxT - start) / Math.floor(n));
}

/**
 * Decides whether appending a sample at `t` needs a new chunk. `open` is the open chunk (null when the series has
 * none); `nextAt` is the value from the previous decision (ignored when `open` is null). Out-of-order samples
 * (t <= open.maxTime) are the caller's to reject before asking.
 */
export function decideChunkCut(
  open: OpenChunkFacts | null,
  t: number,
  nextAt: number,
  options: ChunkCutOptions = DEFAULT_CHUNK_CUT_OPTIONS,
): CutDecision {
  // No closures here: this runs on every append, and bundlers that keep function names (esbuild's keepNames, as
  // tsx and wrangler use) wrap each closure creation in a defineProperty call, which costs a microsecond.
  if (open === null || open.numSamples === 0) return { cut: true, nextAt: chunkRangeEnd(t, options.chunkRange) };
  const n = open.numSamples;
  if (open.kind === "float") {
    if (open.byteLength > options.maxBytesPerXorChunk - MAX_XOR_SAMPLE_BYTES) {
      return { cut: true, nextAt: chunkRangeEnd(t, options.chunkRange) };
    }
  } else {
    // Without the per-series flag of the full rule: treat the end time as not yet estimated.
    const d = decideHistogramChunkCut(open, t, nextAt, false, options);
    return { cut: d.cut, nextAt: d.nextAt };
  }
  if (n === Math.floor(options.samplesPerChunk / 4)) {
    nextAt = computeChunkEndTime(open.minTime, open.maxTime, nextAt, 4);
  }
  if (t >= nextAt || n >= options.samplesPerChunk * 2)
    return { cut: true, nextAt: chunkRangeEnd(t, options.chunkRange) };
  return { cut: false, nextAt };
}

export interface HistogramCutDecision extends CutDecision {
  /** The series' new `endTimeComputed` flag. */
  endTimeComputed: boolean;
}

/**
 * Prometheus 3's rule for histogram chunks: once the open chunk reaches a quarter of the 1 KiB target, estimate its
 * end time from the bytes per sample (once per chunk, `endTimeComputed`); cut at that time or at twice the target
 * size, but only with at least 10 samples, unless the chunk range ends first.
 */
export function decideHistogramChunkCut(
  open: OpenChunkFacts | null,
  t: number,
  nextAt: number,
  endTimeComputed: boolean,
  options: ChunkCutOptions = DEFAULT_CHUNK_CUT_OPTIONS,
): HistogramCutDecision {
  if (open === null || open.numSamples === 0) {
    return { cut: true, nextAt: chunkRangeEnd(t, options.chunkRange), endTimeComputed: false };
  }
  const target = TARGET_BYTES_PER_HISTOGRAM_CHUNK;
  const nextRangeStart = endTimeComputed ? chunkRangeEnd(open.minTime, options.chunkRange) : nextAt;
  if (!endTimeComputed && open.byteLength >= target / 4) {
    nextAt = computeChunkEndTime(open.minTime, open.maxTime, nextAt, target / open.byteLength);
    endTimeComputed = true;
  }
  if (
    (t >= nextAt || open.byteLength >= target * 2) &&
    (open.numSamples >= MIN_SAMPLES_PER_HISTOGRAM_CHUNK || t >= nextRangeStart)
  ) {
    return { cut: true, nextAt: chunkRangeEnd(t, options.chunkRange), endTimeComputed: false };
  }
  return { cut: false, nextAt, endTimeComputed };
}
