import { ByteReader } from "./byte-reader";
import type { BlockChunk } from "./chunk";
import { CHUNKS_HEADER_SIZE, chunkRefOffset, chunkRefSegment } from "./chunks-writer";
import { crc32c } from "./crc32c";
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
        await Promise.all(
          members.map(async (i, k) => {
            let b = bytes[k];
            const probe = new ByteReader(b, "chunk");
            const length = probe.uvarint();
            const total = probe.position + 1 + length + 4;
            if (total > b.length) b = await reader.read(ranges[k].start, total);
            out[i] = decodeChunkRecord(b, metas[i]);
          }),
        );
      }),
    );
    return out;
  }
}

function decodeChunkRecord(bytes: Uint8Array, meta: IndexChunkMeta): BlockChunk {
  const r = new ByteReader(bytes, `chunk ${meta.ref}`);
  const length = r.uvarint();
  const checked = r.position;
  const encoding = r.byte();
  const data = r.bytes(length);
  const stored = r.be32();
  const actual = crc32c(bytes, checked, checked + 1 + length);
  if (stored !== actual) throw new ChecksumMismatchError(`chunk ${meta.ref}`, stored, actual);
  return { mint: meta.mint, maxt: meta.maxt, encoding, data };
}
