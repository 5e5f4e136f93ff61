import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Benchmark } from "../../../../bench/report";
import { datasetSampleCount, datasetToOpenMetrics, generateDataset, type DatasetSeries } from "../../bench/dataset";
import { decideChunkCut } from "../chunk/cut";
import { decodeXor, newXorChunk, type XorAppender, type XorChunk } from "../chunk/xor";
import { BlockReader } from "./block-reader";
import { writeBlock, type WrittenBlock } from "./block-writer";
import { ChunkEncoding, type BlockChunk, type BlockSeries } from "./chunk";
import { BytesRangeReader, CountingRangeReader } from "./range-reader";
import { listBlockDirectories } from "./testing/block-dir";
import { createBlocksFromOpenMetrics, promtoolInstalled, PROMTOOL } from "./testing/promtool";

// Block size against Prometheus's own blocks for the very same samples (promtool 2.42 create-blocks-from
// openmetrics), the absolute size against the 1.3 bytes/sample target, and block write and read throughput
// (Node, one core, blocks in memory: no I/O in the figures).

const HOSTS = 6; // 1,740 node_exporter-like series × 480 samples (2 h at 15 s) ≈ 835 k samples

/** Chunks cut as Prometheus's head cuts them (the chunk package's rule), so both sides hold the same chunks. */
function encodeDataset(dataset: readonly DatasetSeries[]): BlockSeries[] {
  return dataset.map((s) => {
    const chunks: BlockChunk[] = [];
    let open: { chunk: XorChunk; appender: XorAppender; mint: number; maxt: number } | null = null;
    let nextAt = 0;
    const close = (): void => {
      if (open)
        chunks.push({
          mint: open.mint,
          maxt: open.maxt,
          encoding: ChunkEncoding.XOR,
          data: open.chunk.bytes().slice(),
        });
    };
    for (let i = 0; i < s.timestamps.length; i++) {
      const t = s.timestamps[i];
      const facts = open && {
        minTime: open.mint,
        maxTime: open.maxt,
        numSamples: open.appender.numSamples,
        byteLength: open.chunk.bytes().length,
        kind: "float" as const,
      };
      const decision = decideChunkCut(facts, t, nextAt);
      nextAt = decision.nextAt;
      if (decision.cut || open === null) {
        close();
        open = { ...newXorChunk(), mint: t, maxt: t };
      }
      open.appender.append(t, s.values[i]);
      open.maxt = t;
    }
    close();
    return { labels: s.labels, chunks };
  });
}

function blockBytes(block: WrittenBlock): number {
  return block.files.reduce((n, f) => n + f.bytes.length, 0);
}

/** Bytes of every block directory under `dir` (meta.json, index, chunks, tombstones). */
function directoryBytes(dir: string): number {
  let total = 0;
  for (const ulid of listBlockDirectories(dir)) {
    for (const name of ["meta.json", "index", "tombstones"]) total += statSync(join(dir, ulid, name)).size;
    for (let i = 1; ; i++) {
      const segment = join(dir, ulid, "chunks", String(i).padStart(6, "0"));
      try {
        total += statSync(segment).size;
      } catch {
        break;
      }
    }
  }
  return total;
}

function best(rounds: number, fn: () => void): number {
  let fastest = Infinity;
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    fn();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest / 1000;
}

async function bestAsync(rounds: number, fn: () => Promise<void>): Promise<number> {
  let fastest = Infinity;
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await fn();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest / 1000;
}

