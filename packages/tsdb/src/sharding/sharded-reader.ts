import { topN, type CardinalityStat } from "../index/mem-postings";
import type { LabelMatcher } from "../index/matcher";
import { compareLabels, compareStrings, type Labels } from "../labels/label";
import { decodeSelection, type PackedSelection } from "../shard/select-codec";
import type { MetadataRequest, SelectedSeries, SelectRequest, ShardStats } from "../shard/select-types";
import { forEachShard, MAX_IN_FLIGHT, shardName, type ShardNamespace, type ShardRpc } from "./shard-rpc";

/** Statistics merged over every shard (same shape as one shard's, without the storage details). */
export type MergedStats = Omit<ShardStats, "storage"> & { shards: number };

export interface ShardedReaderOptions {
  /** Most select calls in flight at once (default `MAX_IN_FLIGHT`); metadata reads always keep `MAX_IN_FLIGHT`. */
  selectInFlight?: number;
}

/**
 * Fans reads out to every shard (at most six calls in flight unless `selectInFlight` says otherwise) and merges the
 * answers: sorted, deduplicated, limits applied after the merge. One failing shard fails the call with a
 * `ShardCallError` naming it.
 */
export class ShardedReader {
  readonly #shards: ShardRpc[];
  readonly #indexes: number[];
  readonly #selectInFlight: number;

  constructor(namespace: ShardNamespace, shardCount: number, options: ShardedReaderOptions = {}) {
    this.#shards = Array.from({ length: shardCount }, (_, i) => namespace.get(namespace.idFromName(shardName(i))));
    this.#indexes = this.#shards.map((_, i) => i);
    this.#selectInFlight = options.selectInFlight ?? MAX_IN_FLIGHT;
  }

  async select(request: SelectRequest): Promise<SelectedSeries[]> {
    const parts = await forEachShard(
      this.#indexes,
      "select",
      (i) => this.#shards[i].select(request),
      this.#selectInFlight,
    );
    return mergeShardSelections(parts);
  }

  async labelNames(request: MetadataRequest = {}): Promise<string[]> {
    const { limit, ...perShard } = request;
    const parts = await forEachShard(this.#indexes, "labelNames", (i) => this.#shards[i].labelNames(perShard));
    return limited(mergeStrings(parts), limit);
  }

  async labelValues(name: string, request: MetadataRequest = {}): Promise<string[]> {
    const { limit, ...perShard } = request;
    const parts = await forEachShard(this.#indexes, "labelValues", (i) => this.#shards[i].labelValues(name, perShard));
    return limited(mergeStrings(parts), limit);
  }

  async series(request: MetadataRequest = {}): Promise<Labels[]> {
    const parts = await forEachShard(this.#indexes, "series", (i) => this.#shards[i].series(request));
    const merged = parts.flat().sort(compareLabels);
    const out: Labels[] = [];
    for (const labels of merged)
      if (out.length === 0 || compareLabels(out[out.length - 1], labels) !== 0) out.push(labels);
    return limited(out, request.limit);
  }

  async deleteSeries(matchers: LabelMatcher[], mint: number, maxt: number): Promise<{ seriesDeleted: number }> {
    const parts = await forEachShard(this.#indexes, "deleteSeries", (i) =>
      this.#shards[i].deleteSeries(matchers, mint, maxt),
    );
    return { seriesDeleted: parts.reduce((n, p) => n + p.seriesDeleted, 0) };
  }

  /**
   * Cardinality over all shards. Series counts add up exactly (a series is on one shard) as long as each name is in
   * the shards' top lists, which are fetched 10× longer than asked for that reason. Label value counts and value bytes
   * per label name cannot be added (shards share values), so the largest shard's figure is reported: a lower bound.
   */
  async stats(limit = 10): Promise<MergedStats> {
    const perShard = Math.max(limit * 10, 100);
    const parts = await forEachShard(this.#indexes, "stats", (i) => this.#shards[i].stats(perShard));
    let minTime = Infinity;
    let maxTime = -Infinity;
    for (const p of parts) {
      if (p.headStats.numSeries === 0) continue;
      minTime = Math.min(minTime, p.headStats.minTime);
      maxTime = Math.max(maxTime, p.headStats.maxTime);
    }
    return {
      shards: parts.length,
      headStats: {
        numSeries: parts.reduce((n, p) => n + p.headStats.numSeries, 0),
        numLabelPairs: parts.reduce((n, p) => Math.max(n, p.headStats.numLabelPairs), 0),
        chunkCount: parts.reduce((n, p) => n + p.headStats.chunkCount, 0),
        minTime: Number.isFinite(minTime) ? minTime : 0,
        maxTime: Number.isFinite(maxTime) ? maxTime : 0,
      },
      seriesCountByMetricName: combine(
        parts.map((p) => p.seriesCountByMetricName),
        sum,
        limit,
      ),
      seriesCountByLabelValuePair: combine(
        parts.map((p) => p.seriesCountByLabelValuePair),
        sum,
        limit,
      ),
      labelValueCountByLabelName: combine(
        parts.map((p) => p.labelValueCountByLabelName),
        Math.max,
        limit,
      ),
      memoryInBytesByLabelName: combine(
        parts.map((p) => p.memoryInBytesByLabelName),
        Math.max,
        limit,
      ),
    };
  }
}

/**
 * Unpacks every shard's select answer into one list sorted by labels. A series lives on exactly one shard, so merging
 * is a sort of the concatenation (each shard's part is already sorted: the sort only merges runs).
 */
export function mergeShardSelections(parts: readonly PackedSelection[]): SelectedSeries[] {
  const all: SelectedSeries[] = [];
  for (const part of parts) for (const s of decodeSelection(part)) all.push(s);
  return all.sort((a, b) => compareLabels(a.labels, b.labels));
}

function sum(a: number, b: number): number {
  return a + b;
}

function combine(
  lists: CardinalityStat[][],
  merge: (a: number, b: number) => number,
  limit: number,
): CardinalityStat[] {
  const byName = new Map<string, number>();
  for (const list of lists) for (const { name, value } of list) byName.set(name, merge(byName.get(name) ?? 0, value));
  return topN(
    [...byName].map(([name, value]) => ({ name, value })),
    limit,
  );
}

function mergeStrings(parts: string[][]): string[] {
  const all = [...new Set(parts.flat())];
  return all.sort(compareStrings);
}

function limited<T>(items: T[], limit: number | undefined): T[] {
  return limit && limit > 0 ? items.slice(0, limit) : items;
}
