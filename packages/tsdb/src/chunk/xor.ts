import { BitWriter, peek32, toWords, wordsFor } from "./bitstream";
import { ChunkEncoding, MAX_ABS_TIMESTAMP, MAX_SAMPLES_PER_CHUNK, type Chunk, type ChunkIterator } from "./chunk";
import { ChunkAppendError, ChunkDecodeError } from "./errors";
import { floatBits, floatHi, floatLo, QUIET_STALE_NAN_HI, STALE_NAN_HI, STALE_NAN_LO } from "./float-bits";
import { joinInt64, readUvarint, readVarint, splitInt64, uvarintBytes, varintBytes, type VarintRead } from "./int64";

/**
 * Prometheus's XOR (Gorilla) chunk, byte for byte (`tsdb/chunkenc/xor.go`, `docs/format/chunks.md`):
 *
 *   num_samples uint16 BE | ts_0 varint | v_0 64 bits | ts_1-ts_0 uvarint | v_1 xor | (ts dod, v xor)... | padding
 *
 * Timestamp deltas of deltas use the buckets `0` (dod 0), `10`+14 bits, `110`+17, `1110`+20, `1111`+64. Values are
 * XORed with the previous value: `0` (same), `10`+bits in the previous leading/trailing-zero window, or
 * `11`+5 bits leading zeros+6 bits significant-bit count (64 written as 0)+the bits.
 */
export class XorChunk implements Chunk {
  readonly encoding = ChunkEncoding.XOR;
  /** Set while the chunk is being appended to; `data` otherwise. */
  private writer: BitWriter | null = null;
  private data: Uint8Array;

  /** A new empty chunk, or a chunk over existing bytes (which are not copied until appended to). */
  constructor(bytes?: Uint8Array) {
    if (bytes === undefined) {
      this.writer = BitWriter.withHeader(2);
      this.data = EMPTY_BYTES;
    } else {
      if (bytes.length < 2) throw new ChunkDecodeError(`XOR chunk of ${bytes.length} bytes has no header`);
      this.data = bytes;
    }
  }

  numSamples(): number {
    const b = this.bytes();
    return (b[0] << 8) | b[1];
  }

  bytes(): Uint8Array {
    return this.writer !== null ? this.writer.view() : this.data;
  }

  /** `bytes().length` without creating a view (the cut rule asks on every append). */
  byteLength(): number {
    return this.writer !== null ? this.writer.byteLength : this.data.length;
  }

  /** An appender continuing after the last sample (Prometheus's `Appender()`: state is rebuilt by decoding). */
  appender(): XorAppender {
    const current = this.bytes();
    const n = (current[0] << 8) | current[1];
    if (n === 0) {
      if (this.writer === null || this.writer.bitLength !== 16) this.writer = BitWriter.withHeader(2);
      return new XorAppender(this.writer, null);
    }
    const state = new XorDecodeState();
    decodeXor(current, new Float64Array(n), new Uint32Array(2 * n), 0, state);
    if (state.error) throw state.error;
    this.writer = BitWriter.resume(current, state.bitPos);
    return new XorAppender(this.writer, state);
  }

  iterator(reuse?: XorIterator): XorIterator {
    const it = reuse ?? new XorIterator();
    it.reset(this.bytes());
    return it;
  }
}

/** Creates an empty XOR chunk and its appender (Prometheus's `NewXORChunk()` + `Appender()`). */
export function newXorChunk(): { chunk: XorChunk; appender: XorAppender } {
  const chunk = new XorChunk();
  return { chunk, appender: chunk.appender() };
}

const scratchInt64 = { hi: 0, lo: 0 };
const EMPTY_BYTES = new Uint8Array(0);

export class XorAppender {
  private num: number;
  private t = 0;
  private tDelta = 0;
  private vhi = 0;
  private vlo = 0;
  /** Leading zeros of the current XOR window; 0xff until a window is written. */
  private leading = 0xff;
  private trailing = 0;

  /** @internal Use {@link newXorChunk} or {@link XorChunk.appender}. */
  constructor(
    private readonly b: BitWriter,
    resumeFrom: XorDecodeState | null,
  ) {
    this.num = 0;
    if (resumeFrom !== null) {
      this.num = resumeFrom.count;
      this.t = resumeFrom.t;
      this.tDelta = resumeFrom.tDelta;
      this.vhi = resumeFrom.vhi;
      this.vlo = resumeFrom.vlo;
      this.leading = resumeFrom.leading;
      this.trailing = resumeFrom.trailing;
    }
  }

