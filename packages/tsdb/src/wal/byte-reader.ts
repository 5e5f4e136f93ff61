const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Bytes that do not decode: truncated, or a field out of range. */
export class CorruptRecordError extends Error {
  override readonly name = "CorruptRecordError";
  /** The HTTP API category (`toApiError` in @edgeprom/http reads it). */
  readonly errorType = "bad_data";
}

/** Reads what `ByteWriter` writes; every read is bounds-checked and throws `CorruptRecordError`. */
export class ByteReader {
  readonly #buf: Uint8Array;
  readonly #view: DataView;
  pos: number;

  constructor(buf: Uint8Array, pos = 0) {
    this.#buf = buf;
    this.#view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = pos;
  }

  get remaining(): number {
    return this.#buf.length - this.pos;
  }

  get done(): boolean {
    return this.pos >= this.#buf.length;
  }

  #need(n: number, what: string): void {
    if (this.pos + n > this.#buf.length) throw new CorruptRecordError(`truncated ${what} at byte ${this.pos}`);
  }

  u8(): number {
    this.#need(1, "byte");
    return this.#buf[this.pos++];
  }

  uvarint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      if (this.pos >= this.#buf.length) throw new CorruptRecordError(`truncated varint at byte ${this.pos}`);
      const b = this.#buf[this.pos++];
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 0x80;
    }
    throw new CorruptRecordError(`varint too long at byte ${this.pos}`);
  }

  varint(): number {
    const u = this.uvarint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  f64(): number {
    this.#need(8, "float64");
    const x = this.#view.getFloat64(this.pos, true);
    this.pos += 8;
    return x;
  }

  u32(): number {
    this.#need(4, "uint32");
    const n = this.#view.getUint32(this.pos, true);
    this.pos += 4;
    return n;
  }

  /** A view (not a copy) of the next `n` bytes. */
  bytes(n: number): Uint8Array {
    this.#need(n, "bytes");
    const out = this.#buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  lengthPrefixed(): Uint8Array {
    return this.bytes(this.uvarint());
  }

  /** A uvarint byte length, then that many bytes of UTF-8. */
  string(): string {
    const b = this.lengthPrefixed();
    // Label strings are mostly short ASCII: building them from char codes beats TextDecoder's per-call cost.
    let ascii = b.length <= 256;
    for (let i = 0; ascii && i < b.length; i++) if (b[i] >= 0x80) ascii = false;
    if (ascii) return String.fromCharCode.apply(null, b as unknown as number[]);
    try {
      return decoder.decode(b);
    } catch {
      throw new CorruptRecordError(`string is not valid UTF-8 at byte ${this.pos - b.length}`);
    }
  }

  /** A count of items each at least `minBytes` long, rejected when the record cannot hold that many. */
  count(minBytes: number, what: string): number {
    const n = this.uvarint();
    if (n * minBytes > this.remaining) throw new CorruptRecordError(`${what} count ${n} exceeds the record`);
    return n;
  }
}
