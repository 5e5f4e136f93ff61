import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { BlockReader } from "../block/block-reader";
import { BlockStore } from "../block/block-store";
import { ChunkEncoding } from "../block/chunk";
import { compactClosedChunks } from "../block/compaction";
import { ObjectNotFoundError } from "../block/object-store";
import { selectFromBlocks } from "../block/select-from-blocks";
import { newXorChunk } from "../chunk/xor";
import { R2ObjectStore } from "./block-r2-store";

const bucket = (env as unknown as { BLOCKS: R2Bucket }).BLOCKS;

function xorChunk(
  start: number,
  n: number,
  step: number,
): { mint: number; maxt: number; encoding: number; data: Uint8Array } {
  const { chunk, appender } = newXorChunk();
  for (let i = 0; i < n; i++) appender.append(start + i * step, i * 0.5);
  return { mint: start, maxt: start + (n - 1) * step, encoding: ChunkEncoding.XOR, data: chunk.bytes().slice() };
}

describe("R2ObjectStore (real R2 binding in workerd)", () => {
  it("puts, gets whole and ranged, lists across pages and deletes in batches", async () => {
    const store = new R2ObjectStore(bucket, 10);
    const bytes = Uint8Array.from({ length: 5000 }, (_, i) => i & 0xff);
    await store.put("test/a/object", bytes);
    expect(await store.get("test/a/object")).toEqual(bytes);
    expect(await store.get("test/a/missing")).toBeNull();
    expect(await store.getRange("test/a/object", 1000, 16)).toEqual(bytes.slice(1000, 1016));
    expect(await store.getRange("test/a/object", 4990, 10)).toEqual(bytes.slice(4990));
    await expect(store.getRange("test/a/missing", 0, 4)).rejects.toThrow(ObjectNotFoundError);

    const keys = Array.from({ length: 25 }, (_, i) => `test/many/${String(i).padStart(5, "0")}`);
    await Promise.all(keys.map((k) => store.put(k, new Uint8Array([1, 2, 3]))));
    const listed = await store.list("test/many/");
    expect(listed.map((o) => o.key)).toEqual(keys);
    expect(listed.every((o) => o.size === 3)).toBe(true);
    await store.delete(keys);
    expect(await store.list("test/many/")).toEqual([]);
  });

  it("stores blocks that read back through ranged GETs", async () => {
    const store = new BlockStore(new R2ObjectStore(bucket), "shard-r2");
    const start = 1_700_002_800_000; // a 2 h boundary
    const series = Array.from({ length: 50 }, (_, i) => ({
      labels: [
        { name: "__name__", value: "r2_metric" },
        { name: "i", value: String(i).padStart(3, "0") },
      ],
      chunks: [xorChunk(start, 120, 15_000), xorChunk(start + 120 * 15_000, 120, 15_000)],
    }));
    const [meta] = await compactClosedChunks(store, series);
    expect(meta.stats).toEqual({ numSamples: 50 * 240, numSeries: 50, numChunks: 100 });
    expect((await bucket.get(`blocks/shard-r2/${meta.ulid}/meta.json`))?.size).toBeGreaterThan(0);

    const fresh = new BlockStore(new R2ObjectStore(bucket), "shard-r2");
    const selected = await selectFromBlocks(fresh, [{ type: "=~", name: "i", value: "00[0-4]" }], start, start + 1000);
    expect(selected.map((s) => s.labels[1].value)).toEqual(["000", "001", "002", "003", "004"]);
    expect(selected.every((s) => s.chunks.length === 1 && s.chunks[0].data.length > 0)).toBe(true);

    const reader: BlockReader = await fresh.open(meta.ulid);
    expect(await reader.labelValues("__name__")).toEqual(["r2_metric"]);
    await fresh.remove([meta.ulid]);
    expect(await bucket.list({ prefix: `blocks/shard-r2/${meta.ulid}/` })).toMatchObject({ objects: [] });
  });
});
