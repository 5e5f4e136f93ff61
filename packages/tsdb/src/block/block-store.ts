import { BlockReader, type BlockSource } from "./block-reader";
import type { WrittenBlock } from "./block-writer";
import { decodeCatalog, EMPTY_CATALOG, encodeCatalog, sortEntries, type Catalog, type CatalogEntry } from "./catalog";
import { segmentFileName } from "./chunks-writer";
import { BlockNotFoundError } from "./errors";
import { blockFileKey, blockPrefix, catalogKey, shardPrefix } from "./layout";
import { decodeMetaJson, encodeMetaJson, type BlockMeta } from "./meta";
import type { ObjectStore } from "./object-store";
import type { RangeReader } from "./range-reader";
import { encodeTombstones, type Tombstones } from "./tombstones";

/** How many opened blocks (their TOC, symbols and postings offset table) a store keeps in memory. */
const DEFAULT_OPEN_BLOCKS = 32;

/**
 * One shard's blocks in an object store: the catalog, uploads, deletes, tombstone updates and opened readers.
 * Only the owning shard writes its prefix (a Durable Object is single-threaded), so the catalog needs no locking;
 * the order of writes keeps it true after a crash at any point: block files first and the catalog last on upload,
 * the catalog first and the files after on delete. Files no catalog names are garbage for `collectGarbage`.
 */
export class BlockStore {
  #catalog: Catalog | null = null;
  readonly #readers = new Map<string, Promise<BlockReader>>();

  constructor(
    readonly objects: ObjectStore,
    readonly shard: string,
    readonly maxOpenBlocks = DEFAULT_OPEN_BLOCKS,
  ) {}

  async catalog(): Promise<Catalog> {
    if (this.#catalog === null) {
      const bytes = await this.objects.get(catalogKey(this.shard));
      this.#catalog = bytes === null ? EMPTY_CATALOG : decodeCatalog(bytes);
    }
    return this.#catalog;
  }

  /** Forgets the cached catalog and opened readers, so the next call reads the catalog again. */
  refresh(): void {
    this.#catalog = null;
    this.#readers.clear();
  }

