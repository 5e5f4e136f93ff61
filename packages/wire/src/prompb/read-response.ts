import { ProtoReader } from "../protobuf/reader";
import { WireType } from "../protobuf/wire-type";
import { ProtoWriter } from "../protobuf/writer";
import { readHistogram, writeHistogram } from "./histogram";
import { readLabel, writeLabels } from "./label";
import type { Label, QueryResult, ReadResponse, RemoteHistogram, RemoteTimeSeries } from "./types";

const LD = WireType.LengthDelimited;
const tag = (field: number, wireType: number): number => (field << 3) | wireType;

/**
 * Encodes a `prometheus.ReadResponse` (the SAMPLES response type, before Snappy). Sample values are written from
 * their bits, so stale markers reach the client as the exact NaN Prometheus uses.
 */
export function encodeReadResponse(response: ReadResponse): Uint8Array {
  let estimate = 64;
  for (const result of response.results) {
    for (const series of result.timeseries) estimate += 64 + 20 * series.samples.t.length;
  }
  const w = new ProtoWriter(estimate);
  for (const result of response.results) {
    w.fork(1);
    for (const series of result.timeseries) writeTimeSeries(w, series);
    w.join();
  }
  return w.finish();
}

function writeTimeSeries(w: ProtoWriter, series: RemoteTimeSeries): void {
  w.fork(1);
  writeLabels(w, 1, series.labels);
  const { t, v } = series.samples;
  const words = new Uint32Array(v.buffer, v.byteOffset, v.length * 2);
  for (let i = 0; i < t.length; i++) {
    w.fork(2);
    w.tag(1, WireType.Fixed64).doubleBits(words[2 * i]!, words[2 * i + 1]!);
    if (t[i] !== 0) w.tag(2, WireType.Varint).int64(t[i]!);
    w.join();
  }
  for (const h of series.histograms) writeHistogram(w, 4, h);
  w.join();
}

/** Decodes an uncompressed `prometheus.ReadResponse`; malformed bytes throw a `ProtobufDecodeError`. */
export function decodeReadResponse(bytes: Uint8Array): ReadResponse {
  const r = new ProtoReader(bytes);
  const results: QueryResult[] = [];
  while (r.pos < r.end) {
    const t = r.uint32();
    if (t === tag(1, LD)) results.push(readQueryResult(r, r.messageEnd()));
    else r.skip(t & 7);
  }
  return { results };
}

function readQueryResult(r: ProtoReader, end: number): QueryResult {
  const timeseries: RemoteTimeSeries[] = [];
  while (r.pos < end) {
    const t = r.uint32();
    if (t === tag(1, LD)) timeseries.push(readTimeSeries(r, r.messageEnd(end)));
    else r.skip(t & 7, end);
  }
  if (r.pos !== end) throw r.error("query result overruns its length");
  return { timeseries };
}

function readTimeSeries(r: ProtoReader, end: number): RemoteTimeSeries {
  const labels: Label[] = [];
  const times: number[] = [];
  const words: number[] = [];
  const histograms: RemoteHistogram[] = [];
  while (r.pos < end) {
    const t = r.uint32();
    if (t === tag(1, LD)) labels.push(readLabel(r, r.messageEnd(end)));
    else if (t === tag(2, LD)) readSample(r, r.messageEnd(end), times, words);
    else if (t === tag(4, LD)) histograms.push(readHistogram(r, r.messageEnd(end)));
    else r.skip(t & 7, end);
  }
  if (r.pos !== end) throw r.error("time series overruns its length");
  const v = new Float64Array(times.length);
  new Uint32Array(v.buffer).set(words);
  return { labels, samples: { t: times, v }, histograms };
}

function readSample(r: ProtoReader, end: number, times: number[], words: number[]): void {
  let t = 0;
  let lo = 0;
  let hi = 0;
  while (r.pos < end) {
    const fieldTag = r.uint32();
    if (fieldTag === tag(1, WireType.Fixed64)) {
      if (r.pos + 8 > end) throw r.error("truncated sample value");
      [lo, hi] = r.doubleBitsAt(r.pos);
      r.pos += 8;
    } else if (fieldTag === tag(2, WireType.Varint)) t = r.int64();
    else r.skip(fieldTag & 7, end);
  }
  if (r.pos !== end) throw r.error("sample overruns its length");
  times.push(t);
  words.push(lo, hi);
}
