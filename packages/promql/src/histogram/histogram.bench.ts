import type { Benchmark } from "../../../../bench/report";
import { HistogramKahanSum } from "./accumulate";
import { histogramAdd } from "./arithmetic";
import { histogramQuantile } from "./quantile";
import { histogramRangeDelta } from "./rate";
import { detectCounterReset } from "./reset";
import type { FloatHistogram } from "./types";
import { makeHistogram } from "./types";

// Throughput of the histogram operations PromQL runs per sample (Node, one core), on histograms shaped like real
// request-latency histograms: schema 3, a zero bucket, 100 positive buckets in three spans. Baseline: none (there is
// no Prometheus on the machine to compare Go's FloatHistogram with); the figures show where a query's time goes.

function latencyHistogram(scale: number, schema = 3): FloatHistogram {
  const counts = Array.from({ length: 100 }, (_, i) => Math.round(scale * (1 + 50 * Math.exp(-((i - 40) ** 2) / 200))));
  const count = counts.reduce((a, b) => a + b, 0) + scale;
  return makeHistogram({
    schema,
    zeroThreshold: 2 ** -128,
    zeroCount: scale,
    count,
    sum: count * 0.25,
    positiveSpans: [
      { offset: -40, length: 30 },
      { offset: 2, length: 40 },
      { offset: 1, length: 30 },
    ],
    positiveBuckets: counts,
  });
}

function bestRate(units: number, minMs: number, fn: () => void): number {
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
  const series = Array.from({ length: 1000 }, (_, i) => latencyHistogram(1 + (i % 7)));
  const window = Array.from({ length: 60 }, (_, i) => latencyHistogram(i + 1));
  const ops = (metric: string, rate: number, note?: string): void =>
    report({ bench: "promql-histogram", metric, value: Math.round(rate), unit: "ops/s", baseline: null }, note);

  ops(
    "add_per_s",
    bestRate(series.length, 1000, () => {
      let acc = series[0];
      for (let i = 1; i < series.length; i++) acc = histogramAdd(acc, series[i]).histogram;
    }),
    "histogramAdd of two 100-bucket schema-3 histograms with the same layout",
  );
  ops(
    "add_coarser_schema_per_s",
    bestRate(series.length, 1000, () => {
      let acc = latencyHistogram(1, 2);
      for (const h of series) acc = histogramAdd(acc, h).histogram;
    }),
    "histogramAdd with a schema-2 accumulator: every addend is reduced first",
  );
  ops(
    "kahan_sum_add_per_s",
    bestRate(series.length, 1000, () => {
      const sum = new HistogramKahanSum();
      for (const h of series) sum.add(h);
      sum.result();
    }),
    "one HistogramKahanSum.add (what sum() does per input histogram)",
  );
  ops(
    "quantile_per_s",
    bestRate(series.length, 1000, () => {
      for (const h of series) histogramQuantile(0.99, h);
    }),
  );
  ops(
    "detect_reset_per_s",
    bestRate(window.length, 1000, () => {
      for (let i = 1; i < window.length; i++) detectCounterReset(window[i], window[i - 1]);
    }),
  );
  ops(
    "rate_windows_per_s",
    bestRate(1, 1000, () => {
      histogramRangeDelta(window, true);
    }),
    "histogramRangeDelta over 60 samples (one rate() result)",
  );
};

export default bench;
