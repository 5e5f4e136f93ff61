import { ProtoReader, ProtobufDecodeError, WireType } from "@edgeprom/wire";
import {
  OtlpDecodeError,
  Temporality,
  type AnyValue,
  type ExponentialBuckets,
  type ExponentialHistogramPoint,
  type ExportMetricsRequest,
  type HistogramPoint,
  type KeyValue,
  type MetricData,
  type NumberPoint,
  type OtlpExemplar,
  type OtlpMetric,
  type ResourceMetrics,
  type ScopeMetrics,
  type SummaryPoint,
} from "./model";

// Field numbers from opentelemetry-proto: collector/metrics/v1/metrics_service.proto, metrics/v1/metrics.proto,
// common/v1/common.proto, resource/v1/resource.proto.

/** Decodes an `ExportMetricsServiceRequest` in protobuf form. */
export function decodeOtlpProto(body: Uint8Array): ExportMetricsRequest {
  const r = new ProtoReader(body);
  const resourceMetrics: ResourceMetrics[] = [];
  try {
    forEachField(r, r.end, (field, wire) => {
      if (field === 1 && wire === WireType.LengthDelimited)
        resourceMetrics.push(readResourceMetrics(r, r.messageEnd()));
      else return false;
      return true;
    });
  } catch (err) {
    if (err instanceof ProtobufDecodeError) throw new OtlpDecodeError(`invalid OTLP protobuf: ${err.message}`);
    throw err;
  }
  return { resourceMetrics };
}

/** Reads fields up to `end`; `visit` returns false for fields it does not read, which are skipped. */
function forEachField(r: ProtoReader, end: number, visit: (field: number, wire: number) => boolean): void {
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 0) throw r.error("field number 0");
    if (!visit(field, wire)) r.skip(wire, end);
  }
  if (r.pos !== end) throw r.error("message overruns its length");
}

function readResourceMetrics(r: ProtoReader, end: number): ResourceMetrics {
  const out: ResourceMetrics = { attributes: [], scopeMetrics: [] };
  forEachField(r, end, (field, wire) => {
    if (wire !== WireType.LengthDelimited) return false;
    if (field === 1) {
      const resEnd = r.messageEnd();
      forEachField(r, resEnd, (f, w) => {
        if (f === 1 && w === WireType.LengthDelimited) out.attributes.push(readKeyValue(r, r.messageEnd()));
        else return false;
        return true;
      });
    } else if (field === 2) out.scopeMetrics.push(readScopeMetrics(r, r.messageEnd()));
    else return false;
    return true;
  });
  return out;
}

function readScopeMetrics(r: ProtoReader, end: number): ScopeMetrics {
  const out: ScopeMetrics = { scope: { name: "", version: "", attributes: [] }, metrics: [] };
  forEachField(r, end, (field, wire) => {
    if (wire !== WireType.LengthDelimited) return false;
    if (field === 1) {
      const scopeEnd = r.messageEnd();
      forEachField(r, scopeEnd, (f, w) => {
        if (w !== WireType.LengthDelimited) return false;
        if (f === 1) out.scope.name = readString(r);
        else if (f === 2) out.scope.version = readString(r);
        else if (f === 3) out.scope.attributes.push(readKeyValue(r, r.messageEnd()));
        else return false;
        return true;
      });
    } else if (field === 2) out.metrics.push(readMetric(r, r.messageEnd()));
    else return false;
    return true;
  });
  return out;
}

function readMetric(r: ProtoReader, end: number): OtlpMetric {
  const out: OtlpMetric = { name: "", description: "", unit: "", data: { kind: "empty" } };
  forEachField(r, end, (field, wire) => {
    if (wire !== WireType.LengthDelimited) return false;
    switch (field) {
      case 1:
        out.name = readString(r);
        return true;
      case 2:
        out.description = readString(r);
        return true;
      case 3:
        out.unit = readString(r);
        return true;
      case 5:
      case 7:
      case 9:
      case 10:
      case 11:
        out.data = readData(r, r.messageEnd(), field);
        return true;
      default:
        return false;
    }
  });
  return out;
}

