import { ShardedQuerier, type SeriesReader } from "@edgeprom/querier";
import {
  forEachShard,
  mergeShardSelections,
  ShardedReader,
  shardCountFrom,
  shardName,
  type ShardRpc,
  type SelectedSeries,
  type SelectRequest,
} from "@edgeprom/tsdb";

/** The readers of one request's environment: every SeriesShard, reached through the Worker's binding. */
export function readerFor(env: Env): ShardedReader {
  return new ShardedReader(env.SERIES_SHARD, shardCountFrom(env.EDGEPROM_SHARDS));
}

/**
 * Selects ask every shard at once rather than `ShardedReader`'s six at a time: a query waits for its slowest shard,
 * and in waves of six the last shards only start once earlier ones answered. Measured under `wrangler dev`
 * (interleaved, median): an 18-series select 2.0 ms at once vs 4.0 ms in waves; in the workers test pool, 600 series
 * over 16 shards ~20 ms vs ~40 ms. The runtime queues connections beyond its simultaneous limit itself, so nothing
 * fails. Metadata reads keep `ShardedReader` and its limit.
 */
class AllShardsAtOnceReader implements SeriesReader {
  readonly #reader: ShardedReader;
  readonly #shards: ShardRpc[];
  readonly #indexes: number[];

  constructor(env: Env) {
    const count = shardCountFrom(env.EDGEPROM_SHARDS);
    this.#reader = new ShardedReader(env.SERIES_SHARD, count);
    this.#shards = Array.from({ length: count }, (_, i) =>
      env.SERIES_SHARD.get(env.SERIES_SHARD.idFromName(shardName(i))),
    );
    this.#indexes = this.#shards.map((_, i) => i);
  }

  async select(request: SelectRequest): Promise<SelectedSeries[]> {
    const parts = await forEachShard(
      this.#indexes,
      "select",
      (i) => this.#shards[i]!.select(request),
      this.#shards.length,
    );
    return mergeShardSelections(parts);
  }

  series: SeriesReader["series"] = (request) => this.#reader.series(request);
  labelNames: SeriesReader["labelNames"] = (request) => this.#reader.labelNames(request);
  labelValues: SeriesReader["labelValues"] = (name, request) => this.#reader.labelValues(name, request);
}

export function querierFor(env: Env): ShardedQuerier {
  return new ShardedQuerier(new AllShardsAtOnceReader(env));
}
