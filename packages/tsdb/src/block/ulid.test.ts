import { describe, expect, it } from "vitest";
import { isUlid, newUlid, ulidTime } from "./ulid";

describe("ulid", () => {
  it("encodes the time in the first 10 characters", () => {
    // A block ULID written by promtool 2.42 at 2026-11-25T15:41:19.715.
    expect(ulidTime("01M89NWNZ3M0K9C309BGM90PG4")).toBe(1795621279715);
    expect(newUlid(1795621279715).slice(0, 10)).toBe("01M89NWNZ3");
  });

  it("makes distinct, valid, time-sortable identifiers", () => {
    const a = newUlid(1_000);
    const b = newUlid(1_000);
    const c = newUlid(2_000);
    expect(isUlid(a) && isUlid(b) && isUlid(c)).toBe(true);
    expect(a).not.toBe(b);
    expect(a < c && b < c).toBe(true);
  });
});
