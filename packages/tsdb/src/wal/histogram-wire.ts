import type { CounterResetHint, FloatHistogram, Histogram, Span } from "../chunk/histogram-types";
import { deltaBuckets } from "../chunk/histogram-types";
import { ByteReader, CorruptRecordError } from "./byte-reader";
import { ByteWriter } from "./byte-writer";

/**
 * A native histogram as ingest decodes it (remote write 2.0, OTLP, protobuf scrapes): bucket counts are absolute
 * whether the counts are integers (`isFloat` false, Prometheus's `Histogram`) or floats (`FloatHistogram`). Schema
 * -53 is custom buckets (NHCB) with upper bounds in `customValues`.
 */
export interface NativeHistogram {
  isFloat: boolean;
  schema: number;
  zeroThreshold: number;
  zeroCount: number;
  count: number;
  sum: number;
  positiveSpans: readonly Span[];
  positiveBuckets: readonly number[];
  negativeSpans: readonly Span[];
  negativeBuckets: readonly number[];
  counterResetHint: CounterResetHint;
  customValues?: readonly number[];
}

const HINTS: readonly CounterResetHint[] = ["unknown", "counterReset", "notCounterReset", "gauge"];

/**
 * Wire form of one histogram inside an append batch:
 *   u8 flags (1: float counts), u8 counterResetHint (0 unknown, 1 counterReset, 2 notCounterReset, 3 gauge),
 *   varint schema, float64 zeroThreshold, float64 zeroCount, float64 count, float64 sum,
 *   positive then negative: uvarint spanCount, spanCount × (varint offset, uvarint length),
 *                           uvarint bucketCount, bucketCount × float64 (absolute counts),
 *   uvarint customValueCount, customValueCount × float64
 * Counts travel as float64 for both kinds (integer counts up to 2^53 are exact).
 */
export function encodeNativeHistogram(h: NativeHistogram): Uint8Array {
  const w = new ByteWriter(64 + 8 * (h.positiveBuckets.length + h.negativeBuckets.length));
  w.u8(h.isFloat ? 1 : 0);
  w.u8(Math.max(0, HINTS.indexOf(h.counterResetHint)));
  w.varint(h.schema);
  w.f64(h.zeroThreshold);
  w.f64(h.zeroCount);
  w.f64(h.count);
  w.f64(h.sum);
  for (const [spans, buckets] of [
    [h.positiveSpans, h.positiveBuckets],
    [h.negativeSpans, h.negativeBuckets],
  ] as const) {
    w.uvarint(spans.length);
    for (const s of spans) {
      w.varint(s.offset);
      w.uvarint(s.length);
    }
    w.uvarint(buckets.length);
    for (const b of buckets) w.f64(b);
  }
  const custom = h.customValues ?? [];
  w.uvarint(custom.length);
  for (const c of custom) w.f64(c);
  return w.finish();
}

export function decodeNativeHistogram(bytes: Uint8Array): NativeHistogram {
  const r = new ByteReader(bytes);
  const flags = r.u8();
  const hint = HINTS[r.u8()];
  if (hint === undefined) throw new CorruptRecordError("histogram counter-reset hint out of range");
  const schema = r.varint();
  const zeroThreshold = r.f64();
  const zeroCount = r.f64();
  const count = r.f64();
  const sum = r.f64();
  const side = () => {
    const spans: Span[] = [];
    const nSpans = r.count(2, "histogram span");
    for (let i = 0; i < nSpans; i++) spans.push({ offset: r.varint(), length: r.uvarint() });
    const buckets: number[] = [];
    const nBuckets = r.count(8, "histogram bucket");
    for (let i = 0; i < nBuckets; i++) buckets.push(r.f64());
    return { spans, buckets };
  };
  const positive = side();
  const negative = side();
  const customValues: number[] = [];
  const nCustom = r.count(8, "custom bucket bound");
  for (let i = 0; i < nCustom; i++) customValues.push(r.f64());
  if (!r.done) throw new CorruptRecordError("trailing bytes after histogram");
  return {
    isFloat: (flags & 1) !== 0,
    schema,
    zeroThreshold,
    zeroCount,
    count,
    sum,
    positiveSpans: positive.spans,
    positiveBuckets: positive.buckets,
    negativeSpans: negative.spans,
    negativeBuckets: negative.buckets,
    counterResetHint: hint,
    customValues,
  };
}

/** The chunk package's integer histogram (delta-encoded buckets) for a histogram with integer counts. */
export function toChunkHistogram(h: NativeHistogram): Histogram {
  return {
    counterResetHint: h.counterResetHint,
    schema: h.schema,
    zeroThreshold: h.zeroThreshold,
    sum: h.sum,
    count: h.count,
    zeroCount: h.zeroCount,
    positiveSpans: h.positiveSpans.map((s) => ({ ...s })),
    negativeSpans: h.negativeSpans.map((s) => ({ ...s })),
    positiveBuckets: deltaBuckets(h.positiveBuckets),
    negativeBuckets: deltaBuckets(h.negativeBuckets),
    ...(h.customValues && h.customValues.length > 0 ? { customValues: [...h.customValues] } : {}),
  };
}

export function toChunkFloatHistogram(h: NativeHistogram): FloatHistogram {
  return {
    counterResetHint: h.counterResetHint,
    schema: h.schema,
    zeroThreshold: h.zeroThreshold,
    sum: h.sum,
    count: h.count,
    zeroCount: h.zeroCount,
    positiveSpans: h.positiveSpans.map((s) => ({ ...s })),
    negativeSpans: h.negativeSpans.map((s) => ({ ...s })),
    positiveBuckets: [...h.positiveBuckets],
    negativeBuckets: [...h.negativeBuckets],
    ...(h.customValues && h.customValues.length > 0 ? { customValues: [...h.customValues] } : {}),
  };
}
