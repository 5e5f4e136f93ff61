import type { ProtoReader } from "../protobuf/reader";
import { WireType } from "../protobuf/wire-type";
import type { ProtoWriter } from "../protobuf/writer";
import type { BucketSpan, CounterResetHint, RemoteHistogram } from "./types";

const LD = WireType.LengthDelimited;
const VARINT = WireType.Varint;
const FIXED64 = WireType.Fixed64;
const tag = (field: number, wireType: number): number => (field << 3) | wireType;

/** `prometheus.Histogram.ResetHint` in enum order. */
const HINTS: readonly CounterResetHint[] = ["unknown", "counterReset", "notCounterReset", "gauge"];

/** Writes one `prometheus.Histogram` as field `field`: integer counts as deltas, float counts as absolute values. */
export function writeHistogram(w: ProtoWriter, field: number, h: RemoteHistogram): void {
  w.fork(field);
  if (h.isFloat) w.tag(2, FIXED64).double(h.count);
  else w.tag(1, VARINT).int64(h.count);
  w.tag(3, FIXED64).double(h.sum);
  if (h.schema !== 0) w.tag(4, VARINT).sint32(h.schema);
  if (h.zeroThreshold !== 0) w.tag(5, FIXED64).double(h.zeroThreshold);
  if (h.isFloat) w.tag(7, FIXED64).double(h.zeroCount);
  else w.tag(6, VARINT).int64(h.zeroCount);
  writeSpans(w, 8, h.negativeSpans);
  if (h.isFloat) w.packedDouble(10, h.negativeBuckets);
  else w.packedSint64(9, toDeltas(h.negativeBuckets));
  writeSpans(w, 11, h.positiveSpans);
  if (h.isFloat) w.packedDouble(13, h.positiveBuckets);
  else w.packedSint64(12, toDeltas(h.positiveBuckets));
  const hint = HINTS.indexOf(h.counterResetHint);
  if (hint > 0) w.tag(14, VARINT).uint32(hint);
  if (h.timestamp !== 0) w.tag(15, VARINT).int64(h.timestamp);
  w.packedDouble(16, h.customValues);
  w.join();
}

function writeSpans(w: ProtoWriter, field: number, spans: readonly BucketSpan[]): void {
  for (const span of spans) {
    w.fork(field);
    if (span.offset !== 0) w.tag(1, VARINT).sint32(span.offset);
    if (span.length !== 0) w.tag(2, VARINT).uint32(span.length);
    w.join();
  }
}

function toDeltas(absolute: readonly number[]): number[] {
  let previous = 0;
  return absolute.map((count) => {
    const delta = count - previous;
    previous = count;
    return delta;
  });
}

/** Reads one `prometheus.Histogram` ending at `end`; integer deltas come back as absolute counts. */
export function readHistogram(r: ProtoReader, end: number): RemoteHistogram {
  const h: RemoteHistogram = {
    timestamp: 0,
    isFloat: false,
    counterResetHint: "unknown",
    schema: 0,
    zeroThreshold: 0,
    zeroCount: 0,
    count: 0,
    sum: 0,
    positiveSpans: [],
    positiveBuckets: [],
    negativeSpans: [],
    negativeBuckets: [],
    customValues: [],
  };
  const positiveDeltas: number[] = [];
  const negativeDeltas: number[] = [];
  while (r.pos < end) {
    const t = r.uint32();
    const field = t >>> 3;
    switch (field) {
      case 1:
        h.count = r.uint64();
        break;
      case 2:
        h.count = r.double();
        h.isFloat = true;
        break;
      case 3:
        h.sum = r.double();
        break;
      case 4:
        h.schema = r.sint32();
        break;
      case 5:
        h.zeroThreshold = r.double();
        break;
      case 6:
        h.zeroCount = r.uint64();
        break;
      case 7:
        h.zeroCount = r.double();
        h.isFloat = true;
        break;
      case 8:
        h.negativeSpans.push(readSpan(r, r.messageEnd(end)));
        break;
      case 9:
        readRepeated(r, t, end, negativeDeltas, () => r.sint64());
        break;
      case 10:
        readRepeated(r, t, end, h.negativeBuckets, () => r.double());
        break;
      case 11:
        h.positiveSpans.push(readSpan(r, r.messageEnd(end)));
        break;
      case 12:
        readRepeated(r, t, end, positiveDeltas, () => r.sint64());
        break;
      case 13:
        readRepeated(r, t, end, h.positiveBuckets, () => r.double());
        break;
      case 14:
        h.counterResetHint = HINTS[r.int32()] ?? "unknown";
        break;
      case 15:
        h.timestamp = r.int64();
        break;
      case 16:
        readRepeated(r, t, end, h.customValues, () => r.double());
        break;
      default:
        r.skip(t & 7, end);
    }
  }
  if (r.pos !== end) throw r.error("histogram overruns its length");
  if (positiveDeltas.length > 0) h.positiveBuckets = fromDeltas(positiveDeltas);
  if (negativeDeltas.length > 0) h.negativeBuckets = fromDeltas(negativeDeltas);
  return h;
}

function readSpan(r: ProtoReader, end: number): BucketSpan {
  const span: BucketSpan = { offset: 0, length: 0 };
  while (r.pos < end) {
    const t = r.uint32();
    if (t === tag(1, VARINT)) span.offset = r.sint32();
    else if (t === tag(2, VARINT)) span.length = r.uint32();
    else r.skip(t & 7, end);
  }
  if (r.pos !== end) throw r.error("bucket span overruns its length");
  return span;
}

/** A repeated scalar that may arrive packed (one length-delimited run) or as single fields. */
function readRepeated(r: ProtoReader, t: number, end: number, into: number[], read: () => number): void {
  if ((t & 7) !== LD) {
    into.push(read());
    return;
  }
  const runEnd = r.messageEnd(end);
  while (r.pos < runEnd) into.push(read());
  if (r.pos !== runEnd) throw r.error("packed field overruns its length");
}

function fromDeltas(deltas: readonly number[]): number[] {
  let current = 0;
  return deltas.map((delta) => (current += delta));
}
