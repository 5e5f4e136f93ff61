import { ByteReader } from "./byte-reader";
import { crc32c } from "@edgeprom/wire";
import { BlockFormatError, ChecksumMismatchError } from "./errors";
import { INDEX_HEADER_SIZE, INDEX_MAGIC, INDEX_TOC_SIZE, SERIES_ALIGNMENT, type IndexToc } from "./index-format";
import type { IndexChunkMeta } from "./index-writer";
import { compareUtf8 as compare, type Label } from "./labels";
import { readRanges, type ByteRange, type RangeReader } from "./range-reader";

/** A series entry as read from the index. */
export interface IndexSeriesEntry {
  readonly ref: number;
  readonly labels: Label[];
  readonly chunks: IndexChunkMeta[];
}

interface PostingsTableEntry {
  readonly values: string[];
  readonly offsets: number[];
}

/** Indexes smaller than this are fetched whole when opened: one request instead of three. */
const WHOLE_INDEX_BELOW = 256 * 1024;
/** Bytes read from the end of an index on open, to get the TOC and the postings offset table in one request. */
const TAIL_READ = 64 * 1024;
/** How far past the last wanted series we read, guessing its entry's size; a longer entry costs a second read. */
const SERIES_READ_AHEAD = 512;

/**
 * Reads a Prometheus index (format v2) through a RangeReader. Opening fetches the TOC, the symbol table and the
 * postings offset table (kept in memory, like Prometheus's reader keeps its sampled table); postings lists and
 * series entries are fetched on demand in coalesced ranges.
 */
export class IndexReader {
  private constructor(
    readonly reader: RangeReader,
    readonly toc: IndexToc,
    readonly symbols: readonly string[],
    readonly postingsTable: ReadonlyMap<string, PostingsTableEntry>,
    /** Offsets of every postings list in table order, plus the end of the last one. */
    readonly postingsBounds: ReadonlyMap<number, number>,
    readonly cached: Uint8Array | null,
  ) {}

  static async open(reader: RangeReader): Promise<IndexReader> {
    const size = reader.size;
    if (size < INDEX_HEADER_SIZE + INDEX_TOC_SIZE) throw new BlockFormatError("index: too small");
    // Round trip 1: the tail, which holds the TOC and usually the whole postings offset table.
    const whole = size <= WHOLE_INDEX_BELOW ? await reader.read(0, size) : null;
    const tailStart = whole ? 0 : Math.max(0, size - TAIL_READ);
    const tail = whole ?? (await reader.read(tailStart, size - tailStart));
    const tocBytes = tail.subarray(tail.length - INDEX_TOC_SIZE);
    const storedTocCrc = new DataView(tocBytes.buffer, tocBytes.byteOffset + 48, 4).getUint32(0);
    const tocCrc = crc32c(tocBytes, 0, 48);
    if (storedTocCrc !== tocCrc) throw new ChecksumMismatchError("index TOC", storedTocCrc, tocCrc);
    const t = new ByteReader(tocBytes, "index TOC");
    const toc: IndexToc = {
      symbols: t.be64(),
      series: t.be64(),
      labelIndices: t.be64(),
      labelIndicesTable: t.be64(),
      postings: t.be64(),
      postingsTable: t.be64(),
    };
    const tocStart = size - INDEX_TOC_SIZE;
    if (toc.postingsTable > tocStart || toc.symbols > toc.series || toc.series > size) {
      throw new BlockFormatError("index: TOC out of range");
    }

    // Round trip 2: header and symbol table from the front, and the postings offset table if the tail missed it.
    const wanted: ByteRange[] = [];
    if (whole === null) wanted.push({ start: 0, end: toc.series });
    if (toc.postingsTable < tailStart) wanted.push({ start: toc.postingsTable, end: tailStart });
    const fetched = wanted.length > 0 ? await readRanges(reader, wanted, 0) : [];
    const front = whole ?? fetched[0];
    const tableBytes =
      toc.postingsTable < tailStart
        ? concat(fetched[fetched.length - 1], tail)
        : tail.subarray(toc.postingsTable - tailStart, tocStart - tailStart);

    const header = new ByteReader(front, "index header");
    if (header.be32() !== INDEX_MAGIC) throw new BlockFormatError("index: bad magic");
    const version = header.byte();
    if (version !== 2) throw new BlockFormatError(`index: unsupported format version ${version}`);
    const symbolBytes = front.subarray(toc.symbols, toc.series);

    const symbolSection = checkedSection(symbolBytes, "index symbols");
    const symbolCount = symbolSection.be32();
    const symbols: string[] = new Array<string>(symbolCount);
    for (let i = 0; i < symbolCount; i++) symbols[i] = symbolSection.uvarintString();

    const table = checkedSection(tableBytes, "index postings offset table");
    const entries = table.be32();
    const postingsTable = new Map<string, { values: string[]; offsets: number[] }>();
    const offsetsInOrder: number[] = [];
    for (let i = 0; i < entries; i++) {
      const keyCount = table.uvarint();
      if (keyCount !== 2) throw new BlockFormatError(`index postings offset table: key count ${keyCount}`);
      const name = table.uvarintString();
      const value = table.uvarintString();
      const offset = table.uvarint();
      let entry = postingsTable.get(name);
      if (entry === undefined) postingsTable.set(name, (entry = { values: [], offsets: [] }));
      entry.values.push(value);
      entry.offsets.push(offset);
      offsetsInOrder.push(offset);
    }
    // A postings list ends before the next one starts; the last ends at the first section after the postings.
    const postingsEnd = Math.min(
      ...[toc.labelIndicesTable, toc.postingsTable, tocStart].filter((o) => o > toc.postings),
    );
    const bounds = new Map<number, number>();
    for (let i = 0; i < offsetsInOrder.length; i++) {
      const next = i + 1 < offsetsInOrder.length ? offsetsInOrder[i + 1] : postingsEnd;
      bounds.set(offsetsInOrder[i], next > offsetsInOrder[i] ? next : postingsEnd);
    }
    return new IndexReader(reader, toc, symbols, postingsTable, bounds, whole);
  }

