import type { BitReader, BitWriter } from "./bitstream";
import { ChunkDecodeError } from "./errors";
import { floatBits, floatFromBits, floatHi, floatLo } from "./float-bits";
import { isCustomBucketsSchema, type CounterResetHint, type Span } from "./histogram-types";
import { putVarbitInt, putVarbitUint, readVarbitInt, readVarbitUint } from "./varbit";
import { writeRawFloat } from "./xor-value";

/**
 * The part of a histogram chunk every sample shares (Prometheus's `writeHistogramChunkLayout`): zero threshold,
 * schema, positive and negative spans, and for schema -53 the custom bucket bounds. It follows the 3-byte header
 * (sample count, then the counter-reset flags in the top two bits of byte 2).
 */
export interface HistogramLayout {
  schema: number;
  zeroThreshold: number;
  positiveSpans: Span[];
  negativeSpans: Span[];
  customValues: number[];
}

/** Counter-reset header: the top two bits of byte 2 of a histogram chunk. */
export const CounterResetHeader = {
  Unknown: 0b00000000,
  CounterReset: 0b10000000,
  NotCounterReset: 0b01000000,
  Gauge: 0b11000000,
} as const;
export type CounterResetHeader = (typeof CounterResetHeader)[keyof typeof CounterResetHeader];
export const COUNTER_RESET_HEADER_MASK = 0b11000000;

/** Hint of the `numRead`-th sample (1-based) of a chunk with this header, as Prometheus's iterators give it. */
export function counterResetHintAt(header: number, numRead: number): CounterResetHint {
  if (header === CounterResetHeader.Gauge) return "gauge";
  if (numRead > 1) return "notCounterReset";
  // The previous chunk may be gone (or written later by backfill), so the first sample's hint is unknown.
  return "unknown";
}

export function writeHistogramLayout(b: BitWriter, layout: HistogramLayout): void {
  putZeroThreshold(b, layout.zeroThreshold);
  putVarbitInt(b, layout.schema);
  putSpans(b, layout.positiveSpans);
  putSpans(b, layout.negativeSpans);
  if (isCustomBucketsSchema(layout.schema)) {
    putVarbitUint(b, layout.customValues.length);
    for (const bound of layout.customValues) putCustomBound(b, bound);
  }
}

export function readHistogramLayout(r: BitReader): HistogramLayout {
  const zeroThreshold = readZeroThreshold(r);
  const schema = readVarbitInt(r);
  const positiveSpans = readSpans(r);
  const negativeSpans = readSpans(r);
  const customValues: number[] = [];
  if (isCustomBucketsSchema(schema)) {
    const n = readVarbitUint(r);
    if (n > r.remaining) throw new ChunkDecodeError(`histogram chunk claims ${n} custom bounds`);
    for (let i = 0; i < n; i++) customValues.push(readCustomBound(r));
  }
  return { schema, zeroThreshold, positiveSpans, negativeSpans, customValues };
}

function putSpans(b: BitWriter, spans: readonly Span[]): void {
  putVarbitUint(b, spans.length);
  for (const s of spans) {
    putVarbitUint(b, s.length);
    putVarbitInt(b, s.offset);
  }
}

function readSpans(r: BitReader): Span[] {
  const n = readVarbitUint(r);
  if (n > r.remaining) throw new ChunkDecodeError(`histogram chunk claims ${n} spans`);
  const spans: Span[] = [];
  for (let i = 0; i < n; i++) {
    const length = readVarbitUint(r);
    const offset = readVarbitInt(r);
    spans.push({ offset, length });
  }
  return spans;
}

/**
 * 0 → one zero byte; a power of two 2^-243 … 2^10 → one byte (Go's frexp exponent + 243); anything else → 255 and
 * the 64-bit float.
 */
export function putZeroThreshold(b: BitWriter, threshold: number): void {
  if (threshold === 0) {
    b.writeByte(0);
    return;
  }
  floatBits(threshold);
  const biased = (floatHi >>> 20) & 0x7ff;
  const powerOfTwo =
    floatHi >>> 31 === 0 && floatLo === 0 && (floatHi & 0xfffff) === 0 && biased !== 0 && biased !== 0x7ff;
  const frexpExp = biased - 1022;
  if (!powerOfTwo || frexpExp < -242 || frexpExp > 11) {
    b.writeByte(255);
    writeRawFloat(b, threshold);
    return;
  }
  b.writeByte(frexpExp + 243);
}

export function readZeroThreshold(r: BitReader): number {
  const byte = r.readByte();
  if (byte === 0) return 0;
  if (byte === 255) {
    r.readBits64(64);
    return floatFromBits(r.hi, r.lo);
  }
  return 2 ** (byte - 244);
}

/** Custom bounds that are multiples of 0.001 in [0, 33554.43] take ≤ 4 bytes; others a 0 bit and 64 bits. */
export function putCustomBound(b: BitWriter, bound: number): void {
  const scaled = bound * 1000;
  if (scaled < 0 || scaled > 33554430 || !(Math.round(scaled) / 1000 === bound)) {
    b.writeBit(0);
    writeRawFloat(b, bound);
    return;
  }
  putVarbitUint(b, Math.round(scaled) + 1);
}

export function readCustomBound(r: BitReader): number {
  const v = readVarbitUint(r);
  if (v === 0) {
    r.readBits64(64);
    return floatFromBits(r.hi, r.lo);
  }
  return (v - 1) / 1000;
}
