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

/** Anything thrown becomes an ApiError; errors that are not ours are internal and keep their message. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (isErrorWithApiMapping(err)) return err.toApiError();
  const message = err instanceof Error ? err.message : String(err);
  return new ApiError("internal", message, { cause: err });
}

/** Packages that must not depend on HTTP (promql, tsdb) expose their errors through this shape. */
export interface ApiErrorMapping {
  toApiError(): ApiError;
}

function isErrorWithApiMapping(err: unknown): err is ApiErrorMapping {
  return typeof err === "object" && err !== null && typeof (err as Partial<ApiErrorMapping>).toApiError === "function";
}