  async #saveCatalog(blocks: readonly CatalogEntry[]): Promise<void> {
    const catalog: Catalog = { version: 1, blocks: sortEntries(blocks) };
    await this.objects.put(catalogKey(this.shard), encodeCatalog(catalog));
    this.#catalog = catalog;
  }

  /** Uploads a block's files (meta.json last), then adds it to the catalog. */
  async upload(block: WrittenBlock): Promise<CatalogEntry> {
    const { ulid } = block.meta;
    // Data files in parallel, then meta.json (a directory without it is no block to Prometheus), then the catalog.
    await Promise.all(
      block.files
        .filter((f) => f.name !== "meta.json")
        .map((f) => this.objects.put(blockFileKey(this.shard, ulid, f.name), f.bytes)),
    );
    for (const f of block.files.filter((file) => file.name === "meta.json")) {
      await this.objects.put(blockFileKey(this.shard, ulid, f.name), f.bytes);
    }
    const size = (name: string): number => block.files.find((f) => f.name === name)?.bytes.length ?? 0;
    const segmentSizes: number[] = [];
    while (block.files.some((f) => f.name === segmentFileName(segmentSizes.length))) {
      segmentSizes.push(size(segmentFileName(segmentSizes.length)));
    }
    const entry: CatalogEntry = {
      meta: block.meta,
      indexSize: size("index"),
      segmentSizes,
      tombstonesSize: size("tombstones"),
    };
    const catalog = await this.catalog();
    await this.#saveCatalog([...catalog.blocks.filter((b) => b.meta.ulid !== ulid), entry]);
    return entry;
  }

  /** Removes blocks from the catalog, then deletes their files. */
  async remove(ulids: readonly string[]): Promise<void> {
    if (ulids.length === 0) return;
    const gone = new Set(ulids);
    const catalog = await this.catalog();
    const removed = catalog.blocks.filter((b) => gone.has(b.meta.ulid));
    await this.#saveCatalog(catalog.blocks.filter((b) => !gone.has(b.meta.ulid)));
    for (const ulid of ulids) this.#readers.delete(ulid);
    const keys = removed.flatMap((b) => this.#fileKeys(b));
    for (let i = 0; i < keys.length; i += 1000) await this.objects.delete(keys.slice(i, i + 1000));
  }

  #fileKeys(entry: CatalogEntry): string[] {
    const ulid = entry.meta.ulid;
    return [
      "index",
      "tombstones",
      ...entry.segmentSizes.map((_, i) => segmentFileName(i)),
      "meta.json", // last: a block directory without meta.json is ignored by Prometheus
    ].map((name) => blockFileKey(this.shard, ulid, name));
  }

  /** Replaces a block's tombstones file and its meta's tombstone count. */
  async writeTombstones(ulid: string, tombstones: Tombstones): Promise<CatalogEntry> {
    const catalog = await this.catalog();
    const entry = catalog.blocks.find((b) => b.meta.ulid === ulid);
    if (entry === undefined) throw new BlockNotFoundError(`block ${ulid} is not in shard ${this.shard}'s catalog`);
    const bytes = encodeTombstones(tombstones);
    let numTombstones = 0;
    for (const intervals of tombstones.values()) numTombstones += intervals.length;
    const meta: BlockMeta = { ...entry.meta, stats: { ...entry.meta.stats, numTombstones } };
    await this.objects.put(blockFileKey(this.shard, ulid, "tombstones"), bytes);
    await this.objects.put(blockFileKey(this.shard, ulid, "meta.json"), new TextEncoder().encode(encodeMetaJson(meta)));
    const updated: CatalogEntry = { ...entry, meta, tombstonesSize: bytes.length };
    await this.#saveCatalog(catalog.blocks.map((b) => (b.meta.ulid === ulid ? updated : b)));
    this.#readers.delete(ulid);
    return updated;
  }

  /** An opened reader for a catalogued block (cached; the least recently used are closed beyond the limit). */
  async open(ulid: string): Promise<BlockReader> {
    const cached = this.#readers.get(ulid);
    if (cached !== undefined) {
      this.#readers.delete(ulid);
      this.#readers.set(ulid, cached);
      return cached;
    }
    const entry = (await this.catalog()).blocks.find((b) => b.meta.ulid === ulid);
    if (entry === undefined) throw new BlockNotFoundError(`block ${ulid} is not in shard ${this.shard}'s catalog`);
    const opening = this.#openEntry(entry);
    this.#readers.set(ulid, opening);
    opening.catch(() => this.#readers.delete(ulid));
    while (this.#readers.size > this.maxOpenBlocks) {
      const oldest = this.#readers.keys().next().value as string;
      this.#readers.delete(oldest);
    }
    return opening;
  }

  async #openEntry(entry: CatalogEntry): Promise<BlockReader> {
    const ulid = entry.meta.ulid;
    const tombstones =
      (entry.meta.stats.numTombstones ?? 0) > 0
        ? await this.objects.get(blockFileKey(this.shard, ulid, "tombstones"))
        : null;
    const source: BlockSource = {
      meta: entry.meta,
      index: this.#rangeReader(blockFileKey(this.shard, ulid, "index"), entry.indexSize),
      segments: entry.segmentSizes.map((size, i) =>
        this.#rangeReader(blockFileKey(this.shard, ulid, segmentFileName(i)), size),
      ),
      tombstones,
    };
    return BlockReader.open(source);
  }

  #rangeReader(key: string, size: number): RangeReader {
    const objects = this.objects;
    return { size, read: (offset, length) => objects.getRange(key, offset, length) };
  }

  /**
   * Rebuilds the catalog from the block directories present (each block's meta.json and file listing), for
   * recovery when catalog.json is lost. Blocks without meta.json (interrupted uploads) are left out.
   */
  async rebuildCatalog(): Promise<Catalog> {
    const objects = await this.objects.list(shardPrefix(this.shard));
    const sizes = new Map(objects.map((o) => [o.key, o.size]));
    const entries: CatalogEntry[] = [];
    for (const { key } of objects.filter((o) => o.key.endsWith("/meta.json"))) {
      const bytes = await this.objects.get(key);
      if (bytes === null) continue;
      const meta = decodeMetaJson(new TextDecoder().decode(bytes));
      const prefix = blockPrefix(this.shard, meta.ulid);
      const segmentSizes: number[] = [];
      while (sizes.has(prefix + segmentFileName(segmentSizes.length))) {
        segmentSizes.push(sizes.get(prefix + segmentFileName(segmentSizes.length)) as number);
      }
      const indexSize = sizes.get(prefix + "index");
      if (indexSize === undefined || segmentSizes.length === 0) continue; // incomplete upload
      entries.push({ meta, indexSize, segmentSizes, tombstonesSize: sizes.get(prefix + "tombstones") ?? 0 });
    }
    await this.#saveCatalog(entries);
    this.#readers.clear();
    return this.#catalog as Catalog;
  }

  /** Deletes files under the shard prefix that belong to no catalogued block (left by interrupted uploads). */
  async collectGarbage(): Promise<number> {
    const catalog = await this.catalog();
    const live = new Set(catalog.blocks.map((b) => blockPrefix(this.shard, b.meta.ulid)));
    const stray = (await this.objects.list(shardPrefix(this.shard)))
      .map((o) => o.key)
      .filter(
        (k) =>
          k !== catalogKey(this.shard) && !live.has(k.slice(0, k.indexOf("/", shardPrefix(this.shard).length) + 1)),
      );
    for (let i = 0; i < stray.length; i += 1000) await this.objects.delete(stray.slice(i, i + 1000));
    return stray.length;
  }
}
