// Snappy block encoder: greedy matching through a hash of 4-byte sequences, one 64 KiB fragment at a time so
// that every copy offset fits the 2-byte copy form. The ratio is close to the reference implementation's; speed
// matters less here (remote-read responses, tests, benchmarks) than for the decoder.

const FRAGMENT_BYTES = 1 << 16;
const HASH_BITS = 14;
// Inputs shorter than this cannot profit from a copy after the literal overhead.
const MIN_MATCHABLE = 15;

/** Encodes `input` as one Snappy block (the format remote write uses). */
export function snappyEncode(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(maxEncodedLength(input.length));
  let outPos = writePreamble(out, input.length);
  const table = new Int32Array(1 << HASH_BITS);

  for (let base = 0; base < input.length; base += FRAGMENT_BYTES) {
    const fragEnd = Math.min(base + FRAGMENT_BYTES, input.length);
    if (fragEnd - base < MIN_MATCHABLE) {
      outPos = emitLiteral(input, base, fragEnd, out, outPos);
      continue;
    }
    table.fill(-1);
    const hashLimit = fragEnd - 4;
    let ip = base;
    let nextEmit = base;
    while (ip <= hashLimit) {
      const word = load32(input, ip);
      const h = Math.imul(word, 0x1e35a7bd) >>> (32 - HASH_BITS);
      const candidate = table[h];
      table[h] = ip;
      if (candidate >= base && load32(input, candidate) === word) {
        outPos = emitLiteral(input, nextEmit, ip, out, outPos);
        let matchLen = 4;
        while (ip + matchLen < fragEnd && input[candidate + matchLen] === input[ip + matchLen]) matchLen++;
        outPos = emitCopy(ip - candidate, matchLen, out, outPos);
        ip += matchLen;
        nextEmit = ip;
      } else {
        // Skip faster through incompressible stretches, as the reference encoder does.
        ip += 1 + ((ip - nextEmit) >>> 5);
      }
    }
    outPos = emitLiteral(input, nextEmit, fragEnd, out, outPos);
  }
  return out.slice(0, outPos);
}

/** The most bytes {@link snappyEncode} can produce for `n` input bytes. */
export function maxEncodedLength(n: number): number {
  return 32 + n + Math.ceil(n / 6);
}

function load32(a: Uint8Array, i: number): number {
  return a[i] | (a[i + 1] << 8) | (a[i + 2] << 16) | (a[i + 3] << 24);
}

function writePreamble(out: Uint8Array, n: number): number {
  let pos = 0;
  let rest = n;
  while (rest >= 0x80) {
    out[pos++] = (rest & 0x7f) | 0x80;
    rest = Math.floor(rest / 128);
  }
  out[pos++] = rest;
  return pos;
}

function emitLiteral(input: Uint8Array, from: number, to: number, out: Uint8Array, outPos: number): number {
  const len = to - from;
  if (len === 0) return outPos;
  const n = len - 1;
  if (n < 60) {
    out[outPos++] = n << 2;
  } else {
    const bytes = n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x1000000 ? 3 : 4;
    out[outPos++] = (59 + bytes) << 2;
    for (let i = 0; i < bytes; i++) out[outPos++] = (n >>> (8 * i)) & 0xff;
  }
  out.set(input.subarray(from, to), outPos);
  return outPos + len;
}

function emitCopy(offset: number, length: number, out: Uint8Array, outPos: number): number {
  let len = length;
  // The 2-byte-offset copy holds at most 64 bytes; keep at least 4 for the last piece.
  while (len >= 68) {
    outPos = emitCopy2(offset, 64, out, outPos);
    len -= 64;
  }
  if (len > 64) {
    outPos = emitCopy2(offset, 60, out, outPos);
    len -= 60;
  }
  if (len < 12 && offset < 2048) {
    out[outPos++] = 1 | ((len - 4) << 2) | ((offset >>> 8) << 5);
    out[outPos++] = offset & 0xff;
    return outPos;
  }
  return emitCopy2(offset, len, out, outPos);
}

function emitCopy2(offset: number, len: number, out: Uint8Array, outPos: number): number {
  out[outPos++] = 2 | ((len - 1) << 2);
  out[outPos++] = offset & 0xff;
  out[outPos++] = offset >>> 8;
  return outPos;
}
