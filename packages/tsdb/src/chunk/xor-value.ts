import type { BitReader, BitWriter } from "./bitstream";
import { ChunkDecodeError } from "./errors";
import {
  floatBits,
  floatFromBits,
  floatHi,
  floatLo,
  QUIET_STALE_NAN_HI,
  STALE_NAN_HI,
  STALE_NAN_LO,
} from "./float-bits";

/**
 * One Gorilla-XOR-encoded float field with its own leading/trailing-zero window (Prometheus's `xorWrite`/`xorRead`
 * and `xorValue`), used for histogram sums and float histogram counts and buckets.
 */
export class XorValue {
  hi = 0;
  lo = 0;
  /** 0xff until the writer opens a window (the reader starts at 0, as Go's iterator does). */
  leading = 0xff;
  trailing = 0;

  get value(): number {
    return floatFromBits(this.hi, this.lo);
  }

  /** Sets the value written raw (the first sample), keeping the bit pattern. */
  setRaw(v: number): void {
    floatBits(v);
    this.hi = canonicalHi(floatHi, floatLo);
    this.lo = floatLo;
  }

  write(b: BitWriter, v: number): void {
    floatBits(v);
    const hi = canonicalHi(floatHi, floatLo);
    const lo = floatLo;
    const dhi = (hi ^ this.hi) >>> 0;
    const dlo = (lo ^ this.lo) >>> 0;
    this.hi = hi;
    this.lo = lo;
    if (dhi === 0 && dlo === 0) {
      b.writeBit(0);
      return;
    }
    b.writeBit(1);
    let leading = dhi !== 0 ? Math.clz32(dhi) : 32 + Math.clz32(dlo);
    const trailing = dlo !== 0 ? 31 - Math.clz32(dlo & -dlo) : 63 - Math.clz32(dhi & -dhi);
    if (leading >= 32) leading = 31;
    if (this.leading !== 0xff && leading >= this.leading && trailing >= this.trailing) {
      b.writeBit(0);
      writeShifted(b, dhi, dlo, this.trailing, 64 - this.leading - this.trailing);
      return;
    }
    this.leading = leading;
    this.trailing = trailing;
    b.writeBit(1);
    b.writeBits(leading, 5);
    const sigbits = 64 - leading - trailing;
    b.writeBits(sigbits & 63, 6);
    writeShifted(b, dhi, dlo, trailing, sigbits);
  }

  read(r: BitReader): void {
    // The control bits (and a new window's 11 bits) sit in one 32-bit window.
    const w = r.peek();
    if (w >>> 31 === 0) {
      r.skip(1);
      return;
    }
    if ((w & 0x40000000) !== 0) {
      this.leading = (w >>> 25) & 31;
      let sig = (w >>> 19) & 63;
      if (sig === 0) sig = 64;
      this.trailing = 64 - this.leading - sig;
      r.skip(13);
      if (this.trailing < 0) throw new ChunkDecodeError(`corrupt XOR value: ${this.leading} leading, ${sig} bits`);
    } else {
      r.skip(2);
      if (this.leading === 0xff) this.leading = 0; // Go's reader starts with a 0/0 window
    }
    const sig = 64 - this.leading - this.trailing;
    r.readBits64(sig);
    const t = this.trailing;
    let hi: number;
    let lo: number;
    if (t === 0) {
      hi = r.hi;
      lo = r.lo;
    } else if (t >= 32) {
      hi = r.lo << (t - 32);
      lo = 0;
    } else {
      hi = (r.hi << t) | (r.lo >>> (32 - t));
      lo = r.lo << t;
    }
    this.hi = (this.hi ^ hi) >>> 0;
    this.lo = (this.lo ^ lo) >>> 0;
  }

  /** Reads a raw 64-bit float (the first sample). */
  readRaw(r: BitReader): void {
    r.readBits64(64);
    this.hi = r.hi >>> 0;
    this.lo = r.lo >>> 0;
  }

  isStale(): boolean {
    return this.hi === STALE_NAN_HI && this.lo === STALE_NAN_LO;
  }
}

/** A quieted stale marker (see float-bits) goes back to Prometheus's exact pattern. */
export function canonicalHi(hi: number, lo: number): number {
  return hi === QUIET_STALE_NAN_HI && lo === STALE_NAN_LO ? STALE_NAN_HI : hi;
}

export function writeShifted(b: BitWriter, hi: number, lo: number, shift: number, sigbits: number): void {
  if (shift >= 32) b.writeBits(hi >>> (shift - 32), sigbits);
  else if (shift === 0) b.writeBits64(hi, lo, sigbits);
  else b.writeBits64(hi >>> shift, ((lo >>> shift) | (hi << (32 - shift))) >>> 0, sigbits);
}

/** Writes a raw float64 (64 bits). */
export function writeRawFloat(b: BitWriter, v: number): void {
  floatBits(v);
  b.writeBits64(canonicalHi(floatHi, floatLo), floatLo, 64);
}