const bench: Benchmark = async (report) => {
  const name = "tsdb/block";
  const dataset = generateDataset({ seed: 1, hosts: HOSTS });
  const samples = datasetSampleCount(dataset);
  const encoded = encodeDataset(dataset);
  const chunkCount = encoded.reduce((n, s) => n + s.chunks.length, 0);

  // Size: ours, and Prometheus's for the same samples.
  const block = writeBlock(encoded);
  const ours = blockBytes(block);
  if (!promtoolInstalled()) throw new Error(`${PROMTOOL} is missing: run node scripts/system-deps.mjs`);
  const work = mkdtempSync(join(tmpdir(), "edgeprom-block-bench-"));
  let theirs: number;
  let prometheusSeconds: number;
  let identical = "no";
  try {
    writeFileSync(join(work, "data.om"), datasetToOpenMetrics(dataset));
    const start = performance.now();
    createBlocksFromOpenMetrics(join(work, "data.om"), join(work, "blocks"));
    prometheusSeconds = (performance.now() - start) / 1000;
    theirs = directoryBytes(join(work, "blocks"));
    const ulids = listBlockDirectories(join(work, "blocks"));
    if (ulids.length === 1) {
      const same = (name: string): boolean =>
        Buffer.from(readFileSync(join(work, "blocks", ulids[0], name))).equals(
          Buffer.from(block.files.find((f) => f.name === name)?.bytes ?? new Uint8Array()),
        );
      identical = same("index") && same("chunks/000001") && same("tombstones") ? "yes" : "no";
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const note =
    `${dataset.length} series, ${samples} samples, ${chunkCount} chunks; ours ${ours} B, Prometheus ${theirs} B; ` +
    `index, chunks and tombstones byte-identical: ${identical}`;
  report(
    {
      bench: name,
      metric: "bytes per sample vs Prometheus",
      value: ours / samples,
      unit: "B",
      baseline: theirs / samples,
    },
    note,
  );
  report({ bench: name, metric: "bytes per sample", value: ours / samples, unit: "B", baseline: 1.3 });
  const indexBytes = block.files.find((f) => f.name === "index")?.bytes.length ?? 0;
  const chunkDataBytes = encoded.reduce((n, s) => n + s.chunks.reduce((m, c) => m + c.data.length, 0), 0);
  report({
    bench: name,
    metric: "chunk data bytes per sample",
    value: chunkDataBytes / samples,
    unit: "B",
    baseline: null,
  });
  report(
    {
      bench: name,
      metric: "block format overhead per sample",
      value: (ours - chunkDataBytes) / samples,
      unit: "B",
      baseline: null,
    },
    "index, chunk record headers and CRCs, meta.json, tombstones",
  );
  report({
    bench: name,
    metric: "index bytes per series",
    value: indexBytes / dataset.length,
    unit: "B",
    baseline: null,
  });

  // Write: sorting, index, chunk records with CRC-32C, meta.json; from already-encoded chunks.
  const writeSeconds = best(5, () => void writeBlock(encoded));
  report({ bench: name, metric: "write", value: samples / writeSeconds, unit: "samples/s", baseline: null });
  report({ bench: name, metric: "write", value: ours / writeSeconds / 1e6, unit: "MB/s", baseline: null });
  report(
    {
      bench: name,
      metric: "promtool create-blocks-from (whole pipeline)",
      value: samples / prometheusSeconds,
      unit: "samples/s",
      baseline: null,
    },
    "promtool parses OpenMetrics text too: an upper bound on its block writing time, not a like-for-like figure",
  );

  // Read everything: open (TOC, symbols, postings table), all postings, all series, every chunk with its CRC.
  const file = (n: string): Uint8Array => block.files.find((f) => f.name === n)?.bytes as Uint8Array;
  const source = () => ({
    meta: block.meta,
    index: new CountingRangeReader(new BytesRangeReader(file("index"))),
    segments: [new BytesRangeReader(file("chunks/000001"))],
    tombstones: null,
  });
  let selected = 0;
  const readSeconds = await bestAsync(10, async () => {
    const reader = await BlockReader.open(source());
    selected = (await reader.select([], -Infinity, Infinity)).length;
  });
  if (selected !== dataset.length) throw new Error(`read ${selected} series of ${dataset.length}`);
  report({
    bench: name,
    metric: "read all (raw chunks)",
    value: samples / readSeconds,
    unit: "samples/s",
    baseline: null,
  });
  report({
    bench: name,
    metric: "read all (raw chunks)",
    value: ours / readSeconds / 1e6,
    unit: "MB/s",
    baseline: null,
  });

  const timestamps = new Float64Array(0xffff);
  const words = new Uint32Array(0xffff * 2);
  const decodeSeconds = await bestAsync(3, async () => {
    const reader = await BlockReader.open(source());
    let n = 0;
    for (const s of await reader.select([], -Infinity, Infinity)) {
      for (const c of s.chunks) n += decodeXor(c.data, timestamps, words, 0, null);
    }
    if (n !== samples) throw new Error(`decoded ${n} of ${samples}`);
  });
  report({
    bench: name,
    metric: "read all + decode",
    value: samples / decodeSeconds,
    unit: "samples/s",
    baseline: null,
  });

  // A dashboard-style query on an opened block: one metric of one host.
  const src = source();
  const reader = await BlockReader.open(src);
  const opened = src.index.requests;
  const matchers = [
    { type: "=" as const, name: "__name__", value: "node_cpu_seconds_total" },
    { type: "=" as const, name: "instance", value: "host-003:9100" },
  ];
  let series = 0;
  const querySeconds = await bestAsync(20, async () => {
    series = (await reader.select(matchers, block.meta.minTime, block.meta.maxTime)).length;
  });
  report(
    {
      bench: name,
      metric: "selective query (1 metric, 1 host)",
      value: querySeconds * 1000,
      unit: "ms",
      baseline: null,
    },
    `${series} series; index requests: ${opened} to open, ${(src.index.requests - opened) / 20} per query`,
  );
};

export default bench;
