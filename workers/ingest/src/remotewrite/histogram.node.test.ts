import { describe, expect, it } from "vitest";
import { histogramProblem } from "./histogram";
import type { NativeHistogram } from "./model";

const exponential: NativeHistogram = {
  isFloat: false,
  schema: 0,
  zeroThreshold: 0.001,
  zeroCount: 1,
  count: 6,
  sum: 10,
  positiveSpans: [
    { offset: 0, length: 2 },
    { offset: 2, length: 1 },
  ],
  positiveBuckets: [1, 2, 1],
  negativeSpans: [{ offset: -1, length: 1 }],
  negativeBuckets: [1],
  counterResetHint: "unknown",
  customValues: [],
};

const custom: NativeHistogram = {
  isFloat: false,
  schema: -53,
  zeroThreshold: 0,
  zeroCount: 0,
  count: 5,
  sum: 3,
  positiveSpans: [{ offset: 0, length: 3 }],
  positiveBuckets: [1, 3, 1],
  negativeSpans: [],
  negativeBuckets: [],
  counterResetHint: "unknown",
  customValues: [0.5, 1],
};

describe("histogramProblem", () => {
  it("accepts valid exponential, custom-bucket, empty and float histograms", () => {
    expect(histogramProblem(exponential)).toBeNull();
    expect(histogramProblem(custom)).toBeNull();
    expect(
      histogramProblem({
        ...exponential,
        count: 0,
        zeroCount: 0,
        positiveSpans: [],
        positiveBuckets: [],
        negativeSpans: [],
        negativeBuckets: [],
      }),
    ).toBeNull();
    expect(histogramProblem({ ...exponential, isFloat: true, count: 6.5, positiveBuckets: [1, 2.5, 1] })).toBeNull();
    // With a NaN sum the count may exceed the buckets (observations of NaN land in no bucket).
    expect(histogramProblem({ ...exponential, sum: Number.NaN, count: 7 })).toBeNull();
  });

  it.each<[string, Partial<NativeHistogram>, string]>([
    ["an unknown schema", { schema: 9 }, "histogram has unknown schema 9"],
    ["a count above the buckets", { count: 7 }, "histogram count 7 does not match its buckets' total 6"],
    [
      "a count below the buckets with a NaN sum",
      { count: 5, sum: Number.NaN },
      "histogram count 5 does not match its buckets' total 6",
    ],
    ["a negative bucket", { positiveBuckets: [1, -2, 1], count: 2 }, "histogram has a negative bucket count -2"],
    [
      "spans not covering the buckets",
      { positiveSpans: [{ offset: 0, length: 2 }] },
      "positive spans cover 2 buckets but 3 are given",
    ],
    [
      "a negative offset after the first span",
      {
        positiveSpans: [
          { offset: 0, length: 2 },
          { offset: -1, length: 1 },
        ],
      },
      "positive span 1 has negative offset -1",
    ],
    [
      "custom bounds on an exponential histogram",
      { customValues: [1] },
      "exponential histogram carries custom bucket bounds",
    ],
  ])("rejects %s", (_what, change, reason) => {
    expect(histogramProblem({ ...exponential, ...change })).toBe(reason);
  });

  it.each<[string, Partial<NativeHistogram>, string]>([
    ["bounds that do not increase", { customValues: [1, 0.5] }, "custom-bucket bounds must increase strictly"],
    ["an infinite bound", { customValues: [0.5, Infinity] }, "custom-bucket bounds must be finite"],
    [
      "negative buckets",
      { negativeSpans: [{ offset: 0, length: 1 }], negativeBuckets: [1], count: 6 },
      "custom-bucket histogram has negative buckets",
    ],
    ["a zero bucket", { zeroCount: 1, count: 6 }, "custom-bucket histogram has a zero bucket"],
    [
      "a bucket beyond the bounds",
      { positiveSpans: [{ offset: 1, length: 3 }] },
      "custom-bucket histogram references a bucket beyond its bounds",
    ],
    ["a float count below its buckets", { isFloat: true, count: 4 }, "histogram count 4 is below its buckets' total 5"],
  ])("rejects a custom-bucket histogram with %s", (_what, change, reason) => {
    expect(histogramProblem({ ...custom, ...change })).toBe(reason);
  });
});
