// SeriesShard benchmarks. `npm run bench -- shard`.
//
// Inside workerd: the bench Worker (`../do/bench-worker.ts`) is bundled with esbuild and run by Miniflare with a
// SQLite-backed SeriesShard; it sends node_exporter-like batches (`packages/tsdb/bench/dataset.ts`) over RPC, as
// ingest does, and reports append throughput, SQLite rows written per million samples and database bytes per sample.
// Memory per series is measured in Node (same V8; workerd gives no heap figures), on the pure Shard.
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { Benchmark } from "../../../../bench/report";
import { generateDataset } from "../../bench/dataset";
import { xorHeadCodec } from "../head/xor-head-codec";
import { MemoryShardStorage } from "./memory-shard-storage";
import { Shard } from "./shard";

interface WorkerdRun {
  samples: number;
  accepted: number;
  series: number;
  batches: number;
  seconds: number;
  rowsWritten: number;
  checkpoints: number;
  databaseBytes: number;
}

async function bundleBenchWorker(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL("../do/bench-worker.ts", import.meta.url))],
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    external: ["cloudflare:workers"],
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}

async function runInWorkerd(query: string): Promise<WorkerdRun> {
  const mf = new Miniflare({
    modules: true,
    script: await bundleBenchWorker(),
    compatibilityDate: "2026-04-26",
    compatibilityFlags: ["nodejs_compat"],
    durableObjects: { SERIES_SHARD: { className: "SeriesShard", useSQLite: true } },
  });
  try {
    const response = await mf.dispatchFetch(`http://bench/append?${query}`);
    if (!response.ok) throw new Error(`bench worker answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as WorkerdRun;
  } finally {
    await mf.dispose();
  }
}

function heapUsedAfterGc(): number {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const SCENARIOS = [
  { name: "batch_2000", query: "hosts=20&samplesPerSeries=200&batch=2000", baseline: 1e6 },
  { name: "batch_2000_concurrent_4", query: "hosts=20&samplesPerSeries=200&batch=2000&concurrency=4", baseline: 1e6 },
  { name: "batch_125", query: "hosts=20&samplesPerSeries=50&batch=125", baseline: 1e6 },
  { name: "batch_125_concurrent_16", query: "hosts=20&samplesPerSeries=50&batch=125&concurrency=16", baseline: 1e6 },
];

const benchmark: Benchmark = async (report) => {
  for (const scenario of SCENARIOS) {
    // Best of three fresh runs: the machine is shared and timing noise only ever slows a run down.
    let best: WorkerdRun | null = null;
    for (let i = 0; i < 3; i++) {
      const run = await runInWorkerd(scenario.query);
      if (!best || run.accepted / run.seconds > best.accepted / best.seconds) best = run;
    }
    const run = best!;
    report(
      {
        bench: "tsdb/shard",
        metric: `append_samples_per_second_${scenario.name}`,
        value: Math.round(run.accepted / run.seconds),
        unit: "samples/s",
        baseline: scenario.baseline,
      },
      `${run.series} series, ${run.accepted} samples in ${run.batches} appends, ${run.seconds.toFixed(2)} s (best of 3)`,
    );
    report(
      {
        bench: "tsdb/shard",
        metric: `sqlite_rows_written_per_million_samples_${scenario.name}`,
        value: Math.round((run.rowsWritten * 1e6) / run.accepted),
        unit: "rows",
        baseline: 1000,
      },
      `${run.rowsWritten} rows incl. ${run.checkpoints + 1} checkpoints`,
    );
    if (scenario.name === "batch_2000") {
      report(
        {
          bench: "tsdb/shard",
          metric: "sqlite_bytes_per_sample",
          value: Number((run.databaseBytes / run.accepted).toFixed(3)),
          unit: "bytes",
          baseline: null,
        },
        `databaseSize ${run.databaseBytes} bytes after a final checkpoint (chunks, series, head snapshot)`,
      );
    }
  }

  // Memory per active series: ~19k series, each with a 60-sample open chunk, in the pure shard after a checkpoint.
  // The in-memory storage's own bytes (what SQLite would hold) are subtracted; a warm-up run keeps JIT code out.
  const dataset = generateDataset({ hosts: 65, samplesPerSeries: 60 });
  const batches = Array.from({ length: 60 }, (_, i) =>
    dataset.map((s) => ({ labels: s.labels, samples: [{ t: s.timestamps[i], v: s.values[i] }] })),
  );
  const warm = Shard.open(new MemoryShardStorage(), { codec: xorHeadCodec });
  for (const b of batches) warm.append(b.slice(0, 1000));
  const before = heapUsedAfterGc();
  const storage = new MemoryShardStorage();
  const shard = Shard.open(storage, { codec: xorHeadCodec });
  for (const b of batches) shard.append(b);
  shard.checkpoint();
  const after = heapUsedAfterGc();
  const perSeries = (after - before - storage.databaseBytes()) / shard.seriesCount;
  report(
    {
      bench: "tsdb/shard",
      metric: "memory_bytes_per_active_series",
      value: Math.round(perSeries),
      unit: "bytes",
      baseline: 1024,
    },
    `${shard.seriesCount} series with 60-sample open chunks; Node's V8 heap without pointer compression (workerd's is smaller)`,
  );
};

export default benchmark;
