import type { LabelMatcher } from "../index/matcher";
import type { CardinalityStat } from "../index/mem-postings";
import type { Labels } from "../labels/label";
import type { Interval } from "./tombstones";

/** Which series and time range a select wants. Times are inclusive milliseconds. */
export interface SelectRequest {
  matchers: readonly LabelMatcher[];
  mint: number;
  maxt: number;
  /** Most chunk bytes one answer may carry (default `DEFAULT_SELECT_LIMIT_BYTES`); more is a `SelectTooLargeError`. */
  limitBytes?: number;
}

/** Workers RPC carries at most 32 MiB a message; leave room for labels and framing. */
export const DEFAULT_SELECT_LIMIT_BYTES = 24 * 1024 * 1024;

/** One chunk as stored: Prometheus encoding id (1 XOR, 2 histogram, 3 float histogram) and the raw bytes. */
export interface SelectedChunk {
  encoding: number;
  mint: number;
  maxt: number;
  data: Uint8Array;
}

export interface SelectedSeries {
  labels: Labels;
  /** Chunks overlapping the requested range, ascending by mint, with deleted samples already removed. */
  chunks: SelectedChunk[];
}

/** Optional narrowing of metadata queries (Prometheus's `match[]`, `start`, `end`). */
export interface MetadataRequest {
  /** Series must match at least one of these selectors (each a list of matchers); none means every series. */
  selectors?: readonly (readonly LabelMatcher[])[];
  mint?: number;
  maxt?: number;
  limit?: number;
}

export interface HeadStats {
  numSeries: number;
  numLabelPairs: number;
  chunkCount: number;
  minTime: number;
  maxTime: number;
}

/** What `/api/v1/status/tsdb` shows, for one shard, plus the shard's storage figures. */
export interface ShardStats {
  headStats: HeadStats;
  seriesCountByMetricName: CardinalityStat[];
  labelValueCountByLabelName: CardinalityStat[];
  memoryInBytesByLabelName: CardinalityStat[];
  seriesCountByLabelValuePair: CardinalityStat[];
  storage: StorageStats;
}

export interface StorageStats {
  walRows: number;
  walBytes: number;
  chunkSegments: number;
  persistedChunks: number;
  pendingChunks: number;
  databaseBytes: number;
  /** Rows written since this object started (SQLite's count, what Cloudflare bills). */
  rowsWritten: number;
  checkpoints: number;
  lastCheckpointError: string | null;
}

/** Closed chunks old enough for a block, grouped by series, with the segments they came from. */
export interface CompactableChunks {
  /** Pass these to `dropCompacted` once the block is safely in R2. */
  segmentIds: number[];
  mint: number;
  maxt: number;
  series: { labels: Labels; chunks: SelectedChunk[]; tombstones: Interval[] }[];
}
