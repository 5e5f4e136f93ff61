/**
 * Decodes UTF-8 strings out of wire data, returning the same string object for the same bytes. Remote-write 1.0
 * repeats every label name and most label values in every series; hashing the bytes and reusing the earlier string
 * costs a fraction of decoding it again and leaves one copy of each string in memory.
 *
 * ASCII strings up to 64 bytes are cached in a two-way set-associative table (a collision replaces the older entry
 * of the pair). The bytes are read four at a time into words that serve both the hash and the comparison with the
 * cached copy, kept as words beside the string, so a hit never walks the string's characters.
 */
export class Utf8Interner {
  /** Set when a decoded string was not valid UTF-8 (it then holds U+FFFD replacements); callers reset it. */
  invalid = false;
  private readonly strings: (string | null)[];
  private readonly hashes: Int32Array;
  private readonly lengths: Uint8Array;
  private readonly words: Int32Array;
  private readonly scratch = new Int32Array(WORDS_PER_ENTRY);
  private readonly mask: number;
  // ignoreBOM keeps a leading U+FEFF: it is part of the string on the wire, not a byte-order mark.
  private readonly fatal = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  private readonly lenient = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

  /** `capacityBits` 14 keeps 16,384 strings of up to 48 bytes in about 1 MB. */
  constructor(capacityBits = 14) {
    const capacity = 1 << capacityBits;
    this.strings = new Array<string | null>(capacity).fill(null);
    this.hashes = new Int32Array(capacity);
    this.lengths = new Uint8Array(capacity);
    this.words = new Int32Array(capacity * WORDS_PER_ENTRY);
    this.mask = capacity - 1;
  }

  decode(buf: Uint8Array, start: number, end: number): string {
    const len = end - start;
    if (len === 0) return "";
    if (len > MAX_CACHED_BYTES) return this.decodeUncached(buf, start, end);
    const scratch = this.scratch;
    let h = len;
    let high = 0;
    let n = 0;
    let i = start;
    for (; i + 4 <= end; i += 4) {
      const w = buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24);
      scratch[n++] = w;
      high |= w;
      h = Math.imul(h ^ w, 0x9e3779b1);
      h ^= h >>> 15;
    }
    if (i < end) {
      let w = 0;
      for (let shift = 0; i < end; i++, shift += 8) w |= buf[i] << shift;
      scratch[n++] = w;
      high |= w;
      h = Math.imul(h ^ w, 0x9e3779b1);
      h ^= h >>> 15;
    }
    // Any byte with its top bit set means non-ASCII: decode (and validate) without the cache.
    if (high & 0x80808080) return this.decodeUncached(buf, start, end);

    // Final avalanche (murmur3's fmix32) so that every input bit reaches the low bits that pick the slot.
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    const slot = h & this.mask & ~1;
    if (this.matches(slot, h, len, n)) return this.strings[slot] as string;
    if (this.matches(slot + 1, h, len, n)) return this.strings[slot + 1] as string;
    const s = String.fromCharCode.apply(null, buf.subarray(start, end) as unknown as number[]);
    // The older entry of the pair moves to the second way; the new one takes the first.
    const words = this.words;
    const firstBase = slot * WORDS_PER_ENTRY;
    words.copyWithin(firstBase + WORDS_PER_ENTRY, firstBase, firstBase + WORDS_PER_ENTRY);
    this.strings[slot + 1] = this.strings[slot];
    this.hashes[slot + 1] = this.hashes[slot];
    this.lengths[slot + 1] = this.lengths[slot];
    for (let k = 0; k < n; k++) words[firstBase + k] = scratch[k];
    this.strings[slot] = s;
    this.hashes[slot] = h;
    this.lengths[slot] = len;
    return s;
  }

  private matches(slot: number, h: number, len: number, n: number): boolean {
    if (this.hashes[slot] !== h || this.lengths[slot] !== len || this.strings[slot] === null) return false;
    const words = this.words;
    const scratch = this.scratch;
    const base = slot * WORDS_PER_ENTRY;
    for (let k = 0; k < n; k++) if (words[base + k] !== scratch[k]) return false;
    return true;
  }

  private decodeUncached(buf: Uint8Array, start: number, end: number): string {
    const bytes = buf.subarray(start, end);
    try {
      return this.fatal.decode(bytes);
    } catch {
      this.invalid = true;
      return this.lenient.decode(bytes);
    }
  }
}

const MAX_CACHED_BYTES = 48;
const WORDS_PER_ENTRY = MAX_CACHED_BYTES / 4;
