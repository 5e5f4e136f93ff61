const encoder = new TextEncoder();

/** An append-only little-endian byte buffer with Go-style varints, for WAL records and segment rows. */
export class ByteWriter {
  #buf: Uint8Array;
  #view: DataView;
  #pos = 0;

  constructor(capacity = 4096) {
    this.#buf = new Uint8Array(capacity);
    this.#view = new DataView(this.#buf.buffer);
  }

  get length(): number {
    return this.#pos;
  }

  #ensure(n: number): void {
    if (this.#pos + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#pos + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.#buf.subarray(0, this.#pos));
    this.#buf = grown;
    this.#view = new DataView(grown.buffer);
  }

  u8(b: number): void {
    this.#ensure(1);
    this.#buf[this.#pos++] = b;
  }

  /** Unsigned varint of a non-negative integer up to 2^53. */
  uvarint(n: number): void {
    this.#ensure(8);
    while (n >= 0x80) {
      this.#buf[this.#pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.#buf[this.#pos++] = n;
  }

  /** Zigzag varint of a signed integer within ±2^52. */
  varint(n: number): void {
    this.uvarint(n < 0 ? -2 * n - 1 : 2 * n);
  }

  f64(x: number): void {
    this.#ensure(8);
    this.#view.setFloat64(this.#pos, x, true);
    this.#pos += 8;
  }

  /** Raw float64 bits (keeps NaN payloads such as the stale marker). */
  f64Bits(hi: number, lo: number): void {
    this.#ensure(8);
    this.#view.setUint32(this.#pos, lo, true);
    this.#view.setUint32(this.#pos + 4, hi, true);
    this.#pos += 8;
  }

  u32(n: number): void {
    this.#ensure(4);
    this.#view.setUint32(this.#pos, n, true);
    this.#pos += 4;
  }

  bytes(b: Uint8Array): void {
    this.#ensure(b.length);
    this.#buf.set(b, this.#pos);
    this.#pos += b.length;
  }

  /** The bytes `[start, end)` of `src` (short runs copied in a loop: no view object per call). */
  bytesFrom(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.#ensure(n);
    if (n <= 64) {
      const buf = this.#buf;
      let pos = this.#pos;
      for (let i = start; i < end; i++) buf[pos++] = src[i];
    } else this.#buf.set(src.subarray(start, end), this.#pos);
    this.#pos += n;
  }

  /** uvarint length then the bytes. */
  lengthPrefixed(b: Uint8Array): void {
    this.uvarint(b.length);
    this.bytes(b);
  }

  /** uvarint UTF-8 length then the UTF-8 bytes. */
  string(s: string): void {
    this.#ensure(s.length * 3 + 8);
    // Reserve the largest varint the length can need, encode in place, then move if the varint was shorter.
    const maxLen = s.length * 3;
    const prefix = maxLen < 0x80 ? 1 : maxLen < 0x4000 ? 2 : maxLen < 0x200000 ? 3 : 4;
    const start = this.#pos + prefix;
    const { written } = encoder.encodeInto(s, this.#buf.subarray(start));
    const actual = written < 0x80 ? 1 : written < 0x4000 ? 2 : written < 0x200000 ? 3 : 4;
    if (actual !== prefix) this.#buf.copyWithin(this.#pos + actual, start, start + written);
    this.uvarint(written);
    this.#pos += written;
  }

  /** Overwrites 4 bytes at `at` (for lengths known only afterwards). */
  patchU32(at: number, n: number): void {
    this.#view.setUint32(at, n, true);
  }

  /** The bytes written so far without copying: valid until the next write. */
  view(): Uint8Array {
    return this.#buf.subarray(0, this.#pos);
  }

  /** A copy of the bytes written. */
  finish(): Uint8Array {
    return this.#buf.slice(0, this.#pos);
  }
}
