import { shardCountFrom, ShardedWriter } from "@edgeprom/tsdb";
import type { MetricMetadata } from "../remotewrite/index";
import { recordExemplars } from "./exemplars";
import { recordMetadata } from "./metadata";
import { toAppendBatch, type DecodedSeriesColumns } from "./samples";
import { outcomeOf, type WriteOutcome } from "./outcome";

/**
 * The one write path of every ingest route: split by shard, one call per shard, acknowledged when all committed;
 * metric metadata and exemplars go to their stores alongside.
 */
export async function writeColumns(
  env: Env,
  columns: DecodedSeriesColumns & { metadata?: readonly MetricMetadata[] },
  problems: string[],
): Promise<WriteOutcome> {
  const batch = toAppendBatch(columns);
  const writer = new ShardedWriter(env.SERIES_SHARD, shardCountFrom(env.EDGEPROM_SHARDS));
  const [result] = await Promise.all([
    writer.append(batch),
    recordMetadata(env, columns.metadata ?? []),
    recordExemplars(env, columns),
  ]);
  const exemplars = columns.series.reduce((n, s) => n + s.exemplars.length, 0);
  return outcomeOf(result, problems, exemplars);
}
