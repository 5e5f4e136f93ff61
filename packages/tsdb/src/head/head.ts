import {
  decideChunkCut,
  DEFAULT_CHUNK_CUT_OPTIONS,
  MAX_XOR_SAMPLE_BYTES,
  type ChunkCutOptions,
  type OpenChunkFacts,
} from "../chunk/cut";
import { ChunkEncoding } from "../chunk/chunk";
import { ChunkAppendError } from "../chunk/errors";
import { appendFloatHistogramSample, FloatHistogramChunk } from "../chunk/float-histogram";
import { appendHistogramSample, HistogramChunk } from "../chunk/histogram";
import { formatLabels } from "../labels/format";
import { labelsEqual, type Labels } from "../labels/label";
import { InvalidLabelsError, validateSeriesLabels } from "../labels/validate";
import { MemPostings } from "../index/mem-postings";
import {
  batchSeriesHasLabels,
  batchSeriesLabels,
  seriesHashes,
  seriesHashOf,
  stringHash,
  type ColumnarBatch,
} from "../wal/batch-codec";
import { ByteReader, CorruptRecordError } from "../wal/byte-reader";
import { decodeNativeHistogram, toChunkFloatHistogram, toChunkHistogram } from "../wal/histogram-wire";
import { ByteWriter } from "../wal/byte-writer";
import { emptyAppendResult, MAX_REFUSAL_EXAMPLES, type AppendResult, type RefusalCategory } from "./append-result";
import { MAX_SEGMENT_DATA_BYTES, type ClosedChunk } from "./chunk-segment";
import type { FloatChunkCodec, OpenFloatChunk } from "./head-chunk";
import { MemSeries, type OpenHistogramChunk } from "./mem-series";
import { SeriesLookup } from "./series-lookup";

/**
 * When an open chunk is cut: Prometheus's rule (`../chunk/cut.ts`): about 120 samples a chunk, at most 1 KiB, never
 * across a 2h boundary (so chunks fit in 2h-aligned blocks).
 */
export type ChunkCutRules = ChunkCutOptions;
export const DEFAULT_CUT_RULES: Readonly<ChunkCutRules> = DEFAULT_CHUNK_CUT_OPTIONS;

/** Reused for every cut decision: the append loop allocates nothing per sample. */
const openFacts: OpenChunkFacts = { minTime: 0, maxTime: 0, numSamples: 0, byteLength: 0, kind: "float" };

const bits = new Float64Array(1);
const bitWords = new Uint32Array(bits.buffer);

/**
 * The in-memory state of a shard: every series with its open chunk, the postings index, and the chunks closed since
 * the last checkpoint. It changes only through `append` (and the restore methods used at start-up), so replaying the
 * same WAL records over the same snapshot rebuilds exactly the same head, refusals included.
 */
export class Head {
  readonly postings = new MemPostings();
  readonly #codec: FloatChunkCodec;
  readonly #rules: ChunkCutRules;
  /** By id. A Map, not an array: ids only grow, and with series churn an array would keep a slot per id ever used. */
  readonly #series = new Map<number, MemSeries>();
  readonly #lookup = new SeriesLookup();
  #pending: ClosedChunk[] = [];
  #pendingBySeries = new Map<number, ClosedChunk[]>();
  #pendingBytes = 0;
  #newSeries: MemSeries[] = [];
  /**
   * Every label name and value of the head's series, once. A batch's symbols are swapped for these copies first, so
   * comparing a batch series with a head series compares string pointers, not characters.
   */
  readonly #strings = new Map<string, InternedString>();
  nextSeriesId = 1;
  /** Newest sample time of any series: the head's clock for idleness, as Prometheus's head uses its max time. */
  maxTime = -Infinity;

  constructor(codec: FloatChunkCodec, rules: ChunkCutRules = DEFAULT_CUT_RULES) {
    this.#codec = codec;
    this.#rules = rules;
  }

  get seriesCount(): number {
    return this.postings.seriesCount;
  }

  get pendingChunkBytes(): number {
    return this.#pendingBytes;
  }

