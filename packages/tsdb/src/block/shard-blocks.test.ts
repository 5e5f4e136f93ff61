import { describe, expect, it } from "vitest";
import { xorHeadCodec } from "../head/xor-head-codec";
import { MemoryShardStorage } from "../shard/memory-shard-storage";
import { Shard } from "../shard/shard";
import { HOUR_MS } from "./compaction";
import { MemoryObjectStore } from "./object-store";
import { mergeSelectedSeries } from "./select-from-blocks";
import { ShardBlocks } from "./shard-blocks";
import { decodeSeriesBits } from "./testing/encode";

const START = 1_700_000_000_000 - (1_700_000_000_000 % (18 * HOUR_MS));
const STEP = 30_000;
const SAMPLES = (7 * HOUR_MS) / STEP; // 7 h of data

function labels(instance: string) {
  return [
    { name: "__name__", value: "up" },
    { name: "instance", value: instance },
    { name: "job", value: "node" },
  ];
}

/** A real shard (pure core over in-memory storage) with 7 h of samples for 3 series, checkpointed. */
function filledShard(): Shard {
  const shard = Shard.open(new MemoryShardStorage(), { codec: xorHeadCodec });
  for (let from = 0; from < SAMPLES; from += 60) {
    shard.append(
      ["a", "b", "c"].map((instance, k) => ({
        labels: labels(instance),
        samples: Array.from({ length: 60 }, (_, i) => ({ t: START + (from + i) * STEP, v: (from + i) * (k + 1) })),
      })),
    );
  }
  shard.checkpoint();
  return shard;
}

async function everything(shard: Shard, blocks: ShardBlocks): Promise<Map<string, number[]>> {
  const matchers = [{ type: "=" as const, name: "job", value: "node" }];
  const merged = mergeSelectedSeries([
    shard.select({ matchers, mint: -Infinity, maxt: Infinity }),
    await blocks.select(matchers, -Infinity, Infinity),
  ]);
  return new Map(merged.map((s) => [s.labels[1].value, decodeSeriesBits(s.chunks).map((x) => x.t)]));
}

describe("ShardBlocks: a shard's maintenance cycle", () => {
  it("moves closed ranges into blocks, drops them from the shard, and still answers every sample", async () => {
    const shard = filledShard();
    const objects = new MemoryObjectStore();
    const blocks = new ShardBlocks(objects, "shard-7");
    const before = await everything(shard, blocks);
    expect([...before.values()].map((ts) => ts.length)).toEqual([SAMPLES, SAMPLES, SAMPLES]);

    const now = START + 7 * HOUR_MS;
    expect(blocks.compactionBoundary(now)).toBe(START + 6 * HOUR_MS);
    const report = await blocks.maintain(shard, now);
    expect(report.written.map((m) => (m.minTime - START) / HOUR_MS)).toEqual([0, 2, 4]);
    expect(report.segmentsDropped.length).toBeGreaterThan(0);
    expect(shard.closedChunksBefore(START + 6 * HOUR_MS).series).toEqual([]);

    const after = await everything(shard, blocks);
    expect(after).toEqual(before);

    // Much later: the three 2 h blocks become one 6 h block; then retention removes it.
    const later = await blocks.maintain(shard, START + 9 * HOUR_MS);
    expect(later.compactions.map((c) => c.reason)).toEqual(["level"]);
    expect((await blocks.blocks()).map((m) => (m.maxTime - m.minTime) / HOUR_MS)).toEqual([6]);
    expect(await everything(shard, blocks)).toEqual(before);

    const expired = await blocks.maintain(shard, START + 6 * HOUR_MS + 15 * 24 * HOUR_MS);
    expect(expired.expired).toHaveLength(1);
    expect(await blocks.blocks()).toEqual([]);
  });

  it("answers label names and values and deletes across blocks", async () => {
    const shard = filledShard();
    const blocks = new ShardBlocks(new MemoryObjectStore(), "shard-8");
    await blocks.maintain(shard, START + 7 * HOUR_MS);
    expect(await blocks.labelNames()).toEqual(["__name__", "instance", "job"]);
    expect(await blocks.labelValues("instance")).toEqual(["a", "b", "c"]);
    const onlyA = { selectors: [[{ type: "=" as const, name: "instance", value: "a" }]] };
    expect(await blocks.labelValues("instance", onlyA)).toEqual(["a"]);
    expect(await blocks.labelValues("instance", { ...onlyA, mint: START + 100 * HOUR_MS })).toEqual([]);
    expect(
      (await blocks.series({ selectors: [[{ type: "=~", name: "instance", value: "a|c" }]] })).map((l) => l[1].value),
    ).toEqual(["a", "c"]);
    expect(await blocks.labelValues("instance", { limit: 2 })).toEqual(["a", "b"]);

    const deleted = await blocks.deleteSeries(
      [{ type: "=", name: "instance", value: "b" }],
      START,
      START + 3 * HOUR_MS,
    );
    expect(deleted).toHaveLength(2);
    const left = (await everything(shard, blocks)).get("b") ?? [];
    expect(left.every((t) => t > START + 3 * HOUR_MS)).toBe(true);
    expect(left).toHaveLength(SAMPLES - (3 * HOUR_MS) / STEP - 1);
  });

  it("serves repeated queries from its range cache", async () => {
    const shard = filledShard();
    const objects = new MemoryObjectStore();
    const blocks = new ShardBlocks(objects, "shard-9");
    await blocks.maintain(shard, START + 7 * HOUR_MS);
    const matchers = [{ type: "=" as const, name: "instance", value: "a" }];
    const first = await blocks.select(matchers, START, START + 5 * HOUR_MS);
    const requests = objects.requests.getRange;
    const second = await blocks.select(matchers, START, START + 5 * HOUR_MS);
    expect(second).toEqual(first);
    expect(objects.requests.getRange).toBe(requests);
    expect(blocks.cache.hits).toBeGreaterThan(0);
  });

  it("retries a select whose blocks a compaction elsewhere replaced", async () => {
    const shard = filledShard();
    const objects = new MemoryObjectStore();
    const reader = new ShardBlocks(objects, "shard-10");
    await reader.maintain(shard, START + 7 * HOUR_MS);
    const matchers = [{ type: "=" as const, name: "instance", value: "a" }];
    const expected = await new ShardBlocks(objects, "shard-10").select(matchers, -Infinity, Infinity);
    await reader.select([{ type: "=", name: "instance", value: "b" }], -Infinity, Infinity); // opens the 2 h blocks
    expect(await reader.blocks()).toHaveLength(3);
    // Another instance (a restarted object) merges the 2 h blocks into one 6 h block and deletes them.
    const other = new ShardBlocks(objects, "shard-10");
    expect((await other.maintain(shard, START + 9 * HOUR_MS)).compactions.map((c) => c.reason)).toEqual(["level"]);
    const again = await reader.select(matchers, -Infinity, Infinity);
    expect(again.map((s) => decodeSeriesBits(s.chunks))).toEqual(expected.map((s) => decodeSeriesBits(s.chunks)));
    expect(await reader.blocks()).toHaveLength(1); // the catalog was read again
  });
});
