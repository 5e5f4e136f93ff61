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

/** Writes a signed integer (exact for |v| < 2^53). */
export function putVarbitInt(b: BitWriter, v: number): void {
  if (v === 0) {
    b.writeBit(0);
    return;
  }
  for (let i = 1; i < WIDTHS.length - 1; i++) {
    if (fitsSigned(v, WIDTHS[i])) {
      b.writeBits((1 << (i + 1)) - 2, i + 1); // i ones then a zero
      writeWide(b, v, WIDTHS[i]);
      return;
    }
  }
  b.writeBits(0xff, 8);
  writeWide(b, v, 64);
}

/** Writes a non-negative integer (exact below 2^53). */
export function putVarbitUint(b: BitWriter, v: number): void {
  if (v === 0) {
    b.writeBit(0);
    return;
  }
  for (let i = 1; i < WIDTHS.length - 1; i++) {
    if (v < 2 ** WIDTHS[i]) {
      b.writeBits((1 << (i + 1)) - 2, i + 1);
      writeWide(b, v, WIDTHS[i]);
      return;
    }
  }
  b.writeBits(0xff, 8);
  writeWide(b, v, 64);
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
