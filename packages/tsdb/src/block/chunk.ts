import { BlockFormatError } from "./errors";
import type { LabelSet } from "./labels";

/** Chunk encodings, numbered as Prometheus's `chunkenc.Encoding` (the byte stored before each chunk's data). */
export const ChunkEncoding = {
  XOR: 1,
  Histogram: 2,
  FloatHistogram: 3,
} as const;
export type ChunkEncodingId = (typeof ChunkEncoding)[keyof typeof ChunkEncoding];

/** One encoded chunk of one series: what the shard hands over and what a block select returns. */
export interface BlockChunk {
  /** Time of the first sample, ms. */
  readonly mint: number;
  /** Time of the last sample, ms (inclusive). */
  readonly maxt: number;
  readonly encoding: number;
  /** The chunk data exactly as Prometheus's chunkenc stores it (starting with the 2-byte sample count). */
  readonly data: Uint8Array;
}

/** A series with its chunks, sorted by time. */
export interface BlockSeries {
  readonly labels: LabelSet;
  readonly chunks: readonly BlockChunk[];
}

/**
 * Samples in a chunk. XOR, histogram and float histogram chunks all begin with the count as a big-endian uint16,
 * so block stats need no decoding.
 */
export function chunkSampleCount(chunk: Pick<BlockChunk, "encoding" | "data">): number {
  if (chunk.encoding < ChunkEncoding.XOR || chunk.encoding > ChunkEncoding.FloatHistogram) {
    throw new BlockFormatError(`unknown chunk encoding ${chunk.encoding}`);
  }
  if (chunk.data.length < 2) throw new BlockFormatError("chunk shorter than its sample count");
  return (chunk.data[0] << 8) | chunk.data[1];
}
