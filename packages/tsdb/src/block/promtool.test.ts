import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlockReader } from "./block-reader";
import { writeBlock } from "./block-writer";
import { encodeTombstones } from "./tombstones";
import { decodeSeriesBits, encodeSeries, seriesBits } from "./testing/encode";
import type { FloatSeries } from "./testing/openmetrics";
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

  it("decodes promtool's chunks to the input samples, bit for bit", async () => {
    const dir = join(work, "prometheus");
    const decoded = new Map<string, { t: number; bits: string }[]>();
    for (const ulid of listBlockDirectories(dir)) {
      const reader = await BlockReader.open(blockSourceFromDirectory(join(dir, ulid)));
      for (const s of await reader.readAll()) {
        const key = JSON.stringify(s.labels);
        decoded.set(key, [...(decoded.get(key) ?? []), ...decodeSeriesBits(s.chunks)]);
      }
    }
    for (const s of dataset) expect(decoded.get(JSON.stringify(s.labels))).toEqual(seriesBits(s));
  });

  it("promtool dumps exactly the samples we encoded: odd values, stale markers, timestamps", async () => {
    const values = new Float64Array([1, 0.1, -0, NaN, Infinity, -Infinity, 5e-324, 1.7976931348623157e308, 0, 42]);
    const words = new Uint32Array(values.buffer);
    words[2 * 8] = 2; // value 8: the stale marker, written as bits
    words[2 * 8 + 1] = 0x7ff00000;
    const odd: FloatSeries = {
      labels: [
        { name: "__name__", value: "edge_case" },
        { name: "quote", value: 'say "hi" \\ ✓' },
      ],
      timestamps: [-3_600_000, -1, 0, 1, 2, 1_000, 1_001, 65_536_000, 65_536_001, 7_200_000_000],
      values,
    };
    const regular = sampleDataset({ seriesPerMetric: 5, start: 1_650_000_000_000, samples: 300, intervalMs: 30_000 });
    const all = [odd, ...regular];
    const dir = join(work, "encoded");
    const block = writeBlock(all.map((s) => encodeSeries(s)));
    writeBlockDirectory(dir, block);

    const dumped = dumpSamples(dir);
    const expected = all
      .flatMap((s) => [...s.timestamps].map((t, i) => ({ series: seriesString(s), value: s.values[i], timestamp: t })))
      .sort((a, b) => (a.series < b.series ? -1 : a.series > b.series ? 1 : a.timestamp - b.timestamp));
    expect(dumped.map((d) => d.series).sort()).toEqual(expected.map((e) => e.series).sort());
    const key = (x: { series: string; timestamp: number }): string => `${x.series} ${x.timestamp}`;
    const byKey = new Map(dumped.map((d) => [key(d), d.value]));
    const same = (a: number | undefined, b: number): boolean => Object.is(a, b) || (Number.isNaN(b) && Number.isNaN(a));
    expect(
      expected.filter((e) => !same(byKey.get(key(e)), e.value)).map((e) => [key(e), e.value, byKey.get(key(e))]),
    ).toEqual([]);
    expect(dumped).toHaveLength(expected.length);

    // promtool prints both NaNs as "NaN"; our reader shows which one is the stale marker.
    const reader = await BlockReader.open(blockSourceFromDirectory(join(dir, block.meta.ulid)));
    const [edge] = await reader.select([{ type: "=", name: "__name__", value: "edge_case" }], -Infinity, Infinity);
    const bits = decodeSeriesBits(edge.chunks);
    expect(bits[3].bits).toMatch(/^7ff8/); // an ordinary NaN stays ordinary
    expect(bits[8].bits).toBe("7ff00000:2");
  });

  it("promtool honours the tombstones we write", async () => {
    const dir = join(work, "tombstoned");
    const data = sampleDataset({ seriesPerMetric: 3, start: 1_600_000_000_000, samples: 200, intervalMs: 10_000 });
    const block = writeBlock(data.map((s) => encodeSeries(s)));
    const blockDir = writeBlockDirectory(dir, block);
    const reader = await BlockReader.open(blockSourceFromDirectory(blockDir));
    const refs = await reader.postingsForMatchers([{ type: "=", name: "__name__", value: "node_load1" }]);
    const deleted = { mint: 1_600_000_000_000 + 500_000, maxt: 1_600_000_000_000 + 999_999 };
    writeFileSync(join(blockDir, "tombstones"), encodeTombstones(new Map(refs.map((r) => [r, [deleted]]))));

    const dumped = dumpSamples(dir);
    const load = dumped.filter((d) => d.series.startsWith('{__name__="node_load1"'));
    expect(load.length).toBeGreaterThan(0);
    expect(load.every((d) => d.timestamp < deleted.mint || d.timestamp > deleted.maxt)).toBe(true);
    const total = data.reduce((n, s) => n + s.timestamps.length, 0);
    const removed = data
      .filter((s) => s.labels[0].value === "node_load1")
      .reduce((n, s) => n + s.timestamps.filter((t) => t >= deleted.mint && t <= deleted.maxt).length, 0);
    expect(removed).toBeGreaterThan(0);
    expect(dumped).toHaveLength(total - removed);
  });
});

function seriesString(s: FloatSeries): string {
  return `{${s.labels.map((l) => `${l.name}=${goQuote(l.value)}`).join(", ")}}`;
}

/** Go's strconv.Quote for the printable strings used here. */
function goQuote(v: string): string {
  return `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}
