import { DurableObject } from "cloudflare:workers";
import {
  groupMetadata,
  type MetadataByMetric,
  type MetadataQuery,
  type MetricMetadataEntry,
} from "../metadata/metadata";

/** Entries not seen for this long are forgotten, as Prometheus forgets metadata of targets that went away. */
const METADATA_TTL_MS = 7 * 24 * 3_600_000;

/**
 * Metric metadata (type, help, unit per metric family) from every ingest path, for `/api/v1/metadata`. One object:
 * metadata changes rarely and ingest sends only changes, so its write rate is tiny.
 */
export class MetricMetadataStore extends DurableObject {
  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env as never);
    void ctx.blockConcurrencyWhile(async () => {
      ctx.storage.sql.exec(
        `CREATE TABLE IF NOT EXISTS metadata (
           metric TEXT NOT NULL, type TEXT NOT NULL, help TEXT NOT NULL, unit TEXT NOT NULL, last_seen INTEGER NOT NULL,
           PRIMARY KEY (metric, type, help, unit))`,
      );
    });
  }

  async upsert(entries: MetricMetadataEntry[]): Promise<void> {
    const now = Date.now();
    // Rows of 5 bound parameters; 20 rows stay within SQLite's 100-parameter limit.
    for (let i = 0; i < entries.length; i += 20) {
      const part = entries.slice(i, i + 20);
      this.ctx.storage.sql.exec(
        `INSERT INTO metadata (metric, type, help, unit, last_seen) VALUES ${part.map(() => "(?, ?, ?, ?, ?)").join(", ")}
         ON CONFLICT (metric, type, help, unit) DO UPDATE SET last_seen = excluded.last_seen`,
        ...part.flatMap((e) => [e.metric, e.type, e.help, e.unit, now]),
      );
    }
  }

  async query(query: MetadataQuery): Promise<MetadataByMetric> {
    this.ctx.storage.sql.exec("DELETE FROM metadata WHERE last_seen < ?", Date.now() - METADATA_TTL_MS);
    const rows = this.ctx.storage.sql
      .exec<{ metric: string; type: string; help: string; unit: string }>(
        query.metric
          ? "SELECT metric, type, help, unit FROM metadata WHERE metric = ? ORDER BY metric, last_seen DESC"
          : "SELECT metric, type, help, unit FROM metadata ORDER BY metric, last_seen DESC",
        ...(query.metric ? [query.metric] : []),
      )
      .toArray();
    return groupMetadata(rows, query);
  }
}
