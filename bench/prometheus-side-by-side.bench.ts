// edgeprom under `npm run dev` and Debian's Prometheus 2.42 on the same machine, fed the same remote-write payloads:
// ingest throughput (samples/s acknowledged) and the median latency of ten typical dashboard queries.
import { generateDataset } from "../packages/tsdb/bench/dataset";
import { startDevServer } from "../test/dev-server";
import { startPrometheus } from "../test/prometheus";
import { encodeWriteRequestV1, type SeriesToWrite } from "../workers/ingest/src/remotewrite/encode";
import { snappyEncode } from "@edgeprom/wire";
import type { Benchmark } from "./report";

// 280 series a host: 5,040 node_exporter-like series over 6 h by default. EDGEPROM_BENCH_HOSTS and
// EDGEPROM_BENCH_HOURS shrink the data set for a quick local run (e.g. 2 hosts × 0.5 h).
const HOSTS = positiveFromEnv("EDGEPROM_BENCH_HOSTS", 18);
const HOURS = positiveFromEnv("EDGEPROM_BENCH_HOURS", 6);
// EDGEPROM_BENCH_SHARDS overrides wrangler.toml's EDGEPROM_SHARDS for the edgeprom side (to measure fan-out width).
const SHARDS = process.env.EDGEPROM_BENCH_SHARDS;
const INTERVAL_MS = 15_000;
const SAMPLES_PER_REQUEST = 2_000;
const CONCURRENCY = 4;
// Runs per query and server (odd, so the median is one run).
const QUERY_RUNS = 15;
// Both servers run the same configuration: no scrape jobs, so neither spends time scraping during the run (the
// bundled edgeprom.yml would scrape 127.0.0.1:8787 every 15 s).
const CONFIG_YAML = "global:\n  scrape_interval: 15s\n";

const QUERIES = [
  "rate(node_network_receive_bytes_total[5m])",
  'sum by (instance) (rate(node_cpu_seconds_total{mode!="idle"}[5m]))',
  "sum by (instance) (rate(node_disk_read_bytes_total[5m]))",
  "topk(5, rate(node_network_transmit_bytes_total[5m]))",
  "max_over_time(rate(node_context_switches_total[1m])[30m:1m])",
  'node_memory_MemAvailable_bytes{instance=~"host-00[0-9]:.*"}',
  "avg by (instance) (node_load1)",
  "1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes",
  "histogram_quantile(0.9, sum by (le) (rate(bench_request_duration_seconds_bucket[5m])))",
  "histogram_quantile(0.99, sum by (le, handler) (rate(bench_request_duration_seconds_bucket[5m])))",
];

function positiveFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!(n > 0)) throw new Error(`${name} must be a positive number, not ${JSON.stringify(raw)}`);
  return n;
}

/**
 * Request payloads as a remote-write sender produces them: series are spread over CONCURRENCY queues by position
 * (Prometheus hashes them), and each queue sends its series' samples in time order, one request after another.
 */
export function payloads(start: number, samplesPerSeries: number): { queues: Uint8Array[][]; samples: number } {
  const dataset = generateDataset({ hosts: HOSTS, samplesPerSeries, start, intervalMs: INTERVAL_MS });
  const histogram = histogramSeries(start, samplesPerSeries);
  const all = [...dataset.map((s) => ({ labels: s.labels, timestamps: s.timestamps, values: s.values })), ...histogram];
  const queues: Uint8Array[][] = [];
  let samples = 0;
  for (let q = 0; q < CONCURRENCY; q++) {
    const mine = all.filter((_, i) => i % CONCURRENCY === q);
    const bodies: Uint8Array[] = [];
    let pending: SeriesToWrite[] = [];
    const flush = () => {
      if (pending.length === 0) return;
      bodies.push(snappyEncode(encodeWriteRequestV1({ series: pending })));
      pending = [];
    };
    for (let i = 0; i < samplesPerSeries; i++) {
      for (const s of mine) {
        pending.push({ labels: s.labels, samples: [{ timestamp: s.timestamps[i]!, value: s.values[i]! }] });
        samples++;
        if (pending.length >= SAMPLES_PER_REQUEST) flush();
      }
    }
    flush();
    queues.push(bodies);
  }
  return { queues, samples };
}

/** A classic request-duration histogram for five handlers (10 buckets each), on the same 15 s grid. */
function histogramSeries(start: number, n: number) {
  const bounds = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"];
  const out: { labels: { name: string; value: string }[]; timestamps: Float64Array; values: Float64Array }[] = [];
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (const handler of ["/", "/api", "/login", "/search", "/static"]) {
    const counts = bounds.map(() => 0);
    const columns = bounds.map(() => ({ timestamps: new Float64Array(n), values: new Float64Array(n) }));
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < 30; k++) {
        const observation = random() * random() * 2;
        bounds.forEach((b, j) => {
          if (b === "+Inf" || observation <= Number(b)) counts[j]! += 1;
        });
      }
      columns.forEach((c, j) => {
        c.timestamps[i] = start + i * INTERVAL_MS;
        c.values[i] = counts[j]!;
      });
    }
    bounds.forEach((le, j) =>
      out.push({
        labels: [
          { name: "__name__", value: "bench_request_duration_seconds_bucket" },
          { name: "handler", value: handler },
          { name: "le", value: le },
        ],
        ...columns[j]!,
      }),
    );
  }
  return out;
}

