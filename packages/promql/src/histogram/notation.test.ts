import { describe, expect, it } from "vitest";
import { HistogramNotationError } from "./errors";
import { formatGoFloat } from "../format";
import { formatHistogram, parseHistogram, parseHistogramLiteral, parseNotationNumber } from "./notation";
import { parseHistogramSequenceItem } from "./sequence";

describe("parseHistogramLiteral", () => {
  it("reads every key", () => {
    const p = parseHistogramLiteral(
      "x {{schema:1 sum:-5.5 count:4 z_bucket:1 z_bucket_w:0.001 buckets:[1 2] offset:-2 n_buckets:[3] n_offset:4 counter_reset_hint:gauge}} y",
      2,
    );
    expect(p.histogram).toEqual({
      counterResetHint: "gauge",
      schema: 1,
      zeroThreshold: 0.001,
      zeroCount: 1,
      count: 4,
      sum: -5.5,
      positiveSpans: [{ offset: -2, length: 2 }],
      positiveBuckets: [1, 2],
      negativeSpans: [{ offset: 4, length: 1 }],
      negativeBuckets: [3],
      customValues: [],
    });
    expect(p.counterResetHintGiven).toBe(true);
    expect(p.end).toBe(
      p.end > 0
        ? "x {{schema:1 sum:-5.5 count:4 z_bucket:1 z_bucket_w:0.001 buckets:[1 2] offset:-2 n_buckets:[3] n_offset:4 counter_reset_hint:gauge}}"
            .length
        : -1,
    );
  });

  it("defaults everything to zero and the hint to unknown (not given)", () => {
    const p = parseHistogramLiteral("{{}}");
    expect(p.histogram.schema).toBe(0);
    expect(p.histogram.count).toBe(0);
    expect(p.histogram.positiveSpans).toEqual([]);
    expect(p.histogram.counterResetHint).toBe("unknown");
    expect(p.counterResetHintGiven).toBe(false);
  });

  it("reads custom values and special numbers", () => {
    const hist = parseHistogram(
      "{{schema:-53 sum:NaN count:+Inf custom_values:[-2 0.5 1e3] buckets:[1 Inf NaN 1_000]}}",
    );
    expect(hist.customValues).toEqual([-2, 0.5, 1000]);
    expect(hist.sum).toBeNaN();
    expect(hist.count).toBe(Infinity);
    expect(hist.positiveBuckets.slice(0, 2)).toEqual([1, Infinity]);
    expect(hist.positiveBuckets[2]).toBeNaN();
    expect(hist.positiveBuckets[3]).toBe(1000);
  });

  it("maps the hint names", () => {
    expect(parseHistogram("{{counter_reset_hint:reset}}").counterResetHint).toBe("counterReset");
    expect(parseHistogram("{{counter_reset_hint:not_reset}}").counterResetHint).toBe("notCounterReset");
    expect(parseHistogram("{{counter_reset_hint:unknown}}").counterResetHint).toBe("unknown");
  });

  it("rejects malformed literals with a typed error", () => {
    for (const bad of [
      "{{schema:0",
      "{{schema:0.5}}",
      "{{foo:1}}",
      "{{sum:1 sum:2}}",
      "{{buckets:1}}",
      "{{buckets:[1 x]}}",
      "{{z_bucket_w:-1}}",
      "{{counter_reset_hint:maybe}}",
      "{{sum}}",
      "{{count:0x10}}",
    ]) {
      expect(() => parseHistogram(bad), bad).toThrow(HistogramNotationError);
    }
  });
});

describe("parseNotationNumber", () => {
  it("accepts the series number forms and nothing else", () => {
    expect(parseNotationNumber(".5")).toBe(0.5);
    expect(parseNotationNumber("-1.5E-3")).toBe(-0.0015);
    expect(parseNotationNumber("1_000.000_1")).toBe(1000.0001);
    expect(parseNotationNumber("-inf")).toBe(-Infinity);
    expect(parseNotationNumber("5.")).toBe(5);
    expect(parseNotationNumber("0x1")).toBeUndefined();
    expect(parseNotationNumber("1__0")).toBeUndefined();
    expect(parseNotationNumber("")).toBeUndefined();
  });
});

