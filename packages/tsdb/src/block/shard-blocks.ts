import type { BlockReader, SelectedSeries } from "./block-reader";
import { BlockStore } from "./block-store";
import { CachingObjectStore } from "./caching-object-store";
import type { ChunkRewriter } from "./chunk-rewriter";
import { codecChunkRewriter } from "./codec-rewriter";
import {
  alignDown,
  compactBlocks,
  compactClosedChunks,
  DEFAULT_BLOCK_RANGE_MS,
  DEFAULT_RETENTION_MS,
  type ClosedSeries,
  type CompactionStep,
} from "./compaction";
import { deleteSeriesInBlocks, type DeletedInBlock } from "./delete-series";
import { BlockNotFoundError } from "./errors";
import { compareLabelSets, compareUtf8, labelSetKey, type Label } from "./labels";
import type { LabelMatcher } from "./matchers";
import type { BlockMeta } from "./meta";
import type { ObjectStore } from "./object-store";
import { applyRetention } from "./retention";
import { selectFromBlocks } from "./select-from-blocks";

/** The shard's metadata request (Prometheus's `match[]`, `start`, `end`, `limit`). */
export interface BlockMetadataRequest {
  readonly selectors?: readonly (readonly LabelMatcher[])[];
  readonly mint?: number;
  readonly maxt?: number;
  readonly limit?: number;
}

/** What the SeriesShard offers for compaction (its `closedChunksBefore` and `dropCompacted`). */
export interface ClosedChunkSource {
  closedChunksBefore(before: number): { segmentIds: number[]; series: readonly ClosedSeries[] };
  dropCompacted(segmentIds: number[]): unknown;
}

export interface ShardBlocksOptions {
  /** Level-1 block range, ms (default 2 h). */
  readonly blockRange?: number;
  /** Data older than this is deleted, whole blocks at a time (default 15 d). */
  readonly retention?: number;
  /**
   * How long a closed range stays in the shard's SQLite before it becomes a block (default 1 h after the range
   * ends, so the head always holds the last 1–3 h, as Prometheus's head holds 1.5 block ranges).
   */
  readonly compactionDelay?: number;
  /** Bytes of blocks merged at once (they pass through memory; default 48 MiB, well under 128 MB). */
  readonly maxMergeBytes?: number;
  /** Range-read cache for block files (default 16 MiB). */
  readonly cacheBytes?: number;
  /** Defaults to the chunk codec's rewriter. */
  readonly rewriter?: ChunkRewriter;
}

export interface MaintenanceReport {
  /** Level-1 blocks written from the shard's closed chunks. */
  readonly written: readonly BlockMeta[];
  readonly segmentsDropped: readonly number[];
  readonly compactions: readonly CompactionStep[];
  readonly expired: readonly BlockMeta[];
}

/**
 * Everything a SeriesShard does with its blocks, over any ObjectStore (R2 in the Durable Object): periodic
 * maintenance (closed chunks → blocks, block compaction, retention), selects and metadata across blocks, and
 * deletes. Maintenance and deletes run one at a time, because a Durable Object interleaves calls at every await.
 */
