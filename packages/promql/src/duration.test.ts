import { describe, expect, it } from "vitest";
import { formatDuration, parseDurationMs } from "./duration";

describe("parseDurationMs", () => {
  it("reads units in decreasing order, each at most once", () => {
    expect(parseDurationMs("0")).toBe(0);
    expect(parseDurationMs("5ms")).toBe(5);
    expect(parseDurationMs("1m5ms")).toBe(60_005);
    expect(parseDurationMs("1h30m")).toBe(5_400_000);
    expect(parseDurationMs("1y2w3d4h5m6s7ms")).toBe(
      365 * 86_400_000 + 2 * 7 * 86_400_000 + 3 * 86_400_000 + 4 * 3_600_000 + 5 * 60_000 + 6 * 1000 + 7,
    );
  });
  it("rejects what model.ParseDuration rejects", () => {
    for (const text of ["", "1", "00", "1s1m", "5m5m", "5mm", "-5m", "+5m", "1.5s", "1e3s", " 5m", "5m ", "٣s"]) {
      expect(parseDurationMs(text), text).toBeNull();
    }
  });
});

describe("formatDuration", () => {
  it("writes years and weeks only when exact and round-trips through the parser", () => {
    for (const ms of [0, 1, 999, 1000, 90_000, 86_400_000, 8 * 86_400_000, 365 * 86_400_000, 366 * 86_400_000 + 1]) {
      expect(parseDurationMs(formatDuration(ms))).toBe(ms);
    }
    expect(formatDuration(8 * 86_400_000)).toBe("8d");
    expect(formatDuration(14 * 86_400_000)).toBe("2w");
  });
});
