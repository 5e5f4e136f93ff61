export {
  decodeHistogramChunks,
  decodeSelectedSeries,
  decodeSelectedSeriesList,
  UnsupportedChunkError,
  withStaleMarkers,
  type StoredHistogramSample,
} from "./decode";
export {
  QueryAbortedError,
  ShardedQuerier,
  type MetadataQuery,
  type QueryBackend,
  type SeriesReader,
} from "./sharded-querier";
