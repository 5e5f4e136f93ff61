import { describe, expect, it } from "vitest";
import { countsToDeltas, cumulativeBuckets, histogramFromDeltas } from "./convert";
import { HistogramValidationError } from "./errors";
import { parseHistogram } from "./notation";
import { validateHistogram } from "./validate";

const h = parseHistogram;

describe("validateHistogram", () => {
  it("accepts well-formed histograms", () => {
    expect(() =>
      validateHistogram(h("{{schema:3 count:4 z_bucket:1 z_bucket_w:0.1 buckets:[1 2] offset:-5 n_buckets:[1]}}")),
    ).not.toThrow();
    expect(() => validateHistogram(h("{{schema:-53 custom_values:[-1 2] count:3 buckets:[1 1 1]}}"))).not.toThrow();
  });

  it("rejects what cannot be stored", () => {
    const bad = [
      "{{schema:9}}",
      "{{count:-1}}",
      "{{count:1 buckets:[-1]}}",
      "{{count:1 n_buckets:[1 -1]}}",
      "{{count:1 z_bucket:-1}}",
      "{{schema:-53 custom_values:[2 1] buckets:[1]}}",
      "{{schema:-53 custom_values:[1 Inf]}}",
      "{{schema:-53 custom_values:[NaN]}}",
      "{{schema:-53 custom_values:[1] buckets:[1 1 1]}}",
      "{{schema:-53 custom_values:[1] z_bucket:1}}",
      "{{schema:-53 custom_values:[1] n_buckets:[1]}}",
      "{{schema:0 custom_values:[1]}}",
    ];
    for (const text of bad) expect(() => validateHistogram(h(text)), text).toThrow(HistogramValidationError);
    const spans = h("{{buckets:[1 1]}}");
    spans.positiveSpans = [{ offset: 0, length: 3 }];
    expect(() => validateHistogram(spans)).toThrow(/spans need 3 buckets, have 2/);
    spans.positiveSpans = [
      { offset: 0, length: 1 },
      { offset: -2, length: 1 },
    ];
    expect(() => validateHistogram(spans)).toThrow(/negative offset/);
  });
});

describe("integer histograms", () => {
  it("sums deltas into absolute counts and back", () => {
    const f = histogramFromDeltas({
      schema: 0,
      count: 6,
      sum: 10,
      positiveSpans: [{ offset: 0, length: 3 }],
      positiveDeltas: [1, 1, -1],
      negativeSpans: [{ offset: 1, length: 1 }],
      negativeDeltas: [2],
    });
    expect(f.positiveBuckets).toEqual([1, 2, 1]);
    expect(f.negativeBuckets).toEqual([2]);
    expect(countsToDeltas(f.positiveBuckets)).toEqual([1, 1, -1]);
  });
});

describe("cumulativeBuckets", () => {
  it("accumulates from the lowest bucket up", () => {
    const c = cumulativeBuckets(h("{{count:5 z_bucket:1 buckets:[1 2] n_buckets:[1]}}"));
    expect(c.map((b) => [b.upper, b.cumulativeCount])).toEqual([
      [-0.5, 1],
      [0, 2],
      [1, 3],
      [2, 5],
    ]);
  });
});
