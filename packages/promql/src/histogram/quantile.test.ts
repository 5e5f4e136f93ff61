import { describe, expect, it } from "vitest";
import { parseHistogram } from "./notation";
import { histogramFraction, histogramQuantile } from "./quantile";

const h = parseHistogram;
// Buckets (0.5,1]:1, (1,2]:2, (2,4]:1.
const basic = h("{{schema:0 count:4 sum:5 buckets:[1 2 1]}}");

describe("histogramQuantile", () => {
  it("handles the out-of-range and empty cases", () => {
    expect(histogramQuantile(-0.1, basic).value).toBe(-Infinity);
    expect(histogramQuantile(1.1, basic).value).toBe(Infinity);
    expect(histogramQuantile(NaN, basic).value).toBeNaN();
    expect(histogramQuantile(0.5, h("{{}}")).value).toBeNaN();
  });

  it("interpolates exponentially inside exponential buckets", () => {
    // Rank 2 of 4 is halfway through (1,2]: the boundary a schema 1 histogram would have there, √2.
    expect(histogramQuantile(0.5, basic).value).toBeCloseTo(Math.SQRT2, 14);
    // Rank 1 is the end of (0.5,1], rank 3 the start of (2,4]; q 0 and 1 are the outer boundaries.
    expect(histogramQuantile(0.25, basic).value).toBeCloseTo(1, 14);
    expect(histogramQuantile(0.75, basic).value).toBeCloseTo(2, 14);
    expect(histogramQuantile(0, basic).value).toBeCloseTo(0.5, 14);
    expect(histogramQuantile(1, basic).value).toBeCloseTo(4, 14);
    // Rank 1.5: a quarter into (1,2] → 2^0.25.
    expect(histogramQuantile(0.375, basic).value).toBeCloseTo(2 ** 0.25, 14);
  });

  it("mirrors on the negative side", () => {
    // [-1,-0.5):2, rank 1 is halfway: -2^-0.5.
    expect(histogramQuantile(0.5, h("{{count:2 n_buckets:[2]}}")).value).toBeCloseTo(-Math.SQRT1_2, 14);
  });

  it("interpolates linearly in the zero bucket, from 0 when only positive buckets exist", () => {
    const zh = h("{{count:4 z_bucket:2 z_bucket_w:0.5 buckets:[2]}}");
    expect(histogramQuantile(0.25, zh).value).toBeCloseTo(0.25, 14);
    const both = h("{{count:4 z_bucket:2 z_bucket_w:0.5 buckets:[1] n_buckets:[1]}}");
    expect(histogramQuantile(0.5, both).value).toBeCloseTo(0, 14);
  });

  it("uses the classic heuristics for custom buckets", () => {
    // (-Inf,2]:1 (taken as (0,2]), (2,4]:2, (4,+Inf]:1.
    const c = h("{{schema:-53 custom_values:[2 4] count:4 sum:10 buckets:[1 2 1]}}");
    expect(histogramQuantile(0.5, c).value).toBeCloseTo(3, 14);
    expect(histogramQuantile(0.1, c).value).toBeCloseTo(0.8, 14);
    expect(histogramQuantile(0.9, c).value).toBe(4);
    expect(histogramQuantile(0.1, h("{{schema:-53 custom_values:[-1 4] count:4 buckets:[1 2 1]}}")).value).toBe(-1);
  });

  it("reports NaN observations", () => {
    // 4 observations in buckets, 1 NaN: rank 2.5 is 3/4 into (1,2] → 2^0.75, skewed by the NaN.
    const nan = h("{{count:5 sum:NaN buckets:[1 2 1]}}");
    expect(histogramQuantile(0.5, nan)).toEqual({
      value: expect.closeTo(2 ** 0.75, 14),
      nanObservations: "skewedHigher",
    });
    const above = histogramQuantile(0.9, nan);
    expect(above.value).toBeNaN();
    expect(above.nanObservations).toBe("resultIsNaN");
    // A NaN sum from +Inf and -Inf observations, with every observation in a bucket: no note.
    expect(histogramQuantile(0.5, h("{{count:4 sum:NaN buckets:[1 2 1]}}"))).toEqual({
      value: expect.closeTo(Math.SQRT2, 14),
    });
  });

  it("skips empty buckets", () => {
    expect(histogramQuantile(0, h("{{count:1 buckets:[0 0 1]}}")).value).toBeCloseTo(2, 14);
  });
});

describe("histogramFraction", () => {
  it("handles the degenerate cases", () => {
    expect(histogramFraction(0, 1, h("{{}}")).value).toBeNaN();
    expect(histogramFraction(NaN, 1, basic).value).toBeNaN();
    expect(histogramFraction(2, 2, basic).value).toBe(0);
    expect(histogramFraction(-Infinity, Infinity, basic).value).toBe(1);
  });

  it("interpolates with the same method as the quantile", () => {
    expect(histogramFraction(1, 2, basic).value).toBeCloseTo(0.5, 14);
    // Up to √2 is bucket 1 plus half of (1,2]: 2 of 4.
    expect(histogramFraction(0, Math.SQRT2, basic).value).toBeCloseTo(0.5, 14);
    expect(histogramFraction(2 ** 0.25, 4, basic).value).toBeCloseTo(2.5 / 4, 14);
  });

  it("excludes NaN observations from every range", () => {
    const f = histogramFraction(-Infinity, Infinity, h("{{count:5 sum:NaN buckets:[1 2 1]}}"));
    expect(f.value).toBeCloseTo(0.8, 14);
    expect(f.nanObservationsExcluded).toBe(true);
  });

  it("interpolates linearly in custom buckets", () => {
    const c = h("{{schema:-53 custom_values:[2 4] count:4 buckets:[1 2 1]}}");
    // From 3 (halfway through (2,4]: rank 2) to 4 (rank 3).
    expect(histogramFraction(3, 4, c).value).toBeCloseTo(0.25, 14);
    // (-Inf,2] is taken as (0,2]: up to 1 is half of it.
    expect(histogramFraction(-Infinity, 1, c).value).toBeCloseTo(0.125, 14);
  });
});
