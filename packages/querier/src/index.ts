export { decodeSelectedSeries, decodeSelectedSeriesList, UnsupportedChunkError } from "./decode";
export {
  QueryAbortedError,
  ShardedQuerier,
  type MetadataQuery,
  type QueryBackend,
  type SeriesReader,
} from "./sharded-querier";