  get pendingChunkCount(): number {
    return this.#pending.length;
  }

  series(id: number): MemSeries | undefined {
    return this.#series.get(id);
  }

  /** Every series, ascending by id. */
  *allSeries(): IterableIterator<MemSeries> {
    yield* this.#series.values();
  }

  append(batch: ColumnarBatch): AppendResult {
    const result = emptyAppendResult();
    const symbols = batch.symbols;
    const symbolHashes = new Uint32Array(symbols.length);
    for (let i = 0; i < symbols.length; i++) {
      const known = this.#strings.get(symbols[i]);
      if (known !== undefined) {
        symbols[i] = known.s;
        symbolHashes[i] = known.h;
      } else symbolHashes[i] = stringHash(symbols[i]);
    }
    const hashes = seriesHashes(batch, symbolHashes);
    for (let i = 0; i < batch.seriesCount; i++) {
      const from = batch.sampleStart[i];
      const to = batch.sampleStart[i + 1];
      const histograms = batch.histogramStart[i + 1] - batch.histogramStart[i];
      if (to === from && histograms === 0) continue;
      const t = to > from ? batch.t[from] : batch.histogramT[batch.histogramStart[i]];
      const series = this.#getOrCreate(batch, i, hashes[i], result, t);
      if (!series) {
        const n = to - from + histograms;
        result.refused["invalid labels"] = (result.refused["invalid labels"] ?? 0) + n - 1;
        continue;
      }
      // Floats and histograms of one series, merged by time (a series may switch kind).
      let j = from;
      let k = batch.histogramStart[i];
      const kEnd = batch.histogramStart[i + 1];
      while (j < to || k < kEnd) {
        if (k >= kEnd || (j < to && batch.t[j] <= batch.histogramT[k])) {
          this.#appendFloat(series, batch.t[j], batch.v[j], result);
          j++;
        } else {
          this.#appendHistogram(series, batch.histogramT[k], batch.histogramBytes[k], result);
          k++;
        }
      }
    }
    return result;
  }

