import { BytesLru } from "../cache/bytes-lru";
import type { ObjectInfo, ObjectStore } from "./object-store";

/**
 * A small LRU cache of range reads in front of an ObjectStore, for the objects that never change once written
 * (block indexes and chunk segments, whose keys carry the block's ULID). Repeated dashboard queries then cost no R2
 * request for hot postings, series entries and chunks. Everything else (catalog, meta.json, tombstones) passes
 * through, and writes and deletes drop what they touch.
 */
export class CachingObjectStore implements ObjectStore {
  readonly #entries: BytesLru<string>;
  hits = 0;
  misses = 0;

  constructor(
    readonly inner: ObjectStore,
    readonly maxBytes = 16 * 1024 * 1024,
    readonly cacheable: (key: string) => boolean = isImmutableBlockFile,
  ) {
    this.#entries = new BytesLru(maxBytes);
  }

  get cachedBytes(): number {
    return this.#entries.bytes;
  }

  async getRange(key: string, offset: number, length: number): Promise<Uint8Array> {
    if (!this.cacheable(key) || length > this.maxBytes / 4) return this.inner.getRange(key, offset, length);
    const cacheKey = `${key}\u0000${offset}\u0000${length}`;
    const cached = this.#entries.get(cacheKey);
    if (cached !== undefined) {
      this.hits++;
      return cached;
    }
    this.misses++;
    const bytes = await this.inner.getRange(key, offset, length);
    this.#entries.put(cacheKey, bytes);
    return bytes;
  }

  get(key: string): Promise<Uint8Array | null> {
    return this.inner.get(key);
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    this.#forget([key]);
    await this.inner.put(key, bytes);
  }

  list(prefix: string): Promise<ObjectInfo[]> {
    return this.inner.list(prefix);
  }

  async delete(keys: readonly string[]): Promise<void> {
    this.#forget(keys);
    await this.inner.delete(keys);
  }

  #forget(keys: readonly string[]): void {
    const gone = new Set(keys);
    this.#entries.deleteWhere((k) => gone.has(k.slice(0, k.indexOf("\u0000"))));
  }
}

/** `.../<ulid>/index` and `.../<ulid>/chunks/NNNNNN` never change after upload. */
export function isImmutableBlockFile(key: string): boolean {
  return key.endsWith("/index") || /\/chunks\/\d{6}$/.test(key);
}
