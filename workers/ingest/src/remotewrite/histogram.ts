import { absoluteBuckets } from "@edgeprom/tsdb";
import { WireType, type ProtoReader } from "@edgeprom/wire";
import { CUSTOM_BUCKETS_SCHEMA, type BucketSpan, type CounterResetHint, type NativeHistogram } from "./model";

const RESET_HINTS: readonly CounterResetHint[] = ["unknown", "counterReset", "notCounterReset", "gauge"];

export interface DecodedHistogram {
  histogram: NativeHistogram;
  timestamp: number;
  startTimestamp: number;
}

/**
 * Decodes a remote-write `Histogram` message (the same field numbers in 1.0's `prometheus.Histogram` and 2.0's
 * `io.prometheus.write.v2.Histogram`; 1.0 simply never sends field 17, the start timestamp).
 */
export function decodeWriteHistogram(r: ProtoReader, end: number): DecodedHistogram {
  let isFloat = false;
  let count = 0;
  let zeroCount = 0;
  let sum = 0;
  let schema = 0;
  let zeroThreshold = 0;
  let hint = 0;
  let timestamp = 0;
  let startTimestamp = 0;
  const positiveSpans: BucketSpan[] = [];
  const negativeSpans: BucketSpan[] = [];
  const positiveDeltas: number[] = [];
  const negativeDeltas: number[] = [];
  const positiveCounts: number[] = [];
  const negativeCounts: number[] = [];
  const customValues: number[] = [];
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | WireType.Varint:
        count = r.uint64();
        isFloat = false;
        break;
      case (2 << 3) | WireType.Fixed64:
        count = r.double();
        isFloat = true;
        break;
      case (3 << 3) | WireType.Fixed64:
        sum = r.double();
        break;
      case (4 << 3) | WireType.Varint:
        schema = r.sint32();
        break;
      case (5 << 3) | WireType.Fixed64:
        zeroThreshold = r.double();
        break;
      case (6 << 3) | WireType.Varint:
        zeroCount = r.uint64();
        break;
      case (7 << 3) | WireType.Fixed64:
        zeroCount = r.double();
        break;
      case (8 << 3) | WireType.LengthDelimited:
        negativeSpans.push(decodeSpan(r, r.messageEnd(end)));
        break;
      case (11 << 3) | WireType.LengthDelimited:
        positiveSpans.push(decodeSpan(r, r.messageEnd(end)));
        break;
      case (14 << 3) | WireType.Varint:
        hint = r.uint32();
        break;
      case (15 << 3) | WireType.Varint:
        timestamp = r.int64();
        break;
      case (17 << 3) | WireType.Varint:
        startTimestamp = r.int64();
        break;
      default:
        if (
          !readRepeatedNumbers(
            r,
            tag,
            end,
            negativeDeltas,
            negativeCounts,
            positiveDeltas,
            positiveCounts,
            customValues,
          )
        ) {
          r.skip(tag & 7, end);
        }
    }
  }
  const histogram: NativeHistogram = {
    isFloat,
    schema,
    zeroThreshold,
    zeroCount,
    count,
    sum,
    positiveSpans,
    positiveBuckets: isFloat ? positiveCounts : absoluteBuckets(positiveDeltas),
    negativeSpans,
    negativeBuckets: isFloat ? negativeCounts : absoluteBuckets(negativeDeltas),
    counterResetHint: RESET_HINTS[hint] ?? "unknown",
    customValues,
  };
  return { histogram, timestamp, startTimestamp };
}

/** Fields 9/10/12/13/16: packed (or, as protobuf allows, unpacked) sint64 deltas and double counts. */
function readRepeatedNumbers(
  r: ProtoReader,
  tag: number,
  end: number,
  negativeDeltas: number[],
  negativeCounts: number[],
  positiveDeltas: number[],
  positiveCounts: number[],
  customValues: number[],
): boolean {
  const field = tag >>> 3;
  const wireType = tag & 7;
  let target: number[];
  let zigzag: boolean;
  switch (field) {
    case 9:
      [target, zigzag] = [negativeDeltas, true];
      break;
    case 10:
      [target, zigzag] = [negativeCounts, false];
      break;
    case 12:
      [target, zigzag] = [positiveDeltas, true];
      break;
    case 13:
      [target, zigzag] = [positiveCounts, false];
      break;
    case 16:
      [target, zigzag] = [customValues, false];
      break;
    default:
      return false;
  }
  if (wireType === WireType.LengthDelimited) {
    const fieldEnd = r.messageEnd(end);
    while (r.pos < fieldEnd) target.push(zigzag ? r.sint64() : r.double());
    if (r.pos !== fieldEnd) throw r.error("packed field overruns its length");
    return true;
  }
  if (zigzag && wireType === WireType.Varint) target.push(r.sint64());
  else if (!zigzag && wireType === WireType.Fixed64) target.push(r.double());
  else return false;
  return true;
}

