import type { BlockStore } from "./block-store";
import type { LabelMatcher } from "./matchers";
import { addInterval, type Interval } from "./tombstones";

export interface DeletedInBlock {
  readonly ulid: string;
  readonly series: number;
}

/**
 * Prometheus's `delete_series` for blocks: marks [mint, maxt] (inclusive) of every series matching `matchers` as
 * deleted, in the tombstones of each block whose range meets it. Reads drop the marked samples at once; the next
 * `compactBlocks` rewrites the blocks without them (`clean_tombstones`).
 */
export async function deleteSeriesInBlocks(
  store: BlockStore,
  matchers: readonly LabelMatcher[],
  mint: number,
  maxt: number,
): Promise<DeletedInBlock[]> {
  const out: DeletedInBlock[] = [];
  for (const entry of (await store.catalog()).blocks) {
    const { minTime, maxTime } = entry.meta;
    if (maxt < minTime || mint >= maxTime) continue;
    const reader = await store.open(entry.meta.ulid);
    const refs = await reader.postingsForMatchers(matchers);
    const series = await reader.index.series(refs);
    const interval: Interval = { mint: Math.max(mint, minTime), maxt: Math.min(maxt, maxTime - 1) };
    const tombstones = new Map(reader.tombstones);
    let marked = 0;
    for (const s of series) {
      if (!s.chunks.some((c) => c.maxt >= interval.mint && c.mint <= interval.maxt)) continue;
      tombstones.set(s.ref, addInterval(tombstones.get(s.ref) ?? [], interval));
      marked++;
    }
    if (marked === 0) continue;
    await store.writeTombstones(entry.meta.ulid, tombstones);
    out.push({ ulid: entry.meta.ulid, series: marked });
  }
  return out;
}
