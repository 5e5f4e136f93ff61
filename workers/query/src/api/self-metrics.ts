import type { Context } from "hono";
import { buildInfo } from "@edgeprom/http";
import { forEachShard, shardCountFrom, shardName, type ShardStats } from "@edgeprom/tsdb";
import { TEXT_EXPOSITION_CONTENT_TYPE, writeTextExposition, type TextFamily } from "../exposition";

/**
 * `GET /metrics`: edgeprom's own metrics in the text format, read from every shard at scrape time (a serverless
 * process has no long-lived registry; the shards are where the state is).
 */
export async function selfMetricsHandler(c: Context<{ Bindings: Env }>): Promise<Response> {
  const count = shardCountFrom(c.env.EDGEPROM_SHARDS);
  const indexes = Array.from({ length: count }, (_, i) => i);
  const stats = await forEachShard(indexes, "stats", (i) =>
    c.env.SERIES_SHARD.get(c.env.SERIES_SHARD.idFromName(shardName(i))).stats(1),
  );
  const info = buildInfo(c.env);
  const perShard = (
    name: string,
    type: TextFamily["type"],
    help: string,
    value: (s: ShardStats) => number,
  ): TextFamily => ({
    name,
    type,
    help,
    samples: stats.map((s, i) => ({ labels: { shard: shardName(i) }, value: value(s) })),
  });
  const families: TextFamily[] = [
    {
      name: "edgeprom_build_info",
      type: "gauge",
      help: "A metric with a constant '1' value labeled by version, revision and branch.",
      samples: [{ labels: { version: info.version, revision: info.revision, branch: info.branch }, value: 1 }],
    },
    perShard("edgeprom_tsdb_head_series", "gauge", "Series held by the shard.", (s) => s.headStats.numSeries),
    perShard("edgeprom_tsdb_head_chunks", "gauge", "Chunks held by the shard.", (s) => s.headStats.chunkCount),
    perShard("edgeprom_tsdb_head_max_time_seconds", "gauge", "Newest sample time in the shard.", (s) =>
      s.headStats.numSeries > 0 ? s.headStats.maxTime / 1000 : 0,
    ),
    perShard("edgeprom_tsdb_wal_rows", "gauge", "WAL rows not yet dropped by a checkpoint.", (s) => s.storage.walRows),
    perShard("edgeprom_tsdb_wal_bytes", "gauge", "Bytes in WAL rows.", (s) => s.storage.walBytes),
    perShard(
      "edgeprom_tsdb_persisted_chunks",
      "gauge",
      "Closed chunks stored in SQLite.",
      (s) => s.storage.persistedChunks,
    ),
    perShard(
      "edgeprom_tsdb_database_bytes",
      "gauge",
      "Size of the shard's SQLite database.",
      (s) => s.storage.databaseBytes,
    ),
    perShard(
      "edgeprom_tsdb_sqlite_rows_written_total",
      "counter",
      "SQLite rows written since the shard object started (what Cloudflare bills).",
      (s) => s.storage.rowsWritten,
    ),
    perShard(
      "edgeprom_tsdb_checkpoints_total",
      "counter",
      "Checkpoints since the shard object started.",
      (s) => s.storage.checkpoints,
    ),
  ];
  return c.body(writeTextExposition(families), 200, { "Content-Type": TEXT_EXPOSITION_CONTENT_TYPE });
}
