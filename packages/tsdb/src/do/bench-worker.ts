// A Worker used only by `shard.bench.ts`: it builds append batches from the node_exporter-like data set, sends them
// to one SeriesShard over RPC exactly as ingest does, and reports time, rows written and database size. It is never
// deployed: the benchmark bundles it with esbuild and runs it in Miniflare (workerd).
import { generateDataset } from "../../bench/dataset";
import type { SeriesAppend } from "../wal/append-batch";
import { encodeAppendBatch } from "../wal/batch-codec";
import type { SeriesShard } from "./series-shard";

export { SeriesShard } from "./series-shard";

interface BenchEnv {
  SERIES_SHARD: DurableObjectNamespace<SeriesShard>;
}

/**
 * Batches in scrape order: every series' sample i before any sample i+1, cut every `batchSize` samples. With
 * `groups` > 1 the series are split into that many disjoint groups, each with its own batch stream (as Prometheus's
 * remote-write queue shards split series), so concurrent senders never reorder one series' samples.
 */
function buildBatches(
  hosts: number,
  samplesPerSeries: number,
  batchSize: number,
  groups: number,
): { streams: Uint8Array[][]; samples: number; series: number } {
  const dataset = generateDataset({ hosts, samplesPerSeries });
  const streams: Uint8Array[][] = [];
  for (let g = 0; g < groups; g++) {
    const mine = dataset.filter((_, index) => index % groups === g);
    const batches: Uint8Array[] = [];
    let current = new Map<number, SeriesAppend & { samples: { t: number; v: number }[] }>();
    let count = 0;
    const flush = () => {
      if (count === 0) return;
      batches.push(encodeAppendBatch([...current.values()]));
      current = new Map();
      count = 0;
    };
    for (let i = 0; i < samplesPerSeries; i++) {
      mine.forEach((s, index) => {
        let entry = current.get(index);
        if (!entry) current.set(index, (entry = { labels: s.labels, samples: [] }));
        entry.samples.push({ t: s.timestamps[i], v: s.values[i] });
        if (++count >= batchSize) flush();
      });
    }
    flush();
    streams.push(batches);
  }
  return { streams, samples: dataset.length * samplesPerSeries, series: dataset.length };
}

export default {
  async fetch(request: Request, env: BenchEnv): Promise<Response> {
    const url = new URL(request.url);
    const number = (name: string, fallback: number) => Number(url.searchParams.get(name) ?? fallback);
    // `concurrency` appends in flight at once, as when many Worker invocations write to one shard.
    const concurrency = number("concurrency", 1);
    const { streams, samples, series } = buildBatches(
      number("hosts", 20),
      number("samplesPerSeries", 200),
      number("batch", 2000),
      concurrency,
    );
    const stub = env.SERIES_SHARD.get(env.SERIES_SHARD.idFromName(`bench-${crypto.randomUUID()}`));
    const before = await stub.stats();
    const started = Date.now();
    let accepted = 0;
    const sender = async (batches: Uint8Array[]) => {
      for (const batch of batches) {
        const result = await stub.append(batch);
        accepted += result.samplesAccepted;
      }
    };
    await Promise.all(streams.map(sender));
    const seconds = (Date.now() - started) / 1000;
    const afterAppend = await stub.stats();
    await stub.checkpoint();
    const afterCheckpoint = await stub.stats();
    return Response.json({
      samples,
      accepted,
      series,
      batches: streams.reduce((n, b) => n + b.length, 0),
      seconds,
      // The final checkpoint counts: it is the cost of folding this WAL away.
      rowsWritten: afterCheckpoint.storage.rowsWritten - before.storage.rowsWritten,
      checkpoints: afterAppend.storage.checkpoints,
      databaseBytes: afterCheckpoint.storage.databaseBytes,
    });
  },
};
