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

const benchmark: Benchmark = async (report) => {
  for (const batch of [2000, 125]) {
    const run = await runInWorkerd(`hosts=20&samplesPerSeries=200&batch=${batch}`);
    const note = `${run.series} series, ${run.samples} samples in ${run.batches} batches of ≤${batch}, ${run.seconds.toFixed(2)} s, ${run.checkpoints} checkpoints`;
    report(
      {
        bench: "tsdb/shard",
        metric: `append_samples_per_second_batch_${batch}`,
        value: Math.round(run.accepted / run.seconds),
        unit: "samples/s",
        baseline: 1e6,
      },
      note,
    );
    report({
      bench: "tsdb/shard",
      metric: `sqlite_rows_written_per_million_samples_batch_${batch}`,
      value: Math.round((run.rowsWritten * 1e6) / run.accepted),
      unit: "rows",
      baseline: 1000,
    });
    if (batch === 2000) {
      report(
        {
          bench: "tsdb/shard",
          metric: "sqlite_bytes_per_sample",
          value: Number((run.databaseBytes / run.accepted).toFixed(3)),
          unit: "bytes",
          baseline: null,
        },
        `databaseSize ${run.databaseBytes} bytes after a final checkpoint`,
      );
    }
  }

  // Memory per active series: 20k series, each with a half-full open chunk, in the pure shard.
  const dataset = generateDataset({ hosts: 68, samplesPerSeries: 60 });
  const before = heapUsedAfterGc();
  const shard = Shard.open(new MemoryShardStorage(), { codec: xorHeadCodec });
  for (let i = 0; i < 60; i++) {
    shard.append(dataset.map((s) => ({ labels: s.labels, samples: [{ t: s.timestamps[i], v: s.values[i] }] })));
  }
  shard.checkpoint(); // memory held by the head alone, not by WAL rows kept in the in-memory storage
  const after = heapUsedAfterGc();
  report(
    {
      bench: "tsdb/shard",
      metric: "memory_bytes_per_active_series",
      value: Math.round((after - before) / shard.seriesCount),
      unit: "bytes",
      baseline: 1024,
    },
    `${shard.seriesCount} series with 60-sample open chunks, Node heap (no pointer compression: workerd's is smaller)`,
  );
};

export default benchmark;
