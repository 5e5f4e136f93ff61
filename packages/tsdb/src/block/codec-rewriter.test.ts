import { describe, expect, it } from "vitest";
import {
  appendFloatHistogramSample,
  appendHistogramSample,
  FloatHistogramIterator,
  HistogramIterator,
  newXorChunk,
  type FloatHistogram,
  type Histogram,
} from "../chunk";
import { ChunkEncoding, type BlockChunk } from "./chunk";
import { codecChunkRewriter, UnsupportedChunkEncodingError } from "./codec-rewriter";
import { decodeSeriesBits } from "./testing/encode";

const rewrite = codecChunkRewriter();

function floatChunk(points: [number, number][]): BlockChunk {
  const { chunk, appender } = newXorChunk();
  for (const [t, v] of points) appender.append(t, v);
  return {
    mint: points[0][0],
    maxt: points[points.length - 1][0],
    encoding: ChunkEncoding.XOR,
    data: chunk.bytes().slice(),
  };
}

function histogram(i: number): Histogram {
  return {
    counterResetHint: "unknown",
    schema: 1,
    zeroThreshold: 1e-128,
    zeroCount: 2,
    count: 2 + i + (i + 1),
    sum: i * 1.25,
    positiveSpans: [{ offset: 0, length: 2 }],
    negativeSpans: [],
    positiveBuckets: [i, 1],
    negativeBuckets: [],
  };
}

function histogramChunk(times: number[]): BlockChunk {
  let open: ReturnType<typeof appendHistogramSample> | null = null;
  for (const t of times) open = appendHistogramSample(open, t, histogram(t / 1000));
  if (open === null) throw new Error("no samples");
  return {
    mint: times[0],
    maxt: times[times.length - 1],
    encoding: ChunkEncoding.Histogram,
    data: open.chunk.bytes().slice(),
  };
}

function floatHistogramChunk(times: number[]): BlockChunk {
  let open: ReturnType<typeof appendFloatHistogramSample> | null = null;
  for (const t of times) {
    const h: FloatHistogram = { ...histogram(t / 1000), positiveBuckets: [t / 1000, t / 1000 + 1] };
    open = appendFloatHistogramSample(open, t, h);
  }
  if (open === null) throw new Error("no samples");
  return {
    mint: times[0],
    maxt: times[times.length - 1],
    encoding: ChunkEncoding.FloatHistogram,
    data: open.chunk.bytes().slice(),
  };
}

function histogramTimesAndSums(chunks: BlockChunk[], float: boolean): [number, number][] {
  const out: [number, number][] = [];
  for (const c of chunks) {
    const it = float ? new FloatHistogramIterator() : new HistogramIterator();
    it.reset(c.data);
    while (it.next()) out.push([it.t, it.atFloatHistogram().sum]);
    expect(it.err()).toBeNull();
  }
  return out;
}

const range = (from: number, to: number, step = 1000): number[] =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

describe("codecChunkRewriter", () => {
  it("merges overlapping float chunks (the later chunk wins a timestamp) and drops deleted samples", () => {
    const a = floatChunk(range(0, 10_000).map((t) => [t, 1]));
    const b = floatChunk(range(5_000, 15_000).map((t) => [t, 2]));
    const out = rewrite([a, b], [{ mint: 12_000, maxt: 13_000 }]);
    const samples = decodeSeriesBits(out).map((s) => [s.t, s.bits]);
    const one = decodeSeriesBits([floatChunk([[0, 1]])])[0].bits;
    const two = decodeSeriesBits([floatChunk([[0, 2]])])[0].bits;
    expect(samples).toEqual([
      ...range(0, 4_000).map((t) => [t, one]),
      ...range(5_000, 11_000).map((t) => [t, two]),
      [14_000, two],
      [15_000, two],
    ]);
    expect(out.map((c) => [c.mint, c.maxt])).toEqual([[0, 15_000]]);
  });

  it("cuts re-encoded float chunks at 120 samples", () => {
    const out = rewrite([floatChunk(range(0, 299_000).map((t) => [t, t]))], [{ mint: 0, maxt: 0 }]);
    expect(out.map((c) => (c.data[0] << 8) | c.data[1])).toEqual([120, 120, 59]);
    expect(out[1].mint).toBe(121_000);
  });

  it("re-encodes histogram chunks without the deleted samples", () => {
    const out = rewrite([histogramChunk(range(0, 40_000))], [{ mint: 10_000, maxt: 19_999 }]);
    expect(out.every((c) => c.encoding === ChunkEncoding.Histogram)).toBe(true);
    expect(histogramTimesAndSums(out, false)).toEqual(
      [...range(0, 9_000), ...range(20_000, 40_000)].map((t) => [t, (t / 1000) * 1.25]),
    );
  });

  it("merges overlapping float histogram chunks", () => {
    const out = rewrite([floatHistogramChunk(range(0, 20_000)), floatHistogramChunk(range(15_000, 30_000))], []);
    expect(histogramTimesAndSums(out, true)).toEqual(range(0, 30_000).map((t) => [t, (t / 1000) * 1.25]));
  });

  it("refuses to merge chunks of different encodings", () => {
    expect(() => rewrite([floatChunk([[0, 1]]), histogramChunk([0])], [])).toThrow(UnsupportedChunkEncodingError);
  });
});
