import type { Label, Labels } from "../labels/label";
import type { AppendBatch } from "./append-batch";
import { ByteReader, CorruptRecordError } from "./byte-reader";
import { ByteWriter } from "./byte-writer";

/**
 * The append batch wire format, used both over RPC (Worker → shard) and as the payload of a WAL row, so a shard
 * writes what it received without re-encoding. Layout (all varints are Go-style; see docs/tsdb-shard.md):
 *
 *   "EPB" 0x01                            magic and version
 *   uvarint symbolCount, symbolCount × (uvarint byteLength, UTF-8 bytes)
 *   uvarint seriesCount, per series:
 *     uvarint labelCount, labelCount × (uvarint nameSymbol, uvarint valueSymbol)    sorted by name
 *     uvarint sampleCount; if > 0: varint t0, (sampleCount-1) × varint (t[i] - t[i-1]), sampleCount × float64 LE
 *     uvarint histogramCount, histogramCount × (varint t (delta from the previous histogram, the first absolute),
 *                                               uvarint byteLength, histogram bytes)
 */
export const BATCH_MAGIC = [0x45, 0x50, 0x42, 0x01] as const;

/** A decoded batch in columns: series `i` owns samples `[sampleStart[i], sampleStart[i+1])` of `t`/`v`. */
export interface ColumnarBatch {
  labels: Labels[];
  sampleStart: Uint32Array;
  t: Float64Array;
  v: Float64Array;
  /** Series `i` owns histograms `[histogramStart[i], histogramStart[i+1])`. */
  histogramStart: Uint32Array;
  histogramT: Float64Array;
  /** Encoded histograms (see the chunk package's histogram codec), views into the batch bytes. */
  histogramBytes: Uint8Array[];
}

/** Encodes histograms for the wire; the shard passes the chunk package's codec. */
export type HistogramEncoder<H> = (h: H) => Uint8Array;

export function encodeAppendBatch<H>(batch: AppendBatch<H>, encodeHistogram?: HistogramEncoder<H>): Uint8Array {
  const symbols = new Map<string, number>();
  const symbol = (s: string): number => {
    let ref = symbols.get(s);
    if (ref === undefined) symbols.set(s, (ref = symbols.size));
    return ref;
  };
  const body = new ByteWriter(64 + batch.length * 64);
  body.uvarint(batch.length);
  for (const series of batch) {
    body.uvarint(series.labels.length);
    for (const { name, value } of series.labels) {
      body.uvarint(symbol(name));
      body.uvarint(symbol(value));
    }
    const samples = series.samples ?? [];
    body.uvarint(samples.length);
    let prev = 0;
    for (let i = 0; i < samples.length; i++) {
      body.varint(samples[i].t - prev);
      prev = samples[i].t;
    }
    for (const s of samples) body.f64(s.v);
    const histograms = series.histograms ?? [];
    body.uvarint(histograms.length);
    prev = 0;
    for (const h of histograms) {
      if (!encodeHistogram) throw new TypeError("encodeAppendBatch: a histogram encoder is needed for histograms");
      body.varint(h.t - prev);
      prev = h.t;
      body.lengthPrefixed(encodeHistogram(h.h));
    }
  }
  const head = new ByteWriter(64 + symbols.size * 16);
  for (const b of BATCH_MAGIC) head.u8(b);
  head.uvarint(symbols.size);
  for (const s of symbols.keys()) head.string(s);
  head.bytes(body.finish());
  return head.finish();
}

export function isAppendBatchBytes(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && BATCH_MAGIC.every((b, i) => bytes[i] === b);
}

