/**
 * Errors of query evaluation. Each carries the Prometheus API `errorType` it maps to, so the HTTP layer can map
 * them without this package importing HTTP code.
 */
export abstract class QueryError extends Error {
  abstract readonly errorType: "execution" | "timeout" | "canceled" | "internal" | "bad_data";
}

/** A query that is valid PromQL but cannot be evaluated on this data (many-to-many matching, duplicate series, ...). */
export class EvaluationError extends QueryError {
  override readonly name = "EvaluationError";
  readonly errorType = "execution" as const;
}

/** A query the engine refuses before evaluating (an experimental feature that is off, a misplaced modifier). */
export class InvalidQueryError extends QueryError {
  override readonly name = "InvalidQueryError";
  readonly errorType = "bad_data" as const;
}

export class TooManySamplesError extends QueryError {
  override readonly name = "TooManySamplesError";
  readonly errorType = "execution" as const;
  constructor() {
    super("query processing would load too many samples into memory in query execution");
  }
}

export class QueryTimeoutError extends QueryError {
  override readonly name = "QueryTimeoutError";
  readonly errorType = "timeout" as const;
  constructor(where: string) {
    super(`query timed out in ${where}`);
  }
}

export class QueryCanceledError extends QueryError {
  override readonly name = "QueryCanceledError";
  readonly errorType = "canceled" as const;
  constructor(where: string) {
    super(`query was canceled in ${where}`);
  }
}

/** Storage failed while the engine fetched series. */
export class StorageError extends QueryError {
  override readonly name = "StorageError";
  readonly errorType = "internal" as const;
}
