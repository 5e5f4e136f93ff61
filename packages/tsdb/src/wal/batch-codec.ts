import type { Label, Labels } from "../labels/label";
import type { AppendBatch, HistogramSample, SeriesAppend } from "./append-batch";
import { ByteReader, CorruptRecordError } from "./byte-reader";
import { ByteWriter } from "./byte-writer";
import { encodeNativeHistogram } from "./histogram-wire";

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
 *                                               uvarint byteLength, histogram bytes (`histogram-wire.ts`))
 */
export const BATCH_MAGIC = [0x45, 0x50, 0x42, 0x01] as const;

/**
 * A decoded batch in columns. Labels stay as references into the symbol table (no objects per series): series `i`
 * has the name/value symbol pairs `labelRefs[2k], labelRefs[2k+1]` for k in `[labelStart[i], labelStart[i+1])`;
 * `seriesHashes` gives each series' `seriesHashOf` hash from per-symbol hashes, so the head finds known series
 * without building label sets.
 * Series `i` owns samples `[sampleStart[i], sampleStart[i+1])` of `t`/`v`.
 */
export interface ColumnarBatch {
  seriesCount: number;
  symbols: string[];
  labelStart: Uint32Array;
  labelRefs: Uint32Array;
  sampleStart: Uint32Array;
  t: Float64Array;
  v: Float64Array;
  /** Series `i` owns histograms `[histogramStart[i], histogramStart[i+1])`. */
  histogramStart: Uint32Array;
  histogramT: Float64Array;
  /** Encoded histograms (`histogram-wire.ts`), views into the batch bytes. */
  histogramBytes: Uint8Array[];
}

/** The label set of series `i` of a decoded batch, as objects. */
export function batchSeriesLabels(batch: ColumnarBatch, i: number): Label[] {
  const out: Label[] = [];
  for (let k = batch.labelStart[i]; k < batch.labelStart[i + 1]; k++) {
    out.push({ name: batch.symbols[batch.labelRefs[2 * k]], value: batch.symbols[batch.labelRefs[2 * k + 1]] });
  }
  return out;
}

/** Whether series `i` of a batch has exactly `labels` (same strings, same order). */
export function batchSeriesHasLabels(batch: ColumnarBatch, i: number, labels: Labels): boolean {
  const from = batch.labelStart[i];
  if (batch.labelStart[i + 1] - from !== labels.length) return false;
  for (let k = 0; k < labels.length; k++) {
    if (batch.symbols[batch.labelRefs[2 * (from + k)]] !== labels[k].name) return false;
    if (batch.symbols[batch.labelRefs[2 * (from + k) + 1]] !== labels[k].value) return false;
  }
  return true;
}

/**
 * A 32-bit hash of one string over UTF-16 code units (FNV-1a). Series hashes combine these per label, so a batch
 * hashes each distinct string once however many series use it. Local to a shard's memory, never persisted.
 */
export function stringHash(s: string): number {
  let h = 0x811c9dc5;
  for (let j = 0; j < s.length; j++) h = Math.imul(h ^ s.charCodeAt(j), 0x01000193);
  return h >>> 0;
}

function combineHash(h: number, x: number): number {
  h = Math.imul(h ^ x, 0x01000193);
  return (h ^ (h >>> 15)) >>> 0;
}

/** The series hash of a label set: the same number `seriesHashes` computes for a batch series with these labels. */
export function seriesHashOf(labels: Labels): number {
  let h = 0x9747b28c;
  for (const { name, value } of labels) h = combineHash(combineHash(h, stringHash(name)), stringHash(value));
  return h;
}

/** Each series' `seriesHashOf` hash, given `stringHash` of every symbol (which a caller may have cached). */
export function seriesHashes(batch: ColumnarBatch, symbolHashes: Uint32Array): Uint32Array {
  const out = new Uint32Array(batch.seriesCount);
  const refs = batch.labelRefs;
  for (let i = 0; i < batch.seriesCount; i++) {
    let h = 0x9747b28c;
    for (let k = batch.labelStart[i]; k < batch.labelStart[i + 1]; k++) {
      h = combineHash(combineHash(h, symbolHashes[refs[2 * k]]), symbolHashes[refs[2 * k + 1]]);
    }
    out[i] = h;
  }
  return out;
}

export function encodeAppendBatch(batch: AppendBatch): Uint8Array {
  const encoder = new AppendBatchEncoder(batch.length);
  for (const series of batch) encoder.add(series);
  return encoder.finish();
}

const NO_HISTOGRAMS: readonly HistogramSample[] = [];

/**
 * Builds one encoded append batch series by series. The ingest path feeds it straight from decoded sample columns
 * (`addColumns`), so a request's samples never become one object each; `encodeAppendBatch` uses `add`.
 */
export class AppendBatchEncoder {
  readonly #symbols = new Map<string, number>();
  readonly #body: ByteWriter;
  #seriesCount = 0;
  /** The value column last seen by `addColumns` and its bytes (one view per column, not per series). */
  #values: Float64Array | null = null;
  #valueBytes: Uint8Array = new Uint8Array(0);

  constructor(expectedSeries = 16) {
    this.#body = new ByteWriter(64 + expectedSeries * 48);
  }

