import { BlockNotFoundError } from "./errors";

/**
 * The few object-storage operations blocks need. R2 implements it in the Durable Object glue
 * (`src/do/block-r2-store.ts`); `MemoryObjectStore` implements it for Node tests and tools.
 */
export interface ObjectStore {
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** The whole object, or null when there is none. */
  get(key: string): Promise<Uint8Array | null>;
  /** Exactly `length` bytes from `offset` of an existing object. */
  getRange(key: string, offset: number, length: number): Promise<Uint8Array>;
  /** Every object whose key starts with `prefix`, sorted by key. */
  list(prefix: string): Promise<ObjectInfo[]>;
  delete(keys: readonly string[]): Promise<void>;
}

export interface ObjectInfo {
  readonly key: string;
  readonly size: number;
}

/** An ObjectStore in memory; counts requests so tests can check what a query costs in round trips. */
export class MemoryObjectStore implements ObjectStore {
  readonly objects = new Map<string, Uint8Array>();
  requests = { put: 0, get: 0, getRange: 0, list: 0, delete: 0 };

  async put(key: string, bytes: Uint8Array): Promise<void> {
    this.requests.put++;
    this.objects.set(key, bytes.slice());
  }

  async get(key: string): Promise<Uint8Array | null> {
    this.requests.get++;
    return this.objects.get(key)?.slice() ?? null;
  }

  async getRange(key: string, offset: number, length: number): Promise<Uint8Array> {
    this.requests.getRange++;
    const bytes = this.objects.get(key);
    if (bytes === undefined) throw new ObjectNotFoundError(key);
    if (offset < 0 || length < 0 || offset + length > bytes.length) {
      throw new RangeError(`range [${offset}, ${offset + length}) outside ${key} (${bytes.length} bytes)`);
    }
    return bytes.slice(offset, offset + length);
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    this.requests.list++;
    return [...this.objects.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, bytes]) => ({ key, size: bytes.length }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(keys: readonly string[]): Promise<void> {
    this.requests.delete++;
    for (const key of keys) this.objects.delete(key);
  }
}

/** An object the catalog names is missing from the store. */
export class ObjectNotFoundError extends BlockNotFoundError {
  override readonly name: string = "ObjectNotFoundError";
  constructor(readonly key: string) {
    super(`object not found: ${key}`);
  }
}
