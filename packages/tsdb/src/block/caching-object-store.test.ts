import { describe, expect, it } from "vitest";
import { CachingObjectStore, isImmutableBlockFile } from "./caching-object-store";
import { MemoryObjectStore } from "./object-store";

describe("CachingObjectStore", () => {
  it("caches range reads of immutable block files only, evicting the least recently used", async () => {
    const inner = new MemoryObjectStore();
    await inner.put("blocks/s/U/index", new Uint8Array(100).fill(1));
    await inner.put("blocks/s/U/chunks/000001", new Uint8Array(100).fill(2));
    await inner.put("blocks/s/U/tombstones", new Uint8Array(100).fill(3));
    const cache = new CachingObjectStore(inner, 64);

    await cache.getRange("blocks/s/U/index", 0, 16);
    await cache.getRange("blocks/s/U/index", 0, 16);
    expect(inner.requests.getRange).toBe(1);
    await cache.getRange("blocks/s/U/tombstones", 0, 16);
    await cache.getRange("blocks/s/U/tombstones", 0, 16);
    expect(inner.requests.getRange).toBe(3); // tombstones are rewritten on delete: never cached

    for (let i = 0; i < 4; i++) await cache.getRange("blocks/s/U/chunks/000001", i * 16, 16);
    expect(cache.cachedBytes).toBeLessThanOrEqual(64);
    const before = inner.requests.getRange;
    await cache.getRange("blocks/s/U/index", 0, 16); // evicted by the four chunk reads
    expect(inner.requests.getRange).toBe(before + 1);
    expect(cache.hits).toBe(1);
  });

  it("forgets what a delete or an overwrite touches", async () => {
    const inner = new MemoryObjectStore();
    await inner.put("blocks/s/U/index", new Uint8Array([1, 2, 3, 4]));
    const cache = new CachingObjectStore(inner);
    expect(await cache.getRange("blocks/s/U/index", 0, 4)).toEqual(new Uint8Array([1, 2, 3, 4]));
    await cache.put("blocks/s/U/index", new Uint8Array([5, 6, 7, 8]));
    expect(await cache.getRange("blocks/s/U/index", 0, 4)).toEqual(new Uint8Array([5, 6, 7, 8]));
    await cache.delete(["blocks/s/U/index"]);
    expect(cache.cachedBytes).toBe(0);
    await expect(cache.getRange("blocks/s/U/index", 0, 4)).rejects.toThrow();
  });

  it("knows which block files never change", () => {
    expect(isImmutableBlockFile("blocks/shard-0/01ABC/index")).toBe(true);
    expect(isImmutableBlockFile("blocks/shard-0/01ABC/chunks/000002")).toBe(true);
    expect(isImmutableBlockFile("blocks/shard-0/01ABC/meta.json")).toBe(false);
    expect(isImmutableBlockFile("blocks/shard-0/catalog.json")).toBe(false);
  });
});
