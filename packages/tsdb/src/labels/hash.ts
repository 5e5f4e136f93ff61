import type { Labels } from "./label";

/**
 * A stable 64-bit hash of a label set: FNV-1a 64 over the UTF-8 bytes of `name 0xff value 0xff` for each label in
 * order. 0xff never occurs in UTF-8, so the separator makes the input unambiguous. The algorithm is fixed forever:
 * shard placement depends on it, so changing it would move series between shards.
 *
 * FNV-1a 64 (offset basis 0xcbf29ce484222325, prime 0x100000001b3) is computed with 32-bit halves: BigInt is far too
 * slow in workerd for a per-series hot path. The prime is 2^40 + 0x1b3, so a multiply is `x * 0x1b3 + (lo << 40)`;
 * `lo * 0x1b3` is formed from 16-bit halves so every step stays in int32 arithmetic (twice as fast as the float
 * product and division it replaced: 3.6 M vs 1.7 M node_exporter series/s).
 */
export interface LabelsHash {
  /** Upper 32 bits, unsigned. */
  readonly hi: number;
  /** Lower 32 bits, unsigned. */
  readonly lo: number;
}

const OFFSET_HI = 0xcbf29ce4;
const OFFSET_LO = 0x84222325;
const PRIME_LOW = 0x1b3;
const TWO_32 = 4294967296;

/** Mutable FNV-1a 64 state: feed bytes, read hi/lo. Exported for hashing other byte sequences the same way. */
export class Fnv1a64 {
  hi = OFFSET_HI;
  lo = OFFSET_LO;

  reset(): void {
    this.hi = OFFSET_HI;
    this.lo = OFFSET_LO;
  }

  byte(b: number): void {
    const x = this.lo ^ b;
    const low = (x & 0xffff) * PRIME_LOW;
    const high = (x >>> 16) * PRIME_LOW + (low >>> 16);
    this.lo = ((high << 16) | (low & 0xffff)) >>> 0;
    this.hi = (Math.imul(this.hi, PRIME_LOW) + (high >>> 16) + (x << 8)) >>> 0;
  }

  /** Feeds the UTF-8 encoding of `s` (a lone surrogate as U+FFFD, like TextEncoder). */
  string(s: string): void {
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x80) {
        this.byte(c);
        continue;
      }
      if (c < 0x800) {
        this.byte(0xc0 | (c >> 6));
        this.byte(0x80 | (c & 0x3f));
        continue;
      }
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = s.charCodeAt(i + 1);
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
          this.byte(0xf0 | (c >> 18));
          this.byte(0x80 | ((c >> 12) & 0x3f));
          this.byte(0x80 | ((c >> 6) & 0x3f));
          this.byte(0x80 | (c & 0x3f));
          continue;
        }
        c = 0xfffd;
      }
      this.byte(0xe0 | (c >> 12));
      this.byte(0x80 | ((c >> 6) & 0x3f));
      this.byte(0x80 | (c & 0x3f));
    }
  }
}

const SEPARATOR = 0xff;

/**
 * One loop with the state in locals (the per-byte method calls of {@link Fnv1a64} cost ~10x). ASCII goes straight
 * through; other characters take the general UTF-8 path.
 */
export function hashLabels(labels: Labels): LabelsHash {
  let hi = OFFSET_HI | 0;
  let lo = OFFSET_LO | 0;
  for (let l = 0; l < labels.length; l++) {
    for (let part = 0; part < 2; part++) {
      const s = part === 0 ? labels[l].name : labels[l].value;
      const n = s.length;
      // i === n feeds the separator.
      for (let i = 0; i <= n; i++) {
        const c = i === n ? SEPARATOR : s.charCodeAt(i);
        if (c >= 0x80 && i < n) {
          // Rare: finish this string through the general encoder, then continue with the locals.
          scratch.hi = hi >>> 0;
          scratch.lo = lo >>> 0;
          scratch.string(s.slice(i));
          scratch.byte(SEPARATOR);
          hi = scratch.hi | 0;
          lo = scratch.lo | 0;
          break;
        }
        const x = lo ^ c;
        const low = (x & 0xffff) * PRIME_LOW;
        const high = (x >>> 16) * PRIME_LOW + (low >>> 16);
        lo = (high << 16) | (low & 0xffff);
        hi = (Math.imul(hi, PRIME_LOW) + (high >>> 16) + (x << 8)) | 0;
      }
    }
  }
  return { hi: hi >>> 0, lo: lo >>> 0 };
}

const scratch = new Fnv1a64();

/** The hash as 16 lower-case hex digits (a stable series key for logs, maps and SQLite). */
export function hashToHex(hash: LabelsHash): string {
  return hash.hi.toString(16).padStart(8, "0") + hash.lo.toString(16).padStart(8, "0");
}

/** The hash as 16 hex digits, in one call. */
export function labelsHashHex(labels: Labels): string {
  return hashToHex(hashLabels(labels));
}

/** The 64-bit hash modulo `n`, exactly: `(hi * 2^32 + lo) mod n` computed without leaving safe integers. */
export function hashModulo(hash: LabelsHash, n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > 0x200000)
    throw new RangeError(`modulus must be an integer in [1, 2^21]: ${n}`);
  const twoPow32ModN = TWO_32 % n;
  return ((((hash.hi % n) * twoPow32ModN) % n) + (hash.lo % n)) % n;
}

/** The shard (0 … shardCount-1) that owns a series: its label hash modulo the shard count. */
export function shardOf(labels: Labels, shardCount: number): number {
  return hashModulo(hashLabels(labels), shardCount);
}
