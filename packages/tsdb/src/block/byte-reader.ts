import { BlockFormatError } from "./errors";

const textDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * A cursor over bytes of a TSDB file, the inverse of ByteWriter. Every read past the end throws BlockFormatError
 * naming `what` is being read, so a truncated range read reports which section was short.
 */
export class ByteReader {
  readonly #bytes: Uint8Array;
  #pos: number;
  readonly #end: number;

  constructor(
    bytes: Uint8Array,
    readonly what: string,
    start = 0,
    end = bytes.length,
  ) {
    this.#bytes = bytes;
    this.#pos = start;
    this.#end = end;
  }

  get position(): number {
    return this.#pos;
  }

  get remaining(): number {
    return this.#end - this.#pos;
  }

  #need(n: number): void {
    if (this.#pos + n > this.#end) {
      throw new BlockFormatError(`${this.what}: truncated (needs ${n} bytes at ${this.#pos}, ends at ${this.#end})`);
    }
  }

  skip(n: number): void {
    this.#need(n);
    this.#pos += n;
  }

  byte(): number {
    this.#need(1);
    return this.#bytes[this.#pos++];
  }

  be32(): number {
    this.#need(4);
    const n = readBe32(this.#bytes, this.#pos);
    this.#pos += 4;
    return n;
  }

  be64(): number {
    this.#need(8);
    const high = readBe32(this.#bytes, this.#pos);
    const low = readBe32(this.#bytes, this.#pos + 4);
    this.#pos += 8;
    if (high >= 0x20_0000) throw new BlockFormatError(`${this.what}: 64-bit value beyond 2^53`);
    return high * 0x1_0000_0000 + low;
  }

  uvarint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      this.#need(1);
      const b = this.#bytes[this.#pos++];
      result += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (!Number.isSafeInteger(result)) throw new BlockFormatError(`${this.what}: varint beyond 2^53`);
        return result;
      }
      scale *= 0x80;
    }
    throw new BlockFormatError(`${this.what}: varint longer than 10 bytes`);
  }

  varint(): number {
    const zigzag = this.uvarint();
    return zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
  }

  bytes(n: number): Uint8Array {
    this.#need(n);
    const out = this.#bytes.subarray(this.#pos, this.#pos + n);
    this.#pos += n;
    return out;
  }

  uvarintString(): string {
    const n = this.uvarint();
    return decodeUtf8(this.bytes(n));
  }
}

/** The big-endian uint32 at `offset` (no DataView: readers make many short-lived cursors). */
export function readBe32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0;
}

/** UTF-8 bytes to a string, with a fast path for ASCII. */
export function decodeUtf8(bytes: Uint8Array): string {
  if (bytes.length < 64) {
    let s = "";
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (b >= 0x80) return textDecoder.decode(bytes);
      s += String.fromCharCode(b);
    }
    return s;
  }
  return textDecoder.decode(bytes);
}