  get numSamples(): number {
    return this.num;
  }

  /** Appends one sample. Timestamps should increase (the head enforces order; the encoding itself allows any). */
  append(t: number, v: number): void {
    if (!Number.isInteger(t) || Math.abs(t) > MAX_ABS_TIMESTAMP) {
      throw new ChunkAppendError(`timestamp ${t} is not an integer within ±2^51 ms`);
    }
    if (this.num >= MAX_SAMPLES_PER_CHUNK) throw new ChunkAppendError("XOR chunk is full (65535 samples)");
    floatBits(v);
    let hi = floatHi;
    const lo = floatLo;
    if (hi === QUIET_STALE_NAN_HI && lo === STALE_NAN_LO) hi = STALE_NAN_HI; // restore a quieted stale marker
    const b = this.b;
    if (this.num === 0) {
      for (const byte of varintBytes(t)) b.writeByte(byte);
      b.writeBits64(hi, lo, 64);
    } else if (this.num === 1) {
      const delta = t - this.t;
      for (const byte of uvarintBytes(delta)) b.writeByte(byte);
      this.writeValue(hi, lo);
      this.tDelta = delta;
    } else {
      const delta = t - this.t;
      const dod = delta - this.tDelta;
      if (dod === 0) {
        b.writeBit(0);
      } else if (dod >= -8191 && dod <= 8192) {
        b.writeBits(0b10, 2);
        b.writeBits(dod & 0x3fff, 14);
      } else if (dod >= -65535 && dod <= 65536) {
        b.writeBits(0b110, 3);
        b.writeBits(dod & 0x1ffff, 17);
      } else if (dod >= -524287 && dod <= 524288) {
        b.writeBits(0b1110, 4);
        b.writeBits(dod & 0xfffff, 20);
      } else {
        b.writeBits(0b1111, 4);
        splitInt64(dod, scratchInt64);
        b.writeBits64(scratchInt64.hi, scratchInt64.lo, 64);
      }
      this.writeValue(hi, lo);
      this.tDelta = delta;
    }
    this.t = t;
    this.vhi = hi;
    this.vlo = lo;
    this.num++;
    b.setByte(0, this.num >>> 8);
    b.setByte(1, this.num & 0xff);
  }

