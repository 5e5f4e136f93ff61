import { ProtoReader, ProtobufDecodeError, Utf8Interner, WireType } from "@edgeprom/wire";
import { NO_EXEMPLARS, NO_HISTOGRAMS, RejectedSeries, SampleColumns, type WriteBatch, type WriteSeries } from "./batch";
import { RemoteWriteDecodeError } from "./errors";
import { decodeWriteHistogram, histogramProblem } from "./histogram";
import { normalizeExemplarLabels, normalizeSeriesLabels } from "./labels";
import { metricTypeFromWire } from "./metric-type";
import type { Exemplar, HistogramSample, Label, MetricMetadata } from "./model";

const TAG_TIMESERIES = (1 << 3) | WireType.LengthDelimited;
const TAG_METADATA = (3 << 3) | WireType.LengthDelimited;
const TAG_LABELS = (1 << 3) | WireType.LengthDelimited;
const TAG_SAMPLES = (2 << 3) | WireType.LengthDelimited;
const TAG_EXEMPLARS = (3 << 3) | WireType.LengthDelimited;
const TAG_HISTOGRAMS = (4 << 3) | WireType.LengthDelimited;
const TAG_NAME = (1 << 3) | WireType.LengthDelimited;
const TAG_VALUE_STRING = (2 << 3) | WireType.LengthDelimited;
const TAG_SAMPLE_VALUE = (1 << 3) | WireType.Fixed64;
const TAG_SAMPLE_TIMESTAMP = (2 << 3) | WireType.Varint;

// Shared across requests: the same label strings arrive in every request from the same senders.
const interner = new Utf8Interner();

/**
 * Decodes an uncompressed remote-write 1.0 `prometheus.WriteRequest`. Structural damage throws
 * {@link RemoteWriteDecodeError}; invalid series land in `invalid` and decoding goes on.
 */
export function decodeWriteRequestV1(bytes: Uint8Array): WriteBatch {
  try {
    return decode(bytes);
  } catch (err) {
    if (err instanceof ProtobufDecodeError) {
      throw new RemoteWriteDecodeError(`malformed prometheus.WriteRequest: ${err.message}`, { cause: err });
    }
    throw err;
  }
}

function decode(bytes: Uint8Array): WriteBatch {
  const r = new ProtoReader(bytes);
  // A realistic series with one sample takes 100-300 bytes; start there and double as needed.
  const columns = new SampleColumns(bytes.length >>> 7, false);
  const series: WriteSeries[] = [];
  const metadata: MetricMetadata[] = [];
  const invalid = new RejectedSeries();
  const counts = { samples: 0, histograms: 0, exemplars: 0 };
  while (r.pos < r.end) {
    const tag = r.uint32();
    if (tag === TAG_TIMESERIES) {
      const end = r.messageEnd();
      decodeSeries(r, end, columns, series, invalid, counts);
    } else if (tag === TAG_METADATA) {
      metadata.push(decodeMetadata(r, r.messageEnd()));
    } else {
      r.skip(tag & 7);
    }
  }
  const { timestamps, values } = columns.finish();
  return {
    version: "1.0",
    series,
    timestamps,
    values,
    startTimestamps: null,
    metadata,
    counts,
    invalid: invalid.errors,
    invalidOmitted: invalid.omitted,
    rejected: invalid.totals,
  };
}

