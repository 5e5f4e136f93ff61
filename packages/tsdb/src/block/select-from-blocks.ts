import { bytesEqual } from "./bytes-equal";
import type { SelectedSeries, SelectOptions } from "./block-reader";
import type { BlockStore } from "./block-store";
import type { BlockChunk } from "./chunk";
import { compareLabelSets, labelSetKey, type LabelSet } from "./labels";
import type { LabelMatcher } from "./matchers";
import type { Interval } from "./tombstones";

/**
 * Series matching `matchers` with their chunks in [mint, maxt] across every block of the shard that meets the
 * range, merged by label set, sorted by labels; each series' chunks sorted by time, exact duplicates dropped.
 * Chunks from overlapping blocks may overlap in time: the caller's series merge resolves them, as it must for
 * head and blocks anyway.
 */
export async function selectFromBlocks(
  store: BlockStore,
  matchers: readonly LabelMatcher[],
  mint: number,
  maxt: number,
  options: SelectOptions = {},
): Promise<SelectedSeries[]> {
  const entries = (await store.catalog()).blocks.filter((b) => b.meta.minTime <= maxt && b.meta.maxTime > mint);
  const results = await Promise.all(
    entries.map(async (e) => (await store.open(e.meta.ulid)).select(matchers, mint, maxt, options)),
  );
  return mergeSelectedSeries(results);
}

/**
 * Merges select results of several sources (blocks, or blocks and the shard's head) by label set: sorted by labels,
 * each series' chunks by time, chunks present in two sources (identical bytes and range) kept once.
 */
export function mergeSelectedSeries(sources: readonly (readonly SelectedSeries[])[]): SelectedSeries[] {
  const merged = new Map<string, { labels: LabelSet; chunks: BlockChunk[]; deleted: Interval[] }>();
  for (const selected of sources) {
    for (const s of selected) {
      const key = labelSetKey(s.labels);
      let m = merged.get(key);
      if (m === undefined) merged.set(key, (m = { labels: s.labels, chunks: [], deleted: [] }));
      m.chunks.push(...s.chunks);
      if (s.deleted) m.deleted.push(...s.deleted);
    }
  }
  return [...merged.values()]
    .sort((a, b) => compareLabelSets(a.labels, b.labels))
    .map((m) => {
      const chunks = dedupe(m.chunks.sort((a, b) => a.mint - b.mint || a.maxt - b.maxt));
      return m.deleted.length > 0 ? { labels: m.labels, chunks, deleted: m.deleted } : { labels: m.labels, chunks };
    });
}

function dedupe(sorted: BlockChunk[]): BlockChunk[] {
  return sorted.filter((c, i) => {
    for (let j = i - 1; j >= 0 && sorted[j].mint === c.mint; j--) {
      const o = sorted[j];
      if (o.maxt === c.maxt && o.encoding === c.encoding && bytesEqual(o.data, c.data)) return false;
    }
    return true;
  });
}
