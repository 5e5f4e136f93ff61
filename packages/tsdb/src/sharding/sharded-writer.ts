import { emptyAppendResult, mergeAppendResults, type AppendResult } from "../head/append-result";
import { shardOf } from "../labels/hash";
import { compareStrings, sortLabels, type Labels } from "../labels/label";
import type { AppendBatch, SeriesAppend } from "../wal/append-batch";
import { encodeAppendBatch } from "../wal/batch-codec";
import { forEachShard, shardName, type ShardNamespace, type ShardRpc } from "./shard-rpc";

/**
 * Splits an append batch by shard (`hash(labels) % N`), sends each shard its part as one encoded batch (at most six
 * calls in flight) and resolves only when every shard has committed. If any shard fails the call rejects with a
 * `ShardCallError`; shards that did commit keep their part, and a retry of the whole batch is harmless because an
 * identical resent sample is ignored.
 */
export class ShardedWriter {
  readonly #shards: ShardRpc[];

  constructor(namespace: ShardNamespace, shardCount: number) {
    this.#shards = Array.from({ length: shardCount }, (_, i) => namespace.get(namespace.idFromName(shardName(i))));
  }

  get shardCount(): number {
    return this.#shards.length;
  }

  /** The batch's series grouped by shard index. */
  split(batch: AppendBatch): Map<number, SeriesAppend[]> {
    const parts = new Map<number, SeriesAppend[]>();
    for (const series of batch) {
      const labels = canonical(series.labels);
      const index = shardOf(labels, this.#shards.length);
      const part = parts.get(index);
      const entry = labels === series.labels ? series : { ...series, labels };
      if (part) part.push(entry);
      else parts.set(index, [entry]);
    }
    return parts;
  }

  async append(batch: AppendBatch): Promise<AppendResult> {
    const parts = this.split(batch);
    const indexes = [...parts.keys()].sort((a, b) => a - b);
    const results = await forEachShard(indexes, "append", (i) =>
      this.#shards[i].append(encodeAppendBatch(parts.get(i) ?? [])),
    );
    return results.reduce(mergeAppendResults, emptyAppendResult());
  }
}

/** Placement hashes the canonical label set: sorted by name, empty values dropped. */
function canonical(labels: Labels): Labels {
  let ok = true;
  for (let i = 0; i < labels.length && ok; i++) {
    if (labels[i].value === "" || (i > 0 && compareStrings(labels[i - 1].name, labels[i].name) >= 0)) ok = false;
  }
  return ok ? labels : sortLabels(labels.filter((l) => l.value !== ""));
}
