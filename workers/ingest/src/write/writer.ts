import { shardCountFrom, ShardedWriter } from "@edgeprom/tsdb";
import { toAppendBatch, type DecodedSeriesColumns } from "./samples";
import { outcomeOf, type WriteOutcome } from "./outcome";

/** The one write path of every ingest route: split by shard, one call per shard, acknowledged when all committed. */
export async function writeColumns(env: Env, columns: DecodedSeriesColumns, problems: string[]): Promise<WriteOutcome> {
  const { batch, histogramsNotStored } = toAppendBatch(columns);
  const writer = new ShardedWriter(env.SERIES_SHARD, shardCountFrom(env.EDGEPROM_SHARDS));
  const result = await writer.append(batch);
  return outcomeOf(result, problems, histogramsNotStored);
}
