import { InvalidBlockInputError } from "./errors";

const textEncoder = new TextEncoder();

/**
 * A growable byte buffer with the encodings TSDB files use: big-endian fixed-width integers and Go's
 * `encoding/binary` varints. Integers travel as JS numbers, so 64-bit fields are exact up to 2^53, which covers
 * millisecond timestamps and chunk references of any block we write.
 */
export class ByteWriter {
  #bytes: Uint8Array;
  #view: DataView;
  #length = 0;

  constructor(initialCapacity = 4096) {
    this.#bytes = new Uint8Array(initialCapacity);
    this.#view = new DataView(this.#bytes.buffer);
  }

  /** Forgets the contents, keeping the allocation. */
  reset(): void {
    this.#length = 0;
  }

  get length(): number {
    return this.#length;
  }

  /** The written bytes (a view, valid until the next write). */
  bytes(): Uint8Array {
    return this.#bytes.subarray(0, this.#length);
  }

  /** A copy of the written bytes that later writes cannot disturb. */
  toUint8Array(): Uint8Array {
    return this.#bytes.slice(0, this.#length);
  }

  #reserve(extra: number): void {
    const needed = this.#length + extra;
    if (needed <= this.#bytes.length) return;
    let capacity = this.#bytes.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = grown;
    this.#view = new DataView(grown.buffer);
  }

  byte(b: number): void {
    this.#reserve(1);
    this.#bytes[this.#length++] = b;
  }

  raw(bytes: Uint8Array): void {
    this.#reserve(bytes.length);
    this.#bytes.set(bytes, this.#length);
    this.#length += bytes.length;
  }

  zeros(n: number): void {
    this.#reserve(n);
    this.#bytes.fill(0, this.#length, this.#length + n);
    this.#length += n;
  }

  /** Zero bytes until the length is a multiple of `alignment`. */
  padTo(alignment: number): void {
    const rest = this.#length % alignment;
    if (rest !== 0) this.zeros(alignment - rest);
  }

  be32(n: number): void {
    this.#reserve(4);
    this.#view.setUint32(this.#length, n >>> 0);
    this.#length += 4;
  }

  be64(n: number): void {
    checkUnsigned(n);
    this.#reserve(8);
    this.#view.setUint32(this.#length, Math.floor(n / 0x1_0000_0000));
    this.#view.setUint32(this.#length + 4, n % 0x1_0000_0000);
    this.#length += 8;
  }

  /** Overwrites 4 bytes already written (lengths known only after a section is complete). */
  setBe32(offset: number, n: number): void {
    this.#view.setUint32(offset, n >>> 0);
  }

  uvarint(n: number): void {
    checkUnsigned(n);
    this.#reserve(10);
    while (n >= 0x80) {
      this.#bytes[this.#length++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.#bytes[this.#length++] = n;
  }

  /** Go's zig-zag signed varint. */
  varint(n: number): void {
    if (!Number.isSafeInteger(n)) throw new InvalidBlockInputError(`not a safe integer: ${n}`);
    this.uvarint(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  /** A string as uvarint byte length + UTF-8 bytes. */
  uvarintString(s: string): void {
    const encoded = utf8(s);
    this.uvarint(encoded.length);
    this.raw(encoded);
  }
}

/** Encodes a string as UTF-8, with a fast path for ASCII, by far the common case in label sets. */
export function utf8(s: string): Uint8Array {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) return textEncoder.encode(s);
  }
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function checkUnsigned(n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidBlockInputError(`not an unsigned safe integer: ${n}`);
}
