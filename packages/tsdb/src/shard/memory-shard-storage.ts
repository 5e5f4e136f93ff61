import type { ChunkSegmentRow, ShardMeta, ShardStorage, WalRow } from "./storage";

/**
 * `ShardStorage` in plain maps, for Node tests and benchmarks of the pure shard. It counts rows written as SQLite
 * does, and its transactions roll back on a throw (each change inside one records how to undo itself).
 */
export class MemoryShardStorage implements ShardStorage {
  rowsWritten = 0;
  #meta: ShardMeta | null = null;
  readonly #wal = new Map<number, WalRow[]>();
  readonly #snapshots = new Map<number, Uint8Array[]>();
  readonly #seriesSegments = new Map<number, Uint8Array>();
  readonly #chunkSegments = new Map<number, ChunkSegmentRow>();
  readonly #tombstones = new Map<number, Uint8Array>();
  #undo: (() => void)[] | null = null;

  transaction<T>(fn: () => T): T {
    if (this.#undo) return fn();
    this.#undo = [];
    const rows = this.rowsWritten;
    try {
      const result = fn();
      this.#undo = null;
      return result;
    } catch (err) {
      const undo = this.#undo ?? [];
      this.#undo = null;
      for (let i = undo.length - 1; i >= 0; i--) undo[i]();
      this.rowsWritten = rows;
      throw err;
    }
  }

  #onUndo(fn: () => void): void {
    this.#undo?.push(fn);
  }

  #set<K, V>(map: Map<K, V>, key: K, value: V): void {
    const had = map.has(key);
    const old = map.get(key);
    map.set(key, value);
    this.#onUndo(() => (had ? map.set(key, old as V) : map.delete(key)));
  }

  #delete<K, V>(map: Map<K, V>, key: K): boolean {
    if (!map.has(key)) return false;
    const old = map.get(key) as V;
    map.delete(key);
    this.#onUndo(() => map.set(key, old));
    return true;
  }

  readMeta(): ShardMeta | null {
    return this.#meta && { ...this.#meta };
  }
  writeMeta(meta: ShardMeta): void {
    const old = this.#meta;
    this.#meta = { ...meta };
    this.#onUndo(() => (this.#meta = old));
    this.rowsWritten++;
  }
  createGeneration(gen: number): void {
    this.#set(this.#wal, gen, []);
    this.#set(this.#snapshots, gen, []);
  }
  dropGeneration(gen: number): void {
    this.#delete(this.#wal, gen);
    this.#delete(this.#snapshots, gen);
  }
  appendWal(gen: number, seq: number, record: Uint8Array): void {
    const table = this.#table(this.#wal, gen);
    table.push({ seq, record: record.slice() });
    this.#onUndo(() => table.pop());
    this.rowsWritten++;
  }
  readWal(gen: number): Iterable<WalRow> {
    return [...this.#table(this.#wal, gen)].sort((a, b) => a.seq - b.seq);
  }
  writeSnapshotPart(gen: number, part: number, bytes: Uint8Array): void {
    const table = this.#table(this.#snapshots, gen);
    const old = table[part];
    table[part] = bytes.slice();
    this.#onUndo(() => (table[part] = old));
    this.rowsWritten++;
  }
  readSnapshot(gen: number): Iterable<Uint8Array> {
    return this.#table(this.#snapshots, gen).filter((b) => b !== undefined);
  }
  writeSeriesSegment(id: number, bytes: Uint8Array): void {
    this.#set(this.#seriesSegments, id, bytes.slice());
    this.rowsWritten++;
  }
  readSeriesSegments(): Iterable<{ id: number; bytes: Uint8Array }> {
    return [...this.#seriesSegments].sort((a, b) => a[0] - b[0]).map(([id, bytes]) => ({ id, bytes }));
  }
  writeChunkSegment(segment: ChunkSegmentRow): void {
    this.#set(this.#chunkSegments, segment.id, { ...segment, dir: segment.dir.slice(), data: segment.data.slice() });
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
  readChunkSegmentRange(id: number, offset: number, length: number): Uint8Array {
    return this.readChunkSegmentData(id).subarray(offset, offset + length);
  }
  deleteChunkSegments(ids: readonly number[]): void {
    for (const id of ids) if (this.#delete(this.#chunkSegments, id)) this.rowsWritten++;
  }
  writeTombstones(id: number, bytes: Uint8Array): void {
    this.#set(this.#tombstones, id, bytes.slice());
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
