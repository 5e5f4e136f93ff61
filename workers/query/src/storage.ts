import { ShardedQuerier } from "@edgeprom/querier";
import { ShardedReader, shardCountFrom } from "@edgeprom/tsdb";

/** The readers of one request's environment: every SeriesShard, reached through the Worker's binding. */
export function readerFor(env: Env): ShardedReader {
  return new ShardedReader(env.SERIES_SHARD, shardCountFrom(env.EDGEPROM_SHARDS));
}

export function querierFor(env: Env): ShardedQuerier {
  return new ShardedQuerier(readerFor(env));
}