export function decodeAppendBatch(bytes: Uint8Array): ColumnarBatch {
  if (!isAppendBatchBytes(bytes)) throw new CorruptRecordError("not an append batch (bad magic or version)");
  const r = new ByteReader(bytes, 4);
  const symbolCount = r.count(1, "symbol");
  const symbols = new Array<string>(symbolCount);
  for (let i = 0; i < symbolCount; i++) symbols[i] = readSymbol(r);
  const seriesCount = r.count(3, "series");
  const labels = new Array<Labels>(seriesCount);
  const sampleStart = new Uint32Array(seriesCount + 1);
  const histogramStart = new Uint32Array(seriesCount + 1);
  // Sample counts are not known up front: grow the columns as series are read.
  let t = new Float64Array(Math.max(16, seriesCount));
  let v = new Float64Array(t.length);
  let n = 0;
  const histogramT: number[] = [];
  const histogramBytes: Uint8Array[] = [];
  for (let s = 0; s < seriesCount; s++) {
    const labelCount = r.count(2, "label");
    const set = new Array<Label>(labelCount);
    for (let i = 0; i < labelCount; i++) {
      const name = symbols[r.uvarint()];
      const value = symbols[r.uvarint()];
      if (name === undefined || value === undefined) throw new CorruptRecordError("label symbol out of range");
      set[i] = { name, value };
    }
    labels[s] = set;
    const sampleCount = r.count(9, "sample");
    if (n + sampleCount > t.length) {
      const size = Math.max(t.length * 2, n + sampleCount);
      const grownT = new Float64Array(size);
      grownT.set(t.subarray(0, n));
      const grownV = new Float64Array(size);
      grownV.set(v.subarray(0, n));
      t = grownT;
      v = grownV;
    }
    let prev = 0;
    for (let i = 0; i < sampleCount; i++) t[n + i] = prev = prev + r.varint();
    for (let i = 0; i < sampleCount; i++) v[n + i] = r.f64();
    n += sampleCount;
    sampleStart[s + 1] = n;
    const histogramCount = r.count(2, "histogram");
    prev = 0;
    for (let i = 0; i < histogramCount; i++) {
      histogramT.push((prev = prev + r.varint()));
      histogramBytes.push(r.lengthPrefixed());
    }
    histogramStart[s + 1] = histogramT.length;
  }
  if (!r.done) throw new CorruptRecordError(`${r.remaining} trailing bytes after append batch`);
  return {
    labels,
    sampleStart,
    t: t.subarray(0, n),
    v: v.subarray(0, n),
    histogramStart,
    histogramT: Float64Array.from(histogramT),
    histogramBytes,
  };
}

/** Short ASCII strings (nearly every label) are decoded without TextDecoder, which is slow per call. */
function readSymbol(r: ByteReader): string {
  const b = r.lengthPrefixed();
  if (b.length <= 64) {
    let ascii = true;
    for (let i = 0; i < b.length; i++) if (b[i] >= 0x80) ascii = false;
    if (ascii) return String.fromCharCode.apply(null, b as unknown as number[]);
  }
  r.pos -= b.length;
  r.pos -= uvarintLength(b.length);
  return r.string();
}

function uvarintLength(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    size++;
  }
  return size;
}

/** The plain-data form of a batch in columns, without going through bytes. */
export function columnarFromBatch<H>(batch: AppendBatch<H>, encodeHistogram?: HistogramEncoder<H>): ColumnarBatch {
  let total = 0;
  for (const s of batch) total += s.samples?.length ?? 0;
  const t = new Float64Array(total);
  const v = new Float64Array(total);
  const sampleStart = new Uint32Array(batch.length + 1);
  const histogramStart = new Uint32Array(batch.length + 1);
  const histogramT: number[] = [];
  const histogramBytes: Uint8Array[] = [];
  let n = 0;
  batch.forEach((series, i) => {
    for (const s of series.samples ?? []) {
      t[n] = s.t;
      v[n++] = s.v;
    }
    sampleStart[i + 1] = n;
    for (const h of series.histograms ?? []) {
      if (!encodeHistogram) throw new TypeError("columnarFromBatch: a histogram encoder is needed for histograms");
      histogramT.push(h.t);
      histogramBytes.push(encodeHistogram(h.h));
    }
    histogramStart[i + 1] = histogramT.length;
  });
  return {
    labels: batch.map((s) => s.labels),
    sampleStart,
    t,
    v,
    histogramStart,
    histogramT: Float64Array.from(histogramT),
    histogramBytes,
  };
}
