import { describe, expect, it } from "vitest";
import { BytesLru } from "./bytes-lru";

describe("BytesLru", () => {
  it("keeps the most recently used segments within its byte budget", () => {
    const cache = new BytesLru<number>(10);
    cache.put(1, new Uint8Array(4));
    cache.put(2, new Uint8Array(4));
    expect(cache.get(1)?.length).toBe(4); // 1 is now the most recently used
    cache.put(3, new Uint8Array(4)); // evicts 2
    expect(cache.get(2)).toBeUndefined();
    expect(cache.get(1)).toBeDefined();
    expect(cache.get(3)).toBeDefined();
    expect(cache.bytes).toBe(8);
    cache.put(4, new Uint8Array(11)); // larger than the whole budget: not kept, nothing evicted
    expect(cache.get(4)).toBeUndefined();
    expect(cache.bytes).toBe(8);
    cache.put(3, new Uint8Array(2)); // replacing an entry counts its new size
    expect(cache.bytes).toBe(6);
    cache.delete(1);
    cache.delete(99);
    expect(cache.bytes).toBe(2);
    cache.put(5, new Uint8Array(3));
    cache.deleteWhere((key) => key > 4);
    expect(cache.get(5)).toBeUndefined();
    expect(cache.bytes).toBe(2);
  });
});
