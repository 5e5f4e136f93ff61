import { ByteReader, readBe32 } from "./byte-reader";
import type { BlockChunk } from "./chunk";
import { CHUNKS_HEADER_SIZE, chunkRefOffset, chunkRefSegment } from "./chunks-writer";
import { crc32c } from "@edgeprom/wire";
import { BlockFormatError, ChecksumMismatchError } from "./errors";
import type { IndexChunkMeta } from "./index-writer";
import { readRanges, type RangeReader } from "./range-reader";

/**
 * Most chunks are far below this (Prometheus cuts float chunks at 120 samples); reading this much past a wanted
 * chunk's start usually gets the whole record in the same request, and a longer record costs one more.
 */
const CHUNK_READ_AHEAD = 2048;

/**
 * Reads chunk records from a block's segment files. Records are located by the references in the index; each is
 * checked against its CRC-32C before its bytes are handed out.
 */
export class ChunksReader {
  constructor(readonly segments: readonly RangeReader[]) {}

  /** The chunks for `metas`, in the same order. */
  async read(metas: readonly IndexChunkMeta[]): Promise<BlockChunk[]> {
    const bySegment = new Map<number, number[]>();
    metas.forEach((m, i) => {
      const segment = chunkRefSegment(m.ref);
      const list = bySegment.get(segment);
      if (list === undefined) bySegment.set(segment, [i]);
      else list.push(i);
    });
    const out: BlockChunk[] = new Array<BlockChunk>(metas.length);
    await Promise.all(
      [...bySegment].map(async ([segment, members]) => {
        const reader = this.segments[segment];
        if (reader === undefined) throw new BlockFormatError(`chunk reference into missing segment ${segment + 1}`);
        const ranges = members.map((i) => {
          const start = chunkRefOffset(metas[i].ref);
          if (start < CHUNKS_HEADER_SIZE || start >= reader.size) {
            throw new BlockFormatError(`chunk reference ${metas[i].ref} outside segment ${segment + 1}`);
          }
          return { start, end: Math.min(start + CHUNK_READ_AHEAD, reader.size) };
        });
        const bytes = await readRanges(reader, ranges);
        const longer: number[] = [];
        members.forEach((i, k) => {
          const decoded = decodeChunkRecord(bytes[k], metas[i]);
          if (decoded === null) longer.push(k);
          else out[i] = decoded;
        });
        // Records longer than the read-ahead: one more request each (rare: only very large chunks).
        await Promise.all(
          longer.map(async (k) => {
            const b = bytes[k];
            const length = recordLength(b);
            const record = await reader.read(ranges[k].start, length);
            out[members[k]] = decodeChunkRecord(record, metas[members[k]]) as BlockChunk;
          }),
        );
      }),
    );
    return out;
  }
}

/** Length of a whole chunk record from its first bytes: uvarint data length, encoding byte, data, CRC. */
function recordLength(bytes: Uint8Array): number {
  const r = new ByteReader(bytes, "chunk");
  const length = r.uvarint();
  return r.position + 1 + length + 4;
}

/** The chunk in a record, or null when `bytes` hold only its beginning. */
function decodeChunkRecord(bytes: Uint8Array, meta: IndexChunkMeta): BlockChunk | null {
  // Inline uvarint: this runs once per chunk read.
  let length = 0;
  let shift = 1;
  let pos = 0;
  for (;;) {
    if (pos >= bytes.length || pos > 4) throw new BlockFormatError(`chunk ${meta.ref}: bad length`);
    const b = bytes[pos++];
    length += (b & 0x7f) * shift;
    if (b < 0x80) break;
    shift *= 0x80;
  }
  const end = pos + 1 + length;
  if (end + 4 > bytes.length) return null;
  const stored = readBe32(bytes, end);
  const actual = crc32c(bytes, pos, end);
  if (stored !== actual) throw new ChecksumMismatchError(`chunk ${meta.ref}`, stored, actual);
  return { mint: meta.mint, maxt: meta.maxt, encoding: bytes[pos], data: bytes.subarray(pos + 1, end) };
}
