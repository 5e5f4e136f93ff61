import { absoluteBuckets } from "@edgeprom/tsdb";
import { ProtoReader, ProtobufDecodeError, Utf8Interner, WireType } from "@edgeprom/wire";
import type { BucketSpan } from "../remotewrite/model";
import { ExpositionParseError } from "./errors";
import { sortLabelsFindDuplicate } from "./labels";
import { formatBound } from "./lexing";
import {
  NO_EXEMPLARS,
  type ExpositionExemplar,
  type ExpositionSample,
  type Label,
  type MetricFamily,
  type MetricType,
  type NativeHistogram,
} from "./model";

// io.prometheus.client.MetricType numbers.
const TYPES: readonly MetricType[] = ["counter", "gauge", "summary", "unknown", "histogram", "gaugehistogram"];

// Label names and most values repeat across metrics and scrapes: decode each distinct string once.
const interner = new Utf8Interner();

/**
 * Parses the delimited protobuf exposition format (`application/vnd.google.protobuf;
 * proto=io.prometheus.client.MetricFamily; encoding=delimited`): varint-length-prefixed `MetricFamily` messages.
 * Native histograms become samples carrying `histogram`; classic histogram buckets (when present, or when the
 * histogram is not native) become `_bucket`/`_sum`/`_count` samples as in the text formats, with a `+Inf` bucket
 * added when the exposition leaves it implicit. Summaries become quantile, `_sum` and `_count` samples.
 */
export function parseProtobufExposition(bytes: Uint8Array): MetricFamily[] {
  const r = new ProtoReader(bytes);
  const families: MetricFamily[] = [];
  try {
    while (r.pos < r.end) {
      const end = r.messageEnd();
      families.push(decodeFamily(r, end));
      r.pos = end;
    }
  } catch (err) {
    if (err instanceof ProtobufDecodeError) {
      throw new ExpositionParseError(`malformed io.prometheus.client.MetricFamily: ${err.message}`, 0);
    }
    throw err;
  }
  return families;
}

function decodeFamily(r: ProtoReader, end: number): MetricFamily {
  const family: MetricFamily = { name: "", type: "counter", help: "", unit: "", samples: [] };
  const metrics: Array<[number, number]> = [];
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | WireType.LengthDelimited:
        family.name = string(r, end);
        break;
      case (2 << 3) | WireType.LengthDelimited:
        family.help = string(r, end);
        break;
      case (3 << 3) | WireType.Varint:
        family.type = TYPES[r.uint32()] ?? "unknown";
        break;
      case (4 << 3) | WireType.LengthDelimited: {
        const metricEnd = r.messageEnd(end);
        metrics.push([r.pos, metricEnd]);
        r.pos = metricEnd;
        break;
      }
      case (5 << 3) | WireType.LengthDelimited:
        family.unit = string(r, end);
        break;
      default:
        r.skip(tag & 7, end);
    }
  }
  if (family.name === "") throw new ExpositionParseError("metric family without a name", 0);
  // The type may follow the metrics on the wire, so metrics are decoded once the family is complete.
  for (const [start, metricEnd] of metrics) {
    r.pos = start;
    decodeMetric(r, metricEnd, family);
  }
  return family;
}

interface ClassicBucket {
  upperBound: number;
  count: number;
  exemplar: ExpositionExemplar | null;
}

