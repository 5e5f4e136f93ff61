import { describe, expect, it } from "vitest";
import { ApiError, toApiError } from "./errors";

describe("toApiError", () => {
  it("keeps ApiErrors and their status", () => {
    const err = new ApiError("bad_data", "invalid parameter");
    expect(toApiError(err)).toBe(err);
    expect(err.status).toBe(400);
    expect(new ApiError("execution", "x").status).toBe(422);
    expect(new ApiError("timeout", "x").status).toBe(503);
  });

  it("uses the category that package errors name", () => {
    class ParseErrors extends Error {
      readonly errorType = "bad_data";
    }
    const parse = toApiError(new ParseErrors("1:5: parse error: unexpected end of input"));
    expect([parse.errorType, parse.status, parse.message]).toEqual([
      "bad_data",
      400,
      "1:5: parse error: unexpected end of input",
    ]);
    class BodyTooLarge extends Error {
      readonly errorType = "too_large";
      readonly status = 413;
    }
    expect(toApiError(new BodyTooLarge("body exceeds 10 MiB")).status).toBe(413);
    class Odd extends Error {
      readonly errorType = "no_such_category";
    }
    expect(toApiError(new Odd("x")).errorType).toBe("internal");
  });

  it("turns anything else into an internal error with its message", () => {
    const err = toApiError(new TypeError("boom"));
    expect(err.errorType).toBe("internal");
    expect(err.status).toBe(500);
    expect(err.message).toBe("boom");
    expect(toApiError("plain string").message).toBe("plain string");
  });
});
