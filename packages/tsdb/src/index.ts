// The public API of the storage package. Workers reach shards through the sharding clients and decode the chunks
// that selects return with the chunk codecs; everything else stays inside the package.
export * from "./labels/index";
export * from "./chunk/index";
export { compileMatchers, CompiledMatcher, InvalidMatcherError, type LabelMatcher } from "./index/matcher";
export type { AppendBatch, FloatSample, HistogramSample, SeriesAppend } from "./wal/append-batch";
export type { NativeHistogram } from "./wal/histogram-wire";
export { SelectTooLargeError } from "./shard/shard";
export type { AppendResult, RefusalCategory, RefusalExample } from "./head/append-result";
export type {
  HeadStats,
  MetadataRequest,
  SelectedChunk,
  SelectedSeries,
  SelectRequest,
  ShardStats,
  StorageStats,
} from "./shard/select-types";
export {
  forEachShard,
  MAX_IN_FLIGHT,
  ShardCallError,
  ShardCountError,
  shardCountFrom,
  shardName,
  type ShardNamespace,
  type ShardRpc,
} from "./sharding/shard-rpc";
export {
  mergeShardSelections,
  ShardedReader,
  type MergedStats,
  type ShardedReaderOptions,
} from "./sharding/sharded-reader";
export { decodeSelection, encodeSelection, SelectionDecodeError, type PackedSelection } from "./shard/select-codec";
export { ShardedWriter, type AppendColumns, type ColumnSeries } from "./sharding/sharded-writer";
export {
  groupMetadata,
  MetadataSendCache,
  metadataKey,
  type MetadataByMetric,
  type MetadataQuery as MetricMetadataQuery,
  type MetricMetadataEntry,
} from "./metadata/metadata";
export { selectExemplars, type ExemplarsBySeries, type StoredExemplar } from "./exemplars/exemplars";