function decodeSpan(r: ProtoReader, end: number): BucketSpan {
  let offset = 0;
  let length = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WireType.Varint)) offset = r.sint32();
    else if (tag === ((2 << 3) | WireType.Varint)) length = r.uint32();
    else r.skip(tag & 7, end);
  }
  return { offset, length };
}

const MIN_EXPONENTIAL_SCHEMA = -4;
const MAX_EXPONENTIAL_SCHEMA = 8;

/**
 * Why a native histogram is not valid, or null: Prometheus's rules (known schema; spans that account for exactly
 * the buckets given; no negative span offsets after the first; no negative counts; for integer histograms the
 * count equals the buckets' total (at least that total when the sum is NaN); custom bounds strictly increasing).
 */
export function histogramProblem(h: NativeHistogram): string | null {
  const custom = h.schema === CUSTOM_BUCKETS_SCHEMA;
  if (!custom && (h.schema < MIN_EXPONENTIAL_SCHEMA || h.schema > MAX_EXPONENTIAL_SCHEMA)) {
    return `histogram has unknown schema ${h.schema}`;
  }
  if (custom) {
    if (h.negativeSpans.length > 0 || h.negativeBuckets.length > 0)
      return "custom-bucket histogram has negative buckets";
    if (h.zeroCount !== 0 || h.zeroThreshold !== 0) return "custom-bucket histogram has a zero bucket";
    for (let i = 0; i < h.customValues.length; i++) {
      const v = h.customValues[i];
      if (Number.isNaN(v) || v === Infinity) return "custom-bucket bounds must be finite";
      if (i > 0 && !(v > h.customValues[i - 1])) return "custom-bucket bounds must increase strictly";
    }
  } else if (h.customValues.length > 0) {
    return "exponential histogram carries custom bucket bounds";
  }
  const negative = spansProblem("negative", h.negativeSpans, h.negativeBuckets.length);
  if (negative) return negative;
  const positive = spansProblem("positive", h.positiveSpans, h.positiveBuckets.length);
  if (positive) return positive;
  if (custom) {
    if (h.positiveSpans.length > 0 && h.positiveSpans[0].offset < 0) return "custom-bucket span has negative offset";
    let index = -1;
    for (const span of h.positiveSpans) index += span.offset + span.length;
    if (index > h.customValues.length) return "custom-bucket histogram references a bucket beyond its bounds";
  }
  let total = h.zeroCount;
  for (const buckets of [h.negativeBuckets, h.positiveBuckets]) {
    for (const c of buckets) {
      if (c < 0 || Number.isNaN(c)) return `histogram has a negative bucket count ${c}`;
      total += c;
    }
  }
  if (h.zeroCount < 0) return "histogram has a negative zero-bucket count";
  if (h.count < 0 || Number.isNaN(h.count)) return "histogram has a negative count";
  if (!h.isFloat) {
    if (Number.isNaN(h.sum) ? total > h.count : total !== h.count) {
      return `histogram count ${h.count} does not match its buckets' total ${total}`;
    }
  } else if (!Number.isNaN(h.sum) && total > h.count * (1 + 1e-12)) {
    return `histogram count ${h.count} is below its buckets' total ${total}`;
  }
  return null;
}

function spansProblem(side: string, spans: readonly BucketSpan[], buckets: number): string | null {
  let covered = 0;
  for (let i = 0; i < spans.length; i++) {
    if (i > 0 && spans[i].offset < 0) return `${side} span ${i} has negative offset ${spans[i].offset}`;
    covered += spans[i].length;
  }
  return covered === buckets ? null : `${side} spans cover ${covered} buckets but ${buckets} are given`;
}
