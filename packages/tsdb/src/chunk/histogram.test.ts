import { describe, expect, it } from "vitest";
import { BitReader, BitWriter } from "./bitstream";
import { STALE_NAN } from "./float-bits";
import { appendFloatHistogramSample } from "./float-histogram";
import { appendHistogramSample, newHistogramChunk } from "./histogram";
import {
  CounterResetHeader,
  putCustomBound,
  putZeroThreshold,
  readCustomBound,
  readZeroThreshold,
} from "./histogram-layout";
import { histogramToFloat, type Histogram } from "./histogram-types";
import { putVarbitInt, putVarbitUint, readVarbitInt, readVarbitUint } from "./varbit";

function hist(count: number, buckets: number[], extra: Partial<Histogram> = {}): Histogram {
  return {
    counterResetHint: "unknown",
    schema: 3,
    zeroThreshold: 2 ** -128,
    zeroCount: 1,
    count,
    sum: count * 1.5,
    positiveSpans: [{ offset: 0, length: buckets.length }],
    negativeSpans: [],
    positiveBuckets: buckets,
    negativeBuckets: [],
    ...extra,
  };
}

describe("histogram chunk encoding details", () => {
  it("writes the header, the default zero threshold as byte 116 and the layout", () => {
    const { chunk, appender } = newHistogramChunk();
    appender.append(1000, hist(5, [2, 1]));
    const b = chunk.bytes();
    expect([b[0], b[1], b[2], b[3]]).toEqual([0, 1, 0, 116]);
  });

  it("encodes zero thresholds and custom bounds as Prometheus does", () => {
    const cases: [number, number][] = [
      [0, 1],
      [2 ** -128, 1],
      [2 ** 10, 1],
      [2 ** 11, 9],
      [2 ** -243, 1],
      [2 ** -244, 9],
      [0.001, 9],
    ];
    for (const [threshold, bytes] of cases) {
      const w = new BitWriter();
      putZeroThreshold(w, threshold);
      expect(w.view().length - (w.view().length > bytes ? 1 : 0)).toBe(bytes);
      expect(readZeroThreshold(new BitReader(w.view().slice()))).toBe(threshold);
    }
    for (const bound of [0, 0.005, 0.1, 1.5, 33554.43, 33554.431, 1 / 3, -1, 1e9, Infinity]) {
      const w = new BitWriter();
      putCustomBound(w, bound);
      expect(readCustomBound(new BitReader(w.view().slice()))).toBe(bound);
    }
  });

  it("round-trips varbit integers at every bucket edge", () => {
    const edges = [0, 1, -3, 4, 5, -4, -31, 32, 33, -255, 256, -2047, 2048, 131072, -131071, 16777216, -16777215];
    const values = [...edges, 2 ** 40, -(2 ** 40), 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 55, -(2 ** 52) - 12345];
    const w = new BitWriter();
    for (const v of values) putVarbitInt(w, v);
    for (const v of values) if (v >= 0 && Number.isSafeInteger(v)) putVarbitUint(w, v);
    const r = new BitReader(w.view().slice());
    for (const v of values) expect(readVarbitInt(r)).toBe(v);
    for (const v of values) if (v >= 0 && Number.isSafeInteger(v)) expect(readVarbitUint(r)).toBe(v);
  });
});

describe("appending histograms across chunks", () => {
  it("keeps a steady series in one chunk with Prometheus's counter-reset hints", () => {
    let open = appendHistogramSample(null, 0, hist(3, [1, 1]));
    open = appendHistogramSample(open, 15_000, hist(5, [2, 1]));
    open = appendHistogramSample(open, 30_000, hist(9, [3, 2]));
    expect(open.cut).toBe(false);
    const it = open.chunk.iterator();
    const hints: string[] = [];
    while (it.next()) hints.push(it.atHistogram().counterResetHint);
    expect(hints).toEqual(["unknown", "notCounterReset", "notCounterReset"]);
  });

  it("starts a new chunk on a counter reset (header CounterReset) and on a new bucket (NotCounterReset)", () => {
    let open = appendHistogramSample(null, 0, hist(10, [5, 1]));
    open = appendHistogramSample(open, 15_000, hist(2, [1, 0]));
    expect(open.cut).toBe(true);
    expect(open.chunk.counterResetHeader()).toBe(CounterResetHeader.CounterReset);
    open = appendHistogramSample(open, 30_000, hist(4, [2, 0, -1], { positiveSpans: [{ offset: 0, length: 3 }] }));
    expect(open.cut).toBe(true);
    expect(open.chunk.counterResetHeader()).toBe(CounterResetHeader.NotCounterReset);
    // A bucket that had observations vanishing is a reset too.
    open = appendHistogramSample(open, 45_000, hist(4, [2], { positiveSpans: [{ offset: 0, length: 1 }] }));
    expect(open.chunk.counterResetHeader()).toBe(CounterResetHeader.CounterReset);
  });

  it("marks gauge histogram chunks and never mixes them with counters", () => {
    let open = appendHistogramSample(null, 0, hist(10, [5], { counterResetHint: "gauge" }));
    expect(open.chunk.counterResetHeader()).toBe(CounterResetHeader.Gauge);
    open = appendHistogramSample(open, 1, hist(3, [1], { counterResetHint: "gauge" }));
    expect(open.cut).toBe(false); // gauges go down freely
    open = appendHistogramSample(open, 2, hist(3, [1]));
    expect(open.cut).toBe(true);
    expect(open.chunk.counterResetHeader()).not.toBe(CounterResetHeader.Gauge);
  });

  it("takes stale markers, then only stale markers", () => {
    let open = appendHistogramSample(null, 0, hist(3, [1]));
    open = appendHistogramSample(open, 1, hist(0, [], { sum: STALE_NAN }));
    expect(open.cut).toBe(false);
    open = appendHistogramSample(open, 2, hist(4, [1]));
    expect(open.cut).toBe(true);
    const it = open.chunk.iterator();
    expect(it.next()).toBe(true);
    expect(it.atHistogram().count).toBe(4);
  });

  it("does the same for float histograms", () => {
    let open = appendFloatHistogramSample(null, 0, histogramToFloat(hist(10, [5, 1])));
    open = appendFloatHistogramSample(open, 1, histogramToFloat(hist(12, [6, 1])));
    expect(open.cut).toBe(false);
    open = appendFloatHistogramSample(open, 2, histogramToFloat(hist(1, [1, 0])));
    expect(open.cut).toBe(true);
    expect(open.chunk.counterResetHeader()).toBe(CounterResetHeader.CounterReset);
    const it = open.chunk.iterator();
    expect(it.next()).toBe(true);
    expect(it.atFloatHistogram().positiveBuckets).toEqual([1, 1]);
  });

  it("rejects histograms whose spans and buckets disagree", () => {
    const { appender } = newHistogramChunk();
    expect(() => appender.append(0, hist(3, [1], { positiveSpans: [{ offset: 0, length: 2 }] }))).toThrow(/disagree/);
    expect(() => appender.append(0, hist(-1, [1]))).toThrow(/not a count/);
  });
});
