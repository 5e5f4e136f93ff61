import { describe, expect, it } from "vitest";
import {
  chunkRangeEnd,
  computeChunkEndTime,
  decideChunkCut,
  decideHistogramChunkCut,
  type OpenChunkFacts,
} from "./cut";
import { newXorChunk, type XorAppender, type XorChunk } from "./xor";

/** Drives the cut rule like a head would, returning the sample count of every chunk. */
function simulate(timestamps: number[], value: (i: number) => number): number[] {
  const sizes: number[] = [];
  let open: { chunk: XorChunk; appender: XorAppender; minTime: number; maxTime: number } | null = null;
  let nextAt = 0;
  timestamps.forEach((t, i) => {
    const facts: OpenChunkFacts | null = open && {
      minTime: open.minTime,
      maxTime: open.maxTime,
      numSamples: open.chunk.numSamples(),
      byteLength: open.chunk.bytes().length,
      kind: "float",
    };
    const decision = decideChunkCut(facts, t, nextAt);
    nextAt = decision.nextAt;
    if (decision.cut) {
      if (open) sizes.push(open.chunk.numSamples());
      open = { ...newXorChunk(), minTime: t, maxTime: t };
    }
    open!.appender.append(t, value(i));
    open!.maxTime = t;
  });
  if (open) sizes.push((open as { chunk: XorChunk }).chunk.numSamples());
  return sizes;
}

describe("chunk cut rule", () => {
  it("cuts 15 s scrapes into 120-sample chunks aligned to 2 h ranges", () => {
    const start = 7_200_000 * 1000; // a range boundary
    const ts = Array.from({ length: 480 }, (_, i) => start + i * 15_000);
    expect(simulate(ts, (i) => i)).toEqual([120, 120, 120, 120]);
  });

  it("never crosses a range boundary", () => {
    const start = 7_200_000 * 1000 + 3_600_000; // half way into a range
    const ts = Array.from({ length: 480 }, (_, i) => start + i * 15_000);
    const sizes = simulate(ts, (i) => i);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(480);
    expect(sizes.slice(0, 2).reduce((a, b) => a + b, 0)).toBe(240); // the first hour fills the first range
  });

  it("cuts on size before 1 KiB for incompressible values", () => {
    const ts = Array.from({ length: 200 }, (_, i) => i * 1000);
    const sizes = simulate(ts, (i) => Math.sin(i * 12.9898) * 43758.5453);
    expect(sizes[0]).toBeLessThan(120);
    expect(Math.max(...sizes)).toBeLessThan(120);
  });

  it("has Prometheus's range arithmetic", () => {
    expect(chunkRangeEnd(0, 7_200_000)).toBe(7_200_000);
    expect(chunkRangeEnd(7_199_999, 7_200_000)).toBe(7_200_000);
    expect(chunkRangeEnd(7_200_000, 7_200_000)).toBe(14_400_000);
    expect(computeChunkEndTime(0, 449_999, 7_200_000, 4)).toBe(1_800_000);
    expect(computeChunkEndTime(0, 7_000_000, 7_200_000, 4)).toBe(7_200_000);
  });
});

describe("histogram chunk cut rule", () => {
  /** Chunk sizes for a series of histograms of `bytesPerSample` each, every `step` ms from `start`. */
  function histogramChunks(bytesPerSample: number, samples: number, start: number, step: number): number[] {
    const sizes: number[] = [];
    let open: OpenChunkFacts | null = null;
    let nextAt = 0;
    let computed = false;
    for (let i = 0; i < samples; i++) {
      const t = start + i * step;
      const d = decideHistogramChunkCut(open, t, nextAt, computed);
      nextAt = d.nextAt;
      computed = d.endTimeComputed;
      if (d.cut) {
        if (open) sizes.push(open.numSamples);
        open = { minTime: t, maxTime: t, numSamples: 0, byteLength: 3, kind: "histogram" };
      }
      open!.numSamples++;
      open!.byteLength += bytesPerSample;
      open!.maxTime = t;
    }
    if (open) sizes.push(open.numSamples);
    return sizes;
  }

  it("aims at 1 KiB chunks spread evenly over the range", () => {
    const sizes = histogramChunks(30, 480, 7_200_000 * 100, 15_000);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(480);
    for (const n of sizes) expect(n * 30).toBeLessThanOrEqual(2 * 1024);
    expect(sizes.length).toBeGreaterThan(8); // 480 × 30 B = 14 KiB: far more than one chunk per 2 h
  });

  it("keeps at least 10 samples in a chunk even when one sample is larger than the target", () => {
    const sizes = histogramChunks(3000, 40, 7_200_000 * 100, 15_000);
    expect(sizes).toEqual([10, 10, 10, 10]);
  });

  it("cuts at the range boundary even with fewer than 10 samples", () => {
    const sizes = histogramChunks(3000, 6, 7_200_000 * 101 - 45_000, 15_000);
    expect(sizes).toEqual([3, 3]);
  });
});
