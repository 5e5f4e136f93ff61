/**
 * 64-bit integers as (hi, lo) pairs of unsigned 32-bit numbers, for the few places that need all 64 bits (varints,
 * the widest delta-of-delta bucket). JavaScript numbers hold timestamps exactly up to 2^53.
 */
export const TWO_32 = 4294967296;

/** Two's complement (hi, lo) of an integer-valued number; written into `out` to avoid allocating. */
export function splitInt64(n: number, out: { hi: number; lo: number }): void {
  const hi = Math.floor(n / TWO_32);
  out.lo = (n - hi * TWO_32) >>> 0;
  out.hi = hi >>> 0;
}

/** The signed number a two's complement (hi, lo) pair stands for (exact within ±2^53). */
export function joinInt64(hi: number, lo: number): number {
  return (hi | 0) * TWO_32 + (lo >>> 0);
}

/** Bytes of `n` as a Go signed varint (zigzag), as `binary.PutVarint` writes it. */
export function varintBytes(n: number): number[] {
  const parts = { hi: 0, lo: 0 };
  splitInt64(n, parts);
  const sign = parts.hi >> 31;
  const hi = (((parts.hi << 1) | (parts.lo >>> 31)) ^ sign) >>> 0;
  const lo = ((parts.lo << 1) ^ sign) >>> 0;
  return uvarintBytes64(hi, lo);
}

/** Bytes of `n` (taken as a 64-bit two's complement integer) as a Go unsigned varint (`uint64(n)`). */
export function uvarintBytes(n: number): number[] {
  const parts = { hi: 0, lo: 0 };
  splitInt64(n, parts);
  return uvarintBytes64(parts.hi, parts.lo);
}

function uvarintBytes64(hi: number, lo: number): number[] {
  const out: number[] = [];
  while (hi !== 0 || lo >= 0x80) {
    out.push((lo & 0x7f) | 0x80);
    lo = ((lo >>> 7) | ((hi & 0x7f) << 25)) >>> 0;
    hi = hi >>> 7;
  }
  out.push(lo);
  return out;
}

/** Result of reading a varint: the number and the offset just past it; `next` is -1 when the bytes run out. */
export interface VarintRead {
  value: number;
  next: number;
}

/** Reads a Go unsigned varint at `pos` as a 64-bit two's complement number (so `uint64(-5)` reads as -5). */
export function readUvarint(bytes: Uint8Array, pos: number, out: VarintRead): void {
  let lo = 0;
  let hi = 0;
  for (let shift = 0; shift < 70; shift += 7) {
    if (pos >= bytes.length) {
      out.next = -1;
      return;
    }
    const b = bytes[pos++];
    const bits = b & 0x7f;
    if (shift < 28) lo |= bits << shift;
    else if (shift === 28) {
      lo |= bits << 28;
      hi |= bits >>> 4;
    } else hi |= bits << (shift - 32);
    if (b < 0x80) {
      out.value = joinInt64(hi >>> 0, lo >>> 0);
      out.next = pos;
      return;
    }
  }
  out.next = -1;
}

/** Reads a Go signed (zigzag) varint at `pos`. */
export function readVarint(bytes: Uint8Array, pos: number, out: VarintRead): void {
  let lo = 0;
  let hi = 0;
  for (let shift = 0; shift < 70; shift += 7) {
    if (pos >= bytes.length) {
      out.next = -1;
      return;
    }
    const b = bytes[pos++];
    const bits = b & 0x7f;
    if (shift < 28) lo |= bits << shift;
    else if (shift === 28) {
      lo |= bits << 28;
      hi |= bits >>> 4;
    } else hi |= bits << (shift - 32);
    if (b < 0x80) {
      const mask = -(lo & 1);
      const zlo = ((lo >>> 1) | (hi << 31)) ^ mask;
      const zhi = (hi >>> 1) ^ mask;
      out.value = joinInt64(zhi >>> 0, zlo >>> 0);
      out.next = pos;
      return;
    }
  }
  out.next = -1;
}
