import { DurableObject } from "cloudflare:workers";

/** What a shard reports about itself; `/-/ready` asks shard 0 for it. */
export interface ShardStatus {
  shard: string;
  series: number;
}

/**
 * One shard of the series space. It owns its series' head, WAL, chunks and postings in its SQLite database and is
 * reached over RPC from the Worker (ingest writes, query selects).
 */
/** The bindings a shard uses: the bucket its compacted blocks go to. */
export interface SeriesShardEnv {
  BLOCKS: R2Bucket;
}

export class SeriesShard extends DurableObject<SeriesShardEnv> {
  readonly #sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: SeriesShardEnv) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => {
      this.#sql.exec(
        "CREATE TABLE IF NOT EXISTS series (id INTEGER PRIMARY KEY, labels BLOB NOT NULL, hash INTEGER NOT NULL)",
      );
    });
  }

  async status(): Promise<ShardStatus> {
    const row = this.#sql.exec<{ n: number }>("SELECT count(*) AS n FROM series").one();
    return { shard: this.ctx.id.name ?? this.ctx.id.toString(), series: row.n };
  }
}
