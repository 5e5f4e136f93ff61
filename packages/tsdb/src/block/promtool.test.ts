import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlockReader } from "./block-reader";
import { writeBlock } from "./block-writer";
import { blockSourceFromDirectory, listBlockDirectories, writeBlockDirectory } from "./testing/block-dir";
import { sampleDataset, toOpenMetrics } from "./testing/openmetrics";
import { createBlocksFromOpenMetrics, dumpSamples, promtool, promtoolInstalled, PROMTOOL } from "./testing/promtool";

// Prometheus's own tool is the judge of our block format: promtool 2.42 builds blocks from OpenMetrics text, we
// read them, write them again with our writer and compare bytes; promtool then reads what we wrote.
describe("Prometheus TSDB blocks, checked with promtool", () => {
  let work: string;
  const dataset = sampleDataset({ seriesPerMetric: 12, start: 1_700_000_000_000, samples: 700, intervalMs: 15_000 });

  beforeAll(() => {
    if (!promtoolInstalled()) {
      throw new Error(`${PROMTOOL} is missing: run \`node scripts/system-deps.mjs\` (Debian package prometheus)`);
    }
    work = mkdtempSync(join(tmpdir(), "edgeprom-blocks-"));
    writeFileSync(join(work, "input.om"), toOpenMetrics(dataset));
    createBlocksFromOpenMetrics(join(work, "input.om"), join(work, "prometheus"));
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("rewrites Prometheus's own blocks byte for byte", async () => {
    const ulids = listBlockDirectories(join(work, "prometheus"));
    expect(ulids.length).toBeGreaterThan(1); // 700 × 15 s spans more than one 2 h block
    for (const ulid of ulids) {
      const source = blockSourceFromDirectory(join(work, "prometheus", ulid));
      const reader = await BlockReader.open(source);
      const series = await reader.readAll();
      const ours = writeBlock(series, {
        ulid,
        minTime: source.meta.minTime,
        maxTime: source.meta.maxTime,
        compaction: source.meta.compaction,
      });
      expect(ours.meta).toEqual(source.meta);
      expect(ours.files.map((f) => f.name).sort()).toEqual([...source.files.keys()].sort());
      for (const file of ours.files) {
        const theirs = source.files.get(file.name) as Uint8Array;
        expect(Buffer.from(file.bytes).equals(Buffer.from(theirs)), `${ulid}/${file.name} differs`).toBe(true);
      }
    }
  });

  it("reads promtool's blocks: every series and sample count matches the input", async () => {
    const dir = join(work, "prometheus");
    const seen = new Map<string, number>();
    for (const ulid of listBlockDirectories(dir)) {
      const reader = await BlockReader.open(blockSourceFromDirectory(join(dir, ulid)));
      const selected = await reader.select([{ type: "=", name: "job", value: "node" }], -Infinity, Infinity);
      let samples = 0;
      for (const s of selected) {
        const key = JSON.stringify(s.labels);
        const n = s.chunks.reduce((sum, c) => sum + ((c.data[0] << 8) | c.data[1]), 0);
        seen.set(key, (seen.get(key) ?? 0) + n);
        samples += n;
      }
      expect(samples).toBe(reader.meta.stats.numSamples);
    }
    expect(seen.size).toBe(dataset.length);
    for (const s of dataset) expect(seen.get(JSON.stringify(s.labels))).toBe(s.timestamps.length);
  });

  it("promtool lists, analyzes and dumps blocks we wrote with the same samples as its own", async () => {
    const ourDir = join(work, "ours");
    const sourceDir = join(work, "prometheus");
    for (const ulid of listBlockDirectories(sourceDir)) {
      const reader = await BlockReader.open(blockSourceFromDirectory(join(sourceDir, ulid)));
      writeBlockDirectory(ourDir, writeBlock(await reader.readAll(), { minTime: reader.meta.minTime }));
    }
    const listing = promtool(["tsdb", "list", ourDir]);
    for (const ulid of listBlockDirectories(ourDir)) expect(listing).toContain(ulid);
    const analysis = promtool(["tsdb", "analyze", ourDir]);
    expect(analysis).toMatch(/Series: \d+/);

    const theirs = dumpSamples(sourceDir);
    const ours = dumpSamples(ourDir);
    expect(ours.length).toBe(dataset.reduce((n, s) => n + s.timestamps.length, 0));
    expect(ours).toEqual(theirs);
  });
});