  get seriesCount(): number {
    return this.#seriesCount;
  }

  #labels(labels: Labels): void {
    const body = this.#body;
    const symbols = this.#symbols;
    body.uvarint(labels.length);
    for (let i = 0; i < labels.length; i++) {
      const { name, value } = labels[i];
      let ref = symbols.get(name);
      if (ref === undefined) symbols.set(name, (ref = symbols.size));
      body.uvarint(ref);
      ref = symbols.get(value);
      if (ref === undefined) symbols.set(value, (ref = symbols.size));
      body.uvarint(ref);
    }
  }

  #histograms(histograms: readonly HistogramSample[]): void {
    const body = this.#body;
    body.uvarint(histograms.length);
    let prev = 0;
    for (const h of histograms) {
      body.varint(h.t - prev);
      prev = h.t;
      body.lengthPrefixed(encodeNativeHistogram(h.h));
    }
  }

  /**
   * A series with the float samples `[from, to)` of the columns `t`/`v`, and any native histogram samples. Values
   * are copied as bytes, so NaN payloads (the stale marker) survive exactly.
   */
  addColumns(
    labels: Labels,
    t: Float64Array,
    v: Float64Array,
    from: number,
    to: number,
    histograms: readonly HistogramSample[] = NO_HISTOGRAMS,
  ): void {
    const body = this.#body;
    this.#labels(labels);
    body.uvarint(to - from);
    let prev = 0;
    for (let i = from; i < to; i++) {
      body.varint(t[i] - prev);
      prev = t[i];
    }
    if (this.#values !== v) {
      this.#values = v;
      this.#valueBytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    }
    body.bytesFrom(this.#valueBytes, from * 8, to * 8);
    this.#histograms(histograms);
    this.#seriesCount++;
  }

  add(series: SeriesAppend): void {
    const body = this.#body;
    this.#labels(series.labels);
    const samples = series.samples ?? [];
    body.uvarint(samples.length);
    let prev = 0;
    for (let i = 0; i < samples.length; i++) {
      body.varint(samples[i].t - prev);
      prev = samples[i].t;
    }
    for (let i = 0; i < samples.length; i++) body.f64(samples[i].v);
    this.#histograms(series.histograms ?? NO_HISTOGRAMS);
    this.#seriesCount++;
  }

  /** The encoded batch: magic, symbol table, series count, then the series as added. */
  finish(): Uint8Array {
    const head = new ByteWriter(64 + this.#symbols.size * 16);
    for (const b of BATCH_MAGIC) head.u8(b);
    head.uvarint(this.#symbols.size);
    for (const s of this.#symbols.keys()) head.string(s);
    head.uvarint(this.#seriesCount);
    const headBytes = head.view();
    const bodyBytes = this.#body.view();
    const out = new Uint8Array(headBytes.length + bodyBytes.length);
    out.set(headBytes);
    out.set(bodyBytes, headBytes.length);
    return out;
  }
}

export function isAppendBatchBytes(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && BATCH_MAGIC.every((b, i) => bytes[i] === b);
}

export function decodeAppendBatch(bytes: Uint8Array): ColumnarBatch {
  if (!isAppendBatchBytes(bytes)) throw new CorruptRecordError("not an append batch (bad magic or version)");
  const r = new ByteReader(bytes, 4);
  const symbolCount = r.count(1, "symbol");
  const symbols = new Array<string>(symbolCount);
  for (let i = 0; i < symbolCount; i++) symbols[i] = r.string();
  const seriesCount = r.count(3, "series");
  const labelStart = new Uint32Array(seriesCount + 1);
  const sampleStart = new Uint32Array(seriesCount + 1);
  const histogramStart = new Uint32Array(seriesCount + 1);
  let refs = new Uint32Array(Math.max(16, seriesCount * 16));
  let labelCountTotal = 0;
  // Sample counts are not known up front: grow the columns as series are read.
  let t = new Float64Array(Math.max(16, seriesCount));
  let v = new Float64Array(t.length);
  let n = 0;
  const histogramT: number[] = [];
  const histogramBytes: Uint8Array[] = [];
  for (let s = 0; s < seriesCount; s++) {
    const labelCount = r.count(2, "label");
    if (2 * (labelCountTotal + labelCount) > refs.length) {
      const grown = new Uint32Array(Math.max(refs.length * 2, 2 * (labelCountTotal + labelCount)));
      grown.set(refs);
      refs = grown;
    }
    for (let i = 0; i < labelCount; i++) {
      const name = r.uvarint();
      const value = r.uvarint();
      if (name >= symbolCount || value >= symbolCount) throw new CorruptRecordError("label symbol out of range");
      refs[2 * labelCountTotal] = name;
      refs[2 * labelCountTotal + 1] = value;
      labelCountTotal++;
    }
    labelStart[s + 1] = labelCountTotal;
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
    seriesCount,
    symbols,
    labelStart,
    labelRefs: refs.subarray(0, 2 * labelCountTotal),
    sampleStart,
    t: t.subarray(0, n),
    v: v.subarray(0, n),
    histogramStart,
    histogramT: Float64Array.from(histogramT),
    histogramBytes,
  };
}