function decodeSeries(
  r: ProtoReader,
  end: number,
  columns: SampleColumns,
  series: WriteSeries[],
  invalid: RejectedSeries,
  counts: WriteBatch["counts"],
): void {
  const buf = r.buf;
  const sampleStart = columns.length;
  let labels: Label[] = [];
  let histograms: HistogramSample[] | null = null;
  let exemplars: Exemplar[] | null = null;
  let problem: string | null = null;
  let clean = true;
  let hasName = false;
  interner.invalid = false;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === TAG_SAMPLES) {
      const sampleEnd = r.messageEnd(end);
      const i = columns.push();
      let timestamp = 0;
      let valueAt = -1;
      while (r.pos < sampleEnd) {
        const t = r.uint32();
        if (t === TAG_SAMPLE_VALUE) {
          if (r.pos + 8 > sampleEnd) throw r.error("truncated sample value");
          valueAt = r.pos;
          r.pos += 8;
        } else if (t === TAG_SAMPLE_TIMESTAMP) {
          timestamp = r.int64();
        } else {
          r.skip(t & 7, sampleEnd);
        }
      }
      columns.timestamps[i] = timestamp;
      const vb = columns.valueBytes;
      const o = i * 8;
      if (valueAt < 0) for (let k = 0; k < 8; k++) vb[o + k] = 0;
      else for (let k = 0; k < 8; k++) vb[o + k] = buf[valueAt + k];
    } else if (tag === TAG_LABELS) {
      const label = decodeLabel(r, r.messageEnd(end));
      // Track whether the set is already in final shape, so the common case needs no second pass.
      if (
        label.value === "" ||
        (labels.length > 0 ? !(labels[labels.length - 1].name < label.name) : label.name === "")
      ) {
        clean = false;
      } else if (label.name === "__name__") {
        hasName = true;
      }
      labels.push(label);
    } else if (tag === TAG_HISTOGRAMS) {
      const h = decodeWriteHistogram(r, r.messageEnd(end));
      problem ??= histogramProblem(h.histogram);
      (histograms ??= []).push({ timestamp: h.timestamp, startTimestamp: 0, histogram: h.histogram });
    } else if (tag === TAG_EXEMPLARS) {
      const e = decodeExemplar(r, r.messageEnd(end));
      problem ??= e.problem;
      (exemplars ??= []).push(e.exemplar);
    } else {
      r.skip(tag & 7, end);
    }
  }
  const normalized = clean && hasName ? { labels, problem: null } : normalizeSeriesLabels(labels);
  labels = normalized.labels;
  if (interner.invalid) problem = "label or exemplar label is not valid UTF-8";
  problem = normalized.problem ?? problem;
  const sampleCount = columns.length - sampleStart;
  const histogramCount = histograms === null ? 0 : histograms.length;
  const exemplarCount = exemplars === null ? 0 : exemplars.length;
  if (problem !== null) {
    columns.truncate(sampleStart);
    invalid.add(problem, labels, { samples: sampleCount, histograms: histogramCount, exemplars: exemplarCount });
    return;
  }
  counts.samples += sampleCount;
  counts.histograms += histogramCount;
  counts.exemplars += exemplarCount;
  series.push({
    labels,
    sampleStart,
    sampleCount,
    histograms: histograms ?? NO_HISTOGRAMS,
    exemplars: exemplars ?? NO_EXEMPLARS,
  });
}

function decodeLabel(r: ProtoReader, end: number): Label {
  const buf = r.buf;
  // Fast path for what every sender writes: name then value, each shorter than 128 bytes (one-byte lengths).
  const p = r.pos;
  if (buf[p] === TAG_NAME && buf[p + 1] < 0x80) {
    const nameEnd = p + 2 + buf[p + 1];
    if (nameEnd + 2 <= end && buf[nameEnd] === TAG_VALUE_STRING && buf[nameEnd + 1] < 0x80) {
      const valueEnd = nameEnd + 2 + buf[nameEnd + 1];
      if (valueEnd === end) {
        r.pos = end;
        return { name: interner.decode(buf, p + 2, nameEnd), value: interner.decode(buf, nameEnd + 2, valueEnd) };
      }
    }
  }
  let name = "";
  let value = "";
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === TAG_NAME || tag === TAG_VALUE_STRING) {
      const strEnd = r.messageEnd(end);
      const s = interner.decode(buf, r.pos, strEnd);
      r.pos = strEnd;
      if (tag === TAG_NAME) name = s;
      else value = s;
    } else {
      r.skip(tag & 7, end);
    }
  }
  return { name, value };
}

function decodeExemplar(r: ProtoReader, end: number): { exemplar: Exemplar; problem: string | null } {
  const labels: Label[] = [];
  let value = 0;
  let timestamp = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WireType.LengthDelimited)) labels.push(decodeLabel(r, r.messageEnd(end)));
    else if (tag === ((2 << 3) | WireType.Fixed64)) value = r.double();
    else if (tag === ((3 << 3) | WireType.Varint)) timestamp = r.int64();
    else r.skip(tag & 7, end);
  }
  const normalized = normalizeExemplarLabels(labels);
  return {
    exemplar: { labels: normalized.labels, value, timestamp },
    problem: normalized.problem === null ? null : `exemplar: ${normalized.problem}`,
  };
}

function decodeMetadata(r: ProtoReader, end: number): MetricMetadata {
  const buf = r.buf;
  let type = 0;
  let metricFamilyName = "";
  let help = "";
  let unit = "";
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    if (tag === ((1 << 3) | WireType.Varint)) {
      type = r.uint32();
    } else if ((field === 2 || field === 4 || field === 5) && (tag & 7) === WireType.LengthDelimited) {
      const strEnd = r.messageEnd(end);
      const s = interner.decode(buf, r.pos, strEnd);
      r.pos = strEnd;
      if (field === 2) metricFamilyName = s;
      else if (field === 4) help = s;
      else unit = s;
    } else {
      r.skip(tag & 7, end);
    }
  }
  return { metricFamilyName, type: metricTypeFromWire(type), help, unit };
}
