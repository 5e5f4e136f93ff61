import type { BlockChunk, BlockSeries } from "./chunk";
import type { ChunkRewriter } from "./chunk-rewriter";
import { writeBlock } from "./block-writer";
import type { BlockStore } from "./block-store";
import { entryBytes, type CatalogEntry } from "./catalog";
import { mergeSeriesParts, type SeriesPart } from "./merge-series";
import type { BlockMeta } from "./meta";
import type { Interval } from "./tombstones";
import { newUlid } from "./ulid";

export const HOUR_MS = 60 * 60 * 1000;
/** Prometheus's block range: level-1 blocks cover 2 h aligned to the epoch. */
export const DEFAULT_BLOCK_RANGE_MS = 2 * HOUR_MS;
/** Prometheus's default retention. */
export const DEFAULT_RETENTION_MS = 15 * 24 * HOUR_MS;

/** A series' closed chunks as the shard hands them over, with the intervals deleted from it (if any). */
export interface ClosedSeries extends BlockSeries {
  readonly tombstones?: readonly Interval[];
}

export interface CompactClosedChunksOptions {
  /** Block range, ms (default 2 h). Chunks go to the block of the range holding their first sample. */
  readonly blockRange?: number;
  /** Needed when a series' chunks overlap in time or deletions cut through them. */
  readonly rewriter?: ChunkRewriter;
}

/**
 * Writes closed chunks handed over by a shard into level-1 blocks, one per aligned time range, and uploads them
 * (files, then the catalog). The caller deletes the chunks from its own storage only after this resolves, so a
 * crash in between leaves the data in both places; reads merge duplicates away (identical chunks are dropped by
 * `selectFromBlocks` and the engine's series merge), and the next block compaction merges the two blocks.
 */
export async function compactClosedChunks(
  store: BlockStore,
  series: Iterable<ClosedSeries>,
  options: CompactClosedChunksOptions = {},
): Promise<BlockMeta[]> {
  const range = options.blockRange ?? DEFAULT_BLOCK_RANGE_MS;
  const byRange = new Map<number, SeriesPart[]>();
  for (const s of series) {
    const perRange = new Map<number, BlockChunk[]>();
    for (const c of s.chunks) {
      const start = alignDown(c.mint, range);
      const list = perRange.get(start);
      if (list === undefined) perRange.set(start, [c]);
      else list.push(c);
    }
    for (const [start, chunks] of perRange) {
      const parts = byRange.get(start);
      const part: SeriesPart = { labels: s.labels, chunks, deleted: s.tombstones ?? [] };
      if (parts === undefined) byRange.set(start, [part]);
      else parts.push(part);
    }
  }
  const metas: BlockMeta[] = [];
  for (const start of [...byRange.keys()].sort((a, b) => a - b)) {
    const merged = mergeSeriesParts(byRange.get(start) as SeriesPart[], options.rewriter);
    if (merged.length === 0) continue;
    const lastSample = Math.max(...merged.map((s) => s.chunks[s.chunks.length - 1].maxt));
    const block = writeBlock(merged, { minTime: start, maxTime: Math.max(start + range, lastSample + 1) });
    await store.upload(block);
    metas.push(block.meta);
  }
  return metas;
}

export interface CompactBlocksOptions {
  /** Level-1 block range, ms (default 2 h). */
  readonly blockRange?: number;
  /** Ranges of higher levels, each a multiple of the one before (default: ×3 steps as Prometheus, 6 h and 18 h). */
  readonly levelRanges?: readonly number[];
  /** Blocks are only merged when the range they fill ended this long before `now` (default: one block range). */
  readonly now?: number;
  /** Upper bound on the bytes of blocks merged in one step, which all pass through memory (default 48 MiB). */
  readonly maxMergeBytes?: number;
  readonly rewriter?: ChunkRewriter;
}

export interface CompactionStep {
  readonly reason: "tombstones" | "overlap" | "level";
  readonly sources: readonly string[];
  readonly result: BlockMeta | null;
}

/**
 * One pass of block maintenance, Prometheus's compactor reduced to what a shard needs:
 * 1. blocks with tombstones are rewritten without the deleted samples;
 * 2. blocks whose time ranges overlap (late data, a retried upload) are merged;
 * 3. adjacent blocks that fill a higher-level aligned range that is over are merged into one.
 * Every merge reads its sources whole, so merges stop at `maxMergeBytes`.
 */
