import type { Benchmark } from "../../../../bench/report";
import { generateDataset } from "../../bench/dataset";
import { encodeLabels } from "./encoding";
import { hashLabels, shardOf } from "./hash";
import { validateSeriesLabels } from "./validate";

// Per-series costs on the ingest path: validation (sort, UTF-8, limits), the shard hash, the binary encoding.
function rate(units: number, minMs: number, fn: () => void): number {
  let best = 0;
  const until = performance.now() + minMs;
  do {
    const start = performance.now();
    fn();
    best = Math.max(best, units / ((performance.now() - start) / 1000));
  } while (performance.now() < until);
  return best;
}

const bench: Benchmark = async (report) => {
  const series = generateDataset({ hosts: 10, samplesPerSeries: 1 }).map((s) => s.labels);
  const unsorted = series.map((labels) => labels.slice().reverse());
  let sink = 0;
  const validate = rate(series.length, 1000, () => {
    for (const labels of unsorted) sink += validateSeriesLabels(labels).length;
  });
  const hash = rate(series.length, 1000, () => {
    for (const labels of series) sink += hashLabels(labels).lo & 1;
  });
  const shard = rate(series.length, 1000, () => {
    for (const labels of series) sink += shardOf(labels, 16);
  });
  const encode = rate(series.length, 1000, () => {
    for (const labels of series) sink += encodeLabels(labels).length;
  });
  if (sink === 0) throw new Error("nothing measured");
  const name = "tsdb/labels (node_exporter series, ~5 labels)";
  report({ bench: name, metric: "validate", value: validate, unit: "series/s", baseline: null });
  report({ bench: name, metric: "hash", value: hash, unit: "series/s", baseline: null });
  report({ bench: name, metric: "shardOf", value: shard, unit: "series/s", baseline: null });
  report({ bench: name, metric: "encode", value: encode, unit: "series/s", baseline: null });
};

export default bench;
