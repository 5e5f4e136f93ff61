import { describe, expect, it } from "vitest";
import {
  customLowerBound,
  customUpperBound,
  exponentialBound,
  exponentialBucketIndex,
  ldexp,
  targetIndex,
} from "./bounds";

describe("exponentialBound", () => {
  it("puts 1 at index 0 in every schema and grows by 2^(2^-schema)", () => {
    for (let s = -4; s <= 8; s++) expect(exponentialBound(0, s)).toBe(1);
    expect(exponentialBound(1, 0)).toBe(2);
    expect(exponentialBound(-1, 0)).toBe(0.5);
    expect(exponentialBound(1, 1)).toBeCloseTo(Math.SQRT2, 15);
    expect(exponentialBound(-1, 1)).toBeCloseTo(Math.SQRT1_2, 15);
    expect(exponentialBound(1, -1)).toBe(4);
    expect(exponentialBound(2, -2)).toBe(256);
    expect(exponentialBound(3, 2)).toBeCloseTo(2 ** 0.75, 15);
    expect(exponentialBound(-5, 2)).toBeCloseTo(2 ** -1.25, 15);
  });

  it("ends the last finite bucket at MAX_VALUE and the overflow bucket at +Inf", () => {
    // Spec: for schema 8 the bucket holding MaxFloat64 has index 262144.
    expect(exponentialBound(262144, 8)).toBe(Number.MAX_VALUE);
    expect(exponentialBound(262145, 8)).toBe(Infinity);
    expect(exponentialBound(1024, 0)).toBe(Number.MAX_VALUE);
    expect(exponentialBound(64, -4)).toBe(Number.MAX_VALUE);
    expect(exponentialBound(65, -4)).toBe(Infinity);
  });

  it("reaches subnormal numbers without underflowing early", () => {
    expect(exponentialBound(-1074, 0)).toBe(2 ** -1074);
    expect(ldexp(0.5, -1073)).toBe(2 ** -1074);
    expect(ldexp(0.75, 1024)).toBe(0.75 * 2 ** 1023 * 2);
  });
});

describe("exponentialBucketIndex", () => {
  it("finds the bucket whose upper bound is inclusive", () => {
    expect(exponentialBucketIndex(1, 0)).toBe(0);
    expect(exponentialBucketIndex(1.5, 0)).toBe(1);
    expect(exponentialBucketIndex(2, 0)).toBe(1);
    expect(exponentialBucketIndex(2.000001, 0)).toBe(2);
    expect(exponentialBucketIndex(0.3, 0)).toBe(-1);
    expect(exponentialBucketIndex(Math.SQRT2, 1)).toBe(1);
    expect(exponentialBucketIndex(Infinity, 0)).toBe(1025);
  });
});

describe("targetIndex", () => {
  it("maps a bucket to the coarser bucket containing it", () => {
    // schema 1 → 0: (1,√2] and (√2,2] are halves of (1,2]; (2^-1, 2^-0.5] lies in (0.5,1]; (2^-1.5, 2^-1] in (0.25,0.5].
    expect([1, 2, 3, 0, -1, -2].map((i) => targetIndex(i, 1, 0))).toEqual([1, 1, 2, 0, 0, -1]);
    expect(targetIndex(5, 3, 0)).toBe(1);
    expect(targetIndex(9, 3, 0)).toBe(2);
  });
});

describe("custom bounds", () => {
  it("runs from -Inf through the custom values to +Inf", () => {
    const cv = [-1, 2];
    expect([0, 1, 2].map((i) => [customLowerBound(i, cv), customUpperBound(i, cv)])).toEqual([
      [-Infinity, -1],
      [-1, 2],
      [2, Infinity],
    ]);
    expect([customLowerBound(0, []), customUpperBound(0, [])]).toEqual([-Infinity, Infinity]);
  });
});
