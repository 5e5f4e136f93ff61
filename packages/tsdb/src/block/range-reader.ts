import { BlockFormatError } from "./errors";

/**
 * Random access to one immutable object (an index or a chunk segment). R2 serves it with ranged GETs, tests with
 * bytes in memory; every reader above this asks for few, large, coalesced ranges because each call may be a
 * network round trip.
 */
export interface RangeReader {
  /** Total size in bytes. */
  readonly size: number;
  /** Exactly `length` bytes from `offset` (callers keep the range inside `size`). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** A RangeReader over bytes already in memory. */
export class BytesRangeReader implements RangeReader {
  constructor(readonly bytes: Uint8Array) {}

  get size(): number {
    return this.bytes.length;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(offset, length, this.bytes.length);
    return this.bytes.subarray(offset, offset + length);
  }
}

/** Counts requests and bytes, for tests and benchmarks that check how many round trips a query costs. */
export class CountingRangeReader implements RangeReader {
  requests = 0;
  bytesRead = 0;

  constructor(readonly inner: RangeReader) {}

  get size(): number {
    return this.inner.size;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    this.requests++;
    this.bytesRead += length;
    return this.inner.read(offset, length);
  }
}

export function checkRange(offset: number, length: number, size: number): void {
  if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > size) {
    throw new BlockFormatError(`range [${offset}, ${offset + length}) outside object of ${size} bytes`);
  }
}

/** A byte range wanted by a reader: [start, end). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Reads many ranges with as few requests as possible: ranges closer than `maxGap` bytes are fetched together.
 * Returns, for each input range in input order, a view of exactly its bytes.
 */
export async function readRanges(
  reader: RangeReader,
  ranges: readonly ByteRange[],
  maxGap = 16 * 1024,
): Promise<Uint8Array[]> {
  const order = ranges.map((_, i) => i).sort((a, b) => ranges[a].start - ranges[b].start);
  const out: Uint8Array[] = new Array<Uint8Array>(ranges.length);
  const groups: { start: number; end: number; members: number[] }[] = [];
  for (const i of order) {
    const r = ranges[i];
    const last = groups[groups.length - 1];
    if (last !== undefined && r.start <= last.end + maxGap) {
      last.end = Math.max(last.end, r.end);
      last.members.push(i);
    } else {
      groups.push({ start: r.start, end: r.end, members: [i] });
    }
  }
  await Promise.all(
    groups.map(async (g) => {
      const bytes = await reader.read(g.start, g.end - g.start);
      for (const i of g.members) out[i] = bytes.subarray(ranges[i].start - g.start, ranges[i].end - g.start);
    }),
  );
  return out;
}
