import type { ChunkSegmentRow, ShardMeta, ShardStorage, WalRow } from "./storage";

/**
 * `ShardStorage` in plain maps, for Node tests and benchmarks of the pure shard. It keeps the same row accounting as
 * SQLite (`rowsWritten`) so tests can check the write budget, and its transactions roll back on a throw.
 */
export class MemoryShardStorage implements ShardStorage {
  rowsWritten = 0;
  #meta: ShardMeta | null = null;
  #wal = new Map<number, WalRow[]>();
  #snapshots = new Map<number, Uint8Array[]>();
  #seriesSegments = new Map<number, Uint8Array>();
  #chunkSegments = new Map<number, ChunkSegmentRow>();
  #tombstones = new Map<number, Uint8Array>();

  transaction<T>(fn: () => T): T {
    const saved = this.#save();
    try {
      return fn();
    } catch (err) {
      this.#restore(saved);
      throw err;
    }
  }

  #save(): SavedState {
    return {
      meta: this.#meta,
      wal: new Map([...this.#wal].map(([k, v]) => [k, [...v]])),
      snapshots: new Map([...this.#snapshots].map(([k, v]) => [k, [...v]])),
      seriesSegments: new Map(this.#seriesSegments),
      chunkSegments: new Map(this.#chunkSegments),
      tombstones: new Map(this.#tombstones),
      rowsWritten: this.rowsWritten,
    };
  }

  #restore(saved: SavedState): void {
    this.#meta = saved.meta;
    this.#wal = saved.wal;
    this.#snapshots = saved.snapshots;
    this.#seriesSegments = saved.seriesSegments;
    this.#chunkSegments = saved.chunkSegments;
    this.#tombstones = saved.tombstones;
    this.rowsWritten = saved.rowsWritten;
  }

  readMeta(): ShardMeta | null {
    return this.#meta && { ...this.#meta };
  }
  writeMeta(meta: ShardMeta): void {
    this.#meta = { ...meta };
    this.rowsWritten++;
  }
  createGeneration(gen: number): void {
    this.#wal.set(gen, []);
    this.#snapshots.set(gen, []);
  }
  dropGeneration(gen: number): void {
    this.#wal.delete(gen);
    this.#snapshots.delete(gen);
  }
  appendWal(gen: number, seq: number, record: Uint8Array): void {
    this.#table(this.#wal, gen).push({ seq, record: record.slice() });
    this.rowsWritten++;
  }
  readWal(gen: number): Iterable<WalRow> {
    return [...this.#table(this.#wal, gen)].sort((a, b) => a.seq - b.seq);
  }
  writeSnapshotPart(gen: number, part: number, bytes: Uint8Array): void {
    this.#table(this.#snapshots, gen)[part] = bytes.slice();
    this.rowsWritten++;
  }
  readSnapshot(gen: number): Iterable<Uint8Array> {
    return this.#table(this.#snapshots, gen).filter((b) => b !== undefined);
  }
  writeSeriesSegment(id: number, bytes: Uint8Array): void {
    this.#seriesSegments.set(id, bytes.slice());
    this.rowsWritten++;
  }
  readSeriesSegments(): Iterable<{ id: number; bytes: Uint8Array }> {
    return [...this.#seriesSegments].sort((a, b) => a[0] - b[0]).map(([id, bytes]) => ({ id, bytes }));
  }
  writeChunkSegment(segment: ChunkSegmentRow): void {
    this.#chunkSegments.set(segment.id, { ...segment, dir: segment.dir.slice(), data: segment.data.slice() });
    this.rowsWritten++;
  }
  readChunkSegmentDirectories(): Iterable<Omit<ChunkSegmentRow, "data">> {
    return [...this.#chunkSegments.values()]
      .sort((a, b) => a.id - b.id)
      .map(({ id, mint, maxt, dir }) => ({ id, mint, maxt, dir }));
  }
  readChunkSegmentData(id: number): Uint8Array {
    const segment = this.#chunkSegments.get(id);
    if (!segment) throw new RangeError(`no chunk segment ${id}`);
    return segment.data;
  }
  deleteChunkSegments(ids: readonly number[]): void {
    for (const id of ids) if (this.#chunkSegments.delete(id)) this.rowsWritten++;
  }
  writeTombstones(id: number, bytes: Uint8Array): void {
    this.#tombstones.set(id, bytes.slice());
    this.rowsWritten++;
  }
  readTombstones(): Iterable<{ id: number; bytes: Uint8Array }> {
    return [...this.#tombstones].sort((a, b) => a[0] - b[0]).map(([id, bytes]) => ({ id, bytes }));
  }
  databaseBytes(): number {
    let n = 0;
    for (const rows of this.#wal.values()) for (const r of rows) n += r.record.length;
    for (const parts of this.#snapshots.values()) for (const p of parts) n += p?.length ?? 0;
    for (const b of this.#seriesSegments.values()) n += b.length;
    for (const s of this.#chunkSegments.values()) n += s.dir.length + s.data.length;
    for (const b of this.#tombstones.values()) n += b.length;
    return n;
  }

  #table<T>(tables: Map<number, T[]>, gen: number): T[] {
    const table = tables.get(gen);
    if (!table) throw new RangeError(`generation ${gen} does not exist`);
    return table;
  }
}

interface SavedState {
  meta: ShardMeta | null;
  wal: Map<number, WalRow[]>;
  snapshots: Map<number, Uint8Array[]>;
  seriesSegments: Map<number, Uint8Array>;
  chunkSegments: Map<number, ChunkSegmentRow>;
  tombstones: Map<number, Uint8Array>;
  rowsWritten: number;
}
