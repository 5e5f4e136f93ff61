import type { BitReader, BitWriter } from "./bitstream";
import { ChunkDecodeError } from "./errors";
import { joinInt64, splitInt64, TWO_32 } from "./int64";

/**
 * Prometheus's varbit encodings for histogram chunks (`tsdb/chunkenc/varbit.go`): a unary prefix of 1-bits picks the
 * width of what follows. Signed: 0 | 10+3 bits | 110+6 | 1110+9 | 11110+12 | 111110+18 | 1111110+25 | 11111110+56
 * | 11111111+64, each bucket holding -(2^(n-1)-1) … 2^(n-1). Unsigned: the same widths, 0 … 2^n-1.
 */
const WIDTHS = [0, 3, 6, 9, 12, 18, 25, 56, 64];

const scratch = { hi: 0, lo: 0 };

function fitsSigned(v: number, nbits: number): boolean {
  const half = 2 ** (nbits - 1);
  return v >= -(half - 1) && v <= half;
}

function writeWide(b: BitWriter, v: number, nbits: number): void {
  splitInt64(v, scratch);
  b.writeBits64(scratch.hi, scratch.lo, nbits);
}

/** Writes a signed integer (exact for |v| < 2^53). Each width's range is -(2^(n-1)-1) … 2^(n-1). */
export function putVarbitInt(b: BitWriter, v: number): void {
  if (v === 0) b.writeBit(0);
  else if (v >= -3 && v <= 4) writePrefixed(b, 0b10, 2, v & 0x7, 3);
  else if (v >= -31 && v <= 32) writePrefixed(b, 0b110, 3, v & 0x3f, 6);
  else if (v >= -255 && v <= 256) writePrefixed(b, 0b1110, 4, v & 0x1ff, 9);
  else if (v >= -2047 && v <= 2048) writePrefixed(b, 0b11110, 5, v & 0xfff, 12);
  else if (v >= -131071 && v <= 131072) writePrefixed(b, 0b111110, 6, v & 0x3ffff, 18);
  else if (v >= -16777215 && v <= 16777216) writePrefixed(b, 0b1111110, 7, v & 0x1ffffff, 25);
  else if (fitsSigned(v, 56)) {
    b.writeBits(0b11111110, 8);
    writeWide(b, v, 56);
  } else {
    b.writeBits(0xff, 8);
    writeWide(b, v, 64);
  }
}

/** Writes a non-negative integer (exact below 2^53). */
export function putVarbitUint(b: BitWriter, v: number): void {
  if (v === 0) b.writeBit(0);
  else if (v < 8) writePrefixed(b, 0b10, 2, v, 3);
  else if (v < 64) writePrefixed(b, 0b110, 3, v, 6);
  else if (v < 512) writePrefixed(b, 0b1110, 4, v, 9);
  else if (v < 4096) writePrefixed(b, 0b11110, 5, v, 12);
  else if (v < 262144) writePrefixed(b, 0b111110, 6, v, 18);
  else if (v < 33554432) writePrefixed(b, 0b1111110, 7, v, 25);
  else if (v < 2 ** 56) {
    b.writeBits(0b11111110, 8);
    writeWide(b, v, 56);
  } else {
    b.writeBits(0xff, 8);
    writeWide(b, v, 64);
  }
}

/** Two Go `writeBits` calls: the prefix, then the value (kept separate for Go's empty-tail-byte behaviour). */
function writePrefixed(b: BitWriter, prefix: number, prefixBits: number, value: number, valueBits: number): void {
  b.writeBits(prefix, prefixBits);
  b.writeBits(value, valueBits);
}

function readPrefix(r: BitReader): number {
  return r.readOnes(8);
}

/** Prefix length (ones plus the terminating zero, none after 8 ones) by number of leading ones. */
const PREFIX_BITS = [1, 2, 3, 4, 5, 6, 7, 8, 8];

export function readVarbitInt(r: BitReader): number {
  // Fast path: prefix and value within one 32-bit window (every width up to 25 bits).
  const w = r.peek();
  if (w >>> 31 === 0) {
    r.skip(1);
    return 0;
  }
  const lead = Math.min(Math.clz32(~w), 8);
  const sz = WIDTHS[lead];
  const prefix = PREFIX_BITS[lead];
  if (prefix + sz <= 32) {
    let v = (w << prefix) >>> (32 - sz);
    r.skip(prefix + sz);
    if (v > 1 << (sz - 1)) v -= 1 << sz;
    return v;
  }
  return readVarbitIntSlow(r);
}

function readVarbitIntSlow(r: BitReader): number {
  const ones = readPrefix(r);
  if (ones === 0) return 0;
  const sz = WIDTHS[ones];
  if (sz === 64) {
    r.readBits64(64);
    return joinInt64(r.hi, r.lo);
  }
  if (sz <= 32) {
    let v = r.readBits(sz);
    if (v > 2 ** (sz - 1)) v -= 2 ** sz;
    return v;
  }
  // 56 bits: decide the sign on the halves (the full value is beyond exact doubles), then sign-extend.
  r.readBits64(sz);
  const topBit = 2 ** (sz - 33);
  if (r.hi > topBit || (r.hi === topBit && r.lo > 0)) return joinInt64(r.hi | ~(2 * topBit - 1), r.lo);
  return r.hi * TWO_32 + r.lo;
}

export function readVarbitUint(r: BitReader): number {
  const w = r.peek();
  if (w >>> 31 === 0) {
    r.skip(1);
    return 0;
  }
  const lead = Math.min(Math.clz32(~w), 8);
  const sz = WIDTHS[lead];
  const prefix = PREFIX_BITS[lead];
  if (prefix + sz <= 32) {
    r.skip(prefix + sz);
    return ((w << prefix) >>> (32 - sz)) >>> 0;
  }
  return readVarbitUintSlow(r);
}

function readVarbitUintSlow(r: BitReader): number {
  const ones = readPrefix(r);
  if (ones === 0) return 0;
  r.readBits64(WIDTHS[ones]);
  const v = r.hi * TWO_32 + r.lo;
  if (!Number.isSafeInteger(v)) throw new ChunkDecodeError(`varbit unsigned value beyond 2^53`);
  return v;
}