export async function compactBlocks(store: BlockStore, options: CompactBlocksOptions = {}): Promise<CompactionStep[]> {
  const blockRange = options.blockRange ?? DEFAULT_BLOCK_RANGE_MS;
  const levelRanges = options.levelRanges ?? [blockRange * 3, blockRange * 9];
  const maxBytes = options.maxMergeBytes ?? 48 * 1024 * 1024;
  const now = options.now ?? Date.now();
  const steps: CompactionStep[] = [];

  for (const entry of (await store.catalog()).blocks.filter((b) => (b.meta.stats.numTombstones ?? 0) > 0)) {
    if (entryBytes(entry) > maxBytes) continue;
    steps.push({
      reason: "tombstones",
      sources: [entry.meta.ulid],
      result: await mergeBlocks(store, [entry], options),
    });
  }

  for (const group of overlappingGroups((await store.catalog()).blocks)) {
    if (group.reduce((n, e) => n + entryBytes(e), 0) > maxBytes) continue;
    steps.push({
      reason: "overlap",
      sources: group.map((e) => e.meta.ulid),
      result: await mergeBlocks(store, group, options),
    });
  }

  for (const levelRange of levelRanges) {
    const groups = new Map<number, CatalogEntry[]>();
    for (const entry of (await store.catalog()).blocks) {
      if (entry.meta.maxTime - entry.meta.minTime >= levelRange) continue;
      const start = alignDown(entry.meta.minTime, levelRange);
      if (entry.meta.maxTime > start + levelRange) continue; // straddles: leave it
      const list = groups.get(start);
      if (list === undefined) groups.set(start, [entry]);
      else list.push(entry);
    }
    for (const [start, group] of [...groups].sort((a, b) => a[0] - b[0])) {
      if (group.length < 2 || start + levelRange > now - blockRange) continue;
      if (group.reduce((n, e) => n + entryBytes(e), 0) > maxBytes) continue;
      steps.push({
        reason: "level",
        sources: group.map((e) => e.meta.ulid),
        result: await mergeBlocks(store, group, options, { minTime: start, maxTime: start + levelRange }),
      });
    }
  }
  return steps;
}

/** Reads blocks whole, merges their series and writes one block in their place (or none if nothing is left). */
async function mergeBlocks(
  store: BlockStore,
  entries: readonly CatalogEntry[],
  options: CompactBlocksOptions,
  range?: { minTime: number; maxTime: number },
): Promise<BlockMeta | null> {
  const parts: SeriesPart[] = [];
  for (const entry of entries) {
    const reader = await store.open(entry.meta.ulid);
    for (const s of await reader.readAll()) {
      parts.push({ labels: s.labels, chunks: s.chunks, deleted: reader.tombstones.get(s.ref) ?? [] });
    }
  }
  const merged = mergeSeriesParts(parts, options.rewriter);
  let result: BlockMeta | null = null;
  if (merged.length > 0) {
    const minTime = range?.minTime ?? Math.min(...entries.map((e) => e.meta.minTime));
    const maxTime = Math.max(range?.maxTime ?? 0, ...entries.map((e) => e.meta.maxTime));
    const ulid = newUlid();
    const sources = [...new Set(entries.flatMap((e) => e.meta.compaction.sources))].sort();
    const block = writeBlock(merged, {
      ulid,
      minTime,
      maxTime,
      compaction: {
        level: Math.max(...entries.map((e) => e.meta.compaction.level)) + (entries.length > 1 ? 1 : 0),
        sources,
        parents: entries.map((e) => ({ ulid: e.meta.ulid, minTime: e.meta.minTime, maxTime: e.meta.maxTime })),
      },
    });
    await store.upload(block);
    result = block.meta;
  }
  await store.remove(entries.map((e) => e.meta.ulid));
  return result;
}

/** Groups of two or more blocks whose [minTime, maxTime) ranges overlap, transitively. */
function overlappingGroups(entries: readonly CatalogEntry[]): CatalogEntry[][] {
  const sorted = [...entries].sort((a, b) => a.meta.minTime - b.meta.minTime);
  const groups: CatalogEntry[][] = [];
  let current: CatalogEntry[] = [];
  let currentMax = Number.NEGATIVE_INFINITY;
  for (const e of sorted) {
    if (e.meta.minTime < currentMax) current.push(e);
    else {
      if (current.length > 1) groups.push(current);
      current = [e];
    }
    currentMax = Math.max(currentMax, e.meta.maxTime);
  }
  if (current.length > 1) groups.push(current);
  return groups;
}

export function alignDown(t: number, range: number): number {
  return Math.floor(t / range) * range;
}
