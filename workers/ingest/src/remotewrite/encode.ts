import { ProtoWriter, WireType } from "@edgeprom/wire";
import { metricTypeToWire } from "./metric-type";
import type { Exemplar, HistogramSample, Label, MetricMetadata, MetricType, NativeHistogram } from "./model";

/** One series to encode; the same input serves both versions (1.0 ignores what it cannot carry). */
export interface SeriesToWrite {
  labels: readonly Label[];
  samples?: readonly { timestamp: number; value: number; startTimestamp?: number }[];
  histograms?: readonly HistogramSample[];
  exemplars?: readonly Exemplar[];
  /** 2.0 only: per-series metadata. */
  metadata?: { type: MetricType; help?: string; unit?: string };
}

export interface WriteRequestToEncode {
  series: readonly SeriesToWrite[];
  /** 1.0 only: the request-level metadata list. */
  metadata?: readonly MetricMetadata[];
}

const HINT_NUMBERS = { unknown: 0, counterReset: 1, notCounterReset: 2, gauge: 3 } as const;

/**
 * Encodes a `prometheus.WriteRequest` (remote write 1.0), uncompressed: what a Prometheus sender produces, for
 * tests, benchmarks and end-to-end checks.
 */
export function encodeWriteRequestV1(request: WriteRequestToEncode): Uint8Array {
  const w = new ProtoWriter(4096);
  for (const s of request.series) {
    w.fork(1);
    for (const l of s.labels)
      w.fork(1).tag(1, WireType.LengthDelimited).string(l.name).tag(2, WireType.LengthDelimited).string(l.value).join();
    for (const sample of s.samples ?? []) {
      w.fork(2).tag(1, WireType.Fixed64).double(sample.value);
      if (sample.timestamp !== 0) w.tag(2, WireType.Varint).int64(sample.timestamp);
      w.join();
    }
    for (const e of s.exemplars ?? []) {
      w.fork(3);
      for (const l of e.labels)
        w.fork(1)
          .tag(1, WireType.LengthDelimited)
          .string(l.name)
          .tag(2, WireType.LengthDelimited)
          .string(l.value)
          .join();
      w.tag(2, WireType.Fixed64).double(e.value);
      if (e.timestamp !== 0) w.tag(3, WireType.Varint).int64(e.timestamp);
      w.join();
    }
    for (const h of s.histograms ?? []) {
      w.fork(4);
      writeHistogram(w, h.histogram, h.timestamp, 0);
      w.join();
    }
    w.join();
  }
  for (const m of request.metadata ?? []) {
    w.fork(3);
    if (m.type !== "unknown") w.tag(1, WireType.Varint).uint32(metricTypeToWire(m.type));
    w.tag(2, WireType.LengthDelimited).string(m.metricFamilyName);
    if (m.help !== "") w.tag(4, WireType.LengthDelimited).string(m.help);
    if (m.unit !== "") w.tag(5, WireType.LengthDelimited).string(m.unit);
    w.join();
  }
  return w.finish();
}

/** Encodes an `io.prometheus.write.v2.Request` (remote write 2.0), uncompressed, with its symbol table. */
export function encodeWriteRequestV2(request: WriteRequestToEncode): Uint8Array {
  const symbols = new SymbolTable();
  const body = new ProtoWriter(4096);
  for (const s of request.series) {
    body.fork(5);
    body.packedUint32(1, symbols.refs(s.labels));
    for (const sample of s.samples ?? []) {
      body.fork(2).tag(1, WireType.Fixed64).double(sample.value);
      if (sample.timestamp !== 0) body.tag(2, WireType.Varint).int64(sample.timestamp);
      if (sample.startTimestamp) body.tag(3, WireType.Varint).int64(sample.startTimestamp);
      body.join();
    }
    for (const h of s.histograms ?? []) {
      body.fork(3);
      writeHistogram(body, h.histogram, h.timestamp, h.startTimestamp);
      body.join();
    }
    for (const e of s.exemplars ?? []) {
      body.fork(4);
      body.packedUint32(1, symbols.refs(e.labels));
      body.tag(2, WireType.Fixed64).double(e.value);
      if (e.timestamp !== 0) body.tag(3, WireType.Varint).int64(e.timestamp);
      body.join();
    }
    if (s.metadata) {
      body.fork(5);
      const type = metricTypeToWire(s.metadata.type);
      if (type !== 0) body.tag(1, WireType.Varint).uint32(type);
      const help = symbols.ref(s.metadata.help ?? "");
      if (help !== 0) body.tag(3, WireType.Varint).uint32(help);
      const unit = symbols.ref(s.metadata.unit ?? "");
      if (unit !== 0) body.tag(4, WireType.Varint).uint32(unit);
      body.join();
    }
    body.join();
  }
  const w = new ProtoWriter(4096);
  for (const symbol of symbols.list) w.tag(4, WireType.LengthDelimited).string(symbol);
  const series = body.finish();
  const head = w.finish();
  // Symbols first, as Prometheus writes them; receivers must accept either order.
  const result = new Uint8Array(head.length + series.length);
  result.set(head);
  result.set(series, head.length);
  return result;
}

class SymbolTable {
  readonly list: string[] = [""];
  private readonly index = new Map<string, number>([["", 0]]);

  ref(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(s);
      this.index.set(s, i);
    }
    return i;
  }

  refs(labels: readonly Label[]): number[] {
    const out: number[] = [];
    for (const l of labels) out.push(this.ref(l.name), this.ref(l.value));
    return out;
  }
}

function writeHistogram(w: ProtoWriter, h: NativeHistogram, timestamp: number, startTimestamp: number): void {
  if (h.isFloat) w.tag(2, WireType.Fixed64).double(h.count);
  else w.tag(1, WireType.Varint).int64(h.count);
  w.tag(3, WireType.Fixed64).double(h.sum);
  if (h.schema !== 0) w.tag(4, WireType.Varint).sint32(h.schema);
  if (h.zeroThreshold !== 0) w.tag(5, WireType.Fixed64).double(h.zeroThreshold);
  if (h.isFloat) w.tag(7, WireType.Fixed64).double(h.zeroCount);
  else w.tag(6, WireType.Varint).int64(h.zeroCount);
  for (const span of h.negativeSpans) writeSpan(w, 8, span.offset, span.length);
  if (h.isFloat) w.packedDouble(10, h.negativeBuckets);
  else w.packedSint64(9, deltas(h.negativeBuckets));
  for (const span of h.positiveSpans) writeSpan(w, 11, span.offset, span.length);
  if (h.isFloat) w.packedDouble(13, h.positiveBuckets);
  else w.packedSint64(12, deltas(h.positiveBuckets));
  const hint = HINT_NUMBERS[h.counterResetHint];
  if (hint !== 0) w.tag(14, WireType.Varint).uint32(hint);
  if (timestamp !== 0) w.tag(15, WireType.Varint).int64(timestamp);
  w.packedDouble(16, h.customValues);
  if (startTimestamp !== 0) w.tag(17, WireType.Varint).int64(startTimestamp);
}

function writeSpan(w: ProtoWriter, field: number, offset: number, length: number): void {
  w.fork(field);
  if (offset !== 0) w.tag(1, WireType.Varint).sint32(offset);
  if (length !== 0) w.tag(2, WireType.Varint).uint32(length);
  w.join();
}

function deltas(counts: readonly number[]): number[] {
  const out: number[] = [];
  let previous = 0;
  for (const c of counts) {
    out.push(c - previous);
    previous = c;
  }
  return out;
}
