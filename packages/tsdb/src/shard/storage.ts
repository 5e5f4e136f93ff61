/**
 * The few storage operations a shard needs, all synchronous because Durable Object SQLite is. The DO implements it
 * over SQLite (`do/sqlite-shard-storage.ts`); tests use `MemoryShardStorage`. Every method is one statement, so the
 * cost in rows written is visible here: each `write*`/`append*` call is one row (see docs/tsdb-shard.md).
 */
export interface ShardStorage {
  /** Runs `fn` atomically: all its writes or none. */
  transaction<T>(fn: () => T): T;

  readMeta(): ShardMeta | null;
  writeMeta(meta: ShardMeta): void;

  /** Creates generation `gen`'s WAL and snapshot tables (empty). */
  createGeneration(gen: number): void;
  /** Drops generation `gen`'s WAL and snapshot tables (no rows written: the tables go as a whole). */
  dropGeneration(gen: number): void;
  appendWal(gen: number, seq: number, record: Uint8Array): void;
  /** WAL records of generation `gen` in `seq` order. */
  readWal(gen: number): Iterable<WalRow>;
  writeSnapshotPart(gen: number, part: number, bytes: Uint8Array): void;
  readSnapshot(gen: number): Iterable<Uint8Array>;

  writeSeriesSegment(id: number, bytes: Uint8Array): void;
  readSeriesSegments(): Iterable<{ id: number; bytes: Uint8Array }>;

  writeChunkSegment(segment: ChunkSegmentRow): void;
  /** Every chunk segment's id, time range and directory, without the chunk bytes. */
  readChunkSegmentDirectories(): Iterable<Omit<ChunkSegmentRow, "data">>;
  /** The chunk bytes of a segment (all of them). */
  readChunkSegmentData(id: number): Uint8Array;
  /** `length` chunk bytes of a segment from `offset` (a selective read: SQLite `substr` on the blob). */
  readChunkSegmentRange(id: number, offset: number, length: number): Uint8Array;
  deleteChunkSegments(ids: readonly number[]): void;

  writeTombstones(id: number, bytes: Uint8Array): void;
  readTombstones(): Iterable<{ id: number; bytes: Uint8Array }>;

  /** Rows written so far by this storage object (the billed unit). */
  readonly rowsWritten: number;

  /** Bytes of live database pages, for statistics (`databaseSize` in SQLite). */
  databaseBytes(): number;
}

/** The shard's one row of bookkeeping. */
export interface ShardMeta {
  /** Current checkpoint generation: its snapshot plus its WAL give the head. */
  generation: number;
  nextSeriesId: number;
  nextSegmentId: number;
  nextTombstoneId: number;
}

export interface WalRow {
  seq: number;
  record: Uint8Array;
}

/** Many closed chunks of many series in one row; `dir` locates each chunk in `data`. */
export interface ChunkSegmentRow {
  id: number;
  mint: number;
  maxt: number;
  dir: Uint8Array;
  data: Uint8Array;
}