  async #read(ranges: readonly ByteRange[]): Promise<Uint8Array[]> {
    const cached = this.cached;
    if (cached !== null) return ranges.map((r) => cached.subarray(r.start, r.end));
    return readRanges(this.reader, ranges);
  }

  /** Label names present in the block, sorted (the all-postings key "" excluded). */
  labelNames(): string[] {
    return [...this.postingsTable.keys()].filter((n) => n !== "");
  }

  /** Values of a label name, sorted; none if the name is absent. */
  labelValues(name: string): readonly string[] {
    return this.postingsTable.get(name)?.values ?? [];
  }

  /** The postings lists of `name` paired with each of `values` (absent values give empty lists). */
  async postings(name: string, values: readonly string[]): Promise<number[][]> {
    const entry = this.postingsTable.get(name);
    if (entry === undefined) return values.map(() => []);
    const positions = values.map((v) => binarySearch(entry.values, v));
    const ranges: ByteRange[] = [];
    for (const p of positions) {
      if (p < 0) continue;
      const start = entry.offsets[p];
      ranges.push({ start, end: this.postingsBounds.get(start) as number });
    }
    const bytes = await this.#read(ranges);
    let k = 0;
    return positions.map((p) => (p < 0 ? [] : decodePostings(bytes[k++])));
  }

  /** Every series in the block. */
  async allPostings(): Promise<number[]> {
    const [all] = await this.postings("", [""]);
    return all;
  }

  /** Series entries for sorted references. */
  async series(refs: readonly number[]): Promise<IndexSeriesEntry[]> {
    const sectionEnd = Math.min(
      ...[this.toc.labelIndices, this.toc.postings, this.toc.labelIndicesTable, this.toc.postingsTable].filter(
        (o) => o > this.toc.series,
      ),
    );
    const ranges = refs.map((ref) => {
      const start = ref * SERIES_ALIGNMENT;
      return { start, end: Math.min(start + SERIES_READ_AHEAD, sectionEnd) };
    });
    const bytes = await this.#read(ranges);
    const out: IndexSeriesEntry[] = [];
    for (let i = 0; i < refs.length; i++) {
      let b = bytes[i];
      const probe = new ByteReader(b, "index series");
      const length = probe.uvarint();
      const total = probe.position + length + 4;
      if (total > b.length) [b] = await this.#read([{ start: ranges[i].start, end: ranges[i].start + total }]);
      out.push(this.#decodeSeries(refs[i], b));
    }
    return out;
  }

  #decodeSeries(ref: number, bytes: Uint8Array): IndexSeriesEntry {
    const r = new ByteReader(bytes, `index series ${ref}`);
    const length = r.uvarint();
    const start = r.position;
    const stored = new DataView(bytes.buffer, bytes.byteOffset + start + length, 4).getUint32(0);
    const actual = crc32c(bytes, start, start + length);
    if (stored !== actual) throw new ChecksumMismatchError(`index series ${ref}`, stored, actual);
    const body = new ByteReader(bytes, `index series ${ref}`, start, start + length);
    const labelCount = body.uvarint();
    const labels: Label[] = new Array<Label>(labelCount);
    for (let i = 0; i < labelCount; i++)
      labels[i] = { name: this.#symbol(body.uvarint()), value: this.#symbol(body.uvarint()) };
    const chunkCount = body.uvarint();
    const chunks: IndexChunkMeta[] = new Array<IndexChunkMeta>(chunkCount);
    let maxTime = 0;
    let chunkRef = 0;
    for (let i = 0; i < chunkCount; i++) {
      const minTime = i === 0 ? body.varint() : maxTime + body.uvarint();
      maxTime = minTime + body.uvarint();
      chunkRef = i === 0 ? body.uvarint() : chunkRef + body.varint();
      chunks[i] = { mint: minTime, maxt: maxTime, ref: chunkRef };
    }
    return { ref, labels, chunks };
  }

  #symbol(index: number): string {
    const s = this.symbols[index];
    if (s === undefined) throw new BlockFormatError(`index: unknown symbol ${index}`);
    return s;
  }
}

/** A section `len <4b> | len bytes | CRC32C <4b>`: verifies the CRC and returns a reader over the len bytes. */
function checkedSection(bytes: Uint8Array, what: string): ByteReader {
  const r = new ByteReader(bytes, what);
  const length = r.be32();
  if (4 + length + 4 > bytes.length) throw new BlockFormatError(`${what}: truncated`);
  const stored = new DataView(bytes.buffer, bytes.byteOffset + 4 + length, 4).getUint32(0);
  const actual = crc32c(bytes, 4, 4 + length);
  if (stored !== actual) throw new ChecksumMismatchError(what, stored, actual);
  return new ByteReader(bytes, what, 4, 4 + length);
}

function decodePostings(bytes: Uint8Array): number[] {
  const r = checkedSection(bytes, "index postings");
  const n = r.be32();
  const refs: number[] = new Array<number>(n);
  for (let i = 0; i < n; i++) refs[i] = r.be32();
  return refs;
}

/** Index of `value` in a UTF-8-sorted list, or -1. Uses the same order the writer sorted with. */
function binarySearch(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compare(sorted[mid], value);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
