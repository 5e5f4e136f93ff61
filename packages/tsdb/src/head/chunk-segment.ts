import { ByteReader } from "../wal/byte-reader";
import { ByteWriter } from "../wal/byte-writer";
import type { ChunkSegmentRow } from "../shard/storage";

/** A closed chunk of one series, ready to persist or return from select. */
export interface ClosedChunk {
  seriesId: number;
  /** Prometheus chunk encoding id (1 XOR, 2 histogram, 3 float histogram). */
  encoding: number;
  mint: number;
  maxt: number;
  bytes: Uint8Array;
}

/** Largest chunk data per segment row: SQLite values are limited to 2 MB; stay well below. */
export const MAX_SEGMENT_DATA_BYTES = 1_500_000;

/**
 * Packs closed chunks into segment rows: one group per `window` (2h, the block range; chunks never cross it), sorted
 * by series id then time, each row at most `MAX_SEGMENT_DATA_BYTES` of data. Keeping windows apart lets block
 * compaction take and drop whole segments.
 * The directory (`dir`) of a segment is, per chunk in order:
 *   uvarint (seriesId - previous seriesId), varint (mint - segment mint), uvarint (maxt - mint), u8 encoding,
 *   uvarint byteLength
 * Offsets are implicit: chunk i starts where chunk i-1 ended.
 */
export function packChunkSegments(
  chunks: readonly ClosedChunk[],
  window: number,
  nextId: () => number,
): ChunkSegmentRow[] {
  const windowOf = (c: ClosedChunk) => Math.floor(c.mint / window);
  const sorted = [...chunks].sort((a, b) => windowOf(a) - windowOf(b) || a.seriesId - b.seriesId || a.mint - b.mint);
  const segments: ChunkSegmentRow[] = [];
  let start = 0;
  while (start < sorted.length) {
    let end = start;
    let bytes = 0;
    const w = windowOf(sorted[start]);
    while (
      end < sorted.length &&
      windowOf(sorted[end]) === w &&
      (end === start || bytes + sorted[end].bytes.length <= MAX_SEGMENT_DATA_BYTES)
    ) {
      bytes += sorted[end].bytes.length;
      end++;
    }
    segments.push(packOne(sorted.slice(start, end), nextId()));
    start = end;
  }
  return segments;
}

function packOne(chunks: readonly ClosedChunk[], id: number): ChunkSegmentRow {
  let mint = Infinity;
  let maxt = -Infinity;
  for (const c of chunks) {
    mint = Math.min(mint, c.mint);
    maxt = Math.max(maxt, c.maxt);
  }
  const dir = new ByteWriter(chunks.length * 12);
  const data = new ByteWriter(chunks.reduce((n, c) => n + c.bytes.length, 0));
  let prevSeries = 0;
  for (const c of chunks) {
    dir.uvarint(c.seriesId - prevSeries);
    prevSeries = c.seriesId;
    dir.varint(c.mint - mint);
    dir.uvarint(c.maxt - c.mint);
    dir.u8(c.encoding);
    dir.uvarint(c.bytes.length);
    data.bytes(c.bytes);
  }
  return { id, mint, maxt, dir: dir.finish(), data: data.finish() };
}

/**
 * The in-memory directory of one persisted segment, in columns (about 29 bytes a chunk) so that a shard can hold the
 * directories of its whole recent window: sorted by series id, then mint.
 */
export class SegmentDirectory {
  readonly id: number;
  readonly mint: number;
  readonly maxt: number;
  readonly seriesIds: Uint32Array;
  readonly mints: Float64Array;
  readonly maxts: Float64Array;
  readonly offsets: Uint32Array;
  readonly lengths: Uint32Array;
  readonly encodings: Uint8Array;

  constructor(row: Omit<ChunkSegmentRow, "data">) {
    this.id = row.id;
    this.mint = row.mint;
    this.maxt = row.maxt;
    const entries: [number, number, number, number, number, number][] = [];
    const r = new ByteReader(row.dir);
    let series = 0;
    let offset = 0;
    while (!r.done) {
      series += r.uvarint();
      const mint = row.mint + r.varint();
      const maxt = mint + r.uvarint();
      const encoding = r.u8();
      const length = r.uvarint();
      entries.push([series, mint, maxt, encoding, offset, length]);
      offset += length;
    }
    const n = entries.length;
    this.seriesIds = new Uint32Array(n);
    this.mints = new Float64Array(n);
    this.maxts = new Float64Array(n);
    this.offsets = new Uint32Array(n);
    this.lengths = new Uint32Array(n);
    this.encodings = new Uint8Array(n);
    entries.forEach(([s, mint, maxt, enc, off, len], i) => {
      this.seriesIds[i] = s;
      this.mints[i] = mint;
      this.maxts[i] = maxt;
      this.encodings[i] = enc;
      this.offsets[i] = off;
      this.lengths[i] = len;
    });
  }

  get chunkCount(): number {
    return this.seriesIds.length;
  }

  /** Index of the first chunk of `seriesId`, or -1. */
  firstOf(seriesId: number): number {
    let lo = 0;
    let hi = this.seriesIds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.seriesIds[mid] < seriesId) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.seriesIds.length && this.seriesIds[lo] === seriesId ? lo : -1;
  }

  /** Bytes this directory holds in memory. */
  get byteLength(): number {
    return this.seriesIds.length * 29;
  }
}
