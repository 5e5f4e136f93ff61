/** Crockford's base 32, the ULID alphabet. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A ULID (48-bit millisecond time + 80 random bits, 26 characters), the identifier Prometheus gives every block.
 * Sorting ULIDs sorts blocks by creation time, and the random part comes from `crypto.getRandomValues`.
 */
export function newUlid(timeMs: number = Date.now()): string {
  if (!Number.isSafeInteger(timeMs) || timeMs < 0 || timeMs >= 2 ** 48) {
    throw new RangeError(`ULID time out of range: ${timeMs}`);
  }
  let time = "";
  let t = timeMs;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const random = new Uint8Array(10);
  crypto.getRandomValues(random);
  // 80 bits → 16 characters of 5 bits each, most significant first.
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of random) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >>> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  return time + out;
}

/** The creation time encoded in a ULID's first 10 characters. */
export function ulidTime(ulid: string): number {
  if (!isUlid(ulid)) throw new RangeError(`not a ULID: ${ulid}`);
  let t = 0;
  for (let i = 0; i < 10; i++) t = t * 32 + ALPHABET.indexOf(ulid[i]);
  return t;
}

export function isUlid(s: string): boolean {
  return /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/.test(s);
}
