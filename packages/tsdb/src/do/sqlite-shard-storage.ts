import type { ChunkSegmentRow, ShardMeta, ShardStorage, WalRow } from "../shard/storage";

/**
 * `ShardStorage` over Durable Object SQLite. Schema (see docs/tsdb-shard.md):
 *   meta(key=0, generation, next_series_id, next_segment_id, next_tombstone_id)   one row, upserted
 *   series_segment(id, data)                       series defined between two checkpoints
 *   chunk_segment(id, mint, maxt, dir, data)       closed chunks, many per row (data last: reading dir skips it)
 *   tombstone(id, data)                            one row per deleteSeries call
 *   wal_<gen>(seq, data), snapshot_<gen>(part, data)   dropped as a whole at the next checkpoint (0 rows written)
 * No secondary indexes: every index entry would be one more row written.
 */
export class SqliteShardStorage implements ShardStorage {
  readonly #storage: DurableObjectStorage;
  readonly #sql: SqlStorage;
  /** Rows written by this object's statements (what Cloudflare bills), summed from each cursor. */
  rowsWritten = 0;

  constructor(storage: DurableObjectStorage) {
    this.#storage = storage;
    this.#sql = storage.sql;
    this.#sql.exec(`
      CREATE TABLE IF NOT EXISTS meta (
        key INTEGER PRIMARY KEY CHECK (key = 0),
        generation INTEGER NOT NULL,
        next_series_id INTEGER NOT NULL,
        next_segment_id INTEGER NOT NULL,
        next_tombstone_id INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS series_segment (id INTEGER PRIMARY KEY, data BLOB NOT NULL);
      CREATE TABLE IF NOT EXISTS chunk_segment (
        id INTEGER PRIMARY KEY, mint INTEGER NOT NULL, maxt INTEGER NOT NULL, dir BLOB NOT NULL, data BLOB NOT NULL
      );
      CREATE TABLE IF NOT EXISTS tombstone (id INTEGER PRIMARY KEY, data BLOB NOT NULL);
    `);
  }

  transaction<T>(fn: () => T): T {
    return this.#storage.transactionSync(fn);
  }

  readMeta(): ShardMeta | null {
    const rows = this.#sql
      .exec<{ generation: number; s: number; g: number; t: number }>(
        "SELECT generation, next_series_id AS s, next_segment_id AS g, next_tombstone_id AS t FROM meta WHERE key = 0",
      )
      .toArray();
    if (rows.length === 0) return null;
    const r = rows[0];
    return { generation: r.generation, nextSeriesId: r.s, nextSegmentId: r.g, nextTombstoneId: r.t };
  }

  writeMeta(meta: ShardMeta): void {
    this.#write(
      `INSERT INTO meta (key, generation, next_series_id, next_segment_id, next_tombstone_id) VALUES (0, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET generation = excluded.generation, next_series_id = excluded.next_series_id,
         next_segment_id = excluded.next_segment_id, next_tombstone_id = excluded.next_tombstone_id`,
      meta.generation,
      meta.nextSeriesId,
      meta.nextSegmentId,
      meta.nextTombstoneId,
    );
  }

  createGeneration(gen: number): void {
    const g = generationSuffix(gen);
    this.#sql.exec(`CREATE TABLE IF NOT EXISTS wal_${g} (seq INTEGER PRIMARY KEY, data BLOB NOT NULL)`);
    this.#sql.exec(`CREATE TABLE IF NOT EXISTS snapshot_${g} (part INTEGER PRIMARY KEY, data BLOB NOT NULL)`);
  }

  dropGeneration(gen: number): void {
    const g = generationSuffix(gen);
    this.#sql.exec(`DROP TABLE IF EXISTS wal_${g}`);
    this.#sql.exec(`DROP TABLE IF EXISTS snapshot_${g}`);
  }

  appendWal(gen: number, seq: number, record: Uint8Array): void {
    this.#write(`INSERT INTO wal_${generationSuffix(gen)} (seq, data) VALUES (?, ?)`, seq, blob(record));
  }

  *readWal(gen: number): Iterable<WalRow> {
    const cursor = this.#sql.exec<{ seq: number; data: ArrayBuffer }>(
      `SELECT seq, data FROM wal_${generationSuffix(gen)} ORDER BY seq`,
    );
    for (const row of cursor) yield { seq: row.seq, record: new Uint8Array(row.data) };
  }

  writeSnapshotPart(gen: number, part: number, bytes: Uint8Array): void {
    this.#write(`INSERT INTO snapshot_${generationSuffix(gen)} (part, data) VALUES (?, ?)`, part, blob(bytes));
  }

  *readSnapshot(gen: number): Iterable<Uint8Array> {
    const cursor = this.#sql.exec<{ data: ArrayBuffer }>(
      `SELECT data FROM snapshot_${generationSuffix(gen)} ORDER BY part`,
    );
    for (const row of cursor) yield new Uint8Array(row.data);
  }

  writeSeriesSegment(id: number, bytes: Uint8Array): void {
    this.#write("INSERT INTO series_segment (id, data) VALUES (?, ?)", id, blob(bytes));
  }

  *readSeriesSegments(): Iterable<{ id: number; bytes: Uint8Array }> {
    const cursor = this.#sql.exec<{ id: number; data: ArrayBuffer }>("SELECT id, data FROM series_segment ORDER BY id");
    for (const row of cursor) yield { id: row.id, bytes: new Uint8Array(row.data) };
  }

  writeChunkSegment(segment: ChunkSegmentRow): void {
    this.#write(
      "INSERT INTO chunk_segment (id, mint, maxt, dir, data) VALUES (?, ?, ?, ?, ?)",
      segment.id,
      segment.mint,
      segment.maxt,
      blob(segment.dir),
      blob(segment.data),
    );
  }

  *readChunkSegmentDirectories(): Iterable<Omit<ChunkSegmentRow, "data">> {
    const cursor = this.#sql.exec<{ id: number; mint: number; maxt: number; dir: ArrayBuffer }>(
      "SELECT id, mint, maxt, dir FROM chunk_segment ORDER BY id",
    );
    for (const row of cursor) yield { id: row.id, mint: row.mint, maxt: row.maxt, dir: new Uint8Array(row.dir) };
  }

  readChunkSegmentData(id: number): Uint8Array {
    const rows = this.#sql.exec<{ data: ArrayBuffer }>("SELECT data FROM chunk_segment WHERE id = ?", id).toArray();
    if (rows.length === 0) throw new RangeError(`no chunk segment ${id}`);
    return new Uint8Array(rows[0].data);
  }

  readChunkSegmentRange(id: number, offset: number, length: number): Uint8Array {
    const rows = this.#sql
      .exec<{ part: ArrayBuffer }>(
        "SELECT substr(data, ?, ?) AS part FROM chunk_segment WHERE id = ?",
        offset + 1,
        length,
        id,
      )
      .toArray();
    if (rows.length === 0) throw new RangeError(`no chunk segment ${id}`);
    return new Uint8Array(rows[0].part);
  }

  deleteChunkSegments(ids: readonly number[]): void {
    // At most 100 bound parameters per statement.
    for (let i = 0; i < ids.length; i += 100) {
      const part = ids.slice(i, i + 100);
      this.#write(`DELETE FROM chunk_segment WHERE id IN (${part.map(() => "?").join(",")})`, ...part);
    }
  }

  writeTombstones(id: number, bytes: Uint8Array): void {
    this.#write("INSERT INTO tombstone (id, data) VALUES (?, ?)", id, blob(bytes));
  }

  *readTombstones(): Iterable<{ id: number; bytes: Uint8Array }> {
    const cursor = this.#sql.exec<{ id: number; data: ArrayBuffer }>("SELECT id, data FROM tombstone ORDER BY id");
    for (const row of cursor) yield { id: row.id, bytes: new Uint8Array(row.data) };
  }

  #write(query: string, ...bindings: SqlStorageValue[]): void {
    this.rowsWritten += this.#sql.exec(query, ...bindings).rowsWritten;
  }

  databaseBytes(): number {
    return this.#sql.databaseSize;
  }
}

/** Generation numbers go into table names: only ever a non-negative integer. */
function generationSuffix(gen: number): string {
  if (!Number.isSafeInteger(gen) || gen < 0) throw new RangeError(`bad generation ${gen}`);
  return String(gen);
}

/** SQLite binds ArrayBuffers: pass the buffer itself when the view covers all of it, else a copy of the view. */
function blob(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) {
    return bytes.buffer;
  }
  return bytes.slice().buffer;
}
