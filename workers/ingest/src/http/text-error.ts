import type { Context } from "hono";
import { toApiError } from "@edgeprom/http";

/** Write routes answer errors in plain text, as Prometheus's receivers and the Pushgateway do. */
export function plainTextError(c: Context, err: unknown): Response {
  const apiError = toApiError(err);
  if (apiError.status >= 500) console.error(`${c.req.method} ${c.req.path}: ${apiError.message}`);
  return c.text(apiError.message + "\n", apiError.status as 400, apiError.headers);
}
