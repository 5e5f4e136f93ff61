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

  it("uses the mapping that package errors provide", () => {
    const mapped = new ApiError("timeout", "query timed out");
    const packageError = Object.assign(new Error("timed out"), { toApiError: () => mapped });
    expect(toApiError(packageError)).toBe(mapped);
  });

  it("turns anything else into an internal error with its message", () => {
    const err = toApiError(new TypeError("boom"));
    expect(err.errorType).toBe("internal");
    expect(err.status).toBe(500);
    expect(err.message).toBe("boom");
    expect(toApiError("plain string").message).toBe("plain string");
  });
});
