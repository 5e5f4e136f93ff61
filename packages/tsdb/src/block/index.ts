// Prometheus TSDB blocks in object storage: what the rest of edgeprom uses. See docs/tsdb-blocks.md.
export { BlockReader, type BlockSource, type SelectedSeries, type SelectOptions } from "./block-reader";
export { BlockStore } from "./block-store";
export { writeBlock, type BlockFile, type WriteBlockOptions, type WrittenBlock } from "./block-writer";
export { CachingObjectStore } from "./caching-object-store";
export type { Catalog, CatalogEntry } from "./catalog";
export { ChunkEncoding, type BlockChunk, type BlockSeries } from "./chunk";
export type { ChunkRewriter } from "./chunk-rewriter";
export { codecChunkRewriter, UnsupportedChunkEncodingError } from "./codec-rewriter";
export {
  compactBlocks,
  compactClosedChunks,
  DEFAULT_BLOCK_RANGE_MS,
  DEFAULT_RETENTION_MS,
  type ClosedSeries,
  type CompactionStep,
} from "./compaction";
export { deleteSeriesInBlocks } from "./delete-series";
export {
  BlockError,
  BlockFormatError,
  BlockNotFoundError,
  ChecksumMismatchError,
  InvalidBlockInputError,
} from "./errors";
export { blockFileKey, catalogKey, shardPrefix } from "./layout";
export { InvalidMatcherError, type LabelMatcher } from "./matchers";
export type { BlockMeta } from "./meta";
export { MemoryObjectStore, ObjectNotFoundError, type ObjectInfo, type ObjectStore } from "./object-store";
export { BytesRangeReader, type RangeReader } from "./range-reader";
export { applyRetention } from "./retention";
export { mergeSelectedSeries, selectFromBlocks } from "./select-from-blocks";
export {
  ShardBlocks,
  type BlockMetadataRequest,
  type ClosedChunkSource,
  type MaintenanceReport,
  type ShardBlocksOptions,
} from "./shard-blocks";
export type { Interval } from "./tombstones";
export { newUlid } from "./ulid";
