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
import { spansFromIndexes } from "./histogram-recode";
import { bucketIndexes, histogramToFloat, type Histogram } from "./histogram-types";
import { SeededRandom } from "../../bench/seeded-random";
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

  it("starts a new chunk on a counter reset, with the CounterReset header", () => {
    let open = appendHistogramSample(null, 0, hist(10, [5, 1]));
    open = appendHistogramSample(open, 15_000, hist(2, [1, 0]));
    expect(open.cut).toBe(true);
    expect(open.chunk.counterResetHeader()).toBe(CounterResetHeader.CounterReset);
    // A bucket that had observations vanishing is a reset too.
    open = appendHistogramSample(open, 30_000, hist(3, [2], { positiveSpans: [{ offset: 0, length: 1 }] }));
    expect(open.cut).toBe(true);
    expect(open.chunk.counterResetHeader()).toBe(CounterResetHeader.CounterReset);
  });

  it("widens the layout for new buckets by re-coding the chunk, as Prometheus does", () => {
    let open = appendHistogramSample(null, 0, hist(3, [1, 1]));
    open = appendHistogramSample(open, 15_000, hist(5, [2, 1]));
    // A new bucket at index 3 (a gap at index 2): the chunk is re-coded with a zero there for earlier samples.
    const wide = hist(9, [3, 1, -2], {
      positiveSpans: [
        { offset: 0, length: 2 },
        { offset: 1, length: 1 },
      ],
    });
    open = appendHistogramSample(open, 30_000, wide);
    expect(open.cut).toBe(false);
    expect(open.recoded).toBe(true);
    const it = open.chunk.iterator();
    const buckets: number[][] = [];
    while (it.next()) buckets.push(it.atFloatHistogram().positiveBuckets);
    expect(buckets).toEqual([
      [1, 2, 0],
      [2, 3, 0],
      [3, 4, 2],
    ]);
    // Byte-identical to appending the widened samples from the start.
    const direct = newHistogramChunk();
    const spans = wide.positiveSpans;
    direct.appender.append(0, hist(3, [1, 1, -2], { positiveSpans: spans }));
    direct.appender.append(15_000, hist(5, [2, 1, -3], { positiveSpans: spans }));
    direct.appender.append(30_000, wide);
    expect(Buffer.from(open.chunk.bytes()).equals(Buffer.from(direct.chunk.bytes()))).toBe(true);
    // A sample lacking a bucket that is still empty fits with a zero there, without re-coding.
    const narrow = hist(10, [3, 2], { positiveSpans: [{ offset: 0, length: 2 }] });
    const before = appendHistogramSample(null, 0, hist(1, [0, 0, 1], { positiveSpans: [{ offset: 0, length: 3 }] }));
    const after = appendHistogramSample(before, 1, hist(10, [3, 2, -4], { positiveSpans: [{ offset: 0, length: 3 }] }));
    expect(after.cut || after.recoded).toBe(false);
    expect(appendHistogramSample(after, 2, narrow).cut).toBe(true); // bucket 2 had 1 observation: a reset
    const empty = appendHistogramSample(null, 0, hist(1, [1, -1, 0], { positiveSpans: [{ offset: 0, length: 3 }] }));
    const filled = appendHistogramSample(empty, 1, narrow); // bucket 2 is empty in the chunk: zero it in the sample
    expect([filled.cut, filled.recoded]).toEqual([false, false]);
    const it2 = filled.chunk.iterator();
    it2.seek(1);
    expect(it2.atFloatHistogram().positiveBuckets).toEqual([3, 5, 0]);
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
    const wider = histogramToFloat(hist(13, [6, 1, 1], { positiveSpans: [{ offset: 0, length: 3 }] }));
    open = appendFloatHistogramSample(open, 2, wider);
    expect([open.cut, open.recoded]).toEqual([false, true]);
    expect(open.chunk.numSamples()).toBe(3);
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

describe("appendHistogramSample on random layout changes", () => {
  it("keeps every sample's non-zero buckets, counts and sum across cuts and re-codes", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const rng = new SeededRandom(seed);
      const counts = new Map<number, number>();
      let count = 0;
      const inputs: { t: number; h: Histogram }[] = [];
      for (let i = 0; i < 200; i++) {
        if (rng.chance(0.03)) counts.clear(); // counter reset
        for (let k = rng.int(0, 3); k > 0; k--) {
          const idx = rng.int(-6, 6);
          counts.set(idx, (counts.get(idx) ?? 0) + rng.int(1, 5));
        }
        if (rng.chance(0.1)) for (const [idx, c] of counts) if (c === 0) counts.delete(idx);
        const indexes = [...counts.keys()].sort((a, b) => a - b);
        const abs = indexes.map((idx) => counts.get(idx) ?? 0);
        count = abs.reduce((a, b) => a + b, 0);
        const h = hist(
          count,
          abs.map((v, k) => (k === 0 ? v : v - abs[k - 1])),
          {
            positiveSpans: spansFromIndexes(indexes),
            zeroCount: 0,
            sum: count * 0.25,
          },
        );
        inputs.push({ t: i * 1000, h });
      }
      const chunks: ReturnType<typeof appendHistogramSample>["chunk"][] = [];
      let open: ReturnType<typeof appendHistogramSample> | null = null;
      for (const { t, h } of inputs) {
        open = appendHistogramSample(open, t, h);
        if (open.cut) chunks.push(open.chunk);
        else if (open.recoded) chunks[chunks.length - 1] = open.chunk;
      }
      const decoded: { t: number; nonZero: string; count: number; sum: number }[] = [];
      for (const chunk of chunks) {
        const it = chunk.iterator();
        while (it.next()) {
          const fh = it.atFloatHistogram();
          const idx = bucketIndexes(fh.positiveSpans);
          const nonZero = idx.filter((_, k) => fh.positiveBuckets[k] !== 0).join(",");
          decoded.push({ t: it.t, nonZero, count: fh.count, sum: fh.sum });
        }
        expect(it.err()).toBeNull();
      }
      const expected = inputs.map(({ t, h }) => {
        const idx = bucketIndexes(h.positiveSpans);
        let c = 0;
        const abs = h.positiveBuckets.map((d) => (c += d));
        return { t, nonZero: idx.filter((_, k) => abs[k] !== 0).join(","), count: h.count, sum: h.sum };
      });
      expect(decoded).toEqual(expected);
    }
  });
});
