import { DurableObject } from "cloudflare:workers";
import type { LabelMatcher } from "../index/matcher";
import { selectExemplars, type ExemplarsBySeries, type StoredExemplar } from "../exemplars/exemplars";

/** Prometheus keeps a fixed-size circular buffer of exemplars (`storage.exemplars.max-exemplars`, default 100,000). */
const MAX_EXEMPLARS = 100_000;
/** Most rows a query reads, so one wide query cannot exhaust the object's memory. */
const MAX_ROWS_PER_QUERY = 50_000;

/**
 * Exemplars from every ingest path, for `/api/v1/query_exemplars`: one object holding a bounded ring of the newest
 * exemplars, as Prometheus's in-memory exemplar storage does (but durable). A resent exemplar (same series and
 * timestamp) is stored once.
 */
export class ExemplarStore extends DurableObject {
  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env as never);
    void ctx.blockConcurrencyWhile(async () => {
      ctx.storage.sql.exec(
        `CREATE TABLE IF NOT EXISTS exemplars (
           id INTEGER PRIMARY KEY AUTOINCREMENT, series TEXT NOT NULL, labels TEXT NOT NULL, value REAL, ts INTEGER NOT NULL,
           UNIQUE (series, ts))`,
      );
      ctx.storage.sql.exec("CREATE INDEX IF NOT EXISTS exemplars_ts ON exemplars (ts)");
    });
  }

  async append(exemplars: StoredExemplar[]): Promise<number> {
    let stored = 0;
    // Five bound parameters a row; 20 rows stay within SQLite's 100-parameter limit.
    for (let i = 0; i < exemplars.length; i += 20) {
      const part = exemplars.slice(i, i + 20);
      const cursor = this.ctx.storage.sql.exec(
        `INSERT OR IGNORE INTO exemplars (series, labels, value, ts) VALUES ${part.map(() => "(?, ?, ?, ?)").join(", ")}`,
        ...part.flatMap((e) => [JSON.stringify(e.seriesLabels), JSON.stringify(e.labels), e.value, e.timestamp]),
      );
      stored += cursor.rowsWritten;
    }
    if (stored > 0) {
      this.ctx.storage.sql.exec("DELETE FROM exemplars WHERE id <= (SELECT max(id) FROM exemplars) - ?", MAX_EXEMPLARS);
    }
    return stored;
  }

  async query(selectors: LabelMatcher[][], start: number, end: number): Promise<ExemplarsBySeries[]> {
    const rows = this.ctx.storage.sql
      .exec<{ series: string; labels: string; value: number | null; ts: number }>(
        "SELECT series, labels, value, ts FROM exemplars WHERE ts >= ? AND ts <= ? ORDER BY ts LIMIT ?",
        Math.max(start, Number.MIN_SAFE_INTEGER),
        Math.min(end, Number.MAX_SAFE_INTEGER),
        MAX_ROWS_PER_QUERY,
      )
      .toArray();
    const exemplars: StoredExemplar[] = rows.map((r) => ({
      seriesLabels: JSON.parse(r.series) as StoredExemplar["seriesLabels"],
      labels: JSON.parse(r.labels) as StoredExemplar["labels"],
      // SQLite stores NaN as NULL.
      value: r.value ?? NaN,
      timestamp: r.ts,
    }));
    return selectExemplars(exemplars, selectors);
  }
}
