// The public API of the PromQL package: parse and print expressions, evaluate them against a Queryable, and the value
// and histogram types that cross the API.
export type * from "./parser/ast";
export {
  astToJson,
  formatExpr,
  parseDurationMs,
  ParseError,
  ParseErrors,
  parseExpr,
  parseMetricSelector,
  prettyExpr,
  type AstJson,
  type ParseOptions,
} from "./parser/index";
export { FUNCTIONS } from "./functions";
export {
  Engine,
  type EngineOptions,
  type InstantSample,
  type MatrixSeries,
  type QueryOptions,
  type QueryResult,
  type QueryValue,
} from "./engine/engine";
export {
  EvaluationError,
  InvalidQueryError,
  QueryCanceledError,
  QueryError,
  QueryTimeoutError,
  StorageError,
  TooManySamplesError,
} from "./engine/errors";
export type { Queryable, SelectHints, Series } from "./storage";
export { isStaleNaN, STALE_NAN, type Label, type Labels } from "./value";
export { allBuckets, type FloatHistogram, type HistogramBucket } from "./histogram/index";
export { MemoryStorage } from "./storage/memory";
export { formatFloat as formatSampleValue } from "./format";
