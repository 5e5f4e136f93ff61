import { describe, expect, it } from "vitest";
import { allBuckets, allBucketsReverse, negativeBuckets, positiveBuckets } from "./buckets";
import { compactHistogram } from "./compact";
import { HistogramSchemaError } from "./errors";
import { histogramString } from "./histogram-string";
import { parseHistogram } from "./notation";
import { reduceResolution } from "./resolution";
import { widenZeroBucket, zeroCountForLargerThreshold } from "./zero-bucket";

const h = parseHistogram;

describe("compactHistogram", () => {
  it("drops empty buckets and merges spans", () => {
    const c = compactHistogram(h("{{buckets:[0 1 0 0 2 0] offset:-1 n_buckets:[0 0]}}"));
    expect(c.positiveSpans).toEqual([
      { offset: 0, length: 1 },
      { offset: 2, length: 1 },
    ]);
    expect(c.positiveBuckets).toEqual([1, 2]);
    expect(c.negativeSpans).toEqual([]);
    const loose = compactHistogram(h("{{buckets:[0 1 0 0 2 0] offset:-1}}"), 2);
    expect(loose.positiveSpans).toEqual([{ offset: 0, length: 4 }]);
    expect(loose.positiveBuckets).toEqual([1, 0, 0, 2]);
  });
});

describe("reduceResolution", () => {
  it("merges neighbouring buckets", () => {
    // schema 2 indices -1..3 fall into schema 0 indices 0,0,1,1,1.
    const r = reduceResolution(h("{{schema:2 count:15 buckets:[1 2 3 4 5] offset:-1 n_buckets:[1 1] n_offset:1}}"), 0);
    expect(r.schema).toBe(0);
    expect(r.positiveSpans).toEqual([{ offset: 0, length: 2 }]);
    expect(r.positiveBuckets).toEqual([3, 12]);
    expect(r.negativeBuckets).toEqual([2]);
    expect(r.count).toBe(15);
  });

  it("refuses custom buckets and higher resolutions", () => {
    expect(() => reduceResolution(h("{{schema:-53}}"), -1)).toThrow(HistogramSchemaError);
    expect(() => reduceResolution(h("{{schema:0}}"), 1)).toThrow(HistogramSchemaError);
  });
});

describe("zero bucket widening", () => {
  it("folds buckets inside the new threshold into the zero count", () => {
    const base = h("{{z_bucket_w:0.25 z_bucket:1 count:11 buckets:[3 4] offset:-1 n_buckets:[2 1] n_offset:-1}}");
    // (0.25,0.5] and [-0.5,-0.25) move in: 1 + 3 + 2.
    expect(zeroCountForLargerThreshold(base, 0.5)).toEqual({ count: 6, threshold: 0.5 });
    const w = widenZeroBucket(base, 0.5);
    expect([w.zeroThreshold, w.zeroCount]).toEqual([0.5, 6]);
    expect(w.positiveBuckets).toEqual([4]);
    expect(w.negativeBuckets).toEqual([1]);
  });

  it("moves the threshold to the end of a populated bucket it cuts, on either side", () => {
    const base = h("{{count:3 buckets:[1] n_buckets:[1] n_offset:1 z_bucket:1}}");
    // 0.7 cuts (0.5,1] → 1; then 1 cuts nothing on the negative side until [-2,-1), which starts at 1: not cut.
    expect(zeroCountForLargerThreshold(base, 0.7)).toEqual({ count: 2, threshold: 1 });
    // 1.5 cuts [-2,-1) → threshold 2, and the positive side is judged again at 2.
    expect(zeroCountForLargerThreshold(base, 1.5)).toEqual({ count: 3, threshold: 2 });
  });
});

describe("bucket iteration", () => {
  const hist = h("{{z_bucket:1 z_bucket_w:0.7 count:5 buckets:[1 1] n_buckets:[1 1]}}");

  it("yields boundaries and inclusiveness", () => {
    expect(positiveBuckets(hist).map((b) => [b.lower, b.upper, b.lowerInclusive, b.upperInclusive])).toEqual([
      [0.5, 1, false, true],
      [1, 2, false, true],
    ]);
    expect(negativeBuckets(hist).map((b) => [b.lower, b.upper])).toEqual([
      [-1, -0.5],
      [-2, -1],
    ]);
  });

  it("walks all buckets by value, cutting regular buckets at the zero threshold", () => {
    expect(allBuckets(hist).map((b) => [b.lower, b.upper, b.count])).toEqual([
      [-2, -1, 1],
      [-1, -0.7, 1],
      [-0.7, 0.7, 1],
      [0.7, 1, 1],
      [1, 2, 1],
    ]);
    expect(allBucketsReverse(hist)[0].upper).toBe(2);
  });

  it("leaves out an empty zero bucket", () => {
    expect(allBuckets(h("{{z_bucket_w:0.1 buckets:[1]}}")).length).toBe(1);
  });
});

describe("histogramString", () => {
  it("prints populated buckets by value as Go's FloatHistogram.String", () => {
    // aggregators.test, count_values over a histogram.
    expect(
      histogramString(h("{{schema:0 sum:10 count:20 z_bucket_w:0.001 z_bucket:2 buckets:[1 2] n_buckets:[1 2]}}")),
    ).toBe("{count:20, sum:10, [-2,-1):2, [-1,-0.5):1, [-0.001,0.001]:2, (0.5,1]:1, (1,2]:2}");
    expect(histogramString(h("{{count:4 sum:5 z_bucket:1 z_bucket_w:0.001 buckets:[1 0 1] n_buckets:[1]}}"))).toBe(
      "{count:4, sum:5, [-1,-0.5):1, [-0.001,0.001]:1, (0.5,1]:1, (2,4]:1}",
    );
    expect(histogramString(h("{{schema:-53 custom_values:[1] count:2 sum:3 buckets:[1 1]}}"))).toBe(
      "{count:2, sum:3, [-Inf,1]:1, (1,+Inf]:1}",
    );
  });
});