function readData(r: ProtoReader, end: number, kindField: number): MetricData {
  let temporality = Temporality.Unspecified;
  let monotonic = false;
  const numberPoints: NumberPoint[] = [];
  const histogramPoints: HistogramPoint[] = [];
  const exponentialPoints: ExponentialHistogramPoint[] = [];
  const summaryPoints: SummaryPoint[] = [];
  forEachField(r, end, (field, wire) => {
    if (field === 1 && wire === WireType.LengthDelimited) {
      const pointEnd = r.messageEnd();
      if (kindField === 5 || kindField === 7) numberPoints.push(readNumberPoint(r, pointEnd));
      else if (kindField === 9) histogramPoints.push(readHistogramPoint(r, pointEnd));
      else if (kindField === 10) exponentialPoints.push(readExponentialPoint(r, pointEnd));
      else summaryPoints.push(readSummaryPoint(r, pointEnd));
      return true;
    }
    if (field === 2 && wire === WireType.Varint && kindField !== 5 && kindField !== 11) {
      temporality = r.uint32() as Temporality;
      return true;
    }
    if (field === 3 && wire === WireType.Varint && kindField === 7) {
      monotonic = r.bool();
      return true;
    }
    return false;
  });
  switch (kindField) {
    case 5:
      return { kind: "gauge", points: numberPoints };
    case 7:
      return { kind: "sum", points: numberPoints, temporality, monotonic };
    case 9:
      return { kind: "histogram", points: histogramPoints, temporality };
    case 10:
      return { kind: "exponentialHistogram", points: exponentialPoints, temporality };
    default:
      return { kind: "summary", points: summaryPoints };
  }
}

function newPoint(): {
  attributes: KeyValue[];
  startTimeMs: number;
  timeMs: number;
  flags: number;
  exemplars: OtlpExemplar[];
} {
  return { attributes: [], startTimeMs: 0, timeMs: 0, flags: 0, exemplars: [] };
}

function readNumberPoint(r: ProtoReader, end: number): NumberPoint {
  const p: NumberPoint = { ...newPoint(), value: 0 };
  forEachField(r, end, (field, wire) => {
    if (field === 7 && wire === WireType.LengthDelimited) p.attributes.push(readKeyValue(r, r.messageEnd()));
    else if (field === 2 && wire === WireType.Fixed64) p.startTimeMs = readFixed64Millis(r);
    else if (field === 3 && wire === WireType.Fixed64) p.timeMs = readFixed64Millis(r);
    else if (field === 4 && wire === WireType.Fixed64) p.value = r.double();
    else if (field === 6 && wire === WireType.Fixed64) p.value = readSfixed64(r);
    else if (field === 5 && wire === WireType.LengthDelimited) p.exemplars.push(readExemplar(r, r.messageEnd()));
    else if (field === 8 && wire === WireType.Varint) p.flags = r.uint32();
    else return false;
    return true;
  });
  return p;
}

function readHistogramPoint(r: ProtoReader, end: number): HistogramPoint {
  const p: HistogramPoint = { ...newPoint(), count: 0, sum: undefined, bucketCounts: [], explicitBounds: [] };
  forEachField(r, end, (field, wire) => {
    if (field === 9 && wire === WireType.LengthDelimited) p.attributes.push(readKeyValue(r, r.messageEnd()));
    else if (field === 2 && wire === WireType.Fixed64) p.startTimeMs = readFixed64Millis(r);
    else if (field === 3 && wire === WireType.Fixed64) p.timeMs = readFixed64Millis(r);
    else if (field === 4 && wire === WireType.Fixed64) p.count = readFixed64(r);
    else if (field === 5 && wire === WireType.Fixed64) p.sum = r.double();
    else if (field === 6) readRepeatedFixed64(r, wire, p.bucketCounts, readFixed64);
    else if (field === 7) readRepeatedFixed64(r, wire, p.explicitBounds, (rr) => rr.double());
    else if (field === 8 && wire === WireType.LengthDelimited) p.exemplars.push(readExemplar(r, r.messageEnd()));
    else if (field === 10 && wire === WireType.Varint) p.flags = r.uint32();
    else return false;
    return true;
  });
  return p;
}

