import { ByteWriter } from "./byte-writer";
import type { BlockChunk } from "./chunk";
import { crc32c } from "@edgeprom/wire";
import { InvalidBlockInputError } from "./errors";

export const CHUNKS_MAGIC = 0x85bd40dd;
export const CHUNKS_FORMAT_V1 = 1;
/** Magic (4) + version (1) + padding (3). */
export const CHUNKS_HEADER_SIZE = 8;
/** Prometheus's default and maximum segment size. */
export const DEFAULT_SEGMENT_SIZE = 512 * 1024 * 1024;

/**
 * A chunk reference as Prometheus stores it in the index: segment sequence (0 for `chunks/000001`) in the upper
 * 32 bits, byte offset within the segment in the lower 32.
 */
export function chunkRef(segment: number, offset: number): number {
  return segment * 0x1_0000_0000 + offset;
}

export function chunkRefSegment(ref: number): number {
  return Math.floor(ref / 0x1_0000_0000);
}

export function chunkRefOffset(ref: number): number {
  return ref % 0x1_0000_0000;
}

/** `chunks/000001` for segment 0. */
export function segmentFileName(segment: number): string {
  return `chunks/${String(segment + 1).padStart(6, "0")}`;
}

/**
 * Writes chunk records into segment files: uvarint data length, encoding byte, data, CRC-32C of encoding + data.
 * A new segment starts when the next chunk would take the current one past `segmentSize`.
 */
export class ChunksWriter {
  readonly #segments: Uint8Array[] = [];
  #current: ByteWriter | null = null;

  constructor(readonly segmentSize = DEFAULT_SEGMENT_SIZE) {}

  /** Appends a chunk and returns its reference. */
  add(chunk: BlockChunk): number {
    if (chunk.encoding < 0 || chunk.encoding > 255) throw new InvalidBlockInputError(`bad encoding ${chunk.encoding}`);
    const recordSize = 5 + 1 + chunk.data.length + 4;
    if (this.#current === null || this.#current.length + recordSize > this.segmentSize) this.#cut();
    const w = this.#current as ByteWriter;
    const ref = chunkRef(this.#segments.length, w.length);
    w.uvarint(chunk.data.length);
    const checksummedFrom = w.length;
    w.byte(chunk.encoding);
    w.raw(chunk.data);
    w.be32(crc32c(w.bytes(), checksummedFrom, w.length));
    return ref;
  }

  #cut(): void {
    if (this.#current !== null) this.#segments.push(this.#current.toUint8Array());
    const w = new ByteWriter(64 * 1024);
    w.be32(CHUNKS_MAGIC);
    w.byte(CHUNKS_FORMAT_V1);
    w.zeros(3);
    this.#current = w;
  }

  /** The finished segment files, in order. */
  finish(): Uint8Array[] {
    if (this.#current === null) this.#cut();
    this.#segments.push((this.#current as ByteWriter).toUint8Array());
    this.#current = null;
    return this.#segments;
  }
}
