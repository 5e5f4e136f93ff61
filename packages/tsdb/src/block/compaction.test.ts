import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BlockStore } from "./block-store";
import { codecChunkRewriter } from "./codec-rewriter";
import { compactBlocks, compactClosedChunks, HOUR_MS } from "./compaction";
import { deleteSeriesInBlocks } from "./delete-series";
import { catalogKey, shardPrefix } from "./layout";
import { MemoryObjectStore } from "./object-store";
import { applyRetention } from "./retention";
import { selectFromBlocks } from "./select-from-blocks";
import { decodeSeriesBits, encodeSeries } from "./testing/encode";
import { sampleDataset, type FloatSeries } from "./testing/openmetrics";
import { dumpSamples } from "./testing/promtool";

const START = 1_700_000_000_000 - (1_700_000_000_000 % (18 * HOUR_MS)); // aligned to every level range
const rewriter = codecChunkRewriter();
const work = mkdtempSync(join(tmpdir(), "edgeprom-compaction-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function dataset(samples: number, intervalMs = 60_000, start = START): FloatSeries[] {
  return sampleDataset({ seriesPerMetric: 4, start, samples, intervalMs });
}

/** Every sample the shard's blocks return, as "labels@t=bits" strings, sorted. */
async function allSamples(store: BlockStore, mint = -Infinity, maxt = Infinity): Promise<string[]> {
  const out: string[] = [];
  for (const s of await selectFromBlocks(store, [], mint, maxt, { rewriter })) {
    const name = s.labels.map((l) => `${l.name}=${l.value}`).join(",");
    for (const x of decodeSeriesBits(s.chunks)) if (x.t >= mint && x.t <= maxt) out.push(`${name}@${x.t}=${x.bits}`);
  }
  return out.sort();
}

function expectedSamples(data: readonly FloatSeries[], keep: (s: FloatSeries, t: number) => boolean = () => true) {
  const out: string[] = [];
  for (const s of data) {
    const name = s.labels.map((l) => `${l.name}=${l.value}`).join(",");
    const bits = decodeSeriesBits(encodeSeries(s).chunks);
    for (const x of bits) if (keep(s, x.t)) out.push(`${name}@${x.t}=${x.bits}`);
  }
  return out.sort();
}

/** Copies a shard's block objects into a directory and has promtool dump them. */
function promtoolDump(objects: MemoryObjectStore, shard: string, name: string) {
  const dir = join(work, name);
  for (const [key, bytes] of objects.objects) {
    if (!key.startsWith(shardPrefix(shard)) || key === catalogKey(shard)) continue;
    const path = join(dir, key.slice(shardPrefix(shard).length));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
  }
  return dumpSamples(dir);
}

describe("compaction into R2-style blocks", () => {
  it("writes closed chunks into one block per aligned 2 h range, readable by us and by promtool", async () => {
    const objects = new MemoryObjectStore();
    const store = new BlockStore(objects, "shard-0");
    const data = dataset(300); // 5 h at 1 minute
    const metas = await compactClosedChunks(
      store,
      data.map((s) => encodeSeries(s)),
    );
    expect(metas.map((m) => [m.minTime - START, m.maxTime - START])).toEqual([
      [0, 2 * HOUR_MS],
      [2 * HOUR_MS, 4 * HOUR_MS],
      [4 * HOUR_MS, 6 * HOUR_MS],
    ]);
    expect((await store.catalog()).blocks.map((b) => b.meta.ulid)).toEqual(metas.map((m) => m.ulid));
    for (const m of metas) {
      for (const file of ["meta.json", "index", "chunks/000001", "tombstones"]) {
        expect(objects.objects.has(`blocks/shard-0/${m.ulid}/${file}`), file).toBe(true);
      }
    }
    expect(await allSamples(store)).toEqual(expectedSamples(data));
    expect(promtoolDump(objects, "shard-0", "closed")).toHaveLength(expectedSamples(data).length);

    // A fresh store (a restarted Durable Object) reads the same through the catalog.
    const reopened = new BlockStore(objects, "shard-0");
    expect(await allSamples(reopened, START + HOUR_MS, START + 3 * HOUR_MS)).toEqual(
      expectedSamples(data, (_, t) => t >= START + HOUR_MS && t <= START + 3 * HOUR_MS),
    );
  });

  it("applies the shard's own deletions while compacting its closed chunks", async () => {
    const store = new BlockStore(new MemoryObjectStore(), "shard-6");
    const data = dataset(100);
    const deleted = { mint: START + 10 * 60_000, maxt: START + 20 * 60_000 };
    const closed = data.map((s, i) => ({ ...encodeSeries(s), tombstones: i === 0 ? [deleted] : [] }));
    const [meta] = await compactClosedChunks(store, closed, { rewriter });
    const isDeleted = (s: FloatSeries, t: number): boolean => s === data[0] && t >= deleted.mint && t <= deleted.maxt;
    const remaining = expectedSamples(data, (s, t) => !isDeleted(s, t));
    expect(remaining.length).toBeLessThan(expectedSamples(data).length);
    expect(await allSamples(store)).toEqual(remaining);
    expect(meta.stats.numSamples).toBe(remaining.length);
  });

  it("merges late and duplicated chunks: overlapping blocks are read deduplicated and compacted into one", async () => {
    const objects = new MemoryObjectStore();
    const store = new BlockStore(objects, "shard-1");
    const data = dataset(100);
    const encoded = data.map((s) => encodeSeries(s));
    await compactClosedChunks(store, encoded);
    // The same chunks again (an upload retried after a crash) plus late samples of a new series in the range.
    const late: FloatSeries = {
      labels: [
        { name: "__name__", value: "late_metric" },
        { name: "job", value: "node" },
      ],
      timestamps: [START + 10_000, START + 20_000],
      values: [1, 2],
    };
    await compactClosedChunks(store, [...encoded, encodeSeries(late)]);
    expect((await store.catalog()).blocks).toHaveLength(2);
    expect(await allSamples(store)).toEqual(expectedSamples([...data, late]));

    const steps = await compactBlocks(store, { rewriter, now: START + 100 * HOUR_MS });
    expect(steps.map((s) => s.reason)).toEqual(["overlap"]);
    const catalog = await store.catalog();
    expect(catalog.blocks).toHaveLength(1);
    expect(catalog.blocks[0].meta.compaction.level).toBe(2);
    expect(catalog.blocks[0].meta.compaction.parents).toHaveLength(2);
    expect(await allSamples(store)).toEqual(expectedSamples([...data, late]));
    // Only the merged block's objects remain.
    const ulid = catalog.blocks[0].meta.ulid;
    expect([...objects.objects.keys()].filter((k) => k !== catalogKey("shard-1")).every((k) => k.includes(ulid))).toBe(
      true,
    );
  });

  it("honours deletes at once and rewrites them away on the next compaction", async () => {
    const objects = new MemoryObjectStore();
    const store = new BlockStore(objects, "shard-2");
    const data = dataset(200);
    await compactClosedChunks(
      store,
      data.map((s) => encodeSeries(s)),
    );
    const from = START + 30 * 60_000;
    const to = START + 150 * 60_000 - 1;
    const matchers = [{ type: "=" as const, name: "__name__", value: "node_load1" }];
    const marked = await deleteSeriesInBlocks(store, matchers, from, to);
    expect(marked.length).toBe(2); // both 2 h blocks meet the interval
    const isDeleted = (s: FloatSeries, t: number): boolean =>
      s.labels[0].value === "node_load1" && t >= from && t <= to;
    const remaining = expectedSamples(data, (s, t) => !isDeleted(s, t));
    expect(await allSamples(store)).toEqual(remaining);
    expect((await store.catalog()).blocks.every((b) => (b.meta.stats.numTombstones ?? 0) > 0)).toBe(true);
    const metaJson = new TextDecoder().decode(objects.objects.get(`blocks/shard-2/${marked[0].ulid}/meta.json`));
    expect(metaJson).toContain('"numTombstones": 4');
    expect(promtoolDump(objects, "shard-2", "tombstoned")).toHaveLength(remaining.length);

    const steps = await compactBlocks(store, { rewriter, now: START + 3 * HOUR_MS });
    expect(steps.map((s) => s.reason)).toEqual(["tombstones", "tombstones"]);
    expect((await store.catalog()).blocks.every((b) => !b.meta.stats.numTombstones)).toBe(true);
    expect(await allSamples(store)).toEqual(remaining);
    expect((await store.catalog()).blocks.reduce((n, b) => n + b.meta.stats.numSamples, 0)).toBe(remaining.length);
  });

  it("merges adjacent 2 h blocks into a 6 h block once the range is over", async () => {
    const objects = new MemoryObjectStore();
    const store = new BlockStore(objects, "shard-3");
    const data = dataset(360); // 6 h
    await compactClosedChunks(
      store,
      data.map((s) => encodeSeries(s)),
    );
    expect(await compactBlocks(store, { rewriter, now: START + 7 * HOUR_MS })).toEqual([]); // not over yet
    const steps = await compactBlocks(store, { rewriter, now: START + 8 * HOUR_MS });
    expect(steps.map((s) => [s.reason, s.sources.length])).toEqual([["level", 3]]);
    const [block] = (await store.catalog()).blocks;
    expect([block.meta.minTime - START, block.meta.maxTime - START]).toEqual([0, 6 * HOUR_MS]);
    expect(block.meta.compaction.sources).toHaveLength(3);
    expect(await allSamples(store)).toEqual(expectedSamples(data));
    expect(promtoolDump(objects, "shard-3", "level2")).toHaveLength(expectedSamples(data).length);
  });

  it("applies time-based retention to whole blocks", async () => {
    const store = new BlockStore(new MemoryObjectStore(), "shard-4");
    await compactClosedChunks(
      store,
      dataset(300).map((s) => encodeSeries(s)),
    );
    const retention = 24 * HOUR_MS;
    expect(await applyRetention(store, { retention, now: START + 25 * HOUR_MS })).toEqual([]); // 1st block ends at 2 h
    const expired = await applyRetention(store, { retention, now: START + 28 * HOUR_MS });
    expect(expired.map((m) => m.minTime - START)).toEqual([0, 2 * HOUR_MS]);
    expect((await store.catalog()).blocks.map((b) => b.meta.minTime - START)).toEqual([4 * HOUR_MS]);
    expect(store.objects instanceof MemoryObjectStore && [...store.objects.objects.keys()]).toHaveLength(5);
  });

  it("recovers the catalog from the block files and collects files of interrupted uploads", async () => {
    const objects = new MemoryObjectStore();
    const store = new BlockStore(objects, "shard-5");
    const data = dataset(150);
    const metas = await compactClosedChunks(
      store,
      data.map((s) => encodeSeries(s)),
    );
    objects.objects.set("blocks/shard-5/01JUNKJUNKJUNKJUNKJUNKJUNK/index", new Uint8Array(10)); // no meta.json
    objects.objects.delete(catalogKey("shard-5"));

    const fresh = new BlockStore(objects, "shard-5");
    expect((await fresh.catalog()).blocks).toEqual([]);
    const rebuilt = await fresh.rebuildCatalog();
    expect(rebuilt.blocks.map((b) => b.meta.ulid)).toEqual(metas.map((m) => m.ulid));
    expect(await allSamples(fresh)).toEqual(expectedSamples(data));
    expect(await fresh.collectGarbage()).toBe(1);
    expect(objects.objects.has("blocks/shard-5/01JUNKJUNKJUNKJUNKJUNKJUNK/index")).toBe(false);
  });
});
