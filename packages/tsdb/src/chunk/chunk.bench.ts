import type { Benchmark } from "../../../../bench/report";
import { datasetSampleCount, generateDataset, type DatasetSeries } from "../../bench/dataset";
import { decideChunkCut } from "./cut";
import { decodeXor, newXorChunk, XorIterator, type XorAppender, type XorChunk } from "./xor";

// XOR chunk encode/decode throughput (Node, one core) and compressed size on the node_exporter-like data set.
// Targets: decode ≥ 20 M samples/s (what the query engine needs), ≤ 1.3 bytes/sample (Gorilla paper: 1.37).

function encodeAll(dataset: readonly DatasetSeries[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (const s of dataset) {
    let open: { chunk: XorChunk; appender: XorAppender; minTime: number; maxTime: number } | null = null;
    let nextAt = 0;
    for (let i = 0; i < s.timestamps.length; i++) {
      const t = s.timestamps[i];
      const facts = open && {
        minTime: open.minTime,
        maxTime: open.maxTime,
        numSamples: open.appender.numSamples,
        byteLength: open.chunk.bytes().length,
        kind: "float" as const,
      };
      const decision = decideChunkCut(facts, t, nextAt);
      nextAt = decision.nextAt;
      if (decision.cut || open === null) {
        if (open) chunks.push(open.chunk.bytes().slice());
        open = { ...newXorChunk(), minTime: t, maxTime: t };
      }
      open.appender.append(t, s.values[i]);
      open.maxTime = t;
    }
    if (open) chunks.push(open.chunk.bytes().slice());
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

export default bench;
