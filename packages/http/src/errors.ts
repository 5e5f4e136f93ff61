/**
 * The error categories of Prometheus's HTTP API (`errorType`), plus the two that an authenticated API needs.
 * Every handler throws an {@link ApiError}; {@link toApiError} is the one place that maps anything thrown to one.
 */
export type ErrorType =
  | "bad_data"
  | "execution"
  | "canceled"
  | "timeout"
  | "internal"
  | "unavailable"
  | "not_found"
  | "not_acceptable"
  | "unauthorized"
  | "forbidden"
  | "too_large"
  | "unsupported_media_type"
  | "too_many_requests";

/** HTTP status per error type, as Prometheus's `web/api/v1` answers them. */
export const STATUS_OF_ERROR: Readonly<Record<ErrorType, number>> = {
  bad_data: 400,
  execution: 422,
  canceled: 499,
  timeout: 503,
  internal: 500,
  unavailable: 503,
  not_found: 404,
  not_acceptable: 406,
  unauthorized: 401,
  forbidden: 403,
  too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
};

export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;

  constructor(
    readonly errorType: ErrorType,
    message: string,
    options?: { cause?: unknown; status?: number; headers?: Record<string, string> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.status = options?.status ?? STATUS_OF_ERROR[errorType];
    this.headers = options?.headers ?? {};
  }

  readonly headers: Record<string, string>;
}

/**
 * Anything thrown becomes an ApiError. Packages that must not depend on HTTP (promql, tsdb, the ingest decoders)
 * give their error classes an `errorType` (and optionally a `status`); errors without one are internal.
 */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (hasErrorType(err)) return new ApiError(err.errorType, message, { cause: err, status: err.status });
  return new ApiError("internal", message, { cause: err });
}

/** The shape of a package error that names its API category. */
export interface CategorizedError {
  readonly errorType: ErrorType;
  readonly status?: number;
}

function hasErrorType(err: unknown): err is Error & CategorizedError {
  if (!(err instanceof Error)) return false;
  const { errorType, status } = err as Partial<CategorizedError>;
  return (
    typeof errorType === "string" &&
    Object.hasOwn(STATUS_OF_ERROR, errorType) &&
    (status === undefined || (Number.isInteger(status) && status >= 400 && status <= 599))
  );
}
