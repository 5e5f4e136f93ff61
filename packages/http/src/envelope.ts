import type { Context } from "hono";
import { toApiError } from "./errors";

/** Prometheus's response envelope: `{"status":"success","data":...}` with optional warnings and infos. */
export interface SuccessEnvelope<T> {
  status: "success";
  data: T;
  warnings?: string[];
  infos?: string[];
}

export interface ErrorEnvelope {
  status: "error";
  errorType: string;
  error: string;
  warnings?: string[];
}

export interface Annotations {
  warnings?: readonly string[];
  infos?: readonly string[];
}

export function successBody<T>(data: T, annotations: Annotations = {}): SuccessEnvelope<T> {
  const body: SuccessEnvelope<T> = { status: "success", data };
  if (annotations.warnings && annotations.warnings.length > 0) body.warnings = [...annotations.warnings];
  if (annotations.infos && annotations.infos.length > 0) body.infos = [...annotations.infos];
  return body;
}

export function success<T>(c: Context, data: T, annotations?: Annotations): Response {
  return c.json(successBody(data, annotations));
}

/** The one error handler every app installs (`app.onError(apiErrorHandler)`). */
export function apiErrorHandler(err: unknown, c: Context): Response {
  const apiError = toApiError(err);
  if (apiError.status >= 500) console.error(`${c.req.method} ${c.req.path}: ${apiError.message}`, apiError.cause ?? "");
  const body: ErrorEnvelope = { status: "error", errorType: apiError.errorType, error: apiError.message };
  return c.json(body, apiError.status as 400, apiError.headers);
}

/** Unknown API paths answer with the error envelope too, so clients never have to parse HTML. */
export function apiNotFoundHandler(c: Context): Response {
  const body: ErrorEnvelope = {
    status: "error",
    errorType: "not_found",
    error: `no such endpoint: ${c.req.method} ${c.req.path}`,
  };
  return c.json(body, 404);
}
