import { describe, expect, it } from "vitest";
import { bucketFraction, bucketQuantile } from "./classic-quantile";
import type { ClassicBucket } from "./classic-quantile";

const buckets = (pairs: [number, number][]): ClassicBucket[] =>
  pairs.map(([upperBound, count]) => ({ upperBound, count }));
// Cumulative: ≤0.1: 5, ≤0.2: 7, ≤1: 11, +Inf: 12 (given out of order on purpose).
const basic = (): ClassicBucket[] =>
  buckets([
    [1, 11],
    [0.1, 5],
    [Infinity, 12],
    [0.2, 7],
  ]);

describe("bucketQuantile", () => {
  it("interpolates linearly inside the bucket holding the rank", () => {
    // Rank 6 is half-way through (0.1,0.2].
    expect(bucketQuantile(0.5, basic()).value).toBeCloseTo(0.15, 14);
    // Rank 0 is the start of the lowest bucket, which reaches down to 0.
    expect(bucketQuantile(0, basic()).value).toBe(0);
    expect(bucketQuantile(0.25, basic()).value).toBeCloseTo(0.06, 14);
  });

  it("returns the second highest bound in the +Inf bucket, the bound of a non-positive lowest bucket", () => {
    expect(bucketQuantile(0.99, basic()).value).toBe(1);
    expect(
      bucketQuantile(
        0.1,
        buckets([
          [-1, 2],
          [Infinity, 4],
        ]),
      ).value,
    ).toBe(-1);
  });

  it("returns NaN or ±Inf for the degenerate cases", () => {
    expect(bucketQuantile(-1, basic()).value).toBe(-Infinity);
    expect(bucketQuantile(2, basic()).value).toBe(Infinity);
    expect(bucketQuantile(NaN, basic()).value).toBeNaN();
    expect(
      bucketQuantile(
        0.5,
        buckets([
          [1, 1],
          [2, 2],
        ]),
      ).value,
    ).toBeNaN();
    expect(bucketQuantile(0.5, buckets([[Infinity, 2]])).value).toBeNaN();
    expect(
      bucketQuantile(
        0.5,
        buckets([
          [1, 0],
          [Infinity, 0],
        ]),
      ).value,
    ).toBeNaN();
  });

  it("merges equal bounds and repairs non-monotonic counts, reporting real repairs only", () => {
    // Two series with le=1 add up to 4.
    expect(
      bucketQuantile(
        0.5,
        buckets([
          [1, 2],
          [1, 2],
          [Infinity, 8],
        ]),
      ).value,
    ).toBe(1);
    const fixed = bucketQuantile(
      0.5,
      buckets([
        [1, 5],
        [2, 3],
        [Infinity, 6],
      ]),
    );
    expect(fixed).toMatchObject({ forcedMonotonic: true, minBucket: 2, maxBucket: 2, maxDiff: 2 });
    // Rank 3 lies in the lowest bucket: 3/5 of (0,1].
    expect(fixed.value).toBeCloseTo(0.6, 14);
    const noise = bucketQuantile(
      0.5,
      buckets([
        [1, 1e15],
        [2, 1e15 - 0.125],
        [Infinity, 2e15],
      ]),
    );
    expect(noise).toMatchObject({ forcedMonotonic: false, fixedPrecision: true });
  });
});

describe("bucketFraction", () => {
  it("interpolates linearly between the cumulative counts", () => {
    // Up to 0.15: 5 + half of 2 = 6 of 12.
    expect(bucketFraction(0, 0.15, basic())).toBeCloseTo(0.5, 14);
    expect(bucketFraction(0.1, 1, basic())).toBeCloseTo(6 / 12, 14);
    expect(bucketFraction(-Infinity, Infinity, basic())).toBe(1);
    expect(bucketFraction(1, 1, basic())).toBe(0);
    expect(bucketFraction(0, 1, buckets([[1, 1]]))).toBeNaN();
  });
});
