import { shardCountFrom, ShardedWriter, type ColumnSeries } from "@edgeprom/tsdb";
import type { MetricMetadata } from "../remotewrite/index";
import { recordExemplars } from "./exemplars";
import { recordMetadata } from "./metadata";
import type { DecodedSeriesColumns } from "./samples";
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
  const writer = new ShardedWriter(env.SERIES_SHARD, shardCountFrom(env.EDGEPROM_SHARDS));
  const [result] = await Promise.all([
    writer.appendColumns({ series: columnSeries(columns), timestamps: columns.timestamps, values: columns.values }),
    recordMetadata(env, columns.metadata ?? []),
    recordExemplars(env, columns),
  ]);
  const exemplars = columns.series.reduce((n, s) => n + s.exemplars.length, 0);
  return outcomeOf(result, problems, exemplars);
}

/** The decoded series as storage reads them; only series with native histograms need a new object. */
function columnSeries(columns: DecodedSeriesColumns): readonly ColumnSeries[] {
  if (!columns.series.some((s) => s.histograms.length > 0)) return columns.series;
  return columns.series.map((s) =>
    s.histograms.length === 0
      ? s
      : { ...s, histogramSamples: s.histograms.map((h) => ({ t: h.timestamp, h: h.histogram })) },
  );
}
