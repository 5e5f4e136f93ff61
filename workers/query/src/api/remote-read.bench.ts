// Remote-read answer building in plain JavaScript, on what a Grafana-sized read asks for: 1,000 series × 720 samples
// (3 hours at 15 s) in 120-sample XOR chunks. SAMPLES decodes every chunk, encodes a ReadResponse and Snappy-
// compresses it; STREAMED_XOR_CHUNKS frames the stored chunks as they are. `npm run bench -- remote-read`.
import type { Benchmark } from "../../../../bench/report";
import { labelsOf, newXorChunk, type SelectedSeries } from "@edgeprom/tsdb";
import { encodeReadResponse, snappyEncode, type RemoteTimeSeries } from "@edgeprom/wire";
import { samplesOfSeries } from "./remote-read-samples";
import { framesOfQuery } from "./remote-read-stream";

const SERIES = 1000;
const SAMPLES = 720;
const PER_CHUNK = 120;
const BASE = 1_700_000_000_000;
const STEP = 15_000;

function buildSeries(): SelectedSeries[] {
  const out: SelectedSeries[] = [];
  for (let s = 0; s < SERIES; s++) {
    const chunks: SelectedSeries["chunks"] = [];
    let value = s;
    for (let first = 0; first < SAMPLES; first += PER_CHUNK) {
      const { chunk, appender } = newXorChunk();
      for (let i = first; i < first + PER_CHUNK; i++) {
        value += (i * 7919 + s) % 13;
        appender.append(BASE + i * STEP, value);
      }
      chunks.push({
        encoding: 1,
        mint: BASE + first * STEP,
        maxt: BASE + (first + PER_CHUNK - 1) * STEP,
        data: chunk.bytes(),
      });
    }
    out.push({
      labels: labelsOf("__name__", "http_requests_total", "instance", `10.0.${s >> 8}.${s & 255}:9100`, "job", "node"),
      chunks,
    });
  }
  return out;
}

function time(run: () => number, rounds = 5): { ms: number; bytes: number } {
  let best = Infinity;
  let bytes = 0;
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    bytes = run();
    best = Math.min(best, performance.now() - start);
  }
  return { ms: best, bytes };
}

const bench: Benchmark = async (report) => {
  const series = buildSeries();
  const total = SERIES * SAMPLES;
  const samples = time(() => {
    const timeseries: RemoteTimeSeries[] = [];
    for (const s of series) timeseries.push(samplesOfSeries(s, BASE, BASE + SAMPLES * STEP)!);
    return snappyEncode(encodeReadResponse({ results: [{ timeseries }] })).length;
  });
  const streamed = time(() => {
    let bytes = 0;
    for (const frame of framesOfQuery(series, 0)) bytes += frame.length;
    return bytes;
  });
  report(
    {
      bench: "remote-read",
      metric: "SAMPLES response (decode + encode + snappy), samples per second",
      value: Math.round(total / (samples.ms / 1000)),
      unit: "samples/s",
      baseline: null,
    },
    `${SERIES} series × ${SAMPLES} samples in ${samples.ms.toFixed(0)} ms, ${(samples.bytes / 1e6).toFixed(2)} MB on the wire`,
  );
  report(
    {
      bench: "remote-read",
      metric: "STREAMED_XOR_CHUNKS frames, samples per second",
      value: Math.round(total / (streamed.ms / 1000)),
      unit: "samples/s",
      baseline: null,
    },
    `${SERIES} series × ${SAMPLES} samples in ${streamed.ms.toFixed(0)} ms, ${(streamed.bytes / 1e6).toFixed(2)} MB on the wire`,
  );
  report({
    bench: "remote-read",
    metric: "response bytes per sample, SAMPLES (snappy) vs streamed chunks",
    value: Number((samples.bytes / total).toFixed(2)),
    unit: "bytes/sample",
    baseline: Number((streamed.bytes / total).toFixed(2)),
  });
};

export default bench;
