import { describe, expect, it } from "vitest";
import { DurationError, formatDuration, parseDuration } from "./duration";
import { parseSize, SizeError } from "./size";

describe("parseDuration", () => {
  it("parses Prometheus durations into milliseconds", () => {
    expect(parseDuration("0")).toBe(0);
    expect(parseDuration("15s")).toBe(15_000);
    expect(parseDuration("1m")).toBe(60_000);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("1d")).toBe(86_400_000);
    expect(parseDuration("2w")).toBe(14 * 86_400_000);
    expect(parseDuration("1y")).toBe(365 * 86_400_000);
    expect(parseDuration("1y2w3d4h5m6s7ms")).toBe(
      365 * 86_400_000 + 14 * 86_400_000 + 3 * 86_400_000 + 4 * 3_600_000 + 5 * 60_000 + 6_000 + 7,
    );
  });

  it("refuses what Prometheus refuses", () => {
    for (const text of ["", "1", "1.5s", "-1s", "1s1m", "1 s", "1S", "s", "1h1h"]) {
      expect(() => parseDuration(text), text).toThrow(DurationError);
    }
    expect(() => parseDuration("300y")).toThrow("duration out of range");
  });

  it("formats like Prometheus's model.Duration", () => {
    expect(formatDuration(0)).toBe("0s");
    expect(formatDuration(15_000)).toBe("15s");
    expect(formatDuration(60_000)).toBe("1m");
    expect(formatDuration(90_000)).toBe("1m30s");
    expect(formatDuration(1_500)).toBe("1s500ms");
    expect(formatDuration(86_400_000)).toBe("1d");
    expect(formatDuration(7 * 86_400_000)).toBe("1w");
    expect(formatDuration(8 * 86_400_000)).toBe("8d");
    expect(formatDuration(365 * 86_400_000)).toBe("1y");
    expect(formatDuration(90 * 86_400_000)).toBe("90d");
  });

  it("round-trips", () => {
    for (const ms of [1, 999, 1000, 61_001, 3_600_000, 5_400_000, 86_400_001, 14 * 86_400_000]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });
});

describe("parseSize", () => {
  it("uses powers of 1024 with a required unit", () => {
    expect(parseSize("0")).toBe(0);
    expect(parseSize("512B")).toBe(512);
    expect(parseSize("1KB")).toBe(1024);
    expect(parseSize("10MB")).toBe(10 * 1024 * 1024);
    expect(parseSize("1GiB")).toBe(1024 ** 3);
    expect(parseSize("1.5KB")).toBe(1536);
    expect(parseSize("1MB512KB")).toBe(1024 * 1024 + 512 * 1024);
  });

  it("refuses sizes without a known unit", () => {
    for (const text of ["", "10", "MB", "10mb", "10 MB", "-1MB", "1XB", "."]) {
      expect(() => parseSize(text), text).toThrow(SizeError);
    }
  });
});