function readExponentialPoint(r: ProtoReader, end: number): ExponentialHistogramPoint {
  const p: ExponentialHistogramPoint = {
    ...newPoint(),
    count: 0,
    sum: undefined,
    scale: 0,
    zeroCount: 0,
    zeroThreshold: 0,
    positive: { offset: 0, bucketCounts: [] },
    negative: { offset: 0, bucketCounts: [] },
  };
  forEachField(r, end, (field, wire) => {
    if (field === 1 && wire === WireType.LengthDelimited) p.attributes.push(readKeyValue(r, r.messageEnd()));
    else if (field === 2 && wire === WireType.Fixed64) p.startTimeMs = readFixed64Millis(r);
    else if (field === 3 && wire === WireType.Fixed64) p.timeMs = readFixed64Millis(r);
    else if (field === 4 && wire === WireType.Fixed64) p.count = readFixed64(r);
    else if (field === 5 && wire === WireType.Fixed64) p.sum = r.double();
    else if (field === 6 && wire === WireType.Varint) p.scale = r.sint32();
    else if (field === 7 && wire === WireType.Fixed64) p.zeroCount = readFixed64(r);
    else if (field === 8 && wire === WireType.LengthDelimited) p.positive = readBuckets(r, r.messageEnd());
    else if (field === 9 && wire === WireType.LengthDelimited) p.negative = readBuckets(r, r.messageEnd());
    else if (field === 10 && wire === WireType.Varint) p.flags = r.uint32();
    else if (field === 11 && wire === WireType.LengthDelimited) p.exemplars.push(readExemplar(r, r.messageEnd()));
    else if (field === 14 && wire === WireType.Fixed64) p.zeroThreshold = r.double();
    else return false;
    return true;
  });
  return p;
}

function readBuckets(r: ProtoReader, end: number): ExponentialBuckets {
  const out: ExponentialBuckets = { offset: 0, bucketCounts: [] };
  forEachField(r, end, (field, wire) => {
    if (field === 1 && wire === WireType.Varint) out.offset = r.sint32();
    else if (field === 2 && wire === WireType.LengthDelimited) {
      const packedEnd = r.messageEnd();
      while (r.pos < packedEnd) out.bucketCounts.push(r.uint64());
    } else if (field === 2 && wire === WireType.Varint) out.bucketCounts.push(r.uint64());
    else return false;
    return true;
  });
  return out;
}

function readSummaryPoint(r: ProtoReader, end: number): SummaryPoint {
  const p: SummaryPoint = { ...newPoint(), count: 0, sum: 0, quantiles: [] };
  forEachField(r, end, (field, wire) => {
    if (field === 7 && wire === WireType.LengthDelimited) p.attributes.push(readKeyValue(r, r.messageEnd()));
    else if (field === 2 && wire === WireType.Fixed64) p.startTimeMs = readFixed64Millis(r);
    else if (field === 3 && wire === WireType.Fixed64) p.timeMs = readFixed64Millis(r);
    else if (field === 4 && wire === WireType.Fixed64) p.count = readFixed64(r);
    else if (field === 5 && wire === WireType.Fixed64) p.sum = r.double();
    else if (field === 6 && wire === WireType.LengthDelimited) {
      const qEnd = r.messageEnd();
      const q = { quantile: 0, value: 0 };
      forEachField(r, qEnd, (f, w) => {
        if (f === 1 && w === WireType.Fixed64) q.quantile = r.double();
        else if (f === 2 && w === WireType.Fixed64) q.value = r.double();
        else return false;
        return true;
      });
      p.quantiles.push(q);
    } else if (field === 8 && wire === WireType.Varint) p.flags = r.uint32();
    else return false;
    return true;
  });
  return p;
}

function readExemplar(r: ProtoReader, end: number): OtlpExemplar {
  const e: OtlpExemplar = { attributes: [], timeMs: 0, value: 0, traceId: "", spanId: "" };
  forEachField(r, end, (field, wire) => {
    if (field === 7 && wire === WireType.LengthDelimited) e.attributes.push(readKeyValue(r, r.messageEnd()));
    else if (field === 2 && wire === WireType.Fixed64) e.timeMs = readFixed64Millis(r);
    else if (field === 3 && wire === WireType.Fixed64) e.value = r.double();
    else if (field === 6 && wire === WireType.Fixed64) e.value = readSfixed64(r);
    else if (field === 4 && wire === WireType.LengthDelimited) e.spanId = toHex(r.bytes());
    else if (field === 5 && wire === WireType.LengthDelimited) e.traceId = toHex(r.bytes());
    else return false;
    return true;
  });
  return e;
}