export class ShardBlocks {
  readonly store: BlockStore;
  readonly cache: CachingObjectStore;
  readonly #options: Required<Omit<ShardBlocksOptions, "cacheBytes">>;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(objects: ObjectStore, shard: string, options: ShardBlocksOptions = {}) {
    this.cache = new CachingObjectStore(objects, options.cacheBytes ?? 16 * 1024 * 1024);
    this.store = new BlockStore(this.cache, shard);
    const blockRange = options.blockRange ?? DEFAULT_BLOCK_RANGE_MS;
    this.#options = {
      blockRange,
      retention: options.retention ?? DEFAULT_RETENTION_MS,
      compactionDelay: options.compactionDelay ?? blockRange / 2,
      maxMergeBytes: options.maxMergeBytes ?? 48 * 1024 * 1024,
      rewriter: options.rewriter ?? codecChunkRewriter(),
    };
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Chunks of ranges that ended `compactionDelay` ago go to blocks when `now` passes this. */
  compactionBoundary(now: number): number {
    return alignDown(now - this.#options.compactionDelay, this.#options.blockRange);
  }

  /** When to run `maintain` next: every quarter of a block range (30 min by default). */
  nextMaintenance(now: number): number {
    const step = this.#options.blockRange / 4;
    return alignDown(now, step) + step;
  }

  /**
   * One maintenance pass: write the shard's closed chunks older than the boundary into blocks and drop them from
   * the shard only after the upload; then compact blocks and apply retention.
   */
  maintain(source: ClosedChunkSource, now: number = Date.now()): Promise<MaintenanceReport> {
    return this.#exclusive(async () => {
      const closed = source.closedChunksBefore(this.compactionBoundary(now));
      let written: BlockMeta[] = [];
      if (closed.segmentIds.length > 0) {
        written = await compactClosedChunks(this.store, closed.series, {
          blockRange: this.#options.blockRange,
          rewriter: this.#options.rewriter,
        });
        source.dropCompacted(closed.segmentIds);
      }
      const compactions = await compactBlocks(this.store, {
        blockRange: this.#options.blockRange,
        now,
        maxMergeBytes: this.#options.maxMergeBytes,
        rewriter: this.#options.rewriter,
      });
      const expired = await applyRetention(this.store, { retention: this.#options.retention, now });
      return { written, segmentsDropped: closed.segmentIds, compactions, expired };
    });
  }

  /**
   * Series and raw chunks from the blocks, deleted samples already removed. Chunk bytes are copied out of the
   * (larger) buffers they were read into, so that sending them over RPC does not clone whole read buffers.
   */
  async select(matchers: readonly LabelMatcher[], mint: number, maxt: number): Promise<SelectedSeries[]> {
    let selected: SelectedSeries[];
    try {
      selected = await selectFromBlocks(this.store, matchers, mint, maxt, { rewriter: this.#options.rewriter });
    } catch (err) {
      // A compaction removed a block this query had started to read: its data now lives in the block that
      // replaced it, which the catalog names. Read the catalog again and retry once.
      if (!(err instanceof BlockNotFoundError)) throw err;
      this.store.refresh();
      selected = await selectFromBlocks(this.store, matchers, mint, maxt, { rewriter: this.#options.rewriter });
    }
    for (const s of selected) {
      for (let i = 0; i < s.chunks.length; i++) {
        const c = s.chunks[i];
        if (c.data.byteLength !== c.data.buffer.byteLength) s.chunks[i] = { ...c, data: c.data.slice() };
      }
    }
    return selected;
  }

  /** Blocks meeting the request's time range, opened. */
  async #readers(request: BlockMetadataRequest): Promise<BlockReader[]> {
    const mint = request.mint ?? Number.NEGATIVE_INFINITY;
    const maxt = request.maxt ?? Number.POSITIVE_INFINITY;
    const entries = (await this.store.catalog()).blocks.filter((b) => b.meta.minTime <= maxt && b.meta.maxTime > mint);
    return Promise.all(entries.map((e) => this.store.open(e.meta.ulid)));
  }

  /** Label names in the blocks (the shard's MetadataRequest: any of `selectors`, within [mint, maxt]). */
  async labelNames(request: BlockMetadataRequest = {}): Promise<string[]> {
    const names = new Set<string>();
    for (const reader of await this.#readers(request)) {
      for (const selector of request.selectors ?? [[]]) {
        for (const n of await reader.labelNames(selector)) names.add(n);
      }
    }
    return limit([...names].sort(compareUtf8), request.limit);
  }

  async labelValues(name: string, request: BlockMetadataRequest = {}): Promise<string[]> {
    const values = new Set<string>();
    for (const reader of await this.#readers(request)) {
      for (const selector of request.selectors ?? [[]]) {
        for (const v of await reader.labelValues(name, selector)) values.add(v);
      }
    }
    return limit([...values].sort(compareUtf8), request.limit);
  }

  /** Label sets of the series in the blocks matching any selector, sorted, each once. */
  async series(request: BlockMetadataRequest = {}): Promise<Label[][]> {
    const found = new Map<string, Label[]>();
    for (const reader of await this.#readers(request)) {
      for (const selector of request.selectors ?? [[]]) {
        for (const labels of await reader.seriesLabels(selector)) found.set(labelSetKey(labels), labels);
      }
    }
    return limit([...found.values()].sort(compareLabelSets), request.limit);
  }

  /** Marks [mint, maxt] of matching series deleted in every block it meets. */
  deleteSeries(matchers: readonly LabelMatcher[], mint: number, maxt: number): Promise<DeletedInBlock[]> {
    return this.#exclusive(() => deleteSeriesInBlocks(this.store, matchers, mint, maxt));
  }

  /** Blocks in the catalog, oldest first. */
  async blocks(): Promise<BlockMeta[]> {
    return (await this.store.catalog()).blocks.map((b) => b.meta);
  }
}

function limit<T>(items: T[], n: number | undefined): T[] {
  return n !== undefined && n > 0 && items.length > n ? items.slice(0, n) : items;
}
