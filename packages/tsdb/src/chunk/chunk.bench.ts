import type { Benchmark } from "../../../../bench/report";
import { datasetSampleCount, generateDataset, type DatasetSeries } from "../../bench/dataset";
import { SeededRandom } from "../../bench/seeded-random";
import { decideChunkCut, type OpenChunkFacts } from "./cut";
import { appendHistogramSample, HistogramIterator, type HistogramAppender, type HistogramChunk } from "./histogram";
import type { Histogram } from "./histogram-types";
import { decodeXor, newXorChunk, XorIterator, type XorAppender, type XorChunk } from "./xor";

// XOR chunk encode/decode throughput (Node, one core) and compressed size on the node_exporter-like data set.
// Targets: decode ≥ 20 M samples/s (what the query engine needs), ≤ 1.3 bytes/sample (Gorilla paper: 1.37).

function encodeAll(dataset: readonly DatasetSeries[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  // One facts object reused for every decision, as a head would keep per-series fields.
  const facts: OpenChunkFacts = { minTime: 0, maxTime: 0, numSamples: 0, byteLength: 0, kind: "float" };
  for (const s of dataset) {
    let chunk: XorChunk | null = null;
    let appender: XorAppender | null = null;
    let nextAt = 0;
    for (let i = 0; i < s.timestamps.length; i++) {
      const t = s.timestamps[i];
      let cut = chunk === null;
      if (chunk !== null && appender !== null) {
        facts.numSamples = appender.numSamples;
        facts.byteLength = chunk.byteLength();
        const decision = decideChunkCut(facts, t, nextAt);
        nextAt = decision.nextAt;
        cut = decision.cut;
      } else {
        nextAt = decideChunkCut(null, t, nextAt).nextAt;
      }
      if (cut || appender === null) {
        if (chunk !== null) chunks.push(chunk.bytes().slice());
        ({ chunk, appender } = newXorChunk());
        facts.minTime = t;
      }
      appender.append(t, s.values[i]);
      facts.maxTime = t;
    }
    if (chunk !== null) chunks.push(chunk.bytes().slice());
  }
  return chunks;
}

/** Runs `fn` repeatedly for at least `minMs` and returns the best rate (units per second) over the rounds. */
function bestRate(units: number, minMs: number, fn: () => void): number {
  let best = 0;
  const until = performance.now() + minMs;
  do {
    const start = performance.now();
    fn();
    const elapsed = performance.now() - start;
    best = Math.max(best, units / (elapsed / 1000));
  } while (performance.now() < until);
  return best;
}

const bench: Benchmark = async (report) => {
  for (const [label, jitterMs] of [
    ["aligned", 0],
    ["jitter±2ms", 2],
  ] as const) {
    const dataset = generateDataset({ seed: 1, jitterMs });
    const samples = datasetSampleCount(dataset);
    let chunks: Uint8Array[] = [];
    const encodeRate = bestRate(samples, 1500, () => {
      chunks = encodeAll(dataset);
    });
    const bytes = chunks.reduce((sum, c) => sum + c.length, 0);
    const timestamps = new Float64Array(0xffff);
    const values = new Float64Array(0xffff);
    const words = new Uint32Array(values.buffer);
    let checksum = 0;
    const decodeRate = bestRate(samples, 2000, () => {
      for (const c of chunks) checksum += decodeXor(c, timestamps, words, 0, null);
    });
    const it = new XorIterator();
    const iterateRate = bestRate(samples, 1500, () => {
      for (const c of chunks) {
        it.reset(c);
        while (it.next()) checksum += it.t;
      }
    });
    if (checksum === 0) throw new Error("nothing decoded");
    const name = `tsdb/chunk/xor (${label})`;
    const note = `${dataset.length} series, ${samples} samples, ${chunks.length} chunks`;
    report({ bench: name, metric: "bytes per sample", value: bytes / samples, unit: "B", baseline: 1.3 }, note);
    report({ bench: name, metric: "decode", value: decodeRate, unit: "samples/s", baseline: 20e6 });
    report({ bench: name, metric: "iterate", value: iterateRate, unit: "samples/s", baseline: 20e6 });
    report({ bench: name, metric: "encode", value: encodeRate, unit: "samples/s", baseline: null });
  }
};

/** Request-latency-like native histograms: schema 3, buckets filling in over time, 15 s scrapes. */
function histogramSeries(seed: number, samples: number): { t: number; h: Histogram }[] {
  const rng = new SeededRandom(seed);
  const buckets = new Array<number>(24).fill(0);
  let sum = 0;
  let zero = 0;
  const out: { t: number; h: Histogram }[] = [];
  for (let i = 0; i < samples; i++) {
    const observations = rng.int(50, 500);
    for (let k = 0; k < observations; k++) {
      const b = Math.min(23, Math.max(0, Math.round(12 + 3 * rng.normal())));
      buckets[b]++;
      sum += 2 ** ((b - 12) / 8) * 0.1;
    }
    zero += rng.chance(0.1) ? 1 : 0;
    const count = buckets.reduce((a, b) => a + b, 0) + zero;
    const deltas = buckets.map((v, j) => (j === 0 ? v : v - buckets[j - 1]));
    out.push({
      t: 1_700_000_000_000 + i * 15_000,
      h: {
        counterResetHint: "unknown",
        schema: 3,
        zeroThreshold: 2 ** -128,
        zeroCount: zero,
        count,
        sum,
        positiveSpans: [{ offset: -12, length: 24 }],
        negativeSpans: [],
        positiveBuckets: deltas,
        negativeBuckets: [],
      },
    });
  }
  return out;
}

const histogramBench: Benchmark = async (report) => {
  const series = Array.from({ length: 100 }, (_, i) => histogramSeries(i + 1, 480));
  const samples = series.length * 480;
  let chunks: Uint8Array[] = [];
  const encodeRate = bestRate(samples, 1500, () => {
    chunks = [];
    for (const s of series) {
      let open: { chunk: HistogramChunk; appender: HistogramAppender } | null = null;
      for (const { t, h } of s) {
        if (open !== null && open.appender.numSamples >= 120) {
          chunks.push(open.chunk.bytes().slice());
          open = null;
        }
        const next = appendHistogramSample(open, t, h);
        if (next.cut && open !== null) chunks.push(open.chunk.bytes().slice());
        open = next;
      }
      if (open !== null) chunks.push(open.chunk.bytes().slice());
    }
  });
  const bytes = chunks.reduce((sum, c) => sum + c.length, 0);
  const it = new HistogramIterator();
  let checksum = 0;
  const decodeRate = bestRate(samples, 1500, () => {
    for (const c of chunks) {
      it.reset(c);
      while (it.next()) checksum += it.atHistogram().count;
    }
  });
  if (checksum === 0) throw new Error("nothing decoded");
  const name = "tsdb/chunk/histogram (24 buckets)";
  report(
    { bench: name, metric: "bytes per sample", value: bytes / samples, unit: "B", baseline: null },
    `${chunks.length} chunks`,
  );
  report({ bench: name, metric: "decode", value: decodeRate, unit: "samples/s", baseline: null });
  report({ bench: name, metric: "encode", value: encodeRate, unit: "samples/s", baseline: null });
};

const all: Benchmark = async (report) => {
  await bench(report);
  await histogramBench(report);
};

export default all;
