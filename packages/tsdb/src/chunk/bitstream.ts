import { ChunkDecodeError } from "./errors";

/**
 * Bit-level I/O over bytes, most significant bit first (Prometheus's `bstream`). Everything uses 32-bit words: values
 * wider than 32 bits travel as (hi, lo) pairs of unsigned 32-bit numbers, because BigInt is far too slow in workerd.
 */
export class BitWriter {
  private buf: Uint8Array;
  /** Number of bits written. */
  private len = 0;
  /**
   * Go's `bstream.writeByte` always appends a byte, so a write of whole bytes that ends on a byte boundary leaves an
   * empty byte at the end of Prometheus's chunk (which its `Bytes()` includes). We track the same condition so that
   * our chunk bytes, and their lengths used by the cut rule, are identical to Prometheus's.
   */
  private emptyTail = false;

  constructor(initialBytes = 128) {
    this.buf = new Uint8Array(Math.max(8, initialBytes));
  }

  /** A writer whose first `headerBytes` bytes are zero (a chunk header filled in later), like Go's `make([]byte, n)`. */
  static withHeader(headerBytes: number, initialBytes = 128): BitWriter {
    const writer = new BitWriter(Math.max(initialBytes, headerBytes + 8));
    writer.len = headerBytes * 8;
    return writer;
  }

  /** A writer that continues after the first `bitLength` bits of `bytes` (bits after that are dropped). */
  static resume(bytes: Uint8Array, bitLength: number): BitWriter {
    if (bitLength > bytes.length * 8) throw new RangeError(`bit length ${bitLength} exceeds ${bytes.length} bytes`);
    const writer = new BitWriter(bytes.length + 64);
    const fullBytes = bitLength >>> 3;
    writer.buf.set(bytes.subarray(0, fullBytes));
    const rest = bitLength & 7;
    if (rest !== 0) writer.buf[fullBytes] = bytes[fullBytes] & (0xff << (8 - rest));
    writer.len = bitLength;
    return writer;
  }

  get bitLength(): number {
    return this.len;
  }

  /** Length of the chunk bytes as Prometheus produces them (including Go's empty tail byte, see above). */
  get byteLength(): number {
    return ((this.len + 7) >>> 3) + (this.emptyTail ? 1 : 0);
  }

  /** The written bytes (a view, valid until the next write; zero padding fills the last byte). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.byteLength);
  }

  /** Direct access for headers written in place (e.g. a sample count at bytes 0-1). */
  setByte(index: number, value: number): void {
    this.buf[index] = value;
  }

  private ensure(extraBits: number): void {
    const needed = ((this.len + extraBits + 7) >>> 3) + 2;
    if (needed <= this.buf.length) return;
    const next = new Uint8Array(Math.max(needed, this.buf.length * 2));
    next.set(this.buf);
    this.buf = next;
  }

  writeBit(bit: number): void {
    this.ensure(1);
    if (bit) this.buf[this.len >>> 3] |= 0x80 >>> (this.len & 7);
    this.len++;
    this.emptyTail = false;
  }

  /** Writes the low `n` bits of `value`, 0 <= n <= 32 (one Go `writeBits` call). */
  writeBits(value: number, n: number): void {
    if (n === 0) return;
    this.putBits(value, n);
    this.emptyTail = (n & 7) === 0 && (this.len & 7) === 0;
  }

  private putBits(value: number, n: number): void {
    this.ensure(n);
    const buf = this.buf;
    let len = this.len;
    while (n > 0) {
      const free = 8 - (len & 7);
      const idx = len >>> 3;
      if (n <= free) {
        buf[idx] |= (value & ((1 << n) - 1)) << (free - n);
        len += n;
        break;
      }
      buf[idx] |= (value >>> (n - free)) & ((1 << free) - 1);
      len += free;
      n -= free;
    }
    this.len = len;
  }