describe("formatHistogram", () => {
  it("prints the test notation in one span per side", () => {
    const hist = parseHistogram("{{schema:1 count:3 sum:2 z_bucket:1 z_bucket_w:0.5 buckets:[0 1 0 1] offset:3}}");
    hist.negativeSpans = [
      { offset: -1, length: 1 },
      { offset: 2, length: 1 },
    ];
    hist.negativeBuckets = [1, 2];
    hist.counterResetHint = "notCounterReset";
    expect(formatHistogram(hist)).toBe(
      "{{schema:1 count:3 sum:2 z_bucket:1 z_bucket_w:0.5 counter_reset_hint:not_reset offset:4 buckets:[1 0 1] n_offset:-1 n_buckets:[1 0 0 2]}}",
    );
  });

  it("prints custom buckets and reads back what it prints", () => {
    const text = "{{schema:-53 count:1e+21 sum:1e-05 custom_values:[-1 0.25] buckets:[1 2]}}";
    expect(formatHistogram(parseHistogram(text))).toBe(text);
  });
});

describe("formatGoFloat", () => {
  it("matches Go's %g", () => {
    const cases: [number, string][] = [
      [0, "0"],
      [1, "1"],
      [-2.5, "-2.5"],
      [100000, "100000"],
      [1e6, "1e+06"],
      [123456789, "1.23456789e+08"],
      [0.0001, "0.0001"],
      [0.00001, "1e-05"],
      [0.1 + 0.2, "0.30000000000000004"],
      [1 / 3, "0.3333333333333333"],
      [Infinity, "+Inf"],
      [-Infinity, "-Inf"],
      [NaN, "NaN"],
      [1e100, "1e+100"],
    ];
    for (const [v, s] of cases) expect(formatGoFloat(v), s).toBe(s);
  });
});

describe("parseHistogramSequenceItem", () => {
  it("repeats with xN (N+1 values)", () => {
    const item = parseHistogramSequenceItem("{{count:1}}x2 next", 0);
    expect(item.values.map((v) => v.count)).toEqual([1, 1, 1]);
    expect(item.end).toBe(13);
    item.values[0].count = 5;
    expect(item.values[1].count).toBe(1);
  });

  it("adds and subtracts increments", () => {
    const inc = parseHistogramSequenceItem(
      "{{schema:0 sum:4 count:4 buckets:[1 2 1]}}+{{sum:2 count:1 buckets:[1] offset:1}}x2",
      0,
    );
    expect(inc.values.map(formatHistogram)).toEqual([
      "{{count:4 sum:4 buckets:[1 2 1]}}",
      "{{count:5 sum:6 buckets:[1 3 1]}}",
      "{{count:6 sum:8 buckets:[1 4 1]}}",
    ]);
    const dec = parseHistogramSequenceItem("{{count:10 sum:5}}-{{count:3 sum:1}}x3", 0);
    expect(dec.values.map((v) => v.count)).toEqual([10, 7, 4, 1]);
  });

  it("takes a single literal", () => {
    const item = parseHistogramSequenceItem("a {{count:2}} b", 2);
    expect(item.values).toHaveLength(1);
    expect(item.end).toBe(13);
  });

  it("rejects increments of lower resolution and malformed items", () => {
    expect(() => parseHistogramSequenceItem("{{schema:1 count:1}}+{{schema:0 count:1}}x1", 0)).toThrow(
      HistogramNotationError,
    );
    expect(() => parseHistogramSequenceItem("{{count:1}}+{{count:1}}", 0)).toThrow(HistogramNotationError);
    expect(() => parseHistogramSequenceItem("{{count:1}}y", 0)).toThrow(HistogramNotationError);
    expect(() => parseHistogramSequenceItem("{{schema:-53 count:1}}+{{count:1}}x1", 0)).toThrow(HistogramNotationError);
  });
});