  private writeValue(hi: number, lo: number): void {
    const b = this.b;
    const dhi = (hi ^ this.vhi) >>> 0;
    const dlo = (lo ^ this.vlo) >>> 0;
    if (dhi === 0 && dlo === 0) {
      b.writeBit(0);
      return;
    }
    b.writeBit(1);
    let leading = dhi !== 0 ? Math.clz32(dhi) : 32 + Math.clz32(dlo);
    const trailing = dlo !== 0 ? ctz32(dlo) : 32 + ctz32(dhi);
    if (leading >= 32) leading = 31; // the 5-bit field holds at most 31
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
}

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/** Writes `sigbits` bits of (hi:lo >> shift). */
function writeShifted(b: BitWriter, hi: number, lo: number, shift: number, sigbits: number): void {
  if (shift >= 32) {
    b.writeBits(hi >>> (shift - 32), sigbits);
  } else if (shift === 0) {
    b.writeBits64(hi, lo, sigbits);
  } else {
    b.writeBits64(hi >>> shift, ((lo >>> shift) | (hi << (32 - shift))) >>> 0, sigbits);
  }
}

/** Where a decode ended: what an appender needs to continue, and the error if the bytes were bad. */
export class XorDecodeState {
  count = 0;
  t = 0;
  tDelta = 0;
  vhi = 0;
  vlo = 0;
  leading = 0xff;
  trailing = 0;
  bitPos = 0;
  error: ChunkDecodeError | null = null;
}

let scratchWords = new Uint32Array(1024);
const varint: VarintRead = { value: 0, next: 0 };

/**
 * Decodes an XOR chunk into `timestamps[offset…]` and the float64 bits of the values into `valueWords[2*offset…]`
 * (a Uint32Array view of a Float64Array: writing the halves keeps NaN payloads exact and skips a float round trip).
 * Returns the number of samples decoded; on corrupt input it stops and records the error in `state`.
 */
export function decodeXor(
  bytes: Uint8Array,
  timestamps: Float64Array,
  valueWords: Uint32Array,
  offset: number,
  state: XorDecodeState | null,
): number {
  if (bytes.length < 2) return fail(state, `XOR chunk of ${bytes.length} bytes has no header`, 0);
  const n = (bytes[0] << 8) | bytes[1];
  if (state !== null) {
    state.count = 0;
    state.error = null;
    state.leading = 0xff;
    state.trailing = 0;
    state.tDelta = 0;
    state.bitPos = 16;
  }
  if (n === 0) return 0;
  if (timestamps.length - offset < n || valueWords.length - 2 * offset < 2 * n) {
    throw new RangeError(`output arrays too small for ${n} samples at offset ${offset}`);
  }

  readVarint(bytes, 2, varint);
  if (varint.next < 0 || varint.next + 8 > bytes.length)
    return fail(state, "XOR chunk truncated in the first sample", 0);
  let t = varint.value;
  let p = varint.next;
  let vhi = ((bytes[p] << 24) | (bytes[p + 1] << 16) | (bytes[p + 2] << 8) | bytes[p + 3]) >>> 0;
  let vlo = ((bytes[p + 4] << 24) | (bytes[p + 5] << 16) | (bytes[p + 6] << 8) | bytes[p + 7]) >>> 0;
  p += 8;
  timestamps[offset] = t;
  valueWords[2 * offset] = vlo;
  valueWords[2 * offset + 1] = vhi;
  let delta = 0;
  let leading = 0;
  let trailing = 0;
  let windowSet = false;
  let pos = p * 8;
  let i = 1;

  if (n > 1) {
    readUvarint(bytes, p, varint);
    if (varint.next < 0) {
      return finish(
        state,
        timestamps,
        valueWords,
        offset,
        1,
        0,
        0,
        0,
        false,
        pos,
        "XOR chunk truncated in the second timestamp",
      );
    }
    delta = varint.value;
    pos = varint.next * 8;
  }

  const totalBits = bytes.length * 8;
  if (scratchWords.length < wordsFor(bytes.length)) scratchWords = new Uint32Array(wordsFor(bytes.length) * 2);
  const words = toWords(bytes, scratchWords);

  for (; i < n; i++) {
    if (i > 1) {
      // Timestamp: delta of delta.
      const win = peek32(words, pos);
      if (win >>> 31 === 0) {
        pos += 1;
      } else if (win >>> 30 === 2) {
        let dod = (win >>> 16) & 0x3fff;
        if (dod > 8192) dod -= 16384;
        delta += dod;
        pos += 16;
      } else if (win >>> 29 === 6) {
        let dod = (win >>> 12) & 0x1ffff;
        if (dod > 65536) dod -= 131072;
        delta += dod;
        pos += 20;
      } else if (win >>> 28 === 14) {
        let dod = (win >>> 8) & 0xfffff;
        if (dod > 524288) dod -= 1048576;
        delta += dod;
        pos += 24;
      } else {
        const dhi = peek32(words, pos + 4);
        const dlo = peek32(words, pos + 36);
        delta += joinInt64(dhi, dlo);
        pos += 68;
      }
    }
    t += delta;

    // Value: XOR with the previous one.
    const win = peek32(words, pos);
    if (win >>> 31 === 0) {
      pos += 1;
    } else {
      if ((win & 0x40000000) === 0) {
        pos += 2;
      } else {
        leading = (win >>> 25) & 31;
        let sig = (win >>> 19) & 63;
        if (sig === 0) sig = 64;
        trailing = 64 - leading - sig;
        windowSet = true;
        pos += 13;
        if (trailing < 0) {
          const message = `XOR chunk corrupt: ${leading} leading zeros and ${sig} significant bits`;
          return finish(state, timestamps, valueWords, offset, i, delta, 0, 0, windowSet, pos, message);
        }
      }
      const sig = 64 - leading - trailing;
      if (sig <= 32) {
        const x = peek32(words, pos) >>> (32 - sig);
        pos += sig;
        if (trailing >= 32) {
          vhi ^= x << (trailing - 32);
        } else {
          vlo ^= x << trailing;
          if (trailing !== 0) vhi ^= x >>> (32 - trailing);
        }
      } else {
        const a = peek32(words, pos) >>> (64 - sig);
        pos += sig - 32;
        const c = peek32(words, pos);
        pos += 32;
        if (trailing === 0) {
          vhi ^= a;
          vlo ^= c;
        } else {
          vhi ^= (a << trailing) | (c >>> (32 - trailing));
          vlo ^= c << trailing;
        }
      }
    }
    if (pos > totalBits) {
      const message = `XOR chunk truncated at sample ${i} of ${n}`;
      return finish(state, timestamps, valueWords, offset, i, delta, leading, trailing, windowSet, pos, message);
    }
    const o = offset + i;
    timestamps[o] = t;
    valueWords[2 * o] = vlo;
    valueWords[2 * o + 1] = vhi;
  }
  return finish(state, timestamps, valueWords, offset, n, delta, leading, trailing, windowSet, pos, null);
}

function fail(state: XorDecodeState | null, message: string, count: number): number {
  if (state === null) throw new ChunkDecodeError(message);
  state.error = new ChunkDecodeError(message);
  return count;
}

/** Records where decoding ended (kept out of `decodeXor` so its loop variables stay in registers, not a closure). */
function finish(
  state: XorDecodeState | null,
  timestamps: Float64Array,
  valueWords: Uint32Array,
  offset: number,
  count: number,
  delta: number,
  leading: number,
  trailing: number,
  windowSet: boolean,
  pos: number,
  error: string | null,
): number {
  if (state !== null) {
    state.count = count;
    state.t = timestamps[offset + count - 1];
    state.tDelta = delta;
    state.vhi = valueWords[2 * (offset + count - 1) + 1];
    state.vlo = valueWords[2 * (offset + count - 1)];
    state.leading = windowSet ? leading : 0xff;
    state.trailing = windowSet ? trailing : 0;
    state.bitPos = pos;
  }
  if (error !== null) return fail(state, error, count);
  return count;
}

/** Samples decoded in bulk: parallel arrays, values bit-exact (stale markers included). */
export interface DecodedSamples {
  timestamps: Float64Array;
  values: Float64Array;
}

/** Decodes a whole XOR chunk at once (the query engine's path). Throws {@link ChunkDecodeError} on corrupt bytes. */
export function decodeXorChunk(bytes: Uint8Array): DecodedSamples {
  if (bytes.length < 2) throw new ChunkDecodeError(`XOR chunk of ${bytes.length} bytes has no header`);
  const n = (bytes[0] << 8) | bytes[1];
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  decodeXor(bytes, timestamps, new Uint32Array(values.buffer), 0, null);
  return { timestamps, values };
}

/** Number of samples in an XOR (or any Prometheus float/histogram) chunk, from its header. */
export function xorChunkNumSamples(bytes: Uint8Array): number {
  if (bytes.length < 2) throw new ChunkDecodeError(`chunk of ${bytes.length} bytes has no header`);
  return (bytes[0] << 8) | bytes[1];
}

/** Iterates an XOR chunk. It decodes the chunk in one pass on `reset` (fast), then walks the arrays. */
export class XorIterator implements ChunkIterator {
  private timestamps = new Float64Array(0);
  private values = new Float64Array(0);
  private valueWords = new Uint32Array(0);
  private count = 0;
  private index = -1;
  private error: ChunkDecodeError | null = null;
  private readonly state = new XorDecodeState();

