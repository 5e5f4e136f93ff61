import { BlockFormatError } from "../block/errors";
import { ObjectNotFoundError, type ObjectInfo, type ObjectStore } from "../block/object-store";

/** R2 lists and deletes at most this many keys per call. */
const R2_MAX_KEYS_PER_CALL = 1000;

/**
 * The block layer's ObjectStore on an R2 bucket: whole-object GETs for small files (catalog, meta.json,
 * tombstones), ranged GETs for index and chunk reads, paginated listing, batched deletes.
 */
export class R2ObjectStore implements ObjectStore {
  constructor(
    readonly bucket: R2Bucket,
    /** Keys per list page and per delete call (R2's maximum; smaller in tests to exercise paging). */
    readonly keysPerCall = R2_MAX_KEYS_PER_CALL,
  ) {}

  async put(key: string, bytes: Uint8Array): Promise<void> {
    await this.bucket.put(key, bytes);
  }

  async get(key: string): Promise<Uint8Array | null> {
    const object = await this.bucket.get(key);
    return object === null ? null : new Uint8Array(await object.arrayBuffer());
  }

  async getRange(key: string, offset: number, length: number): Promise<Uint8Array> {
    if (length === 0) return new Uint8Array(0);
    const object = await this.bucket.get(key, { range: { offset, length } });
    if (object === null) throw new ObjectNotFoundError(key);
    const bytes = new Uint8Array(await object.arrayBuffer());
    if (bytes.length !== length) {
      throw new BlockFormatError(`${key}: asked for ${length} bytes at ${offset}, R2 returned ${bytes.length}`);
    }
    return bytes;
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.bucket.list({ prefix, cursor, limit: this.keysPerCall });
      for (const o of page.objects) out.push({ key: o.key, size: o.size });
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor !== undefined);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += this.keysPerCall) {
      await this.bucket.delete(keys.slice(i, i + this.keysPerCall));
    }
  }
}
