/**
 * Byte arrays by key, bounded by their total size, least recently used out first: the in-memory caches of data
 * that never changes once written (a shard's chunk segments, block files in R2).
 */
export class BytesLru<K> {
  readonly maxBytes: number;
  readonly #data = new Map<K, Uint8Array>();
  #bytes = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  /** Bytes held. */
  get bytes(): number {
    return this.#bytes;
  }

  get(key: K): Uint8Array | undefined {
    const data = this.#data.get(key);
    if (data !== undefined) {
      // Map iteration order is insertion order: re-inserting makes this the most recently used.
      this.#data.delete(key);
      this.#data.set(key, data);
    }
    return data;
  }

  /** Keeps `data` unless it alone exceeds the budget; evicts the least recently used to make room. */
  put(key: K, data: Uint8Array): void {
    this.delete(key);
    if (data.length > this.maxBytes) return;
    this.#data.set(key, data);
    this.#bytes += data.length;
    for (const [oldest, old] of this.#data) {
      if (this.#bytes <= this.maxBytes) break;
      this.#data.delete(oldest);
      this.#bytes -= old.length;
    }
  }

  delete(key: K): void {
    const data = this.#data.get(key);
    if (data === undefined) return;
    this.#data.delete(key);
    this.#bytes -= data.length;
  }

  /** Drops every entry whose key matches. */
  deleteWhere(matches: (key: K) => boolean): void {
    for (const key of [...this.#data.keys()]) if (matches(key)) this.delete(key);
  }
}