function decodeMetric(r: ProtoReader, end: number, family: MetricFamily): void {
  const labels: Label[] = [];
  let timestamp: number | null = null;
  let value = Number.NaN;
  let created: number | null = null;
  let exemplar: ExpositionExemplar | null = null;
  let summary: { count: number; sum: number; quantiles: Array<[number, number]> } | null = null;
  let histogram: DecodedHistogram | null = null;
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    if (tag === ((1 << 3) | WireType.LengthDelimited)) {
      labels.push(labelPair(r, r.messageEnd(end)));
    } else if (tag === ((6 << 3) | WireType.Varint)) {
      const ms = r.int64();
      timestamp = ms === 0 ? null : ms;
    } else if ((field === 2 || field === 5) && (tag & 7) === WireType.LengthDelimited) {
      value = singleValue(r, r.messageEnd(end));
    } else if (tag === ((3 << 3) | WireType.LengthDelimited)) {
      const counterEnd = r.messageEnd(end);
      value = 0;
      while (r.pos < counterEnd) {
        const t = r.uint32();
        if (t === ((1 << 3) | WireType.Fixed64)) value = r.double();
        else if (t === ((2 << 3) | WireType.LengthDelimited)) exemplar = decodeExemplar(r, r.messageEnd(counterEnd));
        else if (t === ((3 << 3) | WireType.LengthDelimited)) created = timestampMs(r, r.messageEnd(counterEnd));
        else r.skip(t & 7, counterEnd);
      }
    } else if (tag === ((4 << 3) | WireType.LengthDelimited)) {
      const summaryEnd = r.messageEnd(end);
      summary = { count: 0, sum: 0, quantiles: [] };
      while (r.pos < summaryEnd) {
        const t = r.uint32();
        if (t === ((1 << 3) | WireType.Varint)) summary.count = r.uint64();
        else if (t === ((2 << 3) | WireType.Fixed64)) summary.sum = r.double();
        else if (t === ((3 << 3) | WireType.LengthDelimited))
          summary.quantiles.push(quantile(r, r.messageEnd(summaryEnd)));
        else if (t === ((4 << 3) | WireType.LengthDelimited)) created = timestampMs(r, r.messageEnd(summaryEnd));
        else r.skip(t & 7, summaryEnd);
      }
    } else if (tag === ((7 << 3) | WireType.LengthDelimited)) {
      histogram = decodeHistogram(r, r.messageEnd(end));
      created = histogram.created;
    } else {
      r.skip(tag & 7, end);
    }
  }
  const duplicate = sortLabelsFindDuplicate(labels);
  if (duplicate !== null) throw new ExpositionParseError(`${family.name}: duplicate label name ${duplicate}`, 0);
  const name = family.name;
  // A plain function rather than a closure: bundlers that keep function names wrap every closure creation.
  const at = { family, timestamp, created };

  if (family.type === "summary" && summary !== null) {
    for (const [q, v] of summary.quantiles) push(at, name, withLabel(labels, "quantile", formatBound(q)), v, null);
    push(at, `${name}_sum`, labels, summary.sum, null);
    push(at, `${name}_count`, labels, summary.count, null);
  } else if ((family.type === "histogram" || family.type === "gaugehistogram") && histogram !== null) {
    if (histogram.native !== null) {
      if (family.type === "gaugehistogram") histogram.native.counterResetHint = "gauge";
      family.samples.push({
        ...sample(name, labels, Number.NaN, timestamp, created, histogram.exemplars),
        histogram: histogram.native,
      });
    }
    if (histogram.native === null || histogram.buckets.length > 0) {
      const buckets = histogram.buckets;
      if (buckets.length === 0 || buckets[buckets.length - 1].upperBound !== Infinity) {
        buckets.push({ upperBound: Infinity, count: histogram.count, exemplar: null });
      }
      for (const b of buckets)
        push(at, `${name}_bucket`, withLabel(labels, "le", formatBound(b.upperBound)), b.count, b.exemplar);
      const gauge = family.type === "gaugehistogram";
      push(at, gauge ? `${name}_gsum` : `${name}_sum`, labels, histogram.sum, null);
      push(at, gauge ? `${name}_gcount` : `${name}_count`, labels, histogram.count, null);
    }
  } else {
    push(at, name, labels, value, exemplar);
  }
}

function push(
  at: { family: MetricFamily; timestamp: number | null; created: number | null },
  name: string,
  labels: Label[],
  value: number,
  exemplar: ExpositionExemplar | null,
): void {
  at.family.samples.push(
    sample(name, labels, value, at.timestamp, at.created, exemplar === null ? NO_EXEMPLARS : [exemplar]),
  );
}

function sample(
  name: string,
  labels: Label[],
  value: number,
  timestamp: number | null,
  createdTimestamp: number | null,
  exemplars: readonly ExpositionExemplar[],
): ExpositionSample {
  return { name, labels, value, timestamp, createdTimestamp, exemplars, histogram: null };
}

interface DecodedHistogram {
  count: number;
  sum: number;
  created: number | null;
  buckets: ClassicBucket[];
  native: NativeHistogram | null;
  exemplars: ExpositionExemplar[];
}

function decodeHistogram(r: ProtoReader, end: number): DecodedHistogram {
  let count = 0;
  let countFloat = 0;
  let sum = 0;
  let created: number | null = null;
  let schema = 0;
  let zeroThreshold = 0;
  let zeroCount = 0;
  let zeroCountFloat = 0;
  const buckets: ClassicBucket[] = [];
  const negativeSpans: BucketSpan[] = [];
  const positiveSpans: BucketSpan[] = [];
  const negativeDeltas: number[] = [];
  const positiveDeltas: number[] = [];
  const negativeCounts: number[] = [];
  const positiveCounts: number[] = [];
  const exemplars: ExpositionExemplar[] = [];
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1 && wire === WireType.Varint) count = r.uint64();
    else if (field === 4 && wire === WireType.Fixed64) countFloat = r.double();
    else if (field === 2 && wire === WireType.Fixed64) sum = r.double();
    else if (field === 3 && wire === WireType.LengthDelimited) buckets.push(classicBucket(r, r.messageEnd(end)));
    else if (field === 15 && wire === WireType.LengthDelimited) created = timestampMs(r, r.messageEnd(end));
    else if (field === 5 && wire === WireType.Varint) schema = r.sint32();
    else if (field === 6 && wire === WireType.Fixed64) zeroThreshold = r.double();
    else if (field === 7 && wire === WireType.Varint) zeroCount = r.uint64();
    else if (field === 8 && wire === WireType.Fixed64) zeroCountFloat = r.double();
    else if (field === 9 && wire === WireType.LengthDelimited) negativeSpans.push(span(r, r.messageEnd(end)));
    else if (field === 12 && wire === WireType.LengthDelimited) positiveSpans.push(span(r, r.messageEnd(end)));
    else if (field === 10) repeated(r, wire, end, negativeDeltas, true);
    else if (field === 13) repeated(r, wire, end, positiveDeltas, true);
    else if (field === 11) repeated(r, wire, end, negativeCounts, false);
    else if (field === 14) repeated(r, wire, end, positiveCounts, false);
    else if (field === 16 && wire === WireType.LengthDelimited) exemplars.push(decodeExemplar(r, r.messageEnd(end)));
    else r.skip(wire, end);
  }
  const isFloat = countFloat > 0 || zeroCountFloat > 0;
  const total = isFloat ? countFloat : count;
  // As Prometheus decides: spans, a zero bucket or a zero threshold make a histogram native. A native histogram
  // without observations yet carries a no-op span.
  const native =
    positiveSpans.length > 0 || negativeSpans.length > 0 || zeroThreshold > 0 || zeroCount > 0 || zeroCountFloat > 0;
  return {
    count: total,
    sum,
    created,
    buckets,
    exemplars,
    native: native
      ? {
          isFloat,
          schema,
          zeroThreshold,
          zeroCount: isFloat ? zeroCountFloat : zeroCount,
          count: total,
          sum,
          positiveSpans,
          positiveBuckets: isFloat ? positiveCounts : absoluteBuckets(positiveDeltas),
          negativeSpans,
          negativeBuckets: isFloat ? negativeCounts : absoluteBuckets(negativeDeltas),
          counterResetHint: "unknown",
          customValues: [],
        }
      : null,
  };
}

