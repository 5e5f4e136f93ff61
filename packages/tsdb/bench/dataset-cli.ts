// Writes the benchmark data set as OpenMetrics text on stdout, e.g. for
// `promtool tsdb create-blocks-from openmetrics`:
//   npx tsx packages/tsdb/bench/dataset-cli.ts --seed 1 --hosts 20 --samples 480 --jitter 0 > data.om
import { parseArgs } from "node:util";
import { datasetToOpenMetrics, DEFAULT_DATASET_OPTIONS, generateDataset } from "./dataset";

const { values } = parseArgs({
  options: {
    seed: { type: "string" },
    hosts: { type: "string" },
    samples: { type: "string" },
    start: { type: "string" },
    interval: { type: "string" },
    jitter: { type: "string" },
  },
});
const num = (text: string | undefined, fallback: number): number => (text === undefined ? fallback : Number(text));
const d = DEFAULT_DATASET_OPTIONS;
const series = generateDataset({
  seed: num(values.seed, d.seed),
  hosts: num(values.hosts, d.hosts),
  samplesPerSeries: num(values.samples, d.samplesPerSeries),
  start: num(values.start, d.start),
  intervalMs: num(values.interval, d.intervalMs),
  jitterMs: num(values.jitter, d.jitterMs),
});
process.stdout.write(datasetToOpenMetrics(series));
