import {
  decideChunkCut,
  DEFAULT_CHUNK_CUT_OPTIONS,
  MAX_XOR_SAMPLE_BYTES,
  type ChunkCutOptions,
  type OpenChunkFacts,
} from "../chunk/cut";
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
import { ByteReader } from "../wal/byte-reader";
import { ByteWriter } from "../wal/byte-writer";
import { emptyAppendResult, MAX_REFUSAL_EXAMPLES, type AppendResult, type RefusalCategory } from "./append-result";
import { MAX_SEGMENT_DATA_BYTES, type ClosedChunk } from "./chunk-segment";
import type { FloatChunkCodec, OpenFloatChunk } from "./head-chunk";
import { MemSeries } from "./mem-series";
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
  readonly #series: (MemSeries | undefined)[] = [];
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
    return this.#series[id];
  }

  /** Every series, ascending by id. */
  *allSeries(): IterableIterator<MemSeries> {
    for (const s of this.#series) if (s) yield s;
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
      for (let j = from; j < to; j++) this.#appendFloat(series, batch.t[j], batch.v[j], result);
      for (let j = batch.histogramStart[i]; j < batch.histogramStart[i + 1]; j++) {
        refuse(result, "native histograms are disabled", series.labels, batch.histogramT[j]);
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
    this.#series[id] = series;
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
      if (bitWords[0] === series.lastLo && bitWords[1] === series.lastHi) result.duplicatesIgnored++;
      else refuse(result, "duplicate sample for timestamp", series.labels, t);
      return;
    }
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

  #closeChunk(series: MemSeries): void {
    const chunk = series.chunk;
    if (!chunk) return;
    const closed: ClosedChunk = {
      seriesId: series.id,
      encoding: this.#codec.encoding,
      mint: series.chunkMint,
      maxt: series.chunkMaxt,
      bytes: chunk.bytes(),
    };
    this.#pending.push(closed);
    this.#pendingBytes += closed.bytes.length;
    const list = this.#pendingBySeries.get(series.id);
    if (list) list.push(closed);
    else this.#pendingBySeries.set(series.id, [closed]);
    series.chunk = null;
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
    return out;
  }

  /** Open chunks plus pending closed chunks: how many chunks the head holds in memory. */
  get headChunkCount(): number {
    let n = this.#pending.length;
    for (const s of this.#series) if (s?.chunk) n++;
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
   *   uvarint id, u8 flags (1: has samples, 2: has open chunk), if 1: varint lastT, u32 lastLo, u32 lastHi,
   *   varint firstT; if 2: u8 encoding, varint chunkMint, uvarint (chunkMaxt - chunkMint), varint nextAt (the cut
   *   rule's estimate), uvarint length, bytes
   */
  snapshotParts(): Uint8Array[] {
    const parts: Uint8Array[] = [];
    let w = new ByteWriter(1 << 16);
    for (const s of this.#series) {
      if (!s) continue;
      const hasSamples = s.lastT !== -Infinity;
      w.uvarint(s.id);
      w.u8((hasSamples ? 1 : 0) | (s.chunk ? 2 : 0));
      if (hasSamples) {
        w.varint(s.lastT);
        w.u32(s.lastLo);
        w.u32(s.lastHi);
        w.varint(s.firstT);
      }
      if (s.chunk) {
        w.u8(this.#codec.encoding);
        w.varint(s.chunkMint);
        w.uvarint(s.chunkMaxt - s.chunkMint);
        w.varint(s.nextAt);
        w.lengthPrefixed(s.chunk.bytes());
      }
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
      if (this.#series[id]) continue;
      this.#createSeries(id, labels);
      if (id >= this.nextSeriesId) this.nextSeriesId = id + 1;
    }
  }

  loadSnapshotPart(bytes: Uint8Array): void {
    const r = new ByteReader(bytes);
    while (!r.done) {
      const id = r.uvarint();
      const flags = r.u8();
      const series = this.#series[id];
      if (!series) throw new RangeError(`head snapshot names series ${id}, which no series segment defines`);
      if (flags & 1) {
        series.lastT = r.varint();
        series.lastLo = r.u32();
        series.lastHi = r.u32();
        series.firstT = r.varint();
      }
      if (flags & 2) {
        r.u8();
        series.chunkMint = r.varint();
        series.chunkMaxt = series.chunkMint + r.uvarint();
        series.nextAt = r.varint();
        series.chunk = this.#codec.resume(r.lengthPrefixed().slice());
      }
    }
  }

  /** Records that a series has persisted data starting at `t` (from segment directories at start-up). */
  noteFirstTime(seriesId: number, t: number): void {
    const s = this.#series[seriesId];
    if (s && t < s.firstT) s.firstT = t;
  }

  /** Every series id the index holds matching the selection, with its series. */
  seriesById(ids: Iterable<number>): MemSeries[] {
    const out: MemSeries[] = [];
    for (const id of ids) {
      const s = this.#series[id];
      if (s) out.push(s);
    }
    return out;
  }
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
