import { describe, expect, it } from "vitest";
import { HistogramSchemaMixError } from "./errors";
import { histogramInterpolate } from "./interpolate";
import { parseHistogram } from "./notation";

const h = parseHistogram;

describe("histogramInterpolate", () => {
  it("interpolates every field linearly", () => {
    // extended_vectors.test: count 1 at 0s, 2 at 15s → 1 + 7/15 at 7s.
    const r = histogramInterpolate(
      h("{{count:1 sum:1 buckets:[1] offset:1}}"),
      h("{{count:2 sum:2 buckets:[2] offset:1}}"),
      7 / 15,
    ).histogram;
    expect(r.count).toBeCloseTo(1 + 7 / 15, 14);
    expect(r.positiveBuckets).toEqual([expect.closeTo(1 + 7 / 15, 14)]);
  });

  it("restarts a reset counter from zero", () => {
    // extended_vectors.test "reset_middle": 10 then 2 (reset) → 2 · 5/15.
    const r = histogramInterpolate(
      h("{{count:10 buckets:[10]}}"),
      h("{{count:2 buckets:[2] counter_reset_hint:reset}}"),
      5 / 15,
    ).histogram;
    expect(r.count).toBeCloseTo(2 / 3, 14);
    // A gauge going down is just interpolated.
    const g = histogramInterpolate(
      h("{{count:10 counter_reset_hint:gauge}}"),
      h("{{count:2 counter_reset_hint:gauge}}"),
      0.5,
    ).histogram;
    expect(g.count).toBe(6);
  });

  it("copies the end points at fractions 0 and 1", () => {
    const a = h("{{count:1 counter_reset_hint:not_reset}}");
    const b = h("{{count:3 counter_reset_hint:gauge}}");
    expect(histogramInterpolate(a, b, 0).histogram).toEqual(a);
    expect(histogramInterpolate(a, b, 1).histogram).toEqual(b);
  });

  it("reports reconciled custom bounds", () => {
    const r = histogramInterpolate(
      h("{{schema:-53 custom_values:[1 2] count:2 buckets:[1 1]}}"),
      h("{{schema:-53 custom_values:[2] count:4 buckets:[3 1]}}"),
      0.5,
    );
    expect(r.nhcbReconciledSubtraction).toBe(true);
    // Shared bound [2]: from [2 0] half-way to [3 1].
    expect(r.histogram.positiveBuckets).toEqual([2.5, 0.5]);
  });

  it("refuses to mix exponential and custom buckets", () => {
    expect(() => histogramInterpolate(h("{{count:1}}"), h("{{schema:-53 count:2}}"), 0.5)).toThrow(
      HistogramSchemaMixError,
    );
  });
});
