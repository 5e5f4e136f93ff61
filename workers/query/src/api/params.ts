import { ApiError } from "@edgeprom/http";
import { parseDurationMs } from "@edgeprom/promql";

/**
 * Prometheus's time bounds for "no limit": `minTime`/`maxTime` in its API, which clients send back verbatim as
 * RFC 3339 strings Go can print but JavaScript's Date cannot parse.
 */
export const MIN_TIME_MS = -(2 ** 63) / 1e6;
export const MAX_TIME_MS = 2 ** 63 / 1e6;
const MIN_TIME_TEXT = "-292273086-05-16T16:47:06Z";
const MAX_TIME_TEXT = "292277025-08-18T07:12:54.999999999Z";

/** A timestamp parameter: Unix seconds (fractions allowed, rounded to ms) or RFC 3339. Returns ms. */
export function parseTimeParam(name: string, text: string): number {
  const trimmed = text.trim();
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) {
    const seconds = Number(trimmed);
    const whole = Math.trunc(seconds);
    return whole * 1000 + Math.round((seconds - whole) * 1000);
  }
  if (trimmed === MIN_TIME_TEXT) return MIN_TIME_MS;
  if (trimmed === MAX_TIME_TEXT) return MAX_TIME_MS;
  const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
  if (rfc3339.test(trimmed)) {
    const ms = Date.parse(trimmed);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new ApiError("bad_data", `invalid parameter "${name}": cannot parse "${text}" to a valid timestamp`);
}

/** A duration parameter: seconds as a float, or a Prometheus duration (`5m`, `1h30m`). Returns ms. */
export function parseDurationParam(name: string, text: string): number {
  const trimmed = text.trim();
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) {
    const ms = Number(trimmed) * 1000;
    if (!Number.isFinite(ms) || Math.abs(ms) >= 2 ** 63 / 1e6) {
      throw new ApiError(
        "bad_data",
        `invalid parameter "${name}": cannot parse "${text}" to a valid duration. It overflows int64`,
      );
    }
    return Math.round(ms);
  }
  const ms = parseDurationMs(trimmed);
  if (ms === null)
    throw new ApiError("bad_data", `invalid parameter "${name}": cannot parse "${text}" to a valid duration`);
  return ms;
}

/** A non-negative integer parameter such as `limit`; 0 means no limit. */
export function parseLimitParam(name: string, text: string | undefined): number {
  if (text === undefined || text === "") return 0;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) {
    throw new ApiError("bad_data", `invalid parameter "${name}": limit must be a non-negative integer, got "${text}"`);
  }
  return n;
}

/** The parameters of a GET query string and a form-encoded POST body together, as Go's `r.FormValue` sees them. */
export class RequestParams {
  readonly #values: Map<string, string[]>;

  private constructor(values: Map<string, string[]>) {
    this.#values = values;
  }

  static async from(request: Request): Promise<RequestParams> {
    const values = new Map<string, string[]>();
    const add = (key: string, value: string) => {
      const list = values.get(key);
      if (list) list.push(value);
      else values.set(key, [value]);
    };
    if (request.method === "POST") {
      const type = (request.headers.get("Content-Type") ?? "").toLowerCase();
      if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data")) {
        let form: FormData;
        try {
          form = await request.formData();
        } catch (err) {
          throw new ApiError("bad_data", `invalid form body: ${err instanceof Error ? err.message : String(err)}`);
        }
        for (const [key, value] of form) if (typeof value === "string") add(key, value);
      }
    }
    for (const [key, value] of new URL(request.url).searchParams) add(key, value);
    return new RequestParams(values);
  }

  get(name: string): string | undefined {
    return this.#values.get(name)?.[0];
  }

  all(name: string): string[] {
    return this.#values.get(name) ?? [];
  }

  required(name: string): string {
    const value = this.get(name);
    if (value === undefined || value === "") throw new ApiError("bad_data", `invalid parameter "${name}": missing`);
    return value;
  }
}