/** Sends every queue concurrently, each in order; returns the seconds until all were acknowledged. */
export async function send(base: string, queues: Uint8Array[][]): Promise<number> {
  const started = performance.now();
  const worker = async (bodies: Uint8Array[]) => {
    for (const body of bodies) {
      for (let attempt = 0; ; attempt++) {
        // Like a remote-write sender, retry a dropped connection (wrangler dev's proxy closes one now and then).
        const res = await fetch(`${base}/api/v1/write`, {
          method: "POST",
          body,
          headers: {
            "Content-Type": "application/x-protobuf",
            "Content-Encoding": "snappy",
            "X-Prometheus-Remote-Write-Version": "0.1.0",
          },
        }).catch((err: unknown) => {
          if (attempt >= 5) throw err;
          return null;
        });
        if (res === null) continue;
        const text = await res.text();
        if (res.ok) break;
        if (res.status < 500 || attempt >= 5) throw new Error(`${base}: ${res.status} ${text}`);
      }
    }
  };
  await Promise.all(queues.map(worker));
  return (performance.now() - started) / 1000;
}

function reloads(devOutput: string): number {
  return devOutput.split("Reloading local server").length - 1;
}

/** One query_range request, timed from sending to the last body byte; fails on anything but success. */
async function queryLatencyMs(base: string, query: string, start: number, end: number): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${base}/api/v1/query_range`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ query, start: String(start / 1000), end: String(end / 1000), step: "15" }).toString(),
  });
  const body = (await res.json()) as { status: string; error?: string };
  if (body.status !== "success") throw new Error(`${base}: ${query}: ${body.error}`);
  return performance.now() - started;
}

/**
 * Median latency of `query` on each server. The servers take turns request by request (who goes first alternates),
 * after one unmeasured warm-up request each, so a burst of load from elsewhere on the machine hits both alike.
 */
async function medianLatenciesMs(bases: readonly string[], query: string, start: number, end: number) {
  for (const base of bases) await queryLatencyMs(base, query, start, end);
  const times = bases.map(() => [] as number[]);
  for (let i = 0; i < QUERY_RUNS; i++) {
    const order = i % 2 === 0 ? bases.map((_, k) => k) : bases.map((_, k) => bases.length - 1 - k);
    for (const k of order) times[k]!.push(await queryLatencyMs(bases[k]!, query, start, end));
  }
  return times.map((t) => {
    t.sort((a, b) => a - b);
    return t[Math.floor(t.length / 2)]!;
  });
}

const bench: Benchmark = async (report) => {
  const samplesPerSeries = Math.round((HOURS * 3_600_000) / INTERVAL_MS);
  const end = Math.floor(Date.now() / INTERVAL_MS) * INTERVAL_MS;
  const start = end - (samplesPerSeries - 1) * INTERVAL_MS;
  const { queues, samples } = payloads(start, samplesPerSeries);
  const requests = queues.reduce((n, q) => n + q.length, 0);
  const edgeprom = await startDevServer({
    timeoutMs: 120_000,
    extraArgs: [
      "--var",
      `EDGEPROM_CONFIG_YAML:${CONFIG_YAML}`,
      ...(SHARDS ? ["--var", `EDGEPROM_SHARDS:${positiveFromEnv("EDGEPROM_BENCH_SHARDS", 16)}`] : []),
    ],
  });
  const prometheus = await startPrometheus(CONFIG_YAML);
  try {
    const prometheusSeconds = await send(prometheus.url, queues);
    const reloadsBefore = reloads(edgeprom.output());
    const edgepromSeconds = await send(edgeprom.url, queues);
    // wrangler dev rebuilds and restarts every Durable Object when a bundled source file changes (another editor in
    // the same tree): each restart reopens the shards mid-run, so such a figure is not a clean measurement.
    const restarts = reloads(edgeprom.output()) - reloadsBefore;
    report(
      {
        bench: "prometheus-side-by-side",
        metric: "remote_write_ingest_samples_per_second",
        value: Math.round(samples / edgepromSeconds),
        unit: "samples/s",
        baseline: Math.round(samples / prometheusSeconds),
      },
      `${samples} samples (${HOSTS} hosts × ${HOURS} h) in ${requests} requests of up to ${SAMPLES_PER_REQUEST}, ` +
        `${CONCURRENCY} queues; baseline: Prometheus 2.42` +
        (restarts > 0 ? `; WARNING: wrangler dev reloaded ${restarts} times during the run (sources changed)` : ""),
    );
    const ratios: number[] = [];
    for (const [i, query] of QUERIES.entries()) {
      const queryStart = end - 3_600_000;
      const [ours, theirs] = await medianLatenciesMs([edgeprom.url, prometheus.url], query, queryStart, end);
      ratios.push(ours / theirs);
      report(
        {
          bench: "prometheus-side-by-side",
          metric: `query_${i + 1}_median_latency`,
          value: Math.round(ours * 10) / 10,
          unit: "ms",
          baseline: Math.round(theirs * 10) / 10,
        },
        `${query} (1 h at 15 s step)`,
      );
    }
    ratios.sort((a, b) => a - b);
    report(
      {
        bench: "prometheus-side-by-side",
        metric: "query_median_latency_ratio",
        value: Number(ratios[Math.floor(ratios.length / 2)]!.toFixed(3)),
        unit: "ratio",
        baseline: 1,
      },
      "median over the ten queries of edgeprom/Prometheus median latency; the goal is at most 1.0",
    );
  } finally {
    await edgeprom.stop();
    await prometheus.stop();
  }
};

export default bench;
