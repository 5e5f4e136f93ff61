import { describe, expect, it } from "vitest";
import { parseHistogram } from "./notation";
import { histogramAvg, histogramStdDev, histogramStdVar } from "./statistics";

const h = parseHistogram;

describe("histogram statistics", () => {
  it("averages sum over count", () => {
    expect(histogramAvg(h("{{count:4 sum:5}}"))).toBe(1.25);
    expect(histogramAvg(h("{{}}"))).toBeNaN();
  });

  it("takes exponential buckets at their geometric mean", () => {
    // (0.5,1]:1 at √0.5, (1,2]:2 at √2, (2,4]:1 at √8; mean 5/4.
    const mean = 1.25;
    const expected = (1 * (Math.SQRT1_2 - mean) ** 2 + 2 * (Math.SQRT2 - mean) ** 2 + (Math.sqrt(8) - mean) ** 2) / 4;
    const hist = h("{{count:4 sum:5 buckets:[1 2 1]}}");
    expect(histogramStdVar(hist)).toBeCloseTo(expected, 14);
    expect(histogramStdDev(hist)).toBeCloseTo(Math.sqrt(expected), 14);
  });

  it("takes the zero bucket at 0 and negative buckets at the negated geometric mean", () => {
    // [-2,-1):1 at -√2, zero bucket:1 at 0; mean -1/2.
    const expected = ((-Math.SQRT2 + 0.5) ** 2 + 0.5 ** 2) / 2;
    expect(histogramStdVar(h("{{count:2 sum:-1 z_bucket:1 z_bucket_w:0.001 n_buckets:[1] n_offset:1}}"))).toBeCloseTo(
      expected,
      14,
    );
  });

  it("takes custom buckets at their middle, open-ended ones at an infinity", () => {
    // (-Inf,0]:0, (0,2]:1 at 1, (2,4]:3 at 3; mean 2.5.
    const expected = ((1 - 2.5) ** 2 + 3 * (3 - 2.5) ** 2) / 4;
    expect(histogramStdVar(h("{{schema:-53 custom_values:[0 2 4] count:4 sum:10 buckets:[0 1 3]}}"))).toBeCloseTo(
      expected,
      14,
    );
    // A populated overflow bucket is taken at +Inf, as Prometheus does.
    expect(histogramStdVar(h("{{schema:-53 custom_values:[2] count:2 sum:2 buckets:[1 1]}}"))).toBe(Infinity);
  });

  it("propagates NaN and Inf sums", () => {
    expect(histogramStdDev(h("{{count:1 sum:NaN buckets:[1]}}"))).toBeNaN();
    expect(histogramStdDev(h("{{count:1 sum:Inf buckets:[1]}}"))).toBe(Infinity);
    expect(histogramStdVar(h("{{}}"))).toBeNaN();
  });
});
