// The public API of the PromQL package: parse and print expressions, evaluate them against a Queryable, and the value
// and histogram types that cross the API.
export type * from "./parser/ast";
export { parseExpr, type ParseOptions } from "./parser/parser";
export { formatExpr } from "./parser/printer";
export { parseDurationMs } from "./parser/lexer";
export { ParseError, ParseErrors } from "./parser/errors";
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
export { formatFloat as formatSampleValue } from "./engine/format";
