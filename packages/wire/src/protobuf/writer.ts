import { WireType } from "./wire-type";

const TWO_32 = 4294967296;

/**
 * Builds protobuf wire data in one growing buffer. Nested messages are written in place after a
 * {@link ProtoWriter.fork}; {@link ProtoWriter.join} then inserts the length prefix in front of them.
 */
export class ProtoWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;
  private readonly forks: number[] = [];
  private readonly utf8 = new TextEncoder();

  constructor(initialBytes = 1024) {
    this.buf = new Uint8Array(initialBytes);
    this.view = new DataView(this.buf.buffer);
  }

  tag(field: number, wireType: number): this {
    return this.uint32(field * 8 + wireType);
  }

  uint32(value: number): this {
    this.ensure(5);
    let v = value >>> 0;
    while (v >= 0x80) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.pos++] = v;
    return this;
  }

  /** int64/uint64 from a JS number (exact up to 2^53); negative values take ten bytes, as protobuf specifies. */
  int64(value: number): this {
    if (value >= 0 && value < TWO_32) return this.uint32(value);
    const [lo, hi] = twosComplementHalves(value);
    return this.varint64(lo, hi);
  }

  sint32(value: number): this {
    return this.uint32(((value << 1) ^ (value >> 31)) >>> 0);
  }

  /** zigzag sint64 from a JS number (exact up to ±2^53), computed on 32-bit halves to stay exact. */
  sint64(value: number): this {
    const [lo, hi] = twosComplementHalves(value);
    const sign = hi >> 31;
    return this.varint64(((lo << 1) ^ sign) >>> 0, (((hi << 1) | (lo >>> 31)) ^ sign) >>> 0);
  }

  private varint64(lo: number, hi: number): this {
    this.ensure(10);
    while (hi !== 0 || lo >= 0x80) {
      this.buf[this.pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    this.buf[this.pos++] = lo;
    return this;
  }

  bool(value: boolean): this {
    return this.uint32(value ? 1 : 0);
  }

  double(value: number): this {
    this.ensure(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
    return this;
  }

  /** A double given by its raw bits (to write stale-marker NaNs exactly). */
  doubleBits(lo: number, hi: number): this {
    this.ensure(8);
    this.view.setUint32(this.pos, lo, true);
    this.view.setUint32(this.pos + 4, hi, true);
    this.pos += 8;
    return this;
  }

  string(value: string): this {
    // UTF-8 needs at most three bytes per UTF-16 code unit.
    this.ensure(5 + value.length * 3);
    const lenPos = this.pos;
    const written = this.utf8.encodeInto(value, this.buf.subarray(lenPos + 1)).written;
    if (written < 0x80) {
      this.buf[lenPos] = written;
      this.pos = lenPos + 1 + written;
      return this;
    }
    const prefix = varintSize(written);
    this.buf.copyWithin(lenPos + prefix, lenPos + 1, lenPos + 1 + written);
    this.uint32(written);
    this.pos = lenPos + prefix + written;
    return this;
  }

  bytes(value: Uint8Array): this {
    this.uint32(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
    return this;
  }

  /** Starts a length-delimited field whose content follows; end it with {@link join}. */
  fork(field: number): this {
    this.tag(field, WireType.LengthDelimited);
    this.forks.push(this.pos);
    return this;
  }

  join(): this {
    const start = this.forks.pop();
    if (start === undefined) throw new Error("ProtoWriter.join() without fork()");
    const len = this.pos - start;
    const prefix = varintSize(len);
    this.ensure(prefix);
    this.buf.copyWithin(start + prefix, start, this.pos);
    const end = this.pos + prefix;
    this.pos = start;
    this.uint32(len);
    this.pos = end;
    return this;
  }

  /** Packed repeated field of sint64 / uint32 / double values. */
  packedSint64(field: number, values: readonly number[]): this {
    if (values.length === 0) return this;
    this.fork(field);
    for (const v of values) this.sint64(v);
    return this.join();
  }

  packedUint32(field: number, values: readonly number[]): this {
    if (values.length === 0) return this;
    this.fork(field);
    for (const v of values) this.uint32(v);
    return this.join();
  }

  packedDouble(field: number, values: readonly number[]): this {
    if (values.length === 0) return this;
    this.tag(field, WireType.LengthDelimited).uint32(values.length * 8);
    for (const v of values) this.double(v);
    return this;
  }

  finish(): Uint8Array {
    if (this.forks.length > 0) throw new Error("ProtoWriter.finish() with an unjoined fork()");
    return this.buf.slice(0, this.pos);
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
}

/** The low and high 32 bits of an integer's 64-bit two's complement. */
function twosComplementHalves(value: number): [number, number] {
  const abs = Math.abs(value);
  let lo = (abs % TWO_32) >>> 0;
  let hi = Math.floor(abs / TWO_32) >>> 0;
  if (value < 0) {
    lo = (~lo + 1) >>> 0;
    hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
  }
  return [lo, hi];
}

function varintSize(n: number): number {
  let size = 1;
  for (let v = n >>> 7; v !== 0; v >>>= 7) size++;
  return size;
}