  /** Writes the low `n` bits (0 <= n <= 64) of the 64-bit number hi:lo (one Go `writeBits` call). */
  writeBits64(hi: number, lo: number, n: number): void {
    if (n === 0) return;
    if (n > 32) {
      this.putBits(hi, n - 32);
      this.putBits(lo, 32);
    } else {
      this.putBits(lo, n);
    }
    this.emptyTail = (n & 7) === 0 && (this.len & 7) === 0;
  }

  /** One Go `writeByte` call. */
  writeByte(byte: number): void {
    this.writeBits(byte & 0xff, 8);
  }
}

/**
 * Reads bits from a byte array. The bytes are copied once into big-endian 32-bit words so that any read of up to 32
 * bits is two word loads and shifts. Reading past the end throws {@link ChunkDecodeError}.
 */
export class BitReader {
  private readonly words: Uint32Array;
  private pos = 0;
  readonly bitLength: number;

  constructor(bytes: Uint8Array, startBit = 0) {
    this.words = toWords(bytes, new Uint32Array(wordsFor(bytes.length)));
    this.bitLength = bytes.length * 8;
    this.pos = startBit;
  }

  get position(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.bitLength - this.pos;
  }

  private take(n: number): number {
    const at = this.pos;
    if (at + n > this.bitLength) {
      throw new ChunkDecodeError(`read of ${n} bits at bit ${at} runs past the end (${this.bitLength} bits)`);
    }
    this.pos = at + n;
    return at;
  }

  readBit(): number {
    const at = this.take(1);
    return (this.words[at >>> 5] >>> (31 - (at & 31))) & 1;
  }

  /** Reads `n` bits (0 <= n <= 32) as an unsigned number. */
  readBits(n: number): number {
    if (n === 0) return 0;
    const at = this.take(n);
    return peek32(this.words, at) >>> (32 - n);
  }

  /** Reads `n` bits (0 <= n <= 64) into {@link hi} / {@link lo}. */
  readBits64(n: number): void {
    if (n > 32) {
      this.hi = this.readBits(n - 32);
      this.lo = this.readBits(32);
    } else {
      this.hi = 0;
      this.lo = this.readBits(n);
    }
  }
  hi = 0;
  lo = 0;

  readByte(): number {
    return this.readBits(8);
  }

  /** The next 32 bits without consuming them (zeros past the end). */
  peek(): number {
    return peek32(this.words, this.pos);
  }

  /** Consumes `n` bits already looked at with {@link peek}. */
  skip(n: number): void {
    this.take(n);
  }

  /** Reads a run of 1-bits ended by a 0-bit (consumed), at most `max` ones (then nothing more is consumed). */
  readOnes(max: number): number {
    const ones = Math.min(Math.clz32(~peek32(this.words, this.pos)), max);
    this.take(ones < max ? ones + 1 : ones);
    return ones;
  }
}

/** The 32 bits starting at bit `pos`, as an unsigned number. The word array must have a zero word after the data. */
export function peek32(words: Uint32Array, pos: number): number {
  const w = pos >>> 5;
  const off = pos & 31;
  return off === 0 ? words[w] : ((words[w] << off) | (words[w + 1] >>> (32 - off))) >>> 0;
}

/** Words needed to hold `byteLength` bytes plus the zero guard words, enough for one maximal sample read past a truncated end. */
export function wordsFor(byteLength: number): number {
  return (byteLength >>> 2) + 8;
}

/** Packs bytes into big-endian words (zero-filled after the data, including the guard words). */
export function toWords(bytes: Uint8Array, words: Uint32Array): Uint32Array {
  const n = bytes.length;
  const full = n & ~3;
  let w = 0;
  for (let i = 0; i < full; i += 4) {
    words[w++] = ((bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3]) >>> 0;
  }
  if (full < n) {
    let last = 0;
    for (let i = full; i < full + 4; i++) last = (last << 8) | (i < n ? bytes[i] : 0);
    words[w++] = last >>> 0;
  }
  words.fill(0, w, Math.min(words.length, w + 8));
  return words;
}
