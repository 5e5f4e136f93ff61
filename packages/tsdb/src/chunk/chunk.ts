/** Chunk encodings with Prometheus's numeric values (`chunkenc.Encoding`), as stored in block chunk files. */
export const ChunkEncoding = {
  None: 0,
  XOR: 1,
  Histogram: 2,
  FloatHistogram: 3,
} as const;
export type ChunkEncoding = (typeof ChunkEncoding)[keyof typeof ChunkEncoding];

/** What every chunk offers (Prometheus's `chunkenc.Chunk`). */
export interface Chunk {
  readonly encoding: ChunkEncoding;
  numSamples(): number;
  /**
   * The chunk data exactly as Prometheus stores it (header included, padded to whole bytes). For a chunk being
   * appended to this is a view of the writer's buffer: copy it (`slice()`) to keep it across appends.
   */
  bytes(): Uint8Array;
}

/**
 * Iterates a chunk's samples in order (Prometheus's `chunkenc.Iterator`). Failures do not throw mid-loop: `next()`
 * returns false and `err()` says why.
 */
export interface ChunkIterator {
  /** Moves to the next sample; false at the end or on error. */
  next(): boolean;
  /** Moves to the first sample at or after `t` (never backwards); false if there is none. */
  seek(t: number): boolean;
  /** Timestamp of the current sample. */
  readonly t: number;
  err(): Error | null;
}

/** Largest sample count the 16-bit header holds. */
export const MAX_SAMPLES_PER_CHUNK = 0xffff;

/**
 * Largest timestamp magnitude accepted on append: 2^51 ms (about 71,000 years), so that deltas and deltas of deltas
 * stay exact JavaScript integers.
 */
export const MAX_ABS_TIMESTAMP = 2 ** 51;
