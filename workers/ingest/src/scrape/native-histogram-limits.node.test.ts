import { describe, expect, it } from "vitest";
import type { NativeHistogram } from "../remotewrite/model";
import {
  BUCKET_LIMIT_ERROR,
  limitNativeHistogram,
  maxSchemaForBucketFactor,
  reduceResolution,
} from "./native-histogram-limits";
import { ScrapeLoopState } from "./scrape-loop";

function histogram(schema: number, spans: { offset: number; length: number }[], buckets: number[]): NativeHistogram {
  const count = buckets.reduce((a, b) => a + b, 0);
  return {
    isFloat: false,
    schema,
    zeroThreshold: 0.001,
    zeroCount: 0,
    count,
    sum: 42,
    positiveSpans: spans,
    positiveBuckets: buckets,
    negativeSpans: [],
    negativeBuckets: [],
    counterResetHint: "unknown",
    customValues: [],
  };
}

describe("reduceResolution", () => {
  it("merges buckets and spans as Prometheus does", () => {
    // Prometheus's own case: schema 0 → -1.
    const reduced = reduceResolution(
      histogram(
        0,
        [
          { offset: 0, length: 4 },
          { offset: 0, length: 0 },
          { offset: 3, length: 2 },
        ],
        [1, 3, 1, 2, 1, 1],
      ),
      -1,
    );
    expect(reduced.schema).toBe(-1);
    expect(reduced.positiveSpans).toEqual([
      { offset: 0, length: 3 },
      { offset: 1, length: 1 },
    ]);
    expect(reduced.positiveBuckets).toEqual([1, 4, 2, 2]);
    expect(reduced.count).toBe(9);
  });

  it("handles negative indices and several steps at once", () => {
    const reduced = reduceResolution(histogram(2, [{ offset: -5, length: 10 }], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]), 0);
    // Indices -5..4 at schema 2 land in ((i - 1) >> 2) + 1: -1 (x2), 0 (x4), 1 (x4).
    expect(reduced.positiveSpans).toEqual([{ offset: -1, length: 3 }]);
    expect(reduced.positiveBuckets).toEqual([2, 4, 4]);
  });
});

describe("limitNativeHistogram", () => {
  const wide = histogram(3, [{ offset: 0, length: 16 }], new Array<number>(16).fill(1));

  it("coarsens until the bucket limit holds", () => {
    const limited = limitNativeHistogram(wide, { nativeHistogramBucketLimit: 5, nativeHistogramMinBucketFactor: 0 });
    expect("error" in limited).toBe(false);
    const h = limited as NativeHistogram;
    expect(h.positiveBuckets.length).toBeLessThanOrEqual(5);
    expect(h.positiveBuckets.reduce((a, b) => a + b, 0)).toBe(16);
    // 16 buckets at schema 3 → 9 at schema 2 → 5 at schema 1.
    expect(h.schema).toBe(1);
    expect(h.positiveBuckets).toEqual([1, 4, 4, 4, 3]);
  });

  it("coarsens to the schema the minimum growth factor allows", () => {
    expect(maxSchemaForBucketFactor(1.1)).toBe(2);
    expect(maxSchemaForBucketFactor(2)).toBe(0);
    expect(maxSchemaForBucketFactor(65536)).toBe(-4);
    expect(maxSchemaForBucketFactor(0)).toBe(8);
    const limited = limitNativeHistogram(wide, { nativeHistogramBucketLimit: 0, nativeHistogramMinBucketFactor: 1.1 });
    expect((limited as NativeHistogram).schema).toBe(2);
  });

  it("fails when the limit cannot be met", () => {
    const custom = { ...histogram(-53, [{ offset: 0, length: 3 }], [1, 1, 1]), customValues: [1, 2] };
    expect(limitNativeHistogram(custom, { nativeHistogramBucketLimit: 2, nativeHistogramMinBucketFactor: 0 })).toEqual({
      error: BUCKET_LIMIT_ERROR,
    });
    const spread = histogram(
      -4,
      [
        { offset: 0, length: 1 },
        { offset: 10, length: 1 },
      ],
      [1, 1],
    );
    expect(limitNativeHistogram(spread, { nativeHistogramBucketLimit: 1, nativeHistogramMinBucketFactor: 0 })).toEqual({
      error: BUCKET_LIMIT_ERROR,
    });
  });

  it("fails the scrape in the scrape loop", () => {
    const loop = new ScrapeLoopState({
      targetLabels: [{ name: "job", value: "j" }],
      honorLabels: false,
      honorTimestamps: true,
      trackTimestampsStaleness: false,
      metricRelabelConfigs: [],
      sampleLimit: 0,
      labelLimit: 0,
      labelNameLengthLimit: 0,
      labelValueLengthLimit: 0,
      extraScrapeMetrics: false,
      timeout: 10_000,
      nativeHistogramBucketLimit: 1,
    });
    const custom = { ...histogram(-53, [{ offset: 0, length: 3 }], [1, 1, 1]), customValues: [1, 2] };
    const outcome = loop.append({
      timestamp: 1,
      duration: 1,
      result: { samples: [{ labels: [{ name: "__name__", value: "h" }], value: custom }] },
    });
    expect(outcome.error).toBe(BUCKET_LIMIT_ERROR);
    // Buckets 1..16 all fall into bucket 1 after four halvings.
    const mergeable = histogram(3, [{ offset: 1, length: 16 }], new Array<number>(16).fill(1));
    const fine = loop.append({
      timestamp: 2,
      duration: 1,
      result: { samples: [{ labels: [{ name: "__name__", value: "h" }], value: mergeable }] },
    });
    expect(fine.error).toBeUndefined();
    expect((fine.samples[0].value as NativeHistogram).positiveBuckets.length).toBe(1);
  });
});
