import type { Labels } from "../labels/label";
import type { FloatHistogramAppender, FloatHistogramChunk } from "../chunk/float-histogram";
import type { HistogramAppender, HistogramChunk } from "../chunk/histogram";
import type { OpenFloatChunk } from "./head-chunk";

/** An open native histogram chunk: integer counts (encoding 2) or float counts (encoding 3). */
export type OpenHistogramChunk =
  | { encoding: 2; chunk: HistogramChunk; appender: HistogramAppender }
  | { encoding: 3; chunk: FloatHistogramChunk; appender: FloatHistogramAppender };

/** One series in the head: its labels, its open chunk and what the next sample is checked against. */
export class MemSeries {
  /** The open chunk, or null right after a cut that had no following sample yet. */
  chunk: OpenFloatChunk | null = null;
  /** The open histogram chunk; at most one of `chunk` and `hist` is open (a kind change cuts the chunk). */
  hist: OpenHistogramChunk | null = null;
  /** Wire bytes of the newest sample when it is a histogram, for telling a resend from a conflicting duplicate. */
  lastHistogram: Uint8Array | null = null;
  chunkMint = 0;
  chunkMaxt = 0;
  /** The cut rule's estimate of where the open chunk ends (Prometheus's `nextAt`). */
  nextAt = 0;
  /**
   * Sample count of the open chunk at which its size must be measured again: a sample adds at most 19 bytes, so
   * until then the chunk cannot have reached the 1 KiB cut.
   */
  sizeCheckAt = 0;
  /** Newest sample's timestamp; -Infinity before the first. */
  lastT = -Infinity;
  /** Newest sample's value bits, for telling a harmless resend from a conflicting duplicate. */
  lastHi = 0;
  lastLo = 0;
  /** Chunks of this series in SQLite chunk segments (not yet compacted into blocks). */
  persistedChunks = 0;
  /** Oldest sample time this shard holds for the series (for time-bounded metadata queries). */
  firstT = Infinity;

  constructor(
    readonly id: number,
    readonly labels: Labels,
    /** The lookup hash, kept to remove the series from the lookup without recomputing it. */
    readonly hash: number,
  ) {}
}