  #getOrCreate(batch: ColumnarBatch, i: number, hash: number, result: AppendResult, t: number): MemSeries | undefined {
    const hit = this.#lookup.candidates(hash);
    if (hit !== undefined) {
      if (!Array.isArray(hit)) {
        if (batchSeriesHasLabels(batch, i, hit.labels)) return hit;
      } else {
        for (const s of hit) if (batchSeriesHasLabels(batch, i, s.labels)) return s;
      }
    }
    const labels = batchSeriesLabels(batch, i);
    let valid: Labels;
    try {
      valid = validateSeriesLabels(labels);
    } catch (err) {
      if (!(err instanceof InvalidLabelsError)) throw err;
      refuse(result, "invalid labels", labels, t, err.message);
      return undefined;
    }
    // Empty values dropped or the order fixed: the canonical form may already exist.
    const canonical = this.#lookup.get(seriesHashOf(valid), (s) => labelsEqual(s.labels, valid));
    if (canonical) return canonical;
    const series = this.#createSeries(this.nextSeriesId++, valid);
    this.#newSeries.push(series);
    result.seriesCreated++;
    return series;
  }

  #createSeries(id: number, labels: Labels): MemSeries {
    const interned = labels.map(({ name, value }) => ({ name: this.#intern(name), value: this.#intern(value) }));
    const shared = this.postings.add(id, interned);
    const series = new MemSeries(id, shared, seriesHashOf(shared));
    this.#series.set(id, series);
    this.#lookup.add(series);
    return series;
  }

  #intern(s: string): string {
    const known = this.#strings.get(s);
    if (known !== undefined) return known.s;
    this.#strings.set(s, { s, h: stringHash(s) });
    return s;
  }

  #appendFloat(series: MemSeries, t: number, v: number, result: AppendResult): void {
    if (t <= series.lastT) {
      if (t < series.lastT) {
        refuse(result, "out of order sample", series.labels, t);
        return;
      }
      bits[0] = v;
      if (series.lastHistogram === null && bitWords[0] === series.lastLo && bitWords[1] === series.lastHi) {
        result.duplicatesIgnored++;
      } else refuse(result, "duplicate sample for timestamp", series.labels, t);
      return;
    }
    if (series.hist) this.#closeChunk(series);
    series.lastHistogram = null;
    let chunk = series.chunk;
    if (chunk === null || this.#mayCut(series, chunk, t)) {
      let facts: OpenChunkFacts | null = null;
      if (chunk) {
        facts = openFacts;
        facts.minTime = series.chunkMint;
        facts.maxTime = series.chunkMaxt;
        facts.numSamples = chunk.numSamples();
        facts.byteLength = chunk.byteLength();
      }
      const decision = decideChunkCut(facts, t, series.nextAt, this.#rules);
      series.nextAt = decision.nextAt;
      if (decision.cut && chunk) {
        this.#closeChunk(series);
        chunk = null;
      }
    }
    if (!chunk) {
      chunk = series.chunk = this.#codec.create();
      series.chunkMint = t;
      series.sizeCheckAt = 0;
    }
    chunk.append(t, v);
    series.chunkMaxt = t;
    series.lastT = t;
    bits[0] = v;
    series.lastLo = bitWords[0];
    series.lastHi = bitWords[1];
    if (t < series.firstT) series.firstT = t;
    if (t > this.maxTime) this.maxTime = t;
    result.samplesAccepted++;
  }

  /**
   * False only when `decideChunkCut` would certainly answer "no cut, same nextAt" (checked without measuring the
   * chunk or allocating): before the rule's re-estimate point, before `nextAt`, below twice the target sample count,
   * and too small to reach the byte limit. Anything else goes to the rule itself.
   */
  #mayCut(series: MemSeries, chunk: OpenFloatChunk, t: number): boolean {
    const n = chunk.numSamples();
    const rules = this.#rules;
    if (t >= series.nextAt || n >= 2 * rules.samplesPerChunk || n === Math.floor(rules.samplesPerChunk / 4)) {
      return true;
    }
    if (n < series.sizeCheckAt) return false;
    const room = rules.maxBytesPerXorChunk - MAX_XOR_SAMPLE_BYTES - chunk.byteLength();
    if (room < 0) return true;
    series.sizeCheckAt = n + Math.floor(room / MAX_XOR_SAMPLE_BYTES) + 1;
    return false;
  }

  /**
   * Appends one histogram (wire bytes): order checks as for floats, then Prometheus's histogram rules through the
   * chunk package (layout widening re-codes the open chunk; counter resets and schema changes cut), plus the same
   * size and 2h cut rule as float chunks.
   */
  #appendHistogram(series: MemSeries, t: number, wire: Uint8Array, result: AppendResult): void {
    if (t <= series.lastT) {
      if (t < series.lastT) refuse(result, "out of order sample", series.labels, t);
      else if (series.lastHistogram !== null && bytesEqual(series.lastHistogram, wire)) result.duplicatesIgnored++;
      else refuse(result, "duplicate sample for timestamp", series.labels, t);
      return;
    }
    let native;
    try {
      native = decodeNativeHistogram(wire);
    } catch (err) {
      if (!(err instanceof CorruptRecordError)) throw err;
      refuse(result, "invalid histogram", series.labels, t, err.message);
      return;
    }
    const encoding = native.isFloat ? 3 : 2;
    if (series.chunk || (series.hist && series.hist.encoding !== encoding)) this.#closeChunk(series);
    const open = series.hist;
    let facts: OpenChunkFacts | null = null;
    if (open) {
      facts = openFacts;
      facts.minTime = series.chunkMint;
      facts.maxTime = series.chunkMaxt;
      facts.numSamples = open.chunk.numSamples();
      facts.byteLength = open.chunk.byteLength();
      facts.kind = "histogram";
    }
    const decision = decideChunkCut(facts, t, series.nextAt, this.#rules);
    openFacts.kind = "float";
    if (decision.cut && open) this.#closeChunk(series);
    let next: OpenHistogramChunk;
    let cut: boolean;
    try {
      if (encoding === 2) {
        const current = series.hist?.encoding === 2 ? series.hist : null;
        const r = appendHistogramSample(current, t, toChunkHistogram(native));
        next = { encoding: 2, chunk: r.chunk, appender: r.appender };
        cut = r.cut;
      } else {
        const current = series.hist?.encoding === 3 ? series.hist : null;
        const r = appendFloatHistogramSample(current, t, toChunkFloatHistogram(native));
        next = { encoding: 3, chunk: r.chunk, appender: r.appender };
        cut = r.cut;
      }
    } catch (err) {
      if (!(err instanceof ChunkAppendError)) throw err;
      refuse(result, "invalid histogram", series.labels, t, err.message);
      return;
    }
    const fresh = series.hist === null;
    if (cut && !fresh) {
      // A counter reset, schema or threshold change started a new chunk: the old one, untouched, is closed.
      this.#closeChunk(series);
      series.nextAt = decideChunkCut(null, t, 0, this.#rules).nextAt;
    } else series.nextAt = decision.nextAt;
    if (cut) series.chunkMint = t;
    series.hist = next;
    series.chunkMaxt = t;
    series.lastT = t;
    series.lastHistogram = wire.slice();
    if (t < series.firstT) series.firstT = t;
    if (t > this.maxTime) this.maxTime = t;
    result.histogramsAccepted++;
  }

  #closeChunk(series: MemSeries): void {
    const hist = series.hist;
    if (hist) {
      this.#addPending({
        seriesId: series.id,
        encoding: hist.encoding,
        mint: series.chunkMint,
        maxt: series.chunkMaxt,
        bytes: hist.chunk.bytes().slice(),
      });
      series.hist = null;
    }
    const chunk = series.chunk;
    if (!chunk) return;
    this.#addPending({
      seriesId: series.id,
      encoding: this.#codec.encoding,
      mint: series.chunkMint,
      maxt: series.chunkMaxt,
      bytes: chunk.bytes(),
    });
    series.chunk = null;
  }

  #addPending(closed: ClosedChunk): void {
    this.#pending.push(closed);
    this.#pendingBytes += closed.bytes.length;
    const list = this.#pendingBySeries.get(closed.seriesId);
    if (list) list.push(closed);
    else this.#pendingBySeries.set(closed.seriesId, [closed]);
  }

  /** The open chunk (as bytes) and the closed-but-unpersisted chunks of a series overlapping [mint, maxt]. */
  headChunks(series: MemSeries, mint: number, maxt: number): ClosedChunk[] {
    const out: ClosedChunk[] = [];
    for (const c of this.#pendingBySeries.get(series.id) ?? []) if (c.maxt >= mint && c.mint <= maxt) out.push(c);
    if (series.chunk && series.chunkMaxt >= mint && series.chunkMint <= maxt) {
      out.push({
        seriesId: series.id,
        encoding: this.#codec.encoding,
        mint: series.chunkMint,
        maxt: series.chunkMaxt,
        bytes: series.chunk.bytes(),
      });
    }
    if (series.hist && series.chunkMaxt >= mint && series.chunkMint <= maxt) {
      out.push({
        seriesId: series.id,
        encoding: series.hist.encoding,
        mint: series.chunkMint,
        maxt: series.chunkMaxt,
        bytes: series.hist.chunk.bytes().slice(),
      });
    }
    return out;
  }

  /** Open chunks plus pending closed chunks: how many chunks the head holds in memory. */
  get headChunkCount(): number {
    let n = this.#pending.length;
    for (const s of this.#series.values()) if (s.chunk || s.hist) n++;
    return n;
  }

  // ---- checkpoint ----

  /** Hands over the chunks closed since the last checkpoint (they are then persisted in segment rows). */
  takePendingChunks(): ClosedChunk[] {
    const pending = this.#pending;
    this.#pending = [];
    this.#pendingBySeries = new Map();
    this.#pendingBytes = 0;
    return pending;
  }

  /** Puts chunks back when a checkpoint transaction failed. */
  restorePendingChunks(chunks: ClosedChunk[]): void {
    for (const c of chunks) {
      this.#pending.push(c);
      this.#pendingBytes += c.bytes.length;
      const list = this.#pendingBySeries.get(c.seriesId);
      if (list) list.push(c);
      else this.#pendingBySeries.set(c.seriesId, [c]);
    }
  }

  /** Series created since the last checkpoint, as a series segment row (or null if none). */
  takeNewSeries(): { bytes: Uint8Array | null; restore: () => void } {
    const created = this.#newSeries;
    this.#newSeries = [];
    const restore = () => {
      this.#newSeries = created.concat(this.#newSeries);
    };
    return { bytes: created.length === 0 ? null : encodeSeriesSegment(created), restore };
  }

  /**
   * The head's per-series state (last sample, open chunk) in parts of at most `MAX_SEGMENT_DATA_BYTES`. Per series:
   *   uvarint id, u8 flags (1: has samples, 2: has an open chunk, 4: the newest sample is a histogram),
   *   if 1: varint lastT, u32 lastLo, u32 lastHi, varint firstT;
   *   if 2: u8 encoding (1 XOR, 2 histogram, 3 float histogram), varint chunkMint, uvarint (chunkMaxt - chunkMint),
   *         varint nextAt (the cut rule's estimate), uvarint length, chunk bytes;
   *   if 4: uvarint length, the newest histogram's wire bytes
   */
  snapshotParts(): Uint8Array[] {
    const parts: Uint8Array[] = [];
    let w = new ByteWriter(1 << 16);
    for (const s of this.#series.values()) {
      const hasSamples = s.lastT !== -Infinity;
      w.uvarint(s.id);
      const open = s.chunk
        ? { encoding: this.#codec.encoding, bytes: s.chunk.bytes() }
        : s.hist && { encoding: s.hist.encoding, bytes: s.hist.chunk.bytes() };
      w.u8((hasSamples ? 1 : 0) | (open ? 2 : 0) | (s.lastHistogram ? 4 : 0));
      if (hasSamples) {
        w.varint(s.lastT);
        w.u32(s.lastLo);
        w.u32(s.lastHi);
        w.varint(s.firstT);
      }
      if (open) {
        w.u8(open.encoding);
        w.varint(s.chunkMint);
        w.uvarint(s.chunkMaxt - s.chunkMint);
        w.varint(s.nextAt);
        w.lengthPrefixed(open.bytes);
      }
      if (s.lastHistogram) w.lengthPrefixed(s.lastHistogram);
      if (w.length >= MAX_SEGMENT_DATA_BYTES) {
        parts.push(w.finish());
        w = new ByteWriter(1 << 16);
      }
    }
    if (w.length > 0) parts.push(w.finish());
    return parts;
  }

  // ---- restore at start-up ----

  /** Adds the series of a persisted series segment. */
  loadSeriesSegment(bytes: Uint8Array): void {
    for (const { id, labels } of decodeSeriesSegment(bytes)) {
      if (this.#series.has(id)) continue;
      this.#createSeries(id, labels);
      if (id >= this.nextSeriesId) this.nextSeriesId = id + 1;
    }
  }

  loadSnapshotPart(bytes: Uint8Array): void {
    const r = new ByteReader(bytes);
    while (!r.done) {
      const id = r.uvarint();
      const flags = r.u8();
      const series = this.#series.get(id);
      if (!series) throw new RangeError(`head snapshot names series ${id}, which no series segment defines`);
      if (flags & 1) {
        series.lastT = r.varint();
        if (series.lastT > this.maxTime) this.maxTime = series.lastT;
        series.lastLo = r.u32();
        series.lastHi = r.u32();
        series.firstT = r.varint();
      }
      if (flags & 2) {
        const encoding = r.u8();
        series.chunkMint = r.varint();
        series.chunkMaxt = series.chunkMint + r.uvarint();
        series.nextAt = r.varint();
        const bytes = r.lengthPrefixed().slice();
        if (encoding === ChunkEncoding.Histogram) {
          const chunk = new HistogramChunk(bytes);
          series.hist = { encoding: 2, chunk, appender: chunk.appender() };
        } else if (encoding === ChunkEncoding.FloatHistogram) {
          const chunk = new FloatHistogramChunk(bytes);
          series.hist = { encoding: 3, chunk, appender: chunk.appender() };
        } else series.chunk = this.#codec.resume(bytes);
      }
      if (flags & 4) series.lastHistogram = r.lengthPrefixed().slice();
    }
  }

  /** Records that a series has one more (`delta` 1) or one fewer (-1) chunk in segment rows starting at `t`. */
  notePersisted(seriesId: number, delta: number, t: number): void {
    const s = this.#series.get(seriesId);
    if (!s) return;
    s.persistedChunks += delta;
    if (delta > 0 && t < s.firstT) s.firstT = t;
  }

  /**
   * Closes open chunks whose 2h range ended before `before`. Only series that stopped receiving samples still have
   * such a chunk (a newer sample would have cut it); closing lets the chunk reach segments and blocks instead of
   * staying in memory for ever. Only chunk boundaries change, never which samples are kept.
   */
  closeIdleChunks(before: number): number {
    let closed = 0;
    const range = this.#rules.chunkRange;
    for (const s of this.#series.values()) {
      if (!s.chunk && !s.hist) continue;
      if ((Math.floor(s.chunkMint / range) + 1) * range <= before) {
        this.#closeChunk(s);
        closed++;
      }
    }
    return closed;
  }

  /**
   * Forgets series that hold no data here any more (no open, pending or persisted chunk) and whose newest sample is
   * older than `before`: Prometheus's head garbage collection after compaction. Their samples live in blocks.
   */
  collectGarbage(before: number): number {
    const gone = new Set<number>();
    for (const s of this.#series.values()) {
      if (s.chunk || s.hist || s.persistedChunks > 0 || s.lastT >= before) continue;
      if (this.#pendingBySeries.has(s.id)) continue;
      gone.add(s.id);
    }
    if (gone.size === 0) return 0;
    this.postings.remove(gone, (id) => this.#series.get(id)?.labels ?? []);
    for (const id of gone) {
      const s = this.#series.get(id);
      if (!s) continue;
      this.#lookup.remove(s);
      this.#series.delete(id);
    }
    this.#newSeries = this.#newSeries.filter((s) => !gone.has(s.id));
    return gone.size;
  }

  /** Every series id the index holds matching the selection, with its series. */
  seriesById(ids: Iterable<number>): MemSeries[] {
    const out: MemSeries[] = [];
    for (const id of ids) {
      const s = this.#series.get(id);
      if (s) out.push(s);
    }
    return out;
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A label string kept once, with its `stringHash`. */
interface InternedString {
  s: string;
  h: number;
}

function refuse(result: AppendResult, category: RefusalCategory, labels: Labels, t: number, detail?: string): void {
  result.refused[category] = (result.refused[category] ?? 0) + 1;
  if (result.examples.length < MAX_REFUSAL_EXAMPLES) {
    result.examples.push({ category, series: formatLabels(labels), t, ...(detail ? { detail } : {}) });
  }
}

/** A series segment row: repeated (uvarint id, uvarint labelCount, (uvarint len, name, uvarint len, value)*). */
export function encodeSeriesSegment(series: readonly { id: number; labels: Labels }[]): Uint8Array {
  const w = new ByteWriter(series.length * 128);
  for (const s of series) {
    w.uvarint(s.id);
    w.uvarint(s.labels.length);
    for (const { name, value } of s.labels) {
      w.string(name);
      w.string(value);
    }
  }
  return w.finish();
}

export function decodeSeriesSegment(bytes: Uint8Array): { id: number; labels: Labels }[] {
  const r = new ByteReader(bytes);
  const out: { id: number; labels: Labels }[] = [];
  while (!r.done) {
    const id = r.uvarint();
    const n = r.count(2, "label");
    const labels = [];
    for (let i = 0; i < n; i++) labels.push({ name: r.string(), value: r.string() });
    out.push({ id, labels });
  }
  return out;
}
