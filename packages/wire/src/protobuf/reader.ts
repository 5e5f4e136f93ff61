import { ProtobufDecodeError } from "./errors";
import { WireType } from "./wire-type";

const TWO_32 = 4294967296;

/**
 * A cursor over protobuf wire data. Message decoders read fields in a loop bounded by the end offset of the
 * enclosing message (see {@link ProtoReader.messageEnd}) instead of creating a reader per nested message, so
 * decoding allocates nothing but the values it returns. Every read is bounds-checked against `end`.
 */
export class ProtoReader {
  pos: number;
  readonly end: number;
  private readonly view: DataView;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    end = buf.length,
  ) {
    this.pos = start;
    this.end = end;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** A varint as an unsigned 32-bit number; longer varints keep their low 32 bits, as protobuf specifies. */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos < this.end) {
      const b = buf[pos];
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    if (pos + 5 <= this.end) {
      let value = buf[pos++] & 0x7f;
      let b = buf[pos++];
      value |= (b & 0x7f) << 7;
      if (b >= 0x80) {
        b = buf[pos++];
        value |= (b & 0x7f) << 14;
        if (b >= 0x80) {
          b = buf[pos++];
          value |= (b & 0x7f) << 21;
          if (b >= 0x80) {
            b = buf[pos++];
            value |= b << 28;
            if (b >= 0x80) pos = this.skipVarintTail(pos, 5);
          }
        }
      }
      this.pos = pos;
      return value >>> 0;
    }
    return this.int64() >>> 0;
  }

  /** An int32 field: negative values are sign-extended to ten bytes on the wire. */
  int32(): number {
    return this.uint32() | 0;
  }

  /** A zigzag-encoded sint32. */
  sint32(): number {
    const n = this.uint32();
    return (n >>> 1) ^ -(n & 1);
  }

  /**
   * An int64 varint as a JS number (exact up to 2^53). Timestamps in milliseconds need six bytes, so the common
   * case is a short loop of multiplications.
   */
  int64(): number {
    const buf = this.buf;
    const start = this.pos;
    let pos = start;
    let value = 0;
    let scale = 1;
    // Up to seven bytes (49 bits) the running sum is exact and non-negative.
    for (let i = 0; i < 7; i++) {
      if (pos >= this.end) throw this.error("truncated varint", start);
      const b = buf[pos++];
      value += (b & 0x7f) * scale;
      if (b < 0x80) {
        this.pos = pos;
        return value;
      }
      scale *= 128;
    }
    return this.longVarint(start);
  }

  /** A uint64 varint as a JS number (exact up to 2^53). */
  uint64(): number {
    const v = this.int64();
    return v < 0 ? v + TWO_32 * TWO_32 : v;
  }

  /** A zigzag-encoded sint64 as a JS number (exact up to ±2^53). */
  sint64(): number {
    const start = this.pos;
    const v = this.int64();
    if (v >= 0 && v <= Number.MAX_SAFE_INTEGER) return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
    // Beyond 2^53 the halving above loses the low bit; recompute from the two 32-bit halves.
    const [lo, hi] = this.varintHalves(start);
    const sign = -(lo & 1);
    const rlo = (((lo >>> 1) | (hi << 31)) ^ sign) >>> 0;
    const rhi = ((hi >>> 1) ^ sign) >>> 0;
    if (rhi & 0x80000000) return -((~rhi >>> 0) * TWO_32 + (~rlo >>> 0) + 1);
    return rhi * TWO_32 + rlo;
  }

  bool(): boolean {
    return this.int64() !== 0;
  }

  double(): number {
    const pos = this.pos;
    if (pos + 8 > this.end) throw this.error("truncated double", pos);
    this.pos = pos + 8;
    return this.view.getFloat64(pos, true);
  }

  float(): number {
    const pos = this.pos;
    if (pos + 4 > this.end) throw this.error("truncated float", pos);
    this.pos = pos + 4;
    return this.view.getFloat32(pos, true);
  }

  fixed32(): number {
    const pos = this.pos;
    if (pos + 4 > this.end) throw this.error("truncated fixed32", pos);
    this.pos = pos + 4;
    return this.view.getUint32(pos, true);
  }

  /** The raw 64 bits of a double at `pos`, low word first (stale-marker NaNs differ from other NaNs only here). */
  doubleBitsAt(pos: number): [number, number] {
    return [this.view.getUint32(pos, true), this.view.getUint32(pos + 4, true)];
  }

  /** Reads a length prefix and returns the end offset of the length-delimited field it announces. */
  messageEnd(limit = this.end): number {
    const start = this.pos;
    const len = this.uint32();
    const end = this.pos + len;
    if (end > limit) throw this.error(`length ${len} runs past the enclosing message`, start);
    return end;
  }

  /** Reads a length-delimited field and returns a view of its bytes (no copy). */
  bytes(limit = this.end): Uint8Array {
    const end = this.messageEnd(limit);
    const out = this.buf.subarray(this.pos, end);
    this.pos = end;
    return out;
  }

  /** Skips a field of the given wire type, including nested groups. */
  skip(wireType: number, limit = this.end): void {
    const start = this.pos;
    switch (wireType) {
      case WireType.Varint:
        this.int64OrSkip();
        return;
      case WireType.Fixed64:
        if (this.pos + 8 > limit) throw this.error("truncated fixed64", start);
        this.pos += 8;
        return;
      case WireType.LengthDelimited:
        this.pos = this.messageEnd(limit);
        return;
      case WireType.StartGroup:
        for (;;) {
          if (this.pos >= limit) throw this.error("unterminated group", start);
          const tag = this.uint32();
          if ((tag & 7) === WireType.EndGroup) return;
          this.skip(tag & 7, limit);
        }
      case WireType.Fixed32:
        if (this.pos + 4 > limit) throw this.error("truncated fixed32", start);
        this.pos += 4;
        return;
      default:
        throw this.error(`invalid wire type ${wireType}`, start);
    }
  }

  /** Packed repeated fields may also arrive unpacked; this tells which by the wire type. */
  static isPacked(tag: number): boolean {
    return (tag & 7) === WireType.LengthDelimited;
  }

  error(message: string, at = this.pos): ProtobufDecodeError {
    return new ProtobufDecodeError(message, at);
  }

  private int64OrSkip(): void {
    const start = this.pos;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw this.error("truncated varint", start);
      if (this.buf[this.pos++] < 0x80) return;
    }
    throw this.error("varint longer than ten bytes", start);
  }

  private skipVarintTail(pos: number, consumed: number): number {
    const start = pos - consumed;
    for (let i = consumed; i < 10; i++) {
      if (pos >= this.end) throw this.error("truncated varint", start);
      if (this.buf[pos++] < 0x80) return pos;
    }
    throw this.error("varint longer than ten bytes", start);
  }

  private varintHalves(start: number): [number, number] {
    const buf = this.buf;
    let pos = start;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (pos >= this.end) throw this.error("truncated varint", start);
      const b = buf[pos++];
      if (i < 4) lo |= (b & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >>> 4;
      } else hi |= (b & 0x7f) << (7 * i - 32);
      if (b < 0x80) {
        this.pos = pos;
        return [lo >>> 0, hi >>> 0];
      }
    }
    throw this.error("varint longer than ten bytes", start);
  }

  private longVarint(start: number): number {
    const [lo, hi] = this.varintHalves(start);
    if (hi & 0x80000000) return -((~hi >>> 0) * TWO_32 + (~lo >>> 0) + 1);
    return hi * TWO_32 + lo;
  }
}
