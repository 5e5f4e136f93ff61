import { SnappyCorruptError, SnappyTooLargeError } from "./errors";

/** Remote-write bodies decompress to a few MB; 64 MiB leaves room for large batches without inviting abuse. */
export const DEFAULT_MAX_DECODED_BYTES = 64 * 1024 * 1024;

export interface SnappyDecodeOptions {
  /** Upper bound on the declared decompressed length, checked before allocating. */
  maxDecodedBytes?: number;
}

// Below this length a byte loop beats the call overhead of set()/copyWithin().
const SHORT_COPY = 16;

/** The decompressed length a Snappy block declares (its leading varint), without decoding the block. */
export function snappyDecodedLength(input: Uint8Array): number {
  return readPreamble(input).length;
}

/**
 * Decodes one Snappy block (the format remote write uses; not the framed format). Every tag is bounds-checked
 * and the output must come out exactly as long as declared, so corrupt input ends in a {@link SnappyCorruptError}
 * in time linear in the output, never in a crash, a hang or silently wrong bytes.
 */
export function snappyDecode(input: Uint8Array, options: SnappyDecodeOptions = {}): Uint8Array {
  const limit = options.maxDecodedBytes ?? DEFAULT_MAX_DECODED_BYTES;
  const { length, headerBytes } = readPreamble(input);
  if (length > limit) throw new SnappyTooLargeError(length, limit);
  const out = new Uint8Array(length);
  const end = input.length;
  let pos = headerBytes;
  let outPos = 0;

  while (pos < end) {
    const tag = input[pos++];
    const kind = tag & 3;
    if (kind === 0) {
      let len = tag >>> 2;
      if (len >= 60) {
        const extra = len - 59;
        if (pos + extra > end) throw corrupt("literal length runs past the input");
        len = 0;
        for (let i = 0; i < extra; i++) len += input[pos + i] * 2 ** (8 * i);
        pos += extra;
      }
      len += 1;
      if (len > end - pos) throw corrupt("literal runs past the input");
      if (len > length - outPos) throw corrupt("literal runs past the declared length");
      if (len <= SHORT_COPY) {
        for (let i = 0; i < len; i++) out[outPos + i] = input[pos + i];
      } else {
        out.set(input.subarray(pos, pos + len), outPos);
      }
      pos += len;
      outPos += len;
      continue;
    }

    let len: number;
    let offset: number;
    if (kind === 1) {
      if (pos >= end) throw corrupt("copy tag runs past the input");
      len = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | input[pos];
      pos += 1;
    } else if (kind === 2) {
      if (pos + 2 > end) throw corrupt("copy tag runs past the input");
      len = (tag >>> 2) + 1;
      offset = input[pos] | (input[pos + 1] << 8);
      pos += 2;
    } else {
      if (pos + 4 > end) throw corrupt("copy tag runs past the input");
      len = (tag >>> 2) + 1;
      offset = (input[pos] | (input[pos + 1] << 8) | (input[pos + 2] << 16)) + input[pos + 3] * 2 ** 24;
      pos += 4;
    }
    if (offset === 0 || offset > outPos) throw corrupt(`copy offset ${offset} outside the ${outPos} bytes written`);
    if (len > length - outPos) throw corrupt("copy runs past the declared length");
    const from = outPos - offset;
    if (offset >= len && len > SHORT_COPY) {
      out.copyWithin(outPos, from, from + len);
    } else {
      // Overlapping copies repeat the last `offset` bytes, so they must go byte by byte.
      for (let i = 0; i < len; i++) out[outPos + i] = out[from + i];
    }
    outPos += len;
  }
  if (outPos !== length) throw corrupt(`decoded ${outPos} bytes, the block declares ${length}`);
  return out;
}

function readPreamble(input: Uint8Array): { length: number; headerBytes: number } {
  let length = 0;
  for (let i = 0; i < 5; i++) {
    if (i >= input.length) throw corrupt("truncated length preamble");
    const byte = input[i];
    length += (byte & 0x7f) * 2 ** (7 * i);
    if (byte < 0x80) {
      if (length > 0xffffffff) throw corrupt("declared length exceeds 32 bits");
      return { length, headerBytes: i + 1 };
    }
  }
  throw corrupt("length preamble longer than 5 bytes");
}

function corrupt(reason: string): SnappyCorruptError {
  return new SnappyCorruptError(`corrupt snappy block: ${reason}`);
}
