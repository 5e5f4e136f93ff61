// MD5 (RFC 1321) over UTF-8 bytes. Relabeling's hashmod action is defined by Prometheus as MD5 of the joined source
// values; Web Crypto has no MD5, so it is computed here on 32-bit words (no BigInt).

const SHIFTS = [
  7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 4,
  11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
];

// K[i] = floor(abs(sin(i + 1)) * 2^32), computed once rather than typed in as 64 magic numbers.
const SINE_TABLE = Uint32Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 0x100000000));

const utf8 = new TextEncoder();

/** The 16-byte MD5 digest of a string's UTF-8 encoding. */
export function md5(input: string | Uint8Array): Uint8Array {
  const message = typeof input === "string" ? utf8.encode(input) : input;
  const bitLength = message.length * 8;
  // Message + 0x80 + zero padding to 56 mod 64 + 8-byte little-endian bit length.
  const paddedLength = (((message.length + 8) >>> 6) + 1) << 6;
  const padded = new Uint8Array(paddedLength);
  padded.set(message);
  padded[message.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(paddedLength - 8, bitLength >>> 0, true);
  view.setUint32(paddedLength - 4, Math.floor(bitLength / 0x100000000), true);

  let a0 = 0x67452301;
  let b0 = 0xefcdab89;
  let c0 = 0x98badcfe;
  let d0 = 0x10325476;
  const words = new Uint32Array(16);
  for (let offset = 0; offset < paddedLength; offset += 64) {
    for (let i = 0; i < 16; i++) words[i] = view.getUint32(offset + i * 4, true);
    let a = a0;
    let b = b0;
    let c = c0;
    let d = d0;
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) & 15;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) & 15;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) & 15;
      }
      const sum = (a + f + SINE_TABLE[i] + words[g]) | 0;
      a = d;
      d = c;
      c = b;
      b = (b + ((sum << SHIFTS[i]) | (sum >>> (32 - SHIFTS[i])))) | 0;
    }
    a0 = (a0 + a) | 0;
    b0 = (b0 + b) | 0;
    c0 = (c0 + c) | 0;
    d0 = (d0 + d) | 0;
  }
  const digest = new Uint8Array(16);
  const out = new DataView(digest.buffer);
  out.setUint32(0, a0 >>> 0, true);
  out.setUint32(4, b0 >>> 0, true);
  out.setUint32(8, c0 >>> 0, true);
  out.setUint32(12, d0 >>> 0, true);
  return digest;
}

/**
 * Prometheus's hashmod: the last 8 bytes of the MD5 digest read as a big-endian uint64, modulo `modulus`.
 * `modulus` is at most 2^53 - 1 (configuration enforces it).
 */
export function hashMod(value: string, modulus: number): number {
  const digest = md5(value);
  const view = new DataView(digest.buffer);
  const high = view.getUint32(8, false);
  const low = view.getUint32(12, false);
  if (modulus <= 0x200000) {
    // (high * 2^32 + low) mod m without leaving exact double range: every intermediate stays below 2^53.
    return ((((high % modulus) * 0x100000000) % modulus) + low) % modulus;
  }
  return Number(((BigInt(high) << 32n) | BigInt(low)) % BigInt(modulus));
}