function readKeyValue(r: ProtoReader, end: number): KeyValue {
  const kv: KeyValue = { key: "", value: null };
  forEachField(r, end, (field, wire) => {
    if (wire !== WireType.LengthDelimited) return false;
    if (field === 1) kv.key = readString(r);
    else if (field === 2) kv.value = readAnyValue(r, r.messageEnd());
    else return false;
    return true;
  });
  return kv;
}

function readAnyValue(r: ProtoReader, end: number): AnyValue {
  let value: AnyValue = null;
  forEachField(r, end, (field, wire) => {
    if (field === 1 && wire === WireType.LengthDelimited) value = readString(r);
    else if (field === 2 && wire === WireType.Varint) value = r.bool();
    else if (field === 3 && wire === WireType.Varint) value = r.int64();
    else if (field === 4 && wire === WireType.Fixed64) value = r.double();
    else if (field === 5 && wire === WireType.LengthDelimited) {
      const arrEnd = r.messageEnd();
      const values: AnyValue[] = [];
      forEachField(r, arrEnd, (f, w) => {
        if (f === 1 && w === WireType.LengthDelimited) values.push(readAnyValue(r, r.messageEnd()));
        else return false;
        return true;
      });
      value = values;
    } else if (field === 6 && wire === WireType.LengthDelimited) {
      const listEnd = r.messageEnd();
      const map: { [key: string]: AnyValue } = {};
      forEachField(r, listEnd, (f, w) => {
        if (f === 1 && w === WireType.LengthDelimited) {
          const kv = readKeyValue(r, r.messageEnd());
          map[kv.key] = kv.value;
        } else return false;
        return true;
      });
      value = map;
    } else if (field === 7 && wire === WireType.LengthDelimited) value = r.bytes().slice();
    else return false;
    return true;
  });
  return value;
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function readString(r: ProtoReader): string {
  const bytes = r.bytes();
  try {
    return utf8.decode(bytes);
  } catch {
    throw new OtlpDecodeError("invalid OTLP protobuf: a string field is not valid UTF-8");
  }
}

function fixed64Words(r: ProtoReader): [lo: number, hi: number] {
  if (r.pos + 8 > r.end) throw r.error("truncated fixed64");
  const b = r.buf;
  const p = r.pos;
  const lo = (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  const hi = (b[p + 4]! | (b[p + 5]! << 8) | (b[p + 6]! << 16) | (b[p + 7]! << 24)) >>> 0;
  r.pos = p + 8;
  return [lo, hi];
}

/** An unsigned fixed64 count; counts beyond 2^53 lose precision as they would in any float64 sample. */
function readFixed64(r: ProtoReader): number {
  const [lo, hi] = fixed64Words(r);
  return hi * 4294967296 + lo;
}

function readSfixed64(r: ProtoReader): number {
  const [lo, hi] = fixed64Words(r);
  return (hi | 0) * 4294967296 + lo;
}

/**
 * Nanoseconds → whole milliseconds, exactly: hi·2^32 = hi·4294·10^6 + hi·967296, and every partial sum stays below
 * 2^53, so no float rounding can move a timestamp across a millisecond boundary.
 */
function readFixed64Millis(r: ProtoReader): number {
  const [lo, hi] = fixed64Words(r);
  return hi * 4294 + Math.floor((hi * 967296 + lo) / 1e6);
}

function readRepeatedFixed64(r: ProtoReader, wire: number, out: number[], read: (r: ProtoReader) => number): void {
  if (wire === WireType.LengthDelimited) {
    const end = r.messageEnd();
    const reader = new ProtoReader(r.buf, r.pos, end);
    while (reader.pos < end) out.push(read(reader));
    r.pos = end;
  } else if (wire === WireType.Fixed64) out.push(read(r));
  else throw r.error(`unexpected wire type ${wire} for a repeated fixed64 field`);
}

function toHex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}