  reset(bytes: Uint8Array): void {
    const n = bytes.length >= 2 ? (bytes[0] << 8) | bytes[1] : 0;
    if (this.timestamps.length < n) {
      this.timestamps = new Float64Array(n);
      this.values = new Float64Array(n);
      this.valueWords = new Uint32Array(this.values.buffer);
    }
    this.count = decodeXor(bytes, this.timestamps, this.valueWords, 0, this.state);
    if (bytes.length < 2) this.state.error = new ChunkDecodeError(`XOR chunk of ${bytes.length} bytes has no header`);
    this.error = this.state.error;
    this.index = -1;
  }

  next(): boolean {
    if (this.index + 1 >= this.count) {
      this.index = this.count;
      return false;
    }
    this.index++;
    return true;
  }

  seek(t: number): boolean {
    if (this.index < 0) this.index = 0;
    while (this.index < this.count && this.timestamps[this.index] < t) this.index++;
    return this.index < this.count;
  }

  get t(): number {
    return this.timestamps[this.index];
  }

  /** Value of the current sample (NaN payload kept: compare stale markers with `isStaleNaN`). */
  get v(): number {
    return this.values[this.index];
  }

  /** The current value's IEEE 754 halves, for bit-exact copies. */
  get vBitsHi(): number {
    return this.valueWords[2 * this.index + 1];
  }

  get vBitsLo(): number {
    return this.valueWords[2 * this.index];
  }

  err(): Error | null {
    return this.error;
  }
}
