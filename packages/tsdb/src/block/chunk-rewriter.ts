import type { BlockChunk } from "./chunk";
import type { Interval } from "./tombstones";

/**
 * Re-encodes one series' chunks: decode `chunks` (sorted by minTime, possibly overlapping), drop samples whose time
 * falls in `deleted`, keep one sample per timestamp (the later chunk's), and encode the rest as non-overlapping
 * chunks. The block layer only moves chunk bytes; it needs this from the chunk codec in two places: reads of series
 * that tombstones cut through, and compactions that merge overlapping chunks or drop deleted samples.
 */
export type ChunkRewriter = (chunks: readonly BlockChunk[], deleted: readonly Interval[]) => BlockChunk[];