function classicBucket(r: ProtoReader, end: number): ClassicBucket {
  let count = 0;
  let countFloat = 0;
  let upperBound = 0;
  let exemplar: ExpositionExemplar | null = null;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WireType.Varint)) count = r.uint64();
    else if (tag === ((4 << 3) | WireType.Fixed64)) countFloat = r.double();
    else if (tag === ((2 << 3) | WireType.Fixed64)) upperBound = r.double();
    else if (tag === ((3 << 3) | WireType.LengthDelimited)) exemplar = decodeExemplar(r, r.messageEnd(end));
    else r.skip(tag & 7, end);
  }
  return { upperBound, count: countFloat > 0 ? countFloat : count, exemplar };
}

function decodeExemplar(r: ProtoReader, end: number): ExpositionExemplar {
  const labels: Label[] = [];
  let value = 0;
  let timestamp: number | null = null;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WireType.LengthDelimited)) labels.push(labelPair(r, r.messageEnd(end)));
    else if (tag === ((2 << 3) | WireType.Fixed64)) value = r.double();
    else if (tag === ((3 << 3) | WireType.LengthDelimited)) timestamp = timestampMs(r, r.messageEnd(end));
    else r.skip(tag & 7, end);
  }
  sortLabelsFindDuplicate(labels);
  return { labels, value, timestamp };
}

/** A google.protobuf.Timestamp in integer milliseconds. */
function timestampMs(r: ProtoReader, end: number): number {
  let seconds = 0;
  let nanos = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WireType.Varint)) seconds = r.int64();
    else if (tag === ((2 << 3) | WireType.Varint)) nanos = r.int32();
    else r.skip(tag & 7, end);
  }
  return seconds * 1000 + Math.floor(nanos / 1e6);
}

function labelPair(r: ProtoReader, end: number): Label {
  let name = "";
  let value = "";
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WireType.LengthDelimited)) name = string(r, end);
    else if (tag === ((2 << 3) | WireType.LengthDelimited)) value = string(r, end);
    else r.skip(tag & 7, end);
  }
  return { name, value };
}

function singleValue(r: ProtoReader, end: number): number {
  let value = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WireType.Fixed64)) value = r.double();
    else r.skip(tag & 7, end);
  }
  return value;
}

function quantile(r: ProtoReader, end: number): [number, number] {
  let q = 0;
  let v = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WireType.Fixed64)) q = r.double();
    else if (tag === ((2 << 3) | WireType.Fixed64)) v = r.double();
    else r.skip(tag & 7, end);
  }
  return [q, v];
}

function span(r: ProtoReader, end: number): BucketSpan {
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

function repeated(r: ProtoReader, wire: number, end: number, out: number[], zigzag: boolean): void {
  if (wire === WireType.LengthDelimited) {
    const fieldEnd = r.messageEnd(end);
    while (r.pos < fieldEnd) out.push(zigzag ? r.sint64() : r.double());
    if (r.pos !== fieldEnd) throw r.error("packed field overruns its length");
  } else if (zigzag && wire === WireType.Varint) {
    out.push(r.sint64());
  } else if (!zigzag && wire === WireType.Fixed64) {
    out.push(r.double());
  } else {
    r.skip(wire, end);
  }
}

function string(r: ProtoReader, limit: number): string {
  const end = r.messageEnd(limit);
  interner.invalid = false;
  const s = interner.decode(r.buf, r.pos, end);
  if (interner.invalid) throw new ExpositionParseError("string is not valid UTF-8", 0);
  r.pos = end;
  return s;
}

function withLabel(labels: Label[], name: string, value: string): Label[] {
  const out = [...labels, { name, value }];
  sortLabelsFindDuplicate(out);
  return out;
}
